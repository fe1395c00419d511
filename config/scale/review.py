"""One application's way through the shared two-stage workflow (``TWO_STAGE``), generated.

Every application starts as a draft and is then taken through the table's steps by the people
the table names: the worker submits (before the program closes), the street reviewer of the
worker's street recommends, asks for more information or rejects, a district approver approves
(reserving the money), asks for more or rejects; the worker answers by resubmitting or
withdraws. After approval, while the money still waits for a batch, the district may correct
the amount or revoke the approval. Each wait is drawn from an exponential distribution, staff
act in office hours, and the path stops at the day the data is anchored on, so recent
applications are still on their way and old ones have ended. The bank's payment, and with it
the ``pay`` step, comes from ``payments.Payments.settle``.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from config.scale.payments import Money, next_build
from config.scale.trail import Trail
from services.applications.models import Application, Attachment

R_APPLICANT, R_STREET, R_DISTRICT, R_FINANCE = (
    "applicant", "street_reviewer", "district_approver", "finance",
)  # fmt: skip


@dataclass(eq=False)
class Case:
    pk: int
    reference: str
    program: object
    person: object
    created_at: datetime
    requested: Decimal
    reason: str
    trail: Trail
    proofs: list  # proof kinds the worker uploads before submitting
    notes: dict  # step name -> reasons staff write
    submitted_at: datetime | None = None
    decided_at: datetime | None = None
    decided_by: int | None = None
    recommended_by: int | None = None
    approved: Decimal | None = None
    money: Money | None = None
    uploads: list = field(default_factory=list)  # (kind, at)


def new_trail(ctx, *, pk, reference, program, person) -> Trail:
    return Trail(
        ctx, ct=ctx.ct(Application), object_id=pk, workflow="two_stage",
        owner_user_id=person.user_id, reference=reference,
        link=ctx.link("applications:detail", pk), params={"program": program.name},
    )  # fmt: skip


def walk(ctx, case: Case, payments) -> None:
    """Take the case as far as it got before the anchor."""
    rng, person, trail = ctx.rng, case.person, case.trail
    user = person.user_id
    reviewer = ctx.staff.reviewers[person.street_id].pk
    requested = {"amount": f"{case.requested:,.2f}"}
    trail.start(at=case.created_at, actor_id=user)
    fate = rng.random()
    submit = ctx.later(case.created_at, 1.5, office=False)
    _uploads(ctx, case, case.created_at, min(submit, ctx.anchor))
    if fate < 0.06:
        return  # a draft never sent
    if fate < 0.08:
        if ctx.before_anchor(submit):
            trail.step("withdraw", at=submit, actor_id=user, role=R_APPLICANT, params=requested)
        return
    if not ctx.before_anchor(submit) or submit > case.program.closes_at:
        return
    trail.step("submit", at=submit, actor_id=user, role=R_APPLICANT, params=requested)
    case.submitted_at = moment = submit
    for round_ in range(3):
        decided = ctx.later(moment, 5, office=True, least=1)
        if not ctx.before_anchor(decided):
            return
        choice = rng.random()
        if choice < 0.02:
            gone = ctx.later(moment, 2, office=False)
            if ctx.before_anchor(gone):
                trail.step("withdraw", at=gone, actor_id=user, role=R_APPLICANT, params=requested)
            return
        if choice < 0.12 and round_ < 2:
            moment = _more_information(ctx, case, "ask_info", decided, reviewer, R_STREET)
            if moment is None:
                return
            continue
        if choice < 0.19:
            note = rng.choice(case.notes["reject"])
            trail.step("reject", at=decided, actor_id=reviewer, role=R_STREET, note=note,
                       params=requested)  # fmt: skip
            case.decided_at, case.decided_by = decided, reviewer
            return
        trail.step("recommend", at=decided, actor_id=reviewer, role=R_STREET, params=requested)
        case.recommended_by = reviewer
        second = ctx.later(decided, 6, office=True, least=1)
        if not ctx.before_anchor(second):
            return
        approver = ctx.staff.approver_for(rng).pk
        choice = rng.random()
        if choice < 0.03 and round_ < 2:
            moment = _more_information(ctx, case, "ask_info_district", second, approver, R_DISTRICT)
            if moment is None:
                return
            continue
        if choice < 0.07:
            note = rng.choice(case.notes["reject"])
            trail.step("reject_district", at=second, actor_id=approver, role=R_DISTRICT,
                       note=note, params=requested)  # fmt: skip
            case.decided_at, case.decided_by = second, approver
            return
        _approve(ctx, case, second, approver, payments)
        return


def _more_information(ctx, case: Case, step: str, at, actor, role) -> datetime | None:
    """Staff ask for more; the worker answers (a new proof, then resubmits), withdraws, or has
    not answered yet. Returns when the case is submitted again, if it is."""
    rng, trail, user = ctx.rng, case.trail, case.person.user_id
    amount = {"amount": f"{case.requested:,.2f}"}
    trail.step(step, at=at, actor_id=actor, role=role, note=rng.choice(case.notes["ask_info"]),
               params=amount)  # fmt: skip
    answer = ctx.later(at, 3, office=False)
    choice = rng.random()
    if not ctx.before_anchor(answer) or choice < 0.07:
        return None
    if choice < 0.15:
        trail.step("withdraw", at=answer, actor_id=user, role=R_APPLICANT, params=amount)
        return None
    case.uploads.append(("other", at + (answer - at) / 2))
    trail.step("resubmit", at=answer, actor_id=user, role=R_APPLICANT, params=amount)
    case.submitted_at = answer
    return answer


def _approve(ctx, case: Case, at, approver, payments) -> None:
    rng, trail, person = ctx.rng, case.trail, case.person
    amount = case.requested
    trail.step("approve", at=at, actor_id=approver, role=R_DISTRICT, amounts=(None, amount),
               params={"amount": f"{amount:,.2f}"})  # fmt: skip
    case.approved, case.decided_at, case.decided_by = amount, at, approver
    case.money = money = payments.reserve(
        Money(
            program=case.program,
            member_id=person.pk,
            user_id=person.user_id,
            has_card=person.has_card,
            source_ct=ctx.ct(Application),
            source_id=case.pk,
            purpose=f"{case.program.name} {case.reference}",
            amount=amount,
            created_by=approver,
            created_at=at,
            on_paid=lambda moment, finance: _paid(case, moment, finance),
        )  # fmt: skip
    )
    # While the money waits for the next batch the district may still correct or revoke it.
    deadline = next_build(at) - timedelta(hours=1)
    later = ctx.later(at, 1, office=True)
    if not (later < deadline and ctx.before_anchor(later)):
        return
    choice = rng.random()
    if choice < 0.02:
        lower = (amount * Decimal(rng.uniform(0.7, 0.95))).quantize(Decimal("10"), ROUND_DOWN)
        if lower <= 0 or lower == amount:
            return
        note = rng.choice(case.notes["correct"])
        trail.step("correct_amount", at=later, actor_id=approver, role=R_DISTRICT, note=note,
                   amounts=(amount, lower), params={"amount": f"{lower:,.2f}"})  # fmt: skip
        money.corrections.append((later, lower, approver, note))
        case.approved = lower
    elif choice < 0.035:
        note = rng.choice(case.notes["revoke"])
        trail.step("revoke", at=later, actor_id=approver, role=R_DISTRICT, note=note,
                   params={"amount": f"{amount:,.2f}"})  # fmt: skip
        money.revoked = (later, approver, note)
        case.decided_at, case.decided_by = later, approver


def _paid(case: Case, moment, finance) -> None:
    case.trail.step("pay", at=moment, actor_id=finance, role=R_FINANCE,
                    params={"amount": f"{case.approved:,.2f}"})  # fmt: skip


def _uploads(ctx, case: Case, first: datetime, last: datetime) -> None:
    """The proofs the worker uploads between creating the draft and submitting it."""
    span = max((last - first).total_seconds(), 60)
    for kind in case.proofs:
        case.uploads.append((kind, first + timedelta(seconds=ctx.rng.uniform(0, span * 0.9))))


PROOF_NAMES = {
    "admission": ["录取通知书.jpg", "录取通知书.pdf"], "receipt": ["学费发票.pdf", "缴费收据.jpg"],
    "settlement": ["医保结算单.pdf", "结算单.jpg"], "discharge": ["出院记录.pdf", "出院小结.jpg"],
    "invoice": ["医疗费用发票.pdf", "电子发票.pdf"], "other": ["补充材料.jpg", "说明.pdf"],
}  # fmt: skip


def write_cases(ctx, program, cases: list[Case], payments) -> int:
    """A program's generated cases once walked: their money settled into batches, then each
    application written."""
    payments.settle(program, [case.money for case in cases if case.money])
    for case in cases:
        write_case(ctx, case)
    return len(cases)


def write_case(ctx, case: Case) -> Application:
    """The application row and its proofs, as they stand at the anchor."""
    person, trail = case.person, case.trail
    ctx.writer.add(
        Application(
            pk=case.pk,
            reference=case.reference,
            program_id=case.program.pk,
            applicant_id=person.pk,
            street_id=person.street_id,
            status=trail.status,
            single_slot=case.program.program_type.one_per_batch,
            requested_amount=case.requested,
            amount_reason=case.reason[:300],
            approved_amount=case.approved,
            recommended_by_id=case.recommended_by,
            decided_by_id=case.decided_by,
            created_at=case.created_at,
            submitted_at=case.submitted_at,
            decided_at=case.decided_at,
        )  # fmt: skip
    )
    for kind, at in case.uploads:
        if at >= ctx.anchor:
            continue
        name = ctx.rng.choice(PROOF_NAMES.get(kind, PROOF_NAMES["other"]))
        ctx.writer.add(
            Attachment(
                application_id=case.pk,
                kind=kind,
                file=f"private/applications/{ctx.token()}",
                original_name=name,
                size=ctx.rng.randint(80_000, 3_000_000),
                content_type="application/pdf" if name.endswith(".pdf") else "image/jpeg",
                sha256=ctx.token(256),
                uploaded_at=at,
                uploaded_by_id=person.user_id,
            )  # fmt: skip
        )
    ctx.fingerprint.add(
        "application", case.reference, trail.status, case.requested, case.approved,
        case.submitted_at, case.decided_at,
    )  # fmt: skip
