"""The public course catalogue and a member's courses (我的课程)."""

import math

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django_ratelimit.core import is_ratelimited

from config.pagecache import live_page
from services.applications.engine import steps_for
from services.courses import selectors, services
from services.courses.forms import CatalogueFilter
from services.courses.ical import member_calendar
from services.courses.models import Course, CourseStatus
from services.members.selectors import member_of

# Enrolling and cancelling, together, per worker per hour: enough for anyone changing their
# mind, not for a script that would churn a waitlist.
CHANGES_PER_HOUR = "20/h"


def _too_many_changes(request) -> bool:
    limited = is_ratelimited(
        request, group="courses-enrolment", key="user", rate=CHANGES_PER_HOUR, increment=True
    )
    if limited:
        messages.error(request, _("报名和取消操作太频繁，请一小时后再试。"))
    return limited


@login_not_required
@require_safe
@live_page("courses", query=True)
def catalogue(request):
    form = CatalogueFilter(request.GET or None)
    courses = selectors.catalogue(**form.filters())
    context = {"form": form, "courses": courses, "now": timezone.now()}
    return render(request, "courses/catalogue.html", context)


@login_not_required
@require_safe
def program(request, pk: int):
    """A course program's "apply" page is the catalogue."""
    return redirect("courses:catalogue")


@login_not_required
@require_safe
@live_page("courses")
def detail(request, pk: int):
    try:
        course = selectors.course_with_counts(pk)
    except Course.DoesNotExist as error:
        raise Http404 from error
    if course.status not in selectors.PUBLIC and course.status != CourseStatus.CANCELLED:
        raise Http404
    member = member_of(request.user)
    sessions = list(course.sessions.all())
    context = {
        "course": course, "sessions": sessions,
        "needed": math.ceil(course.completion_share * len(sessions)),
    }  # fmt: skip
    if member is not None:
        mine = selectors.live_enrollment(course=course, member=member)
        context["mine"] = mine
        context["position"] = selectors.waitlist_position(mine) if mine else None
        context["can_enrol"] = services.course_can_enrol(course=course, member=member)
    return render(request, "courses/detail.html", context)


@require_POST
def enrol(request, pk: int):
    course = get_object_or_404(Course.objects.exclude(status=CourseStatus.DRAFT), pk=pk)
    member = member_of(request.user)
    if member is None:
        raise Http404
    if _too_many_changes(request):
        return redirect("courses:detail", pk=pk)
    try:
        enrollment = services.course_enrol(course=course, member=member, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("courses:detail", pk=pk)
    if enrollment.status == "enrolled":
        messages.success(request, _("报名成功。"))
    else:
        messages.info(
            request,
            _("名额已满，您已进入候补，目前排第 %(n)s 位。有人取消时会自动转为正式报名并通知您。")
            % {"n": selectors.waitlist_position(enrollment)},
        )
    return redirect("courses:mine")


@never_cache
def mine(request):
    member = member_of(request.user)
    if member is None:
        raise Http404
    enrollments = selectors.my_enrollments(member)
    context = {
        "enrollments": enrollments, "needs_card": selectors.needs_card(member, enrollments)
    }  # fmt: skip
    return render(request, "courses/mine.html", context)


def _my_enrollment(request, pk):
    member = member_of(request.user)
    if member is None:
        raise Http404
    return get_object_or_404(member.enrollments.select_related("course"), pk=pk)


@never_cache
def cancel(request, pk: int):
    """GET asks the member to confirm; POST cancels."""
    enrollment = _my_enrollment(request, pk)
    if request.method == "POST":
        if _too_many_changes(request):
            return redirect("courses:mine")
        decision = services.enrollment_cancel(enrollment=enrollment, actor=request.user)
        if decision:
            messages.success(request, _("已取消报名。"))
        else:
            messages.error(request, decision.reason)
        return redirect("courses:mine")
    allowed = {row.name for row, _role in steps_for(request.user, enrollment)}
    if "cancel" not in allowed or timezone.now() > enrollment.course.enrol_closes_at:
        if timezone.now() > enrollment.course.enrol_closes_at:
            messages.info(
                request, _("报名已截止，不能在网上取消。如需取消请联系课程所在街道工会。")
            )
        else:
            messages.info(request, _("这个报名现在不能取消。"))
        return redirect("courses:mine")
    return render(request, "courses/cancel.html", {"enrollment": enrollment})


@never_cache
def calendar(request):
    member = member_of(request.user)
    if member is None:
        raise Http404
    response = HttpResponse(member_calendar(member), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-courses.ics"'
    return response
