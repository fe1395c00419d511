"""Writing to the money ledger (see ``models/ledger.py`` for the story of an entry).

Every write here runs in a transaction with its locks taken in one order (the program row,
then the member row, then the entries), so concurrent decisions and batches settle the same
way every time:

- ``ledger_reserve`` at the decision: the program row is locked for its budget, the member row
  for the per-person cap of the program's year (all batches of a program code in a year
  count together), and the program type's own rule (such as "not subsidised this year") is
  checked under those locks;
- ``ledger_correct`` changes a reserved amount (before it is in a batch);
- ``payment_batch_build`` takes the reserved entries of a program into a new batch; entries
  are locked and re-read, so two finance users building at once put each entry in one batch;
  an entry whose worker has no payee card on file waits for the card (``waiting_for_card``);
- ``payment_line_record`` records the bank's result for a line: paid (the worker is told,
  once, through the source's handler) or failed with the bank's reason (back in the queue);
- ``ledger_reverse`` takes an entry out of every sum, with who, when and why;
- ``ledger_hand_over`` records cash handed over in person (a hardship visit): held against
  the budget and caps like any decision, and paid at once, with no bank in between.
"""

from collections.abc import Callable
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from services.applications.engine import notify
from services.applications.models import (
    LIVE,
    LedgerEntry,
    LedgerEvent,
    LedgerStatus,
    PaymentBatch,
    PaymentLine,
    Program,
    ReferenceCounter,
)
from services.decisions import Decision
from services.members.audit import Action, audit_record
from services.members.models import Member

ZERO = Decimal("0.00")

# model label -> what to do when the bank has paid an entry for such a source
PAID_HANDLERS: dict[str, Callable] = {}


def register_paid_handler(model, handler: Callable) -> None:
    """``handler(entry=..., actor=...)`` runs in the transaction that records the payment."""
    PAID_HANDLERS[model._meta.label_lower] = handler


def _yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


def _event(*, entry: LedgerEntry, action: str, amount, actor, batch=None, note: str = ""):
    """The entry's own trail (``LedgerEvent``) and, for what staff did, the audit log."""
    event = LedgerEvent.objects.create(
        entry=entry, action=action, amount=amount, actor=actor, batch=batch, note=note[:300]
    )
    if actor is not None and actor.is_staff:
        label = LedgerEvent.Action(action).label
        audit_record(
            actor=actor, action=Action.LEDGER, member=entry.member, obj=entry,
            subject=f"{label} {_yuan(amount)} 元 · {entry.purpose}",
        )  # fmt: skip
    return event


# -- reads -------------------------------------------------------------------------------------


def budget_used(program: Program) -> Decimal:
    total = LedgerEntry.objects.filter(program=program, status__in=LIVE).aggregate(s=Sum("amount"))
    return total["s"] or ZERO


def member_year_total(*, member: Member, program_code: str, year: int, exclude=None) -> Decimal:
    """What a member has been granted by a program code in a year, over every batch."""
    entries = LedgerEntry.objects.filter(
        member=member, program__code=program_code, year=year, status__in=LIVE
    )
    if exclude is not None:
        entries = entries.exclude(pk=exclude.pk)
    return entries.aggregate(s=Sum("amount"))["s"] or ZERO


def entry_for(source) -> LedgerEntry | None:
    """The live ledger entry paying for this source, if any."""
    return (
        LedgerEntry.objects.filter(
            source_type=ContentType.objects.get_for_model(source),
            source_id=source.pk,
            status__in=LIVE,
        )
        .order_by("-id")
        .first()
    )


def entry_remarks(entry: LedgerEntry) -> list[str]:
    """What finance should check before sending an entry to the bank: the payee card changed
    after the money was decided, or the bank returned it before."""
    remarks = []
    changed = entry.member.bank_card_changed_at
    if changed and changed > entry.created_at:
        remarks.append(
            _("收款卡于 %(date)s 更换（核定之后），请核实")
            % {"date": timezone.localtime(changed).strftime("%Y-%m-%d")}
        )
    if entry.last_failure:
        remarks.append(_("上次银行退回：%(why)s") % {"why": entry.last_failure})
    return remarks


def next_reference(prefix: str, year: int) -> str:
    """PREFIX-YEAR-000123 from a counter locked while the number is taken."""
    return reserve_references(prefix, year, 1)[0]


def reserve_references(prefix: str, year: int, count: int) -> list[str]:
    """The next ``count`` numbers PREFIX-YEAR-000123, in order, taken at once from the locked
    counter (a bulk load numbers its rows without a round trip each)."""
    if count <= 0:
        return []
    with transaction.atomic():
        counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
            key=f"{prefix}-{year}"
        )
        first = counter.last + 1
        counter.last += count
        counter.save(update_fields=["last"])
    return [f"{prefix}-{year}-{number:06d}" for number in range(first, counter.last + 1)]


# -- writes ------------------------------------------------------------------------------------


def _check_amount(amount) -> None:
    if amount is None or amount <= 0:
        raise ValidationError(_("金额必须大于 0。"), code="amount_not_positive")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("金额最多两位小数。"), code="amount_precision")


def _lock(program: Program, member: Member) -> Program:
    program = Program.objects.select_for_update().get(pk=program.pk)
    Member.objects.select_for_update().filter(pk=member.pk).exists()
    return program


def _check_room(*, program: Program, member: Member, amount: Decimal, replacing=None) -> None:
    taken = member_year_total(
        member=member, program_code=program.code, year=program.year, exclude=replacing
    )
    if taken + amount > program.per_person_cap:
        raise ValidationError(
            _(
                "超过每人每年上限：本项目 %(year)s 年每人最多 %(cap)s 元，"
                "该职工已核定 %(taken)s 元，还可核定 %(left)s 元。"
            )
            % {
                "year": program.year,
                "cap": _yuan(program.per_person_cap),
                "taken": _yuan(taken),
                "left": _yuan(max(program.per_person_cap - taken, ZERO)),
            },  # fmt: skip
            code="person_cap",
        )
    left = program.budget - budget_used(program) + (replacing.amount if replacing else ZERO)
    if amount > left:
        raise ValidationError(
            _("预算不足：本批次还剩 %(left)s 元，不够核定 %(amount)s 元。")
            % {"left": _yuan(left), "amount": _yuan(amount)},
            code="budget",
        )


def ledger_reserve(
    *,
    member: Member,
    program: Program,
    source,
    amount: Decimal,
    purpose: str,
    actor,
    rule_check: Callable[[], Decision] | None = None,
) -> LedgerEntry:
    """Hold the money for a decision; ``rule_check`` is the program's own rule, run under the
    locks. Raises ``ValidationError`` with a code when the money cannot be held."""
    _check_amount(amount)
    with transaction.atomic():
        program = _lock(program, member)
        if rule_check is not None:
            decision = rule_check()
            if not decision:
                raise ValidationError(decision.reason, code=decision.code or "rule")
        _check_room(program=program, member=member, amount=amount)
        entry = LedgerEntry.objects.create(
            member=member, program=program, year=program.year,
            source_type=ContentType.objects.get_for_model(source), source_id=source.pk,
            purpose=purpose[:120], amount=amount, created_by=actor,
        )  # fmt: skip
        _event(entry=entry, action=LedgerEvent.Action.RESERVE, amount=amount, actor=actor)
    return entry


def ledger_hand_over(
    *,
    member: Member,
    program: Program,
    source,
    amount: Decimal,
    purpose: str,
    actor,
    rule_check: Callable[[], Decision] | None = None,
) -> LedgerEntry:
    """Cash given in person: reserved under the same locks and checks, then paid at once."""
    with transaction.atomic():
        entry = ledger_reserve(
            member=member, program=program, source=source, amount=amount, purpose=purpose,
            actor=actor, rule_check=rule_check,
        )  # fmt: skip
        # Paid there and then: the statistics count it in the month it was handed over.
        entry.status, entry.paid_at = LedgerStatus.PAID, entry.created_at
        entry.save(update_fields=["status", "paid_at"])
        _event(entry=entry, action=LedgerEvent.Action.HANDED, amount=amount, actor=actor)
    return entry


def ledger_correct(*, entry: LedgerEntry, amount: Decimal, actor, note: str) -> LedgerEntry:
    """A corrected amount for an entry not yet sent to the bank."""
    _check_amount(amount)
    with transaction.atomic():
        _lock(entry.program, entry.member)
        entry = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.status != LedgerStatus.RESERVED:
            raise ValidationError(
                _("这笔款项已编入发放批次或已发放，不能再更正金额。"), code="entry_not_reserved"
            )
        _check_room(program=entry.program, member=entry.member, amount=amount, replacing=entry)
        entry.amount = amount
        entry.save(update_fields=["amount"])
        _event(
            entry=entry, action=LedgerEvent.Action.CORRECT, amount=amount, actor=actor, note=note
        )
    return entry


def ledger_reverse(*, entry: LedgerEntry, actor, reason: str) -> LedgerEntry:
    """Take an entry out of the budget and the caps. Not while the bank has it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("冲销必须写明原因。"), code="reason_required")
    if len(reason) > 300:
        raise ValidationError(_("原因最多 300 个字。"), code="reason_too_long")
    with transaction.atomic():
        entry = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.status not in (LedgerStatus.RESERVED, LedgerStatus.PAID):
            raise ValidationError(
                _("这笔款项正在银行处理中（或已冲销），现在不能冲销。"), code="entry_busy"
            )
        entry.status = LedgerStatus.REVERSED
        entry.reversed_by, entry.reversed_at, entry.reversal_reason = actor, timezone.now(), reason
        entry.save(update_fields=["status", "reversed_by", "reversed_at", "reversal_reason"])
        _event(
            entry=entry, action=LedgerEvent.Action.REVERSE, amount=entry.amount, actor=actor,
            note=reason,
        )  # fmt: skip
    return entry


def ledger_reverse_paid(*, entry: LedgerEntry, actor, reason: str) -> LedgerEntry:
    """Finance reverses money already paid (returned by the worker, paid in error)."""
    if not actor.has_perm("applications.reverse_ledgerentry"):
        raise PermissionDenied(_("您没有冲销资金台账的权限。"))
    if entry.status != LedgerStatus.PAID:
        raise ValidationError(
            _("只有已发放的款项在这里冲销；未发放的请在申请上撤销批准。"), code="not_paid"
        )
    return ledger_reverse(entry=entry, actor=actor, reason=reason)


def payment_batch_build(*, program: Program, actor, entry_ids=None) -> PaymentBatch:
    """A new batch of the program's reserved entries (or the chosen ones among them)."""
    if not actor.has_perm("applications.add_paymentbatch"):
        raise PermissionDenied(_("您没有生成发放批次的权限。"))
    with transaction.atomic():
        entries = LedgerEntry.objects.select_for_update().filter(
            program=program, status=LedgerStatus.RESERVED
        )
        if entry_ids is not None:
            entries = entries.filter(pk__in=list(entry_ids))
        without_card = entries.filter(member__bank_card_last4="").count()
        entries = list(entries.exclude(member__bank_card_last4="").order_by("created_at", "id"))
        if not entries and without_card:
            raise ValidationError(
                _("“%(program)s”待发放的 %(n)s 笔款项，职工都还没有登记收款银行卡。")
                % {"program": program, "n": without_card},
                code="no_card",
            )
        if not entries:
            raise ValidationError(
                _("“%(program)s”没有待发放的款项（可能已被编入其他批次）。") % {"program": program},
                code="nothing_to_pay",
            )
        year = timezone.localdate().year
        batch = PaymentBatch.objects.create(
            reference=next_reference("PAY", year), program=program, created_by=actor
        )
        PaymentLine.objects.bulk_create(
            PaymentLine(batch=batch, entry=entry, sequence=index, amount=entry.amount)
            for index, entry in enumerate(entries, start=1)
        )
        LedgerEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
            status=LedgerStatus.IN_BATCH
        )
        LedgerEvent.objects.bulk_create(
            LedgerEvent(
                entry=entry,
                action=LedgerEvent.Action.BATCH,
                amount=entry.amount,
                batch=batch,
                actor=actor,
            )  # fmt: skip
            for entry in entries
        )
        total = _yuan(sum(entry.amount for entry in entries))
        audit_record(
            actor=actor, action=Action.LEDGER, obj=batch,
            subject=f"{batch.reference}：{len(entries)} 笔，{total} 元",
        )  # fmt: skip
    return batch


def waiting_for_card(program: Program) -> int:
    """Reserved entries of the program left out of batches until the worker registers a card."""
    return LedgerEntry.objects.filter(
        program=program, status=LedgerStatus.RESERVED, member__bank_card_last4=""
    ).count()


def payment_batch_mark_exported(*, batch: PaymentBatch, actor) -> None:
    if batch.exported_at is None:
        PaymentBatch.objects.filter(pk=batch.pk, exported_at__isnull=True).update(
            exported_at=timezone.now(), status=PaymentBatch.Status.EXPORTED
        )


def payment_line_record(*, line: PaymentLine, paid: bool, note: str = "", actor) -> PaymentLine:
    """The bank's result for one line. Paid: the entry is paid and its source told. Failed:
    the bank's reason is kept and the entry goes back to the queue for the next batch."""
    if not actor.has_perm("applications.change_paymentbatch"):
        raise PermissionDenied(_("您没有录入银行结果的权限。"))
    note = (note or "").strip()
    if not paid and not note:
        raise ValidationError(_("发放失败时请填写银行退回的原因。"), code="reason_required")
    if len(note) > 200:
        raise ValidationError(_("说明最多 200 个字。"), code="note_too_long")
    with transaction.atomic():
        line = PaymentLine.objects.select_for_update().select_related("batch").get(pk=line.pk)
        if line.batch.exported_at is None:
            raise ValidationError(_("请先导出本批次交银行，再录入银行结果。"), code="not_exported")
        if line.result != PaymentLine.Result.PENDING:
            raise ValidationError(
                _("第 %(n)s 行的银行结果已经录入过了。") % {"n": line.sequence},
                code="already_recorded",
            )
        entry = LedgerEntry.objects.select_for_update().get(pk=line.entry_id)
        now = timezone.now()
        line.result = PaymentLine.Result.PAID if paid else PaymentLine.Result.FAILED
        line.bank_note, line.recorded_by, line.recorded_at = note, actor, now
        line.save(update_fields=["result", "bank_note", "recorded_by", "recorded_at"])
        if paid:
            entry.status, entry.paid_at = LedgerStatus.PAID, now
            entry.save(update_fields=["status", "paid_at"])
            _event(
                entry=entry, action=LedgerEvent.Action.PAID, amount=entry.amount,
                batch=line.batch, actor=actor, note=note,
            )  # fmt: skip
            handler = PAID_HANDLERS.get(entry.source_type.model_class()._meta.label_lower)
            if handler is not None:
                handler(entry=entry, actor=actor)
        else:
            entry.status = LedgerStatus.RESERVED
            entry.failures += 1
            entry.last_failure = note
            entry.save(update_fields=["status", "failures", "last_failure"])
            _event(
                entry=entry, action=LedgerEvent.Action.FAILED, amount=entry.amount,
                batch=line.batch, actor=actor, note=note,
            )  # fmt: skip
            # The worker may need to correct the card before the next batch.
            notify(
                user_id=entry.member.user_id,
                message=gettext_noop(
                    "您的款项“%(purpose)s”%(amount)s 元发放未成功，银行退回原因：%(note)s。"
                    "请在“我的”核对收款银行卡，核对后会在下一批次重新发放。"
                ),
                params={"purpose": entry.purpose, "amount": f"{entry.amount:,.2f}", "note": note},
                link=reverse("members:bank_card"),
            )
        if not line.batch.lines.filter(result=PaymentLine.Result.PENDING).exists():
            PaymentBatch.objects.filter(pk=line.batch_id).update(
                status=PaymentBatch.Status.CLOSED, closed_at=now
            )
    return line
