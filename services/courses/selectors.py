"""Reads about courses: the public catalogue, a member's courses, waitlist places, scoping."""

from django.db.models import Case, Count, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone

from services.courses.models import (
    LIVE,
    Attendance,
    Course,
    CourseStatus,
    Enrollment,
    EnrollmentStatus,
    Session,
)
from services.courses.rules import Slot
from services.members.selectors import staff_scope

PUBLIC = (CourseStatus.OPEN, CourseStatus.FULL, CourseStatus.CLOSED, CourseStatus.FINISHED)


def with_counts(queryset):
    return queryset.annotate(
        enrolled_count=Count(
            "enrollments", filter=Q(enrollments__status=EnrollmentStatus.ENROLLED)
        ),
        waitlisted_count=Count(
            "enrollments", filter=Q(enrollments__status=EnrollmentStatus.WAITLISTED)
        ),
    ).annotate(places_left=F("capacity") - F("enrolled_count"))


def catalogue(*, street=None, category="", month=None, places_left=False):
    """The public courses, with their sessions and counts, in a fixed number of queries."""
    courses = with_counts(Course.objects.filter(status__in=PUBLIC)).select_related("street")
    if street is not None:
        courses = courses.filter(street=street)
    if category:
        courses = courses.filter(category=category)
    if month is not None:
        courses = courses.filter(
            Exists(
                Session.objects.filter(
                    course=OuterRef("pk"), date__year=month.year, date__month=month.month
                )
            )
        )
    if places_left:
        courses = courses.filter(
            places_left__gt=0, status=CourseStatus.OPEN, enrol_closes_at__gt=timezone.now()
        )
    # Courses one can still enrol in (or wait for) first, finished ones last.
    now = timezone.now()
    enrolling = Q(enrol_opens_at__lte=now, enrol_closes_at__gt=now)
    order = Case(
        When(enrolling & Q(status=CourseStatus.OPEN), then=Value(0)),
        When(enrolling & Q(status=CourseStatus.FULL), then=Value(1)),
        When(
            enrol_opens_at__gt=now, status__in=[CourseStatus.OPEN, CourseStatus.FULL], then=Value(2)
        ),  # fmt: skip
        When(status=CourseStatus.FINISHED, then=Value(4)),
        default=Value(3),
    )
    return courses.prefetch_related("sessions").order_by(order, "enrol_closes_at", "id")


def course_with_counts(pk):
    return with_counts(Course.objects.select_related("street", "program")).get(pk=pk)


PLACED = (
    EnrollmentStatus.ENROLLED, EnrollmentStatus.ATTENDED, EnrollmentStatus.COMPLETED,
    EnrollmentStatus.NO_SHOW,
)  # fmt: skip


def courses_visible_to(user):
    courses = with_counts(Course.objects.select_related("street")).annotate(
        placed_count=Count("enrollments", filter=Q(enrollments__status__in=PLACED))
    )
    return staff_scope(user).filter(courses)


def enrollments_visible_to(user):
    return staff_scope(user).filter(
        Enrollment.objects.select_related("course", "member", "member__user", "street")
    )


def attended_sessions(enrollment) -> int:
    return Attendance.objects.filter(enrollment=enrollment, present=True).count()


def waitlist_position(enrollment) -> int | None:
    if enrollment.status != EnrollmentStatus.WAITLISTED:
        return None
    ahead = Enrollment.objects.filter(
        course_id=enrollment.course_id,
        status=EnrollmentStatus.WAITLISTED,
        queue_number__lt=enrollment.queue_number,
    ).count()
    return ahead + 1


def live_enrollment(*, course, member):
    return (
        Enrollment.objects.filter(course=course, member=member)
        .exclude(status=EnrollmentStatus.CANCELLED)
        .first()
    )


def held_slots(*, member, other_than: Course) -> list[tuple[str, Slot]]:
    """The sessions of the member's other live enrollments, labelled by course."""
    sessions = (
        Session.objects.filter(
            course__enrollments__member=member, course__enrollments__status__in=LIVE
        )
        .exclude(course=other_than)
        .select_related("course")
    )
    return [(s.course.title, Slot(s.date, s.starts, s.ends)) for s in sessions]


def my_enrollments(member):
    enrollments = list(
        member.enrollments.select_related("course", "course__street")
        .prefetch_related("course__sessions")
        .order_by("-created_at")
    )
    now = timezone.now()
    for enrollment in enrollments:
        enrollment.position = waitlist_position(enrollment)
        enrollment.can_cancel = now <= enrollment.course.enrol_closes_at
    return enrollments


def needs_card(member, enrollments) -> bool:
    """A subsidy is coming (or may come) and there is no payee card to pay it to."""
    if member.bank_card_last4:
        return False
    coming = (EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED, EnrollmentStatus.COMPLETED)
    return any(e.status in coming and e.course.subsidy > 0 for e in enrollments)


def roster(course) -> list:
    """The course's members for staff: enrolled (and ended) ones in the order they came,
    then the waitlist with each one's place; cancelled enrolments are left out."""
    rows = list(
        course.enrollments.exclude(status=EnrollmentStatus.CANCELLED)
        .select_related("member")
        .order_by("queue_number")
    )
    placed = [e for e in rows if e.status != EnrollmentStatus.WAITLISTED]
    waiting = [e for e in rows if e.status == EnrollmentStatus.WAITLISTED]
    for number, enrollment in enumerate(placed, start=1):
        enrollment.row_number, enrollment.position = number, None
    for position, enrollment in enumerate(waiting, start=1):
        enrollment.row_number, enrollment.position = None, position
    return placed + waiting
