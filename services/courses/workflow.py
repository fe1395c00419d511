"""An enrollment in a course, as a workflow table on the shared engine.

A member's enrollment starts *enrolled* (a place was left) or *waitlisted*. The member may
*cancel* before the enrolment deadline; that frees the place, and in the same transaction
the first on the waitlist is *promoted* by the portal itself and told. When staff cancel the
course, the portal cancels every enrollment and tells each member why. When the course is
over, the course manager ends each enrollment by its attendance: *completed* (the subsidy
goes to the money ledger), *attended* without completing, or *no-show*.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from services.applications import ledger
from services.applications.engine import (
    Role,
    StepContext,
    StepRefused,
    Workflow,
    application_transition,
    register_workflow,
    step,
)
from services.courses.models import Course, CourseStatus, Enrollment, EnrollmentStatus
from services.courses.rules import COMPLETED, outcome
from services.decisions import Decision

COURSE_MANAGER = "course_manager"
R, E = Role, EnrollmentStatus


def before_deadline(context: StepContext) -> Decision:
    if context.now > context.application.course.enrol_closes_at:
        return Decision.deny(
            _("报名已截止，不能在网上取消。如需取消请联系课程所在街道工会。"), code="closed"
        )
    return Decision.allow()


def fill_places(course: Course, leaving: Enrollment | None = None) -> int:
    """Give every free place to the first on the waitlist, in order, and mark the course
    full or open again; ``leaving`` is an enrollment whose place is being given up in this
    transaction. The caller holds the lock on the course row. A course in draft, finished or
    cancelled gives out no places."""
    if course.status not in (CourseStatus.OPEN, CourseStatus.FULL, CourseStatus.CLOSED):
        return 0
    enrolled = course.enrollments.filter(status=E.ENROLLED)
    if leaving is not None:
        enrolled = enrolled.exclude(pk=leaving.pk)
    taken = enrolled.count()
    waiting = list(
        course.enrollments.filter(status=E.WAITLISTED).order_by("queue_number")[
            : max(course.capacity - taken, 0)
        ]
    )
    for enrollment in waiting:
        decision = application_transition(application=enrollment, actor=None, step="promote")
        if not decision:
            raise StepRefused(decision)
    taken += len(waiting)
    if course.status in (CourseStatus.OPEN, CourseStatus.FULL):
        status = CourseStatus.FULL if taken >= course.capacity else CourseStatus.OPEN
        if status != course.status:
            Course.objects.filter(pk=course.pk).update(status=status)
            course.status = status
    return len(waiting)


def free_the_place(context: StepContext) -> None:
    """A cancelled place goes to the first on the waitlist, in the same transaction; the
    course row is locked so that simultaneous cancellations each promote a different one."""
    enrollment = context.application
    course = Course.objects.select_for_update().get(pk=enrollment.course_id)
    if enrollment.status != E.ENROLLED:
        return  # a waitlisted member leaving frees no place
    fill_places(course, leaving=enrollment)


def attendance_reached(context: StepContext) -> Decision:
    from services.courses.selectors import attended_sessions

    enrollment = context.application
    course = enrollment.course
    result = outcome(
        attended=attended_sessions(enrollment),
        sessions=course.sessions.count(),
        share=course.completion_share,
    )
    if result != COMPLETED:
        return Decision.deny(
            _("出勤未达到结业要求（%(share)s%% 的课次）。") % {"share": course.completion_percent},
            code="attendance",
        )
    return Decision.allow()


def reserve_subsidy(context: StepContext) -> None:
    """Write the training-fee subsidy to the ledger and tell the member. A member who has
    already had the program's yearly cap per person gets what is left under it (perhaps
    nothing), so that the course can still finish; an empty budget refuses the step."""
    from services.courses.services import completion_message

    enrollment = context.application
    course = enrollment.course
    enrollment.finished_at = context.now
    amount = min(course.subsidy, subsidy_room(enrollment))
    if amount > 0:
        try:
            ledger.ledger_reserve(
                member=enrollment.member, program=course.program, source=enrollment,
                amount=amount, purpose=f"{course.program.name} {course.title}",
                actor=context.actor,
            )  # fmt: skip
        except ValidationError as error:
            raise StepRefused(Decision.deny(error.messages[0], code=error.code or "")) from error
    completion_message(enrollment, amount)


def subsidy_room(enrollment: Enrollment):
    """What the member may still be granted by the course's program this year."""
    program = enrollment.course.program
    taken = ledger.member_year_total(
        member=enrollment.member, program_code=program.code, year=program.year
    )
    return max(program.per_person_cap - taken, 0)


def stamp_finished(context: StepContext) -> None:
    context.application.finished_at = timezone.now()


ENROLLING = register_workflow(
    Workflow(
        name="enrolling",
        label=gettext_lazy("课程报名"),
        statuses=EnrollmentStatus,
        initial=E.ENROLLED,
        final=frozenset({E.CANCELLED, E.ATTENDED, E.COMPLETED, E.NO_SHOW, E.UNPLACED}),
        steps=(
            step(
                "cancel", [E.ENROLLED, E.WAITLISTED], E.CANCELLED, [R.APPLICANT],
                gettext_lazy("取消报名"), gettext_noop("您已取消报名：%(course)s。"),
                guards=[before_deadline], effects=[free_the_place], texted=False,
            ),
            step(
                "promote", E.WAITLISTED, E.ENROLLED, [R.PORTAL], gettext_lazy("候补转正"),
                gettext_noop("候补成功：“%(course)s”有名额空出，您已转为正式报名。"),
                automatic=True,
            ),
            step(
                "course_cancelled", [E.ENROLLED, E.WAITLISTED], E.CANCELLED, [R.PORTAL],
                gettext_lazy("课程取消"), gettext_noop("课程“%(course)s”已取消：%(note)s"),
                automatic=True,
            ),
            step(
                "waitlist_over", E.WAITLISTED, E.UNPLACED, [R.PORTAL],
                gettext_lazy("课程结业，候补结束"),
                gettext_noop("“%(course)s”已结业，您的候补未能转为正式报名，欢迎报名其他课程。"),
                automatic=True,
            ),
            # The member's message is written by the effect: it names the amount granted.
            step(
                "complete", E.ENROLLED, E.COMPLETED, [COURSE_MANAGER], gettext_lazy("结业"),
                guards=[attendance_reached], effects=[reserve_subsidy],
            ),
            step(
                "partial", E.ENROLLED, E.ATTENDED, [COURSE_MANAGER],
                gettext_lazy("出勤未达结业要求"),
                gettext_noop(
                    "“%(course)s”已结业。您的出勤未达到结业要求（%(share)s%% 的课次），"
                    "这次没有培训补贴。"
                ),
                effects=[stamp_finished],
            ),
            step(
                "no_show", E.ENROLLED, E.NO_SHOW, [COURSE_MANAGER], gettext_lazy("未到课"),
                gettext_noop(
                    "“%(course)s”已结业，记录显示您没有到课。报名后多次不到课，"
                    "可能会被暂停报名。"
                ),
                effects=[stamp_finished],
            ),
        ),
    )
)  # fmt: skip
