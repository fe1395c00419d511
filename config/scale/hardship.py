"""Hardship help (困难职工帮扶): the register, the requests that opened its files, and three
years of visiting campaigns.

Most files in the register predate the portal (an imported register: no request behind
them); the newer ones were opened through a request on the portal (the worker's or staff's
with the worker's consent), visited at home and filed, each with its audit rows and messages;
some requests were declined, withdrawn or still wait. A file is reviewed every year (a few
reviews are overdue) and about one in ten has been closed with its reason. Every year has
three campaigns made with the portal's own ``campaign_create`` (春节送温暖 in January,
夏送清凉 in July and August, 金秋助学 in August and September): their targets are the files
active when the campaign began; household visits hand over cash within the campaign's
standard per household (a ledger row paid on the spot, as ``ledger_hand_over`` writes it; a
second visit in a campaign is flagged and brings only goods); enterprise visits count the
workers reached and the money, most of them in the summer.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from config.scale.base import SHANGHAI
from config.scale.names import person_name
from config.scale.payments import Money
from config.scale.trail import Trail
from services.hardship.campaigns import campaign_create
from services.hardship.models import (
    CampaignTarget,
    EnterpriseVisit,
    HardshipFile,
    HelpRequest,
    HouseholdVisit,
)

CAUSES = {"illness": 40, "disability": 15, "accident": 10, "single_parent": 12,
          "schooling": 30, "spouse_unemployed": 15, "other": 5}  # fmt: skip
SITUATIONS = {
    "illness": "本人患慢性肾病需长期透析", "disability": "家中有重度残疾人需照料",
    "accident": "本人因工伤致残暂不能上班", "single_parent": "单亲独自抚养子女",
    "schooling": "两个孩子在读，学费负担较重", "spouse_unemployed": "配偶失业在家无固定收入",
    "other": "家中老人长期卧床",
}  # fmt: skip
# kind: (name, first and last day of the visits, standard per household, cash per worker
#        reached at an enterprise, share of the enterprise visits)
CAMPAIGNS = {
    "spring": ("春节送温暖", (1, 5), (2, 10), Decimal("1000"), Decimal("200"), 0.15),
    "summer": ("夏送清凉", (7, 1), (8, 31), Decimal("300"), Decimal("30"), 0.80),
    "autumn": ("金秋助学", (8, 10), (9, 15), Decimal("2000"), Decimal("300"), 0.05),
}
TIER_CASH = {"deep": Decimal("1000"), "relative": Decimal("800"), "accident": Decimal("600")}
REACHED = {"micro": (1, 4), "small": (2, 8), "medium": (4, 15), "large": (8, 30)}
NOTES = ["家中情况稳定，子女在读。", "本人身体状况好转，已复工。", "配偶仍在找工作，需继续关注。",
         "老人住院，已协调社区帮扶。", ""]  # fmt: skip


def _street_short(ctx, street_id) -> str:
    return next(s.name.removesuffix("街道") for s in ctx.streets if s.pk == street_id)


def _visitors(ctx, street_id) -> str:
    rng = ctx.rng
    names = "、".join(person_name(rng, rng.choice("MF"), 1980) for _ in range(2))
    return f"{_street_short(ctx, street_id)}街道工会 {names}"[:100]


def files_for(household_visits: int) -> int:
    """About one household in the register for every seven visits over the nine campaigns
    (most files are visited in most campaigns)."""
    return max(4, round(household_visits / 7)) if household_visits else 0


def register_size(household_visits: int) -> int:
    """The files, and a quarter as many requests that opened none (declined, withdrawn or
    still waiting)."""
    count = files_for(household_visits)
    return count + count // 4


def register(ctx, household_visits: int, progress) -> list:
    """The files of the register, and the requests behind the newer ones."""
    rng = ctx.rng
    count = files_for(household_visits)
    candidates = [p for p in ctx.people if p.street_id]
    if not candidates:
        return []
    chosen = rng.sample(candidates, min(len(candidates), count + count // 4))
    files = []
    for index, person in enumerate(chosen):
        causes = sorted(set(rng.choices(list(CAUSES), weights=list(CAUSES.values()),
                                        k=rng.randint(1, 2))))  # fmt: skip
        facts = {
            "causes": causes, "household_size": rng.randint(1, 6),
            "income_per_head": Decimal(rng.randrange(300, 1600, 10)),
            "situation": "，".join(SITUATIONS[c] for c in causes) + "。",
        }  # fmt: skip
        if index >= count:
            _request(ctx, person, facts, outcome=rng.choice(["declined", "withdrawn", "waiting"]))
        elif index % 10 < 7:
            opened = ctx.day_between(date(2016, 1, 1), ctx.start - timedelta(days=1))
            files.append(_file(ctx, person, facts, opened, request=None))
        else:
            filed = _request(ctx, person, facts, outcome="filed")
            if filed is not None:
                files.append(filed)
        progress.advance()
    return files


def _request(ctx, person, facts, *, outcome: str):
    """A request on the portal, taken through the HELPING table as far as its outcome."""
    rng = ctx.rng
    reviewer = ctx.staff.reviewers[person.street_id].pk
    on_behalf = rng.random() < 0.3
    asked = ctx.later(person.registered_at, 60, office=on_behalf)
    if outcome == "waiting":
        asked = max(ctx.anchor - timedelta(days=rng.randint(1, 20)), person.registered_at)
        asked += timedelta(minutes=rng.randint(1, 600))
    if not ctx.before_anchor(asked):
        return None
    request = HelpRequest(
        pk=ctx.writer.new_id(HelpRequest), member_id=person.pk, street_id=person.street_id,
        filed_by_staff_id=reviewer if on_behalf else None, created_at=asked, **facts,
    )  # fmt: skip
    trail = Trail(
        ctx, ct=ctx.ct(HelpRequest), object_id=request.pk, workflow="helping",
        owner_user_id=person.user_id, reference=f"BF-{request.pk:06d}",
        link=ctx.link("hardship:mine"),
    )  # fmt: skip
    trail.start(at=asked, actor_id=reviewer if on_behalf else person.user_id)
    hardship_file = None
    visit = ctx.later(asked, 5, office=True, least=1)
    gone = ctx.later(asked, 2, office=False)
    if outcome == "withdrawn" and ctx.before_anchor(gone):
        trail.step("withdraw", at=gone, actor_id=person.user_id, role="applicant")
    elif outcome in ("filed", "declined") and ctx.before_anchor(visit):
        request.visited_on = visit.date()
        request.visitors = _visitors(ctx, person.street_id)
        trail.step("visit", at=visit, actor_id=reviewer, role="street_reviewer",
                   note="入户核实：家庭情况与申请一致。")  # fmt: skip
        decided = ctx.later(visit, 4, office=True, least=1)
        if ctx.before_anchor(decided) and outcome == "filed":
            trail.step("file", at=decided, actor_id=reviewer, role="street_reviewer")
            hardship_file = _file(ctx, person, facts, decided.date(), request=request)
        elif ctx.before_anchor(decided):
            trail.step("decline", at=decided, actor_id=reviewer, role="street_reviewer",
                       note="家庭人均收入高于本区困难职工认定标准。")  # fmt: skip
    request.status = trail.status
    ctx.writer.add(request)
    ctx.fingerprint.add("help", person.mobile, request.status, asked.isoformat())
    return hardship_file


def _file(ctx, person, facts, opened: date, *, request):
    rng = ctx.rng
    tier = rng.choices(list(TIER_CASH), weights=[35, 50, 15])[0]
    due = opened + timedelta(days=365)
    while due <= ctx.today and rng.random() < 0.9:
        due += timedelta(days=365)  # 复核通过 moves the review a year on
    closed_on = None
    if rng.random() < 0.1 and (ctx.today - opened).days > 200:
        closed_on = ctx.day_between(opened + timedelta(days=180), ctx.today - timedelta(days=1))
    hardship_file = HardshipFile(
        pk=ctx.writer.new_id(HardshipFile), member_id=person.pk, street_id=person.street_id,
        request=request, tier=tier, opened_on=opened, review_due_on=due,
        status="closed" if closed_on else "active",
        close_reason=rng.choice(["recovered", "retired", "moved"]) if closed_on else "",
        closed_on=closed_on, **facts,
    )  # fmt: skip
    ctx.writer.add(hardship_file)
    ctx.fingerprint.add("file", person.mobile, tier, opened, closed_on)
    return hardship_file


def campaigns(ctx, files, household_visits: int, enterprise_visits: int, payments, progress):
    """Each year's campaigns, their targets and visits."""
    runs = []
    for year in ctx.years:
        for kind, (name, first, _last, standard, _per_worker, _share) in CAMPAIGNS.items():
            if date(year, *first) < ctx.today:
                runs.append((year, kind, name, standard))
    if not runs:
        return
    shares = [CAMPAIGNS[kind][5] for _year, kind, _name, _standard in runs]
    firms = apportion(enterprise_visits, shares)
    homes = apportion(household_visits, [1] * len(runs))
    short = 0
    for (year, kind, name, standard), home_count, firm_count in zip(
        runs, homes, firms, strict=True
    ):
        campaign = campaign_create(
            kind=kind, name=f"{year}年{name}", year=year, budget=Decimal("100000"),
            standard_amount=standard, actor=ctx.staff.approvers[0],
        )  # fmt: skip
        # A campaign with fewer households on the register leaves its visits to the next.
        wanted = home_count + short
        short = wanted - _households(ctx, campaign, files, wanted, payments, progress)
        _enterprises(ctx, campaign, firm_count, progress)


def apportion(total: int, weights: list[float]) -> list[int]:
    """``total`` split by ``weights`` into whole numbers that add up to it (largest
    remainders first)."""
    if not weights:
        return []
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _window(ctx, year, kind) -> tuple[date, date]:
    _name, first, last, *_rest = CAMPAIGNS[kind]
    return date(year, *first), min(date(year, *last), ctx.today - timedelta(days=1))


def _households(ctx, campaign, files, count, payments, progress) -> int:
    rng, program = ctx.rng, campaign.program
    first, last = _window(ctx, program.year, campaign.kind)
    active = [
        f for f in files
        if f.opened_on <= first and (f.closed_on is None or f.closed_on > first)
    ]  # fmt: skip
    for hardship_file in active:
        ctx.writer.add(
            CampaignTarget(
                campaign_id=campaign.pk,
                file_id=hardship_file.pk,
                street_id=hardship_file.street_id,
            )  # fmt: skip
        )
    if not active or count <= 0 or last < first:
        return 0
    firsts = rng.sample(active, min(count, len(active)))
    repeats = [rng.choice(firsts) for _ in range(count - len(firsts))]
    given = {}
    for hardship_file in firsts + repeats:
        repeat = hardship_file.pk in given
        left = campaign.standard_amount - given.get(hardship_file.pk, Decimal("0"))
        cash = min(_cash(ctx, campaign, hardship_file), left)
        given[hardship_file.pk] = given.get(hardship_file.pk, Decimal("0")) + cash
        day = ctx.day_between(first, last)
        recorded = datetime.combine(day, time(17), tzinfo=SHANGHAI) + timedelta(
            minutes=rng.randint(0, 240)
        )
        staff = ctx.staff.reviewers[hardship_file.street_id].pk
        visit = HouseholdVisit(
            pk=ctx.writer.new_id(HouseholdVisit), campaign_id=campaign.pk,
            file_id=hardship_file.pk, street_id=hardship_file.street_id, visited_on=day,
            visitors=_visitors(ctx, hardship_file.street_id), cash=cash,
            goods="米、油、慰问品" if rng.random() < 0.7 else "",
            goods_value=Decimal(rng.randrange(100, 400, 10)), notes=rng.choice(NOTES),
            repeat=repeat, recorded_by_id=staff, created_at=recorded,
        )  # fmt: skip
        ctx.writer.add(visit)
        if cash > 0:
            person = _person(ctx, hardship_file.member_id)
            payments.hand_over(
                Money(
                    program=program,
                    member_id=person.pk,
                    user_id=person.user_id,
                    has_card=bool(person.card),
                    source_ct=ctx.ct(HouseholdVisit),
                    source_id=visit.pk,
                    purpose=f"{program.name} KN-{hardship_file.pk:06d}",
                    amount=cash,
                    created_by=staff,
                    created_at=recorded,
                )  # fmt: skip
            )
        mobile = _person(ctx, hardship_file.member_id).mobile
        ctx.fingerprint.add("visit", program.name, mobile, day, cash, repeat)
        progress.advance()
    return count


def _cash(ctx, campaign, hardship_file) -> Decimal:
    if campaign.kind == "spring":
        return TIER_CASH[hardship_file.tier]
    if campaign.kind == "autumn":
        return Decimal(2000 if "schooling" in hardship_file.causes else 1000)
    return campaign.standard_amount


def _enterprises(ctx, campaign, count, progress) -> None:
    rng, program = ctx.rng, campaign.program
    first, last = _window(ctx, program.year, campaign.kind)
    if last < first or not ctx.enterprises:
        return
    per_worker = CAMPAIGNS[campaign.kind][4]
    for _ in range(count):
        enterprise_pk, street_id, size, _union, name = rng.choice(ctx.enterprises)
        reached = rng.randint(*REACHED[size])
        day = ctx.day_between(first, last)
        ctx.writer.add(
            EnterpriseVisit(
                campaign_id=campaign.pk,
                enterprise_id=enterprise_pk,
                street_id=street_id,
                visited_on=day,
                workers_reached=reached,
                cash_total=per_worker * reached,
                goods_value=Decimal(20 * reached),
                notes="",
                recorded_by_id=ctx.staff.reviewers[street_id].pk,
                created_at=datetime.combine(day, time(16), tzinfo=SHANGHAI)
                + timedelta(minutes=rng.randint(0, 300)),
            )  # fmt: skip
        )
        ctx.fingerprint.add("firm", program.name, name, day, reached)
        progress.advance()


def _person(ctx, member_pk):
    if not hasattr(ctx, "_by_pk"):
        ctx._by_pk = {p.pk: p for p in ctx.people}
    return ctx._by_pk[member_pk]
