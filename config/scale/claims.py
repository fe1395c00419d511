"""Medical mutual aid (职工医疗互助) over three plan years: rosters, cover and claims.

Each year's three plans come from ``seed_plans``. Enterprises with a union take part by
sending their roster (about half for 住院医疗互助, fewer for the other two; women only for
女职工特定癌症互助): a saved ``RosterImport`` per enterprise and plan, early in the year, and a
``Coverage`` row for each of its workers, from the plan's first day. Claims are applications
of the plan's program (``QT-HZ-ZY-<year>-<seq>``, in the order they were filed) with their
``ClaimDetails`` (hospital, dates, costs, the diagnosis through the field's encryption) and
invoice numbers used once; the benefit and its reason come from the plan's rules through the
portal's own benefit engine (``services.mutual_aid.benefit``), with what the member was
already granted in the year, so no one passes the yearly cap. Claims are filed after the stay,
before the claim deadline (31 March of the next year), and reviewed like every application.
"""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from config.scale.base import SHANGHAI
from config.scale.review import Case, new_trail, walk, write_cases
from services.applications.ledger import reserve_references
from services.applications.models import Application
from services.mutual_aid.benefit import Claim, benefit, parse_rules
from services.mutual_aid.models import (
    ClaimDetails,
    ClaimInvoice,
    Coverage,
    Plan,
    RosterImport,
)
from services.mutual_aid.seed import seed_plans

PARTICIPATION = {"inpatient": 0.45, "major_illness": 0.15, "female_cancer": 0.15}
SHARES = {"inpatient": 0.88, "major_illness": 0.08, "female_cancer": 0.04}
HOSPITALS = [
    ("浙江大学医学院附属邵逸夫医院（下沙院区）", "三级"), ("杭州市第一人民医院", "三级"),
    ("浙江省人民医院", "三级"), ("浙江大学医学院附属第二医院", "三级"), ("杭州市中医院", "三级"),
    ("杭州市钱塘区人民医院", "二级"), ("杭州市钱塘区第一人民医院", "二级"),
    ("杭州市钱塘区中医院", "二级"),
]  # fmt: skip
DIAGNOSES = [
    "急性阑尾炎", "社区获得性肺炎", "腰椎间盘突出症", "2型糖尿病",
    "冠状动脉粥样硬化性心脏病", "桡骨远端骨折", "胆囊结石伴胆囊炎", "脑梗死",
    "甲状腺结节", "肾结石",
]  # fmt: skip
NOTES = {
    "ask_info": ["请补充出院记录第二页。", "医保结算单不清晰，请重新上传。",
                 "请补充费用明细清单。"],
    "reject": ["就诊时间不在保障期内。", "所患疾病不在互助保障范围内。",
               "费用已由其他渠道全额报销。"],
    "correct": ["按医保结算单核减合规费用。", "扣除非保障范围的费用。"],
    "revoke": ["复核发现同一费用已在其他互助计划中给付，撤销批准。"],
}  # fmt: skip


def plans(ctx) -> list[Plan]:
    for year in ctx.years:
        seed_plans(year)
    return list(Plan.objects.filter(cover_starts__year__in=ctx.years).select_related("program"))


def coverage(ctx, plan_list, progress) -> dict:
    """Rosters and cover; returns the covered people of each plan (with their cover start)."""
    rng, writer = ctx.rng, ctx.writer
    staff_of = ctx.staff.reviewers
    employees = defaultdict(list)
    for person in ctx.people:
        if person.employer_id is not None:
            employees[person.employer_id].append(person)
    covered = {}
    for plan in sorted(plan_list, key=lambda p: (p.cover_starts, p.kind)):
        start = plan.cover_starts
        if start >= ctx.today:
            covered[plan] = []
            progress.advance()
            continue
        people = []
        for enterprise_pk, street_id, _size, union_id, _name in ctx.enterprises:
            if union_id is None or rng.random() >= PARTICIPATION[plan.kind]:
                continue
            staff = staff_of[street_id].pk
            saved = ctx.office_time(start + timedelta(days=rng.randint(3, 50)))
            if not ctx.before_anchor(saved):
                continue
            workers = [
                p for p in employees[enterprise_pk]
                if plan.kind != "female_cancer" or p.sex == "F"
            ]  # fmt: skip
            if not workers:
                continue
            roster = RosterImport(
                pk=writer.new_id(RosterImport), plan_id=plan.pk, enterprise_id=enterprise_pk,
                file=f"private/rosters/{ctx.token()}", original_name="参保名单.xlsx",
                status="saved", rows_total=len(workers), rows_done=len(workers),
                accepted=len(workers), refused=0, report={"refused": []}, created_by_id=staff,
                created_at=saved - timedelta(minutes=rng.randint(5, 90)), saved_at=saved,
                starts_on=start,
            )  # fmt: skip
            writer.add(roster)
            for person in workers:
                writer.add(
                    Coverage(
                        plan_id=plan.pk,
                        member_id=person.pk,
                        enterprise_id=enterprise_pk,
                        roster_id=roster.pk,
                        starts_on=start,
                        created_at=saved,
                    )  # fmt: skip
                )
                people.append((person, start, saved))
        covered[plan] = people
        progress.advance()
        ctx.fingerprint.add("cover", plan.program.code, plan.program.year, len(people))
    return covered


def claims(ctx, count: int, plan_list, covered, payments, progress) -> int:
    rng = ctx.rng
    usable = [p for p in plan_list if covered.get(p)]
    if not usable or count <= 0:
        return 0
    weights = {p: SHARES[p.kind] * len(covered[p]) ** 0.5 for p in usable}
    total = sum(weights.values())
    plan_counts = {p: int(count * w / total) for p, w in weights.items()}
    for plan in sorted(usable, key=lambda p: -weights[p])[: count - sum(plan_counts.values())]:
        plan_counts[plan] += 1
    invoices: set[str] = set(ClaimInvoice.objects.values_list("number", flat=True))
    written = short = 0
    # Smallest plans first: what one cannot take (too few covered workers with a payee card)
    # goes to the next, and the largest come last.
    for plan in sorted(usable, key=lambda p: (weights[p], p.pk)):
        drafts, wanted = [], plan_counts[plan] + short
        # A few more than wanted: a claim the rules give nothing for is never filed.
        for _attempt in range(40 * wanted):
            if len(drafts) >= wanted + wanted // 50 + 2:
                break
            person, starts, _saved = rng.choice(covered[plan])
            if not (person.card and person.street_id):
                continue  # files a claim only with a payee card and a street to review it
            facts = _stay(ctx, plan, starts)
            if facts is not None and person.registered_at < facts["filed"]:
                drafts.append((facts["filed"], person, facts))
        drafts.sort(key=lambda d: (d[0], d[1].pk))
        filed = _file(ctx, plan, drafts, wanted, invoices, payments, progress)
        short = wanted - filed
        written += filed
    return written


def _stay(ctx, plan, starts: date) -> dict | None:
    """A hospital stay (or outpatient visit, or a diagnosis) in the cover period, filed after."""
    rng = ctx.rng
    last = min(plan.cover_ends, ctx.today - timedelta(days=3))
    if last <= starts:
        return None
    admitted = ctx.day_between(starts, last)
    kind = "inpatient"
    if plan.kind == "inpatient" and rng.random() < 0.13:
        kind = "outpatient"
    elif plan.kind != "inpatient":
        kind = "illness"
    discharged = None
    if kind != "outpatient":
        discharged = min(
            admitted + timedelta(days=rng.randint(1, 21)), ctx.today - timedelta(days=1)
        )
    filed = ctx.later(ctx.worker_time(discharged or admitted), 20, office=False, least=1)
    deadline = plan.program.closes_at
    if filed > deadline:
        filed = deadline - timedelta(hours=rng.randint(1, 240))
    if not ctx.before_anchor(filed) or filed.astimezone(SHANGHAI).date() <= (
        discharged or admitted
    ):
        return None
    hospital, level = rng.choice(HOSPITALS)
    total = Decimal(int(rng.lognormvariate(9.3, 0.7))).quantize(Decimal("0.01"))
    insured = (total * Decimal(rng.uniform(0.5, 0.75))).quantize(Decimal("0.01"))
    eligible = ((total - insured) * Decimal(rng.uniform(0.4, 0.9))).quantize(Decimal("0.01"))
    illness = ""
    if kind == "illness":
        listed = sorted(plan.program.rule_params.get("lump_sums", {}))  # jsonb keeps no order
        illness = rng.choice(listed) if listed else ""
    return {
        "filed": filed, "kind": kind, "hospital": hospital, "hospital_level": level,
        "admitted_on": admitted, "discharged_on": discharged, "illness": illness,
        "diagnosis": illness or rng.choice(DIAGNOSES), "total_cost": total,
        "insurance_paid": insured, "eligible_cost": eligible,
    }  # fmt: skip


def _benefits(rules, drafts) -> list:
    """Each draft with the benefit the rules give it, those that give nothing left out. What a
    member's earlier claims of the year ask for counts as received, so no approval can pass
    the yearly cap however the reviews of two claims overlap."""
    asked = defaultdict(lambda: Decimal("0"))
    out = []
    for filed, person, facts in drafts:
        days = 0
        if facts["kind"] == "inpatient" and facts["discharged_on"]:
            days = max((facts["discharged_on"] - facts["admitted_on"]).days, 1)
        result = benefit(
            rules,
            Claim(eligible_cost=facts["eligible_cost"], hospital_level=facts["hospital_level"],
                  days=days, illness=facts["illness"]),
            asked[person.pk],
        )  # fmt: skip
        if result.amount > 0:
            asked[person.pk] += result.amount
            out.append((filed, person, facts, result))
    return out


def _file(ctx, plan, drafts, wanted, invoices, payments, progress) -> int:
    rng, program = ctx.rng, plan.program
    rules = parse_rules(program.rule_params or {}, yearly_cap=program.per_person_cap)
    filed = _benefits(rules, drafts)
    if len(filed) > wanted:
        # The spare drafts go, chosen at random; fewer claims before a member's next one
        # only leave more of the yearly cap, so none of the rest falls out.
        keep = sorted(rng.sample(range(len(filed)), wanted))
        filed = _benefits(rules, [filed[i][:3] for i in keep])
    references = reserve_references(f"QT-{program.code}", program.year, len(filed))
    cases = []
    for (created, person, facts, result), reference in zip(filed, references, strict=True):
        pk = ctx.writer.new_id(Application)
        case = Case(
            pk=pk, reference=reference, program=program, person=person, created_at=created,
            requested=result.amount, reason=result.reason,
            proofs=["settlement", "discharge", "invoice"], notes=NOTES,
            trail=new_trail(ctx, pk=pk, reference=reference, program=program, person=person),
        )  # fmt: skip
        walk(ctx, case, payments)
        _details(ctx, plan, pk, facts, invoices)
        cases.append(case)
        progress.advance()
    return write_cases(ctx, program, cases, payments)


def _details(ctx, plan, application_pk, facts, invoices) -> None:
    rng = ctx.rng
    claim = ClaimDetails(
        pk=ctx.writer.new_id(ClaimDetails),
        application_id=application_pk,
        plan_id=plan.pk,
        **{k: v for k, v in facts.items() if k != "filed"},
    )
    ctx.writer.add(claim)
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
        while True:
            number = f"{facts['admitted_on']:%y}33{rng.randrange(10**15, 10**16)}"
            if number not in invoices:
                invoices.add(number)
                break
        ctx.writer.add(ClaimInvoice(claim_id=claim.pk, number=number))
    ctx.fingerprint.add("claim", facts["hospital"], facts["admitted_on"], facts["total_cost"])
