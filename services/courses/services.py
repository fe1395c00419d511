"""Every write about courses goes through these functions.

Enrolling locks the course row: the places left, the waitlist number and the course's
"full" mark are decided one enrolment at a time, so 60 members enrolling at once for 20
places give 20 enrolled and 40 waitlisted in the order they came. Every change of an
enrollment's status is a step of its workflow on the shared engine (``workflow.py``); the
subsidy goes to the shared money ledger.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from config.pagecache import page_cache_changed
from services.applications.engine import application_transition, notify, record_start
from services.courses import selectors
from services.courses.models import (
    LIVE,
    Attendance,
    Course,
    CourseBar,
    CourseStatus,
    Enrollment,
    EnrollmentStatus,
    Session,
)
from services.courses.rules import Slot, first_clash, outcome
from services.courses.workflow import fill_places
from services.decisions import Decision
from services.members.models import Member, User
from services.members.selectors import staff_may

E = EnrollmentStatus


def course_can_enrol(*, course: Course, member: Member, now=None) -> Decision:
    """Whether the member may enrol now, and if not, why (shown before the button)."""
    now = now or timezone.now()
    if course.status == CourseStatus.CANCELLED:
        return Decision.deny(_("这门课程已取消。"), code="cancelled")
    if course.status in (CourseStatus.DRAFT, CourseStatus.FINISHED):
        return Decision.deny(_("这门课程现在不接受报名。"), code="not_open")
    if now < course.enrol_opens_at:
        when = timezone.localtime(course.enrol_opens_at).strftime("%Y-%m-%d %H:%M")
        return Decision.deny(_("%(when)s 开始报名。") % {"when": when}, code="not_yet")
    if now > course.enrol_closes_at or course.status == CourseStatus.CLOSED:
        return Decision.deny(_("报名已截止。"), code="closed")
    if not member.is_member:
        return Decision.deny(
            _("只有工会会员可以报名，请先在“我的”页面申请入会。"), code="not_member"
        )
    bar = member.course_bars.filter(until__gte=timezone.localdate(now)).first()
    if bar is not None:
        return Decision.deny(
            _("因多次报名后未到课，您在 %(until)s 前暂不能报名课程。")
            % {"until": bar.until.strftime("%Y-%m-%d")},
            code="barred",
        )
    earlier = selectors.live_enrollment(course=course, member=member)
    if earlier is not None:
        return Decision.deny(
            _("您已报名这门课程（%(status)s）。") % {"status": earlier.get_status_display()},
            code="already",
        )
    wanted = [Slot(s.date, s.starts, s.ends) for s in course.sessions.all()]
    hit = first_clash(wanted, selectors.held_slots(member=member, other_than=course))
    if hit is not None:
        other, slot = hit
        return Decision.deny(
            _("这门课与您已报名（或候补）的“%(other)s”在 %(when)s 时间冲突。")
            % {"other": other, "when": f"{slot.day:%Y-%m-%d} {slot.starts:%H:%M}"},
            code="overlap",
        )
    return Decision.allow()


def course_enrol(*, course: Course, member: Member, actor: User) -> Enrollment:
    """Enrol in one tap: a place if one is left, otherwise the next place on the waitlist."""
    if actor.pk != member.user_id:
        raise PermissionDenied(_("只有职工本人可以报名。"))
    try:
        with transaction.atomic():
            course = Course.objects.select_for_update().get(pk=course.pk)
            # The member's row too, so that two clashing courses enrolled at once are
            # checked one after the other.
            member = Member.objects.select_for_update().get(pk=member.pk)
            decision = course_can_enrol(course=course, member=member)
            if not decision:
                raise ValidationError(decision.reason, code=decision.code)
            taken = course.enrollments.filter(status=E.ENROLLED).count()
            status = E.ENROLLED if taken < course.capacity else E.WAITLISTED
            course.last_queue_number += 1
            if course.status == CourseStatus.OPEN and taken + 1 >= course.capacity:
                course.status = CourseStatus.FULL
            course.save(update_fields=["last_queue_number", "status"])
            enrollment = Enrollment.objects.create(
                course=course, member=member, street=course.street, status=status,
                queue_number=course.last_queue_number,
            )  # fmt: skip
            record_start(application=enrollment, actor=actor)
            page_cache_changed("courses")  # places left, or the waitlist
            if status == E.ENROLLED:
                message = gettext_noop("您已报名“%(course)s”，第一次课在 %(first)s。")
            else:
                message = gettext_noop(
                    "“%(course)s”名额已满，您已进入候补，目前排第 %(position)s 位。"
                )
            first = course.sessions.first()
            notify(
                user_id=member.user_id, message=message,
                params={
                    "course": course.title,
                    "first": f"{first.date:%Y-%m-%d} {first.starts:%H:%M}" if first else "-",
                    "position": selectors.waitlist_position(enrollment) or "",
                },
                link=enrollment.get_absolute_url(), about=enrollment, texted=False,
            )  # fmt: skip
    except IntegrityError as error:  # a double click: the first one was saved
        raise ValidationError(_("您已报名这门课程。"), code="already") from error
    return enrollment


def course_change_refused(*, course: Course, before: Course | None) -> list[tuple[str, str]]:
    """What is wrong with a course as staff mean to save it, as (field, reason) pairs; the
    admin form shows them next to the fields and ``course_save`` refuses them."""
    problems = []
    if course.fee is not None and course.subsidy is not None and course.subsidy > course.fee:
        problems.append(("subsidy", _("培训补贴不能高于培训费。")))
    program = course.program if course.program_id else None
    if program is not None and (course.subsidy or 0) > program.per_person_cap:
        problems.append((
            "subsidy",
            _("培训补贴不能高于“%(program)s”每人每年上限 %(cap)s 元。")
            % {"program": program.name, "cap": f"{program.per_person_cap:,.2f}"},
        ))  # fmt: skip
    if before is None:
        return problems
    live = {CourseStatus.OPEN, CourseStatus.FULL}
    if course.status != before.status and not {course.status, before.status} <= live:
        if before.status in (CourseStatus.FINISHED, CourseStatus.CANCELLED):
            problems.append(("status", _("已结业或已取消的课程不能再改状态。")))
        elif course.status in (CourseStatus.FINISHED, CourseStatus.CANCELLED, CourseStatus.FULL):
            problems.append(("status", _("“已满”由报名人数决定；结业和取消请用页面上方的按钮。")))
        elif course.status == CourseStatus.DRAFT and before.enrollments.exists():
            problems.append(("status", _("已有职工报名的课程不能改回草稿。")))
    taken = before.enrollments.filter(status=E.ENROLLED).count()
    if course.capacity is not None and course.capacity < taken:
        problems.append(
            ("capacity", _("已有 %(n)s 人正式报名，名额不能少于 %(n)s。") % {"n": taken})
        )
    return problems


def course_save(*, course: Course, actor: User) -> Course:
    """Staff create or change a course. More places go to the waitlist at once, in order.

    The waitlist counter and the full/open mark belong to enrolments, not to the form: they
    are read from the locked row, so a form opened before others enrolled writes no stale
    numbers."""
    _check_manager(course, actor)
    with transaction.atomic():
        before = None
        if course.pk:
            before = Course.objects.select_for_update().get(pk=course.pk)
            course.last_queue_number = before.last_queue_number
            live = (CourseStatus.OPEN, CourseStatus.FULL)
            if course.status in live and before.status in live:
                course.status = before.status  # open or full follows the enrolments
        problems = course_change_refused(course=course, before=before)
        if problems:
            raise ValidationError(problems[0][1], code=problems[0][0])
        course.save()
        course.promoted = fill_places(course)
        page_cache_changed("courses")
    return course


def course_sessions_changed(*, course: Course, actor: User, lines: list[str]) -> int:
    """Staff changed the timetable: everyone enrolled or waiting is told what changed."""
    _check_manager(course, actor)
    if not lines or course.status in (CourseStatus.FINISHED, CourseStatus.CANCELLED):
        return 0
    page_cache_changed("courses")
    told = 0
    for enrollment in course.enrollments.filter(status__in=LIVE).select_related("member"):
        notify(
            user_id=enrollment.member.user_id,
            message=gettext_noop("“%(course)s”的上课时间有变动：%(changes)s。请以“我的课程”为准。"),
            params={"course": course.title, "changes": "；".join(lines)[:300]},
            link=enrollment.get_absolute_url(), about=enrollment,
        )  # fmt: skip
        told += 1
    return told


def enrollment_cancel(*, enrollment: Enrollment, actor: User) -> Decision:
    with transaction.atomic():
        page_cache_changed("courses")  # a place freed, or the waitlist moved up
        return application_transition(application=enrollment, actor=actor, step="cancel")


def _check_manager(course: Course, actor: User) -> None:
    if not staff_may(actor, "courses.change_course", course.street_id):
        raise PermissionDenied(_("您没有管理这门课程的权限。"))


def course_cancel(*, course: Course, actor: User, reason: str) -> int:
    """Cancel a course: every member enrolled or waiting is told why."""
    _check_manager(course, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请写明取消的原因，学员会收到这段说明。"), code="reason_required")
    if len(reason) > 300:
        raise ValidationError(_("原因最多 300 个字。"), code="reason_too_long")
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        if course.status in (CourseStatus.CANCELLED, CourseStatus.FINISHED):
            raise ValidationError(_("这门课程已经取消或结业。"), code="not_cancellable")
        course.status = CourseStatus.CANCELLED
        course.save(update_fields=["status"])
        page_cache_changed("courses")
        told = 0
        for enrollment in course.enrollments.filter(status__in=[E.ENROLLED, E.WAITLISTED]):
            decision = application_transition(
                application=enrollment, actor=None, step="course_cancelled", note=reason
            )
            told += bool(decision)
    return told


def attendance_record(*, session: Session, actor: User, present_ids) -> int:
    """Who came to a session: every enrolled member is marked present or absent. Marked on
    the day of the session or later, never ahead of it."""
    _check_manager(session.course, actor)
    if session.date > timezone.localdate():
        raise ValidationError(
            _("这次课（%(day)s）还没上，不能提前记录出勤。") % {"day": f"{session.date:%Y-%m-%d}"},
            code="not_yet",
        )
    present = {int(pk) for pk in present_ids}
    marked = 0
    with transaction.atomic():
        for enrollment in session.course.enrollments.filter(status=E.ENROLLED):
            Attendance.objects.update_or_create(
                enrollment=enrollment, session=session,
                defaults={"present": enrollment.pk in present, "marked_by": actor},
            )  # fmt: skip
            marked += 1
    return marked


def course_finish(*, course: Course, actor: User) -> tuple[dict, list[str]]:
    """End every enrolment by its attendance; completions write the subsidy to the ledger.
    The course is marked finished once every enrolment is ended."""
    _check_manager(course, actor)
    last = course.sessions.last()
    if last is not None and last.date > timezone.localdate():
        raise ValidationError(
            _("课程还没上完（最后一次课在 %(day)s），上完后才能结业。")
            % {"day": f"{last.date:%Y-%m-%d}"},
            code="not_over",
        )
    if course.status in (CourseStatus.CANCELLED, CourseStatus.FINISHED):
        raise ValidationError(_("这门课程已经取消或结业。"), code="not_open")
    sessions = course.sessions.count()
    counts = {"complete": 0, "partial": 0, "no_show": 0}
    problems = []
    for enrollment in course.enrollments.filter(status=E.ENROLLED).select_related("member"):
        step = outcome(
            attended=selectors.attended_sessions(enrollment), sessions=sessions,
            share=course.completion_share,
        )  # fmt: skip
        decision = application_transition(application=enrollment, actor=actor, step=step)
        if decision:
            counts[step] += 1
        else:
            problems.append(f"{enrollment.member.real_name}：{decision.reason}")
    if not problems:
        with transaction.atomic():
            Course.objects.filter(pk=course.pk).update(status=CourseStatus.FINISHED)
            page_cache_changed("courses")
            for enrollment in course.enrollments.filter(status=E.WAITLISTED):
                application_transition(application=enrollment, actor=None, step="waitlist_over")
    return counts, problems


def member_bar(*, enrollment: Enrollment, actor: User, until, reason: str) -> CourseBar | None:
    """A member who did not turn up (again) may not enrol until a date, such as the end of
    next month. Staff of the course's street decide it from the enrollment; the member is
    told. ``None`` when the member is already barred until that date or later."""
    if not staff_may(actor, "courses.add_coursebar", enrollment.street_id):
        raise PermissionDenied(_("您没有暂停这名职工报名的权限。"))
    if until <= timezone.localdate():
        raise ValidationError(_("暂停日期应在今天之后。"), code="until")
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=enrollment.member_id)
        if member.course_bars.filter(until__gte=until).exists():
            return None
        bar = CourseBar.objects.create(
            member=member, until=until, reason=reason[:200], created_by=actor
        )
        notify(
            user_id=member.user_id,
            message=gettext_noop(
                "因报名“%(course)s”后未到课，您在 %(until)s 前暂不能报名课程。"
                "如有特殊情况，请联系课程所在街道工会。"
            ),
            params={"course": enrollment.course.title, "until": f"{until:%Y-%m-%d}"},
            link=reverse("courses:mine"),
        )  # fmt: skip
    return bar


def completion_message(enrollment: Enrollment, amount) -> None:
    """The member's message when the course is completed, with the subsidy granted."""
    course = enrollment.course
    params = {"course": course.title, "amount": f"{amount:,.2f}"}
    if amount <= 0 < course.subsidy:
        message = gettext_noop(
            "您已完成课程“%(course)s”。您今年在这个项目的补贴已达到每人上限，这次没有培训补贴。"
        )
    elif amount <= 0:
        message = gettext_noop("您已完成课程“%(course)s”。")
    elif not enrollment.member.bank_card_last4:
        message = gettext_noop(
            "您已完成课程“%(course)s”，培训补贴 %(amount)s 元将按批次发放。"
            "请在“我的”页面登记收款银行卡，登记后才能发放。"
        )
    else:
        message = gettext_noop("您已完成课程“%(course)s”，培训补贴 %(amount)s 元将按批次发放。")
    notify(
        user_id=enrollment.member.user_id, message=message, params=params,
        link=enrollment.get_absolute_url(), about=enrollment,
    )  # fmt: skip


def subsidy_paid(*, entry, actor: User) -> None:
    """The bank has paid a completed course's subsidy: the member is told, once."""
    enrollment = Enrollment.objects.select_related("course", "member").get(pk=entry.source_id)
    notify(
        user_id=enrollment.member.user_id,
        message=gettext_noop("“%(course)s”的培训补贴 %(amount)s 元已发放。"),
        params={"course": enrollment.course.title, "amount": f"{entry.amount:,.2f}"},
        link=enrollment.get_absolute_url(), about=enrollment,
    )  # fmt: skip
