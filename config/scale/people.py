"""Organisations, staff and workers at district scale.

钱塘区's key enterprises employ about 140,000 workers: so seven in ten generated workers are
employed by a listed enterprise (more of them in large ones), about one in eight is a gig
worker (新就业形态: couriers, riders, drivers, with the platform typed as employer) and the rest
work for firms not in the list. About seven in ten are union members with a membership number
(``QT<year><seq>`` from the per-year counter, given in the order people joined); half of those
who joined since the portal opened did so with an online join request (submitted, then
approved by their street's reviewer, each with its audit rows and messages), the others were
placed by their union. A few have a request waiting or refused. Every worker registered on
the portal (login, member record, consent to the privacy notice; a few at the counter, by
staff), and the ID number goes through the model field's own encryption, with the blind
index and the mask from ``services.members.pii``.
"""

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import Group

from config.scale.base import SHANGHAI, Staff
from config.scale.names import (
    PLATFORMS,
    UNLISTED_EMPLOYERS,
    IdentityMaker,
    enterprise_names,
    person_name,
)
from config.scale.names import credit_code as make_credit_code
from config.scale.trail import Trail
from services.members.models import (
    ConsentRecord,
    Enterprise,
    GrassrootsUnion,
    JoinRequest,
    Member,
    MembershipCounter,
    StaffProfile,
    Street,
    User,
)
from services.members.pii import blind_index, mask_id_number
from services.members.services import CONSENT_PURPOSE

# How many workers of each street, and of each size of enterprise (relative weights).
STREET_WEIGHTS = {"XS": 28, "BY": 22, "HZ": 9, "YP": 10, "XW": 8, "LJ": 14, "QJ": 9}
SIZES = {"micro": (25, 4), "small": (45, 20), "medium": (22, 110), "large": (8, 650)}
GIG_FORMS = {"courier": 35, "rider": 40, "ride_hailing": 15, "truck": 6, "other_gig": 4}
REJECT_NOTES = [
    "所填工作单位与实际不符，请核实后重新申请。",
    "已在其他基层工会登记，请勿重复申请。",
]


@dataclass(eq=False, slots=True)
class Person:
    pk: int
    user_id: int
    name: str
    id_number: str
    mobile: str
    sex: str
    birth: date
    street_id: int | None
    employer_id: int | None
    employer_name: str
    form: str
    registered_at: datetime
    union_id: int | None = None
    status: str = "pending"
    number: str | None = None
    joined_at: datetime | None = None
    card: str = ""
    request: str = ""  # the online join request: approved, submitted (waiting) or rejected
    applied: set | None = None  # (program code, year) applied to

    @property
    def has_card(self) -> bool:
        return bool(self.card)

    @property
    def joined_on(self) -> date | None:
        return self.joined_at.astimezone(SHANGHAI).date() if self.joined_at else None

    @property
    def available_from(self) -> datetime:
        """From when the worker may use the member services: registered and a member."""
        return max(self.registered_at, self.joined_at or self.registered_at)


def staff_accounts(ctx) -> Staff:
    """One street reviewer and one course manager per street, two district approvers, finance
    and a report editor (get_or_create: a second run reuses them)."""
    groups = {group.name: group for group in Group.objects.all()}

    def account(username, name, group, street=None):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": name, "is_staff": True, "password": ctx.password},
        )
        if group in groups:
            user.groups.add(groups[group])
        StaffProfile.objects.get_or_create(user=user, defaults={"street": street})
        return user

    reviewers, managers = {}, {}
    for street in ctx.streets:
        short = street.name.removesuffix("街道")
        code = street.code.lower()
        reviewers[street.pk] = account(f"scale_{code}_reviewer", f"{short}街道初审员", "街道初审员",
                                       street)  # fmt: skip
        managers[street.pk] = account(f"scale_{code}_courses", f"{short}课程管理员", "课程管理员",
                                      street)  # fmt: skip
    approvers = [account(f"scale_approver{n}", f"区总复审员{n}", "区总复审员") for n in (1, 2)]
    return Staff(
        reviewers=reviewers, course_managers=managers, approvers=approvers,
        finance=account("scale_finance", "财务（规模数据）", "财务"),
        editor=account("scale_editor", "报告编辑（规模数据）", "报告编辑"),
    )  # fmt: skip


def organisations(ctx, count: int) -> dict:
    """``count`` enterprises over the streets, most with their own grassroots union, and two
    federations per street: gig workers', and small firms' (for members whose employer has no
    union). Returns the federations by street id."""
    rng, writer = ctx.rng, ctx.writer
    # Made first: the seed's own ids start past every union already there.
    federations = {}
    for street in ctx.streets:
        gig, _ = GrassrootsUnion.objects.get_or_create(
            name=f"{street.name}新就业形态劳动者联合工会", defaults={"street": street}
        )
        small, _ = GrassrootsUnion.objects.get_or_create(
            name=f"{street.name}小微企业联合工会", defaults={"street": street}
        )
        federations[street.pk] = (gig.pk, small.pk)
    street_codes = list(STREET_WEIGHTS)
    by_code = {street.code: street for street in ctx.streets}
    taken_codes = set(Enterprise.objects.values_list("credit_code", flat=True))
    union_names = set(GrassrootsUnion.objects.values_list("name", flat=True))
    names = enterprise_names(rng, count, taken={n.removesuffix("工会") for n in union_names})
    sizes = list(SIZES)
    for name in names:
        street = by_code[rng.choices(street_codes, weights=list(STREET_WEIGHTS.values()))[0]]
        size = rng.choices(sizes, weights=[w for w, _ in SIZES.values()])[0]
        has_union = rng.random() < 0.88
        enterprise = Enterprise(
            name=name, credit_code=make_credit_code(rng, taken_codes), street_id=street.pk,
            size=size, has_union=has_union,
        )  # fmt: skip
        writer.add(enterprise)
        union = None
        if has_union:
            founded = ctx.day_between(date(2005, 1, 1), ctx.today - timedelta(days=1))
            union = GrassrootsUnion(
                name=f"{name}工会", enterprise_id=enterprise.pk, street_id=street.pk,
                founded_on=founded,
            )  # fmt: skip
            writer.add(union)
        ctx.enterprises.append((enterprise.pk, street.pk, size, union.pk if union else None, name))
        ctx.fingerprint.add("enterprise", name, street.code, size, has_union)
    return federations


def members(ctx, count: int, federations: dict, progress) -> None:
    rng, writer = ctx.rng, ctx.writer
    maker = IdentityMaker(
        rng, taken_mobiles=set(Member.objects.values_list("mobile", flat=True))
        | set(User.objects.values_list("username", flat=True)),
    )  # fmt: skip
    taken_index = set(Member.objects.values_list("id_number_index", flat=True))
    weights = [SIZES[size][1] for _pk, _street, size, _union, _name in ctx.enterprises]
    cumulative, total = [], 0
    for weight in weights:
        total += weight
        cumulative.append(total)
    street_ids = {street.code: street.pk for street in ctx.streets}
    street_cumulative = _cumulative([STREET_WEIGHTS[code] for code in street_ids])
    portal_days = (ctx.today - ctx.start).days
    version = settings.PORTAL_PRIVACY_NOTICE_VERSION
    for _ in range(count):
        sex = "M" if rng.random() < 0.56 else "F"
        while True:
            number = maker.id_number(sex, date(1965, 1, 1), date(2005, 12, 31))
            index = blind_index(number)
            if index not in taken_index:
                taken_index.add(index)
                break
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        registered = ctx.worker_time(ctx.start + timedelta(days=rng.randrange(portal_days)))
        person = Person(
            pk=writer.new_id(Member), user_id=writer.new_id(User),
            name=person_name(rng, sex, birth.year), id_number=number, mobile=maker.mobile(),
            sex=sex, birth=birth, street_id=None, employer_id=None, employer_name="",
            form="contract", registered_at=registered,
        )  # fmt: skip
        kind = rng.random()
        if kind < 0.72 and ctx.enterprises:
            slot = bisect_right(cumulative, rng.random() * total)
            pk, street_id, _size, union_id, _name = ctx.enterprises[min(slot, len(weights) - 1)]
            person.employer_id, person.street_id = pk, street_id
            person.union_id = union_id or federations[street_id][1]
        elif kind < 0.85:
            person.form = rng.choices(list(GIG_FORMS), weights=list(GIG_FORMS.values()))[0]
            person.employer_name = rng.choice(PLATFORMS[person.form])
            person.union_id = None
        else:
            person.employer_name = rng.choice(UNLISTED_EMPLOYERS)
        _membership(ctx, person, street_ids, street_cumulative, federations)
        if rng.random() < (0.6 if person.status == "verified" else 0.08):
            person.card = maker.bank_card()
        ctx.people.append(person)
    _numbers(ctx)
    for person in ctx.people:
        _write_person(ctx, person, version)
        progress.advance()


def _cumulative(weights):
    out, total = [], 0
    for weight in weights:
        total += weight
        out.append(total)
    return out


def _membership(ctx, person: Person, street_ids, street_cumulative, federations) -> None:
    """Member or not, since when, and how they joined."""
    rng = ctx.rng
    if person.street_id is None:
        slot = bisect_right(street_cumulative, rng.random() * street_cumulative[-1])
        street_id = list(street_ids.values())[min(slot, len(street_ids) - 1)]
    else:
        street_id = person.street_id
    gig = person.form != "contract"
    chance = 0.74 if person.employer_id else (0.66 if gig else 0.55)
    if rng.random() >= chance:
        if gig or rng.random() < 0.3:
            person.street_id = person.street_id or (street_id if rng.random() < 0.4 else None)
        person.union_id = None
        return
    person.street_id = street_id
    if person.union_id is None:
        person.union_id = federations[street_id][0 if gig else 1]
    adult = datetime(person.birth.year + 18, person.birth.month, min(person.birth.day, 28),
                     tzinfo=SHANGHAI)  # fmt: skip
    # Gig workers mostly joined in the last few years; others over a long time.
    before_portal = rng.random() < (0.25 if gig else 0.5)
    if before_portal:
        first = max(date(2008, 1, 1), adult.date() + timedelta(days=1))
        last = ctx.start - timedelta(days=1)
        if first > last:
            before_portal = False
        else:
            person.joined_at = ctx.office_time(ctx.day_between(first, last))
    if not before_portal:
        if rng.random() < 0.5:
            person.request = "approved"
            person.joined_at = ctx.later(person.registered_at, 6, office=True, least=1)
        else:
            # Placed by their union, perhaps before they registered on the portal.
            start = person.registered_at.date() - timedelta(days=rng.randint(0, 400))
            day = ctx.day_between(max(start, ctx.start), ctx.today - timedelta(days=1))
            person.joined_at = ctx.office_time(day)
        if not ctx.before_anchor(person.joined_at):
            # Not a member yet: an online request still waits, or the union has not placed them.
            person.request = "submitted" if person.request else ""
            person.joined_at, person.union_id = None, None
            return
    person.status = "lapsed" if rng.random() < 0.025 else "verified"


def _numbers(ctx) -> None:
    """Membership numbers in the order people joined, from each year's counter."""
    joined = sorted(
        (p for p in ctx.people if p.joined_at is not None), key=lambda p: (p.joined_at, p.pk)
    )
    counters = {c.year: c.last for c in MembershipCounter.objects.all()}
    used = {}
    for person in joined:
        year = person.joined_on.year
        used[year] = used.get(year, counters.get(year, 0)) + 1
        person.number = f"QT{year}{used[year]:06d}"
    for year, last in used.items():
        MembershipCounter.objects.update_or_create(year=year, defaults={"last": last})


def _write_person(ctx, person: Person, version: int) -> None:
    rng, writer = ctx.rng, ctx.writer
    at_counter = rng.random() < 0.03 and person.street_id is not None
    registered_by = ctx.staff.reviewers[person.street_id].pk if at_counter else None
    writer.add(
        User(
            pk=person.user_id,
            username=person.mobile,
            password=ctx.password,
            date_joined=person.registered_at,
            is_active=True,
            language="en" if rng.random() < 0.01 else settings.LANGUAGE_CODE,
        )  # fmt: skip
    )
    writer.add(
        Member(
            pk=person.pk,
            user_id=person.user_id,
            real_name=person.name,
            id_number=person.id_number,
            id_number_index=blind_index(person.id_number),
            id_number_masked=mask_id_number(person.id_number),
            birth_date=person.birth,
            sex=person.sex,
            mobile=person.mobile,
            employer_id=person.employer_id,
            employer_name=person.employer_name,
            street_id=person.street_id,
            grassroots_union_id=person.union_id,
            employment_form=person.form,
            membership_number=person.number,
            joined_on=person.joined_on,
            verification_status=person.status,
            registered_by_id=registered_by,
            created_at=person.registered_at,
            bank_card=person.card,
            bank_card_index=blind_index(f"card:{person.card}") if person.card else "",
            bank_card_last4=person.card[-4:],
        )  # fmt: skip
    )
    writer.add(
        ConsentRecord(
            user_id=person.user_id,
            notice_version=version,
            purpose=CONSENT_PURPOSE,
            granted_at=person.registered_at,
            recorded_by_id=registered_by,
        )  # fmt: skip
    )
    ctx.fingerprint.add(
        "member", person.mobile, person.name, person.id_number, person.street_id is not None,
        person.form, person.status, person.number, person.joined_on, person.card,
    )  # fmt: skip
    if not person.request and person.status == "pending" and rng.random() < 0.1:
        person.request = "rejected" if rng.random() < 0.5 else "submitted"
    if person.request:
        _join_request(ctx, person)


def _join_request(ctx, person: Person) -> None:
    """The online request: approved (the member joined this way), waiting, or refused."""
    rng = ctx.rng
    street_id = person.street_id or rng.choice(ctx.streets).pk
    request = JoinRequest(
        pk=ctx.writer.new_id(JoinRequest), member_id=person.pk, street_id=street_id,
        grassroots_union_id=person.union_id, employment_form=person.form,
        employer_text=person.employer_name or _employer_name(ctx, person.employer_id),
    )  # fmt: skip
    trail = Trail(
        ctx, ct=ctx.ct(JoinRequest), object_id=request.pk, workflow="joining",
        owner_user_id=person.user_id, reference=f"RH-{request.pk:06d}",
        link=ctx.link("members:join_detail", request.pk),
    )  # fmt: skip
    reviewer = ctx.staff.reviewers[street_id].pk
    if person.request == "approved":
        submitted = person.joined_at - timedelta(minutes=rng.randint(60, 6 * 24 * 60))
        submitted = max(submitted, person.registered_at + timedelta(minutes=1))
        trail.start(at=submitted, actor_id=person.user_id)
        trail.step("approve", at=person.joined_at, actor_id=reviewer, role="street_reviewer",
                   params={"number": person.number})  # fmt: skip
        request.decided_by_id, request.decided_at = reviewer, person.joined_at
    else:
        submitted = ctx.later(person.registered_at, 2, office=False)
        if person.request == "submitted":
            # Waiting for the street: asked in the last days before the anchor.
            submitted = ctx.anchor - timedelta(minutes=rng.randint(30, 12 * 24 * 60))
            submitted = max(submitted, person.registered_at + timedelta(minutes=1))
        if not ctx.before_anchor(submitted):
            return
        trail.start(at=submitted, actor_id=person.user_id)
        decided = ctx.later(submitted, 6, office=True, least=1)
        if person.request == "rejected" and ctx.before_anchor(decided):
            note = rng.choice(REJECT_NOTES)
            trail.step("reject", at=decided, actor_id=reviewer, role="street_reviewer", note=note)
            request.decision_note, request.decided_by_id = note, reviewer
            request.decided_at = decided
    request.status = trail.status
    request.submitted_at = submitted
    ctx.writer.add(request)
    ctx.fingerprint.add("join", person.mobile, request.status, submitted.isoformat())


def _employer_name(ctx, employer_id) -> str:
    if not hasattr(ctx, "_enterprise_names"):
        ctx._enterprise_names = {pk: name for pk, _s, _z, _u, name in ctx.enterprises}
    return ctx._enterprise_names.get(employer_id, "")


def load_streets(ctx) -> None:
    ctx.streets = list(Street.objects.order_by("order", "code"))
