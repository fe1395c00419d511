"""Tuition and skill-award applications over three program years.

Each year's five programs come from ``seed_programs`` (厂门口上大学, 求学圆梦, 双提升 学历 and
技能, 新时代技能人才奖励). Applicants are union members of their street with a payee card,
registered and members before they apply, one application per program batch (the database's
rule), 18 or older (everyone born by 2005 is); a member of under six months declares the
months of social insurance that let them apply. The amount and its reason come from the
program's own rule (``services.tuition.rules``). A skill award rests on a verified skill
certificate on the worker's record, uploaded and verified before the application (each with
its own audit rows), and one certificate is awarded once per program. Reference numbers are
given in the order the drafts were created, continuing each program's counter.
"""

from bisect import bisect_right
from datetime import date, datetime, timedelta
from decimal import Decimal

from config.scale.base import SHANGHAI
from config.scale.review import Case, new_trail, walk, write_cases
from config.scale.trail import Trail
from services.applications.ledger import reserve_references
from services.applications.models import Application, Program
from services.members.models import SkillCertificate, SkillLevel
from services.tuition import rules
from services.tuition.models import SkillAwardRequest, TuitionRequest
from services.tuition.programs import seed_programs

# Share of the applications per program, and the months people apply in (relative).
SHARES = {"CMK": 30, "QXYM": 8, "XL": 20, "JN": 17, "RC": 25}
TUITION_MONTHS = [3, 4, 6, 4, 3, 3, 3, 6, 14, 14, 10, 5]
SKILL_MONTHS = [6, 5, 9, 9, 9, 9, 8, 8, 9, 10, 10, 8]
SCHOOLS = ["浙江开放大学", "杭州职业技术学院", "浙江经济职业技术学院", "浙江工商职业技术学院",
           "中国计量大学继续教育学院", "浙江理工大学继续教育学院", "杭州电子科技大学继续教育学院",
           "浙江财经大学成人教育学院"]  # fmt: skip
MAJORS = ["机电一体化技术", "电气自动化技术", "工商企业管理", "大数据与会计",
          "计算机应用技术", "现代物流管理", "药品生产技术", "护理",
          "机械设计制造及其自动化", "汉语言文学"]  # fmt: skip
OCCUPATIONS = ["电工", "焊工", "数控车工", "钳工", "育婴员", "中式烹调师", "电子商务师",
               "药物制剂工", "养老护理员", "汽车维修工", "化学检验员", "保育师"]  # fmt: skip
ISSUERS = ["浙江省职业技能鉴定中心", "杭州市职业能力建设指导服务中心", "钱塘区职业技能等级认定中心"]
NOTES = {
    "ask_info": ["请补充上传清晰的学费发票原件照片。", "录取通知书信息不完整，请补充。",
                 "请补充本人社保缴纳证明。", "发票抬头与申请人姓名不一致，请说明。"],
    "reject": ["非本区在职会员，不符合申请条件。", "本年度已享受同类补助。",
               "所报专业不在资助范围内。", "材料经核实与实际不符。",
               "证书取得时间不在本年度。"],
    "correct": ["按发票实际金额重新核定。", "按学费收据核减金额。"],
    "revoke": ["复核发现已在其他渠道获得同类补助，撤销批准。",
               "申请人工作单位变更，不再符合条件。"],
}  # fmt: skip


def study_programs(ctx) -> list[Program]:
    for year in ctx.years:
        seed_programs(year)
    return list(Program.objects.filter(code__in=list(SHARES), year__in=ctx.years, batch=1))


MARGIN = timedelta(days=10)  # a member applies some days after joining at the earliest


class Applicants:
    """The workers who may apply, ordered by the time from which they may: picking one
    available at a moment is a bisection, not a search."""

    def __init__(self, ctx, people):
        pool = [p for p in people if p.status == "verified" and p.street_id and p.card]
        pool.sort(key=lambda p: p.available_from)
        self.pool = pool
        self.times = [p.available_from for p in pool]
        self.rng = ctx.rng

    def pick(self, moment: datetime, key, *, margin=MARGIN, tries=40):
        limit = bisect_right(self.times, moment - margin)
        for _ in range(tries if limit else 0):
            person = self.pool[self.rng.randrange(limit)]
            if person.applied is None:
                person.applied = set()
            if key not in person.applied:
                person.applied.add(key)
                return person
        return None

    def later_one(self, program, key, last: datetime):
        """When nobody could apply at the moment drawn (the portal's first weeks): someone
        who could later in the year, at a moment after they could."""
        limit = bisect_right(self.times, last - MARGIN)
        for index in self.rng.sample(range(limit), min(limit, 400)):
            person = self.pool[index]
            if person.applied is None:
                person.applied = set()
            if key not in person.applied:
                person.applied.add(key)
                first = max(person.available_from + MARGIN, program.opens_at)
                return first + (last - first) * self.rng.random(), person
        return None, None


def moments(ctx, program, count: int, months: list[int]) -> list[datetime]:
    """``count`` creation times in the program's year (not after the anchor), by month."""
    year, out = program.year, []
    last = min(program.closes_at, ctx.anchor - timedelta(hours=1))
    open_months = [m for m in range(1, 13) if datetime(year, m, 1, tzinfo=SHANGHAI) < last]
    weights = [months[m - 1] for m in open_months]
    if not open_months:
        return out
    for month in ctx.rng.choices(open_months, weights=weights, k=count):
        first = date(year, month, 1)
        end = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
        moment = ctx.worker_time(ctx.day_between(first, end))
        if moment >= last:
            moment = last - timedelta(minutes=ctx.rng.randint(1, 24 * 60))
        out.append(max(moment, program.opens_at))
    return sorted(out)


def applications(ctx, count: int, payments, progress) -> int:
    # A program not yet open before the anchor (the first day of a year) takes none.
    programs = [p for p in study_programs(ctx) if p.opens_at < ctx.anchor - timedelta(days=1)]
    applicants = Applicants(ctx, ctx.people)
    weights = {p: SHARES[p.code] * (1 + 0.1 * (p.year - ctx.years[0])) for p in programs}
    total = sum(weights.values())
    plan = {p: int(count * w / total) for p, w in weights.items()}
    for program in sorted(plan, key=lambda p: (p.year, p.code))[: count - sum(plan.values())]:
        plan[program] += 1
    written = 0
    for program in sorted(plan, key=lambda p: (p.year, p.code)):
        cases = []
        months = TUITION_MONTHS if program.kind == "tuition" else SKILL_MONTHS
        drafts = []
        last = min(program.closes_at, ctx.anchor - timedelta(hours=1))
        for created in moments(ctx, program, plan[program], months):
            person = applicants.pick(created, (program.code, program.year))
            if person is None:
                created, person = applicants.later_one(program, (program.code, program.year), last)
            if person is not None:
                drafts.append((created, person))
        drafts.sort(key=lambda draft: (draft[0], draft[1].pk))
        references = reserve_references(f"QT-{program.code}", program.year, len(drafts))
        for (created, person), reference in zip(drafts, references, strict=True):
            case = _case(ctx, program, person, created, reference)
            walk(ctx, case, payments)
            cases.append(case)
            progress.advance()
        written += write_cases(ctx, program, cases, payments)
    return written


def _case(ctx, program, person, created, reference) -> Case:
    rng = ctx.rng
    pk = ctx.writer.new_id(Application)
    months = None
    if person.joined_at > created - timedelta(days=183):
        months = rng.randint(7, 60)  # declared instead of six months of membership
    if program.kind == "tuition":
        paid = Decimal(rng.randrange(2600, 9800, 100))
        amount = rules.tuition_subsidy(
            tuition_paid=paid, share=program.param("share"), cap=program.param("cap"),
            per_person_cap=program.per_person_cap,
        )  # fmt: skip
        start_year = program.year if created.month >= 7 else program.year - 1
        ctx.writer.add(
            TuitionRequest(
                application_id=pk,
                school=rng.choice(SCHOOLS),
                major=rng.choice(MAJORS),
                level="bachelor"
                if program.code != "CMK" and rng.random() < 0.3
                else "junior_college",
                academic_year=f"{start_year}-{start_year + 1}",
                tuition_paid=paid,
                social_insurance_months=months,
            )  # fmt: skip
        )
        proofs = ["admission", "receipt"]
    else:
        certificate = _certificate(ctx, program, person, created)
        amount = rules.skill_award(
            level=certificate.level, amounts=program.rule_params["amounts"],
            per_person_cap=program.per_person_cap,
        )  # fmt: skip
        ctx.writer.add(
            SkillAwardRequest(
                application_id=pk,
                certificate_id=certificate.pk,
                level=certificate.level,
                occupation=certificate.occupation,
                certificate_number=certificate.certificate_number,
                social_insurance_months=months,
            )  # fmt: skip
        )
        proofs = []  # the verified certificate on record is the proof
    return Case(
        pk=pk, reference=reference, program=program, person=person, created_at=created,
        requested=amount.value, reason=amount.reason, proofs=proofs, notes=NOTES,
        trail=new_trail(ctx, pk=pk, reference=reference, program=program, person=person),
    )  # fmt: skip


def _certificate(ctx, program, person, before: datetime) -> SkillCertificate:
    """A verified certificate not yet awarded by this program code: one on record, or a new
    one uploaded and verified before the application."""
    rng = ctx.rng
    # In the national order, not the JSON's (PostgreSQL's jsonb keeps no key order).
    levels = [level for level in SkillLevel.values if level in program.rule_params["amounts"]]
    for certificate, codes in _held(ctx, person):
        if certificate.level in levels and program.code not in codes:
            codes.add(program.code)
            return certificate
    uploaded = before - timedelta(days=rng.randint(3, 120), minutes=rng.randint(0, 600))
    uploaded = max(uploaded, person.available_from + timedelta(minutes=5))
    verified = ctx.later(uploaded, 1.5, office=True)
    if verified >= before:
        verified = uploaded + (before - uploaded) / 2
    level = rng.choices(levels, weights=[5, 3, 2, 1][: len(levels)])[0]
    issued = (uploaded - timedelta(days=rng.randint(5, 300))).astimezone(SHANGHAI).date()
    reviewer = ctx.staff.reviewers[person.street_id].pk
    certificate = SkillCertificate(
        pk=ctx.writer.new_id(SkillCertificate), member_id=person.pk, street_id=person.street_id,
        level=level, occupation=rng.choice(OCCUPATIONS),
        certificate_number=f"Y{rng.randrange(10**16, 10**17)}", issued_on=issued,
        issuer=rng.choice(ISSUERS), file=f"private/certificates/{ctx.token()}",
        original_name="职业技能等级证书.jpg", size=rng.randint(150_000, 2_500_000),
        content_type="image/jpeg", sha256=ctx.token(256), status="verified",
        decided_by_id=reviewer, decided_at=verified, uploaded_at=uploaded,
    )  # fmt: skip
    trail = Trail(
        ctx, ct=ctx.ct(SkillCertificate), object_id=certificate.pk, workflow="certifying",
        owner_user_id=person.user_id, reference=f"ZS-{certificate.pk:06d}",
        link=ctx.link("members:certificates"),
        params={"occupation": certificate.occupation, "level": certificate.level},
    )  # fmt: skip
    trail.start(at=uploaded, actor_id=person.user_id)
    trail.step("verify", at=verified, actor_id=reviewer, role="street_reviewer")
    ctx.writer.add(certificate)
    _held(ctx, person).append((certificate, {program.code}))
    ctx.fingerprint.add("certificate", certificate.certificate_number, level, issued, verified)
    return certificate


def _held(ctx, person) -> list:
    """The certificates a person holds in this run, with the program codes that used them."""
    return ctx.certificates.setdefault(person.pk, [])
