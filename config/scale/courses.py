"""家门口学技能: this year's 35 courses (``seed_courses``) and their enrolments.

Members enrol in the order they came: a place while places are left, else the waitlist (the
queue number of each course continues its counter). Some cancel before the deadline, and the
first on the waitlist is promoted by the portal at once. Places are raised to about the number
who want them (staff do so in the admin; the seed's capacities are starting values), so most
courses are full with a short waitlist, like the report's 2,010 workers in 35 courses. Past
sessions have their attendance marked by the street's course manager; a finished course has
every enrolment ended by it (结业 writes the subsidy to the ledger, paid in the course
program's batches; the waitlist is ended).

Members enrol in one course each, so no two of a member's courses clash.
"""

from bisect import bisect_left
from datetime import datetime, timedelta
from decimal import Decimal

from config.scale.base import SHANGHAI
from config.scale.payments import Money
from config.scale.trail import Trail, yuan
from services.courses.models import Attendance, Course, Enrollment
from services.courses.rules import COMPLETED, outcome
from services.courses.seed import course_program, seed_courses

# The members' messages written by ``services.courses.services`` (not by a workflow step).
ENROLLED = "您已报名“%(course)s”，第一次课在 %(first)s。"
WAITLISTED = "“%(course)s”名额已满，您已进入候补，目前排第 %(position)s 位。"
COMPLETED_NO_CARD = (
    "您已完成课程“%(course)s”，培训补贴 %(amount)s 元将按批次发放。"
    "请在“我的”页面登记收款银行卡，登记后才能发放。"
)
COMPLETED_MESSAGE = "您已完成课程“%(course)s”，培训补贴 %(amount)s 元将按批次发放。"
PAID = "“%(course)s”的培训补贴 %(amount)s 元已发放。"


def courses(ctx):
    seed_courses(ctx.today)
    program = course_program(ctx.today.year)
    return program, list(program.courses.prefetch_related("sessions").order_by("pk"))


def enrolments(ctx, count: int, payments, progress) -> int:
    rng = ctx.rng
    program, course_list = courses(ctx)
    open_ = [
        c for c in course_list
        if c.enrol_opens_at < ctx.anchor and not c.enrollments.exists()
    ]  # fmt: skip
    if not open_ or count <= 0:
        return 0
    shares = [rng.uniform(0.7, 1.3) for _ in open_]
    total = sum(shares)
    wanted = [int(count * s / total) for s in shares]
    for index in range(count - sum(wanted)):
        wanted[index % len(open_)] += 1
    members = Pool(p for p in ctx.people if p.status == "verified" and p.street_id)
    used: set[int] = set()
    moneys, written = [], 0
    for course, number in zip(open_, wanted, strict=True):
        capacity = max(course.capacity, round(number * 0.85))
        if capacity != course.capacity:
            Course.objects.filter(pk=course.pk).update(capacity=capacity)
            course.capacity = capacity
        written += _course(ctx, course, number, members, used, moneys, progress)
    payments.settle(program, moneys)
    return written


class Pool(list):
    """Members in the order they became members, with those times for bisection."""

    def __init__(self, people):
        super().__init__(sorted(people, key=lambda p: p.available_from))
        self.times = [p.available_from for p in self]


def _pick(ctx, members, used, moment, street_id):
    """A member who was a member before enrolling, not enrolled elsewhere, mostly of the
    course's street."""
    rng = ctx.rng
    limit = bisect_left(members.times, moment)
    for tries in range(200):
        person = members[rng.randrange(limit)] if limit else None
        if person is None:
            return None
        if person.pk in used:
            continue
        if person.street_id != street_id and tries < 100 and rng.random() < 0.7:
            continue
        used.add(person.pk)
        return person
    return None


def _course(ctx, course, number, members, used, moneys, progress) -> int:
    rng = ctx.rng
    sessions = list(course.sessions.all())
    last_day = min(course.enrol_closes_at, ctx.anchor)
    span = (last_day - course.enrol_opens_at).total_seconds()
    times = sorted(
        course.enrol_opens_at + timedelta(seconds=rng.uniform(0, span)) for _ in range(number)
    )
    first = sessions[0] if sessions else None
    first_text = f"{first.date:%Y-%m-%d} {first.starts:%H:%M}" if first else "-"
    manager = ctx.staff.course_managers[course.street_id].pk
    enrolled, waiting, rows = [], [], []
    for at in times:
        person = _pick(ctx, members, used, at, course.street_id)
        if person is None:
            continue
        course.last_queue_number += 1
        row = Enrollment(
            pk=ctx.writer.new_id(Enrollment), course_id=course.pk, member_id=person.pk,
            street_id=course.street_id, queue_number=course.last_queue_number, created_at=at,
        )  # fmt: skip
        row.person = person
        row.trail = Trail(
            ctx, ct=ctx.ct(Enrollment), object_id=row.pk, workflow="enrolling",
            owner_user_id=person.user_id, reference=f"KC-{row.pk:06d}",
            link=ctx.link("courses:mine"),
            params={"course": course.title, "amount": yuan(course.subsidy),
                    "share": int(course.completion_share * 100)},
        )  # fmt: skip
        status = "enrolled" if len(enrolled) < course.capacity else "waitlisted"
        row.trail.start(at=at, actor_id=person.user_id, status=status)
        (enrolled if status == "enrolled" else waiting).append(row)
        row.trail.notify(
            ENROLLED if status == "enrolled" else WAITLISTED,
            {"course": course.title, "first": first_text,
             "position": len(waiting) if status == "waitlisted" else ""},
            at=at, texted=False,
        )  # fmt: skip
        rows.append(row)
        progress.advance()
    _cancellations(ctx, course, enrolled, waiting)
    _attendance(ctx, course, sessions, enrolled, manager)
    if course.status == "finished":
        _finish(ctx, course, sessions, enrolled, waiting, manager, moneys)
    elif course.status in ("open", "full"):
        course.status = "full" if len(enrolled) >= course.capacity else "open"
    Course.objects.filter(pk=course.pk).update(
        last_queue_number=course.last_queue_number, status=course.status
    )
    for row in rows:
        row.status = row.trail.status
        ctx.writer.add(row)
        ctx.fingerprint.add("enrolment", course.title, row.person.mobile, row.status)
    return len(rows)


def _cancellations(ctx, course, enrolled, waiting) -> None:
    """A few cancel before the deadline, in time order; a freed place goes at once to the
    first on the waitlist (``fill_places``: its promotion is written first)."""
    rng = ctx.rng
    deadline = min(course.enrol_closes_at, ctx.anchor)
    leaving = []
    for row in enrolled + waiting:
        if rng.random() < 0.06:
            share = rng.uniform(0.05, 0.9)
            leaving.append((row.created_at + (deadline - row.created_at) * share, row.pk, row))
    for at, _pk, row in sorted(leaving, key=lambda item: item[:2]):
        if at <= row.trail.last_at or at >= deadline:
            continue
        was_enrolled = row in enrolled
        if was_enrolled and waiting and waiting[0].trail.last_at < at:
            promoted = waiting.pop(0)
            promoted.trail.step("promote", at=at, actor_id=None, role="portal")
            enrolled.append(promoted)
        row.trail.step("cancel", at=at, actor_id=row.person.user_id, role="applicant")
        (enrolled if was_enrolled else waiting).remove(row)


def _attendance(ctx, course, sessions, enrolled, manager) -> None:
    rng = ctx.rng
    for row in enrolled:
        row.keen = rng.choices([0.95, 0.5, 0.05], weights=[75, 15, 10])[0]
        row.attended = 0
    for session in sessions:
        if session.date >= ctx.today:
            break
        marked = datetime.combine(session.date, session.ends, tzinfo=SHANGHAI) + timedelta(
            minutes=rng.randint(5, 120)
        )
        for row in enrolled:
            present = rng.random() < row.keen
            row.attended += present
            ctx.writer.add(
                Attendance(
                    enrollment_id=row.pk,
                    session_id=session.pk,
                    present=present,
                    marked_by_id=manager,
                    marked_at=min(marked, ctx.anchor),
                )  # fmt: skip
            )


def _finish(ctx, course, sessions, enrolled, waiting, manager, moneys) -> None:
    """结业: each enrolment ended by its attendance, the subsidy to the ledger."""
    last = sessions[-1]
    ended = datetime.combine(last.date, last.ends, tzinfo=SHANGHAI)
    at = ctx.later(ended, 1.5, office=True)
    if not ctx.before_anchor(at):
        at = ended + (ctx.anchor - ended) / 2
    for row in enrolled:
        step = outcome(attended=row.attended, sessions=len(sessions),
                       share=course.completion_share)  # fmt: skip
        row.trail.step(step, at=at, actor_id=manager, role="course_manager")
        row.finished_at = at
        if step == COMPLETED and course.subsidy > 0:
            amount = Decimal(course.subsidy)
            person = row.person
            message = COMPLETED_MESSAGE if person.card else COMPLETED_NO_CARD
            row.trail.notify(message, {"course": course.title, "amount": yuan(amount)}, at=at)
            moneys.append(_subsidy(ctx, course, row, amount, manager, at))
    for row in waiting:
        row.trail.step("waitlist_over", at=at, actor_id=None, role="portal")


def _subsidy(ctx, course, row, amount, manager, at) -> Money:
    person = row.person

    def paid(moment, finance):
        row.trail.notify(PAID, {"course": course.title, "amount": yuan(amount)}, at=moment)

    return ctx.payments.reserve(
        Money(
            program=course.program,
            member_id=person.pk,
            user_id=person.user_id,
            has_card=bool(person.card),
            source_ct=ctx.ct(Enrollment),
            source_id=row.pk,
            purpose=f"{course.program.name} {course.title}",
            amount=amount,
            created_by=manager,
            created_at=at,
            on_paid=paid,
        )  # fmt: skip
    )
