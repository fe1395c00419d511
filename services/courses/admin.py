"""Courses in the admin, for the 课程管理员 of a street (and district staff).

A course's page lists its sessions (editable) and its roster; from it staff download the
roster as Excel or print it, mark attendance session by session (a page made for a phone in
the classroom), finish the course (every enrollment ends by its attendance, completions write
the subsidy to the ledger) or cancel it (every member is told why). Street staff see and
manage only their street's courses, and one with no street set sees none.
"""

import calendar
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.admin_base import (
    ReadOnlyAdmin,
    ReadOnlyMixin,
    StreetScopedAdmin,
)
from services.applications.admin.history import StatusChangeInline
from services.applications.models import Program
from services.courses import selectors, services
from services.courses.exports import roster_rows, roster_xlsx
from services.courses.models import Course, CourseBar, Enrollment, Session
from services.forms import AmountField, PlainDecimalField
from services.members.audit import Action, audit_request
from services.members.selectors import staff_scope
from services.money import yuan


class SessionInline(admin.TabularInline):
    model = Session
    extra = 1
    fields = ["date", "starts", "ends"]


class CourseForm(forms.ModelForm):
    # Amounts as people write them: never "1e3" (``services.forms``).
    fee = AmountField(label=gettext_lazy("培训费（元）"), min_value=0, max_value=999_999)
    subsidy = AmountField(label=gettext_lazy("结业培训补贴（元）"), min_value=0, max_value=999_999)
    completion_share = PlainDecimalField(
        label=gettext_lazy("结业出勤比例"), min_value=Decimal("0.01"), max_value=1,
        decimal_places=2, initial=Decimal("0.80"),
        help_text=gettext_lazy("出勤课次达到这个比例即可结业，例如 0.8 表示 80%。"),
    )  # fmt: skip

    class Meta:
        model = Course
        fields = [
            "program", "title", "category", "provider", "description", "street", "venue",
            "address", "capacity", "fee", "subsidy", "completion_share", "enrol_opens_at",
            "enrol_closes_at", "status", "certificate_exam",
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        opens, closes = data.get("enrol_opens_at"), data.get("enrol_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("enrol_closes_at", _("报名截止时间应晚于开始报名时间。"))
        return data

    def _post_clean(self):
        """The service's own checks, on the course as it would be saved, next to the fields."""
        super()._post_clean()
        before = Course.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
        for field, reason in services.course_change_refused(course=self.instance, before=before):
            if field in self.fields and field not in self._errors:
                self.add_error(field, reason)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("取消原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("每位报名和候补的学员都会收到这段说明。"),
    )  # fmt: skip


@admin.register(Course)
class CourseAdmin(StreetScopedAdmin):
    form = CourseForm
    list_display = [
        "title", "category", "street", "shown_status", "capacity", "enrolled", "waitlisted",
        "enrol_closes_at",
    ]  # fmt: skip
    list_filter = ["status", "category", ("street", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "provider", "venue"]
    inlines = [SessionInline]
    actions = ["finish_selected"]
    change_form_template = "admin/courses/course/change_form.html"
    visible_to = staticmethod(selectors.courses_visible_to)

    @admin.display(description=gettext_lazy("状态"), ordering="status")
    def shown_status(self, obj):
        """As members see it: an open course past its deadline is closed."""
        return obj.effective_status_label

    @admin.display(description=gettext_lazy("已报名"), ordering="enrolled_count")
    def enrolled(self, obj):
        # A finished course's members have ended their enrolments: count them all.
        return obj.placed_count if obj.status == "finished" else obj.enrolled_count

    @admin.display(description=gettext_lazy("候补"), ordering="waitlisted_count")
    def waitlisted(self, obj):
        return obj.waitlisted_count

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "street":
            from services.members.models import Street

            kwargs["queryset"] = staff_scope(request.user).filter(Street.objects.all(), "pk")
        if db_field.name == "program":
            kwargs["queryset"] = Program.objects.filter(kind="course")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.course_save(course=obj, actor=request.user)
        if getattr(obj, "promoted", 0):
            self.message_user(
                request, _("%(n)s 名候补学员已转为正式报名，并已通知。") % {"n": obj.promoted}
            )

    def save_formset(self, request, form, formset, change):
        """Sessions are saved with the course; members already enrolled are told of changes."""
        super().save_formset(request, form, formset, change)
        if not change or formset.model is not Session:
            return
        lines = [_("新增 %(s)s") % {"s": s} for s in formset.new_objects]
        for form_ in formset.initial_forms:
            if form_.instance in dict(formset.changed_objects):
                before = Session(**{f: form_.initial.get(f) for f in ("date", "starts", "ends")})
                lines.append(_("%(old)s 改为 %(new)s") % {"old": before, "new": form_.instance})
        lines += [_("取消 %(s)s") % {"s": s} for s in formset.deleted_objects]
        told = services.course_sessions_changed(
            course=form.instance, actor=request.user, lines=lines
        )
        if told:
            self.message_user(request, _("已通知 %(n)s 名学员上课时间的变动。") % {"n": told})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The roster is shown as a list, not as inline forms: a course of hundreds of
        members would otherwise post thousands of fields with every save."""
        course = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if course is not None:
            extra["roster"] = selectors.roster(course)
        return super().change_view(request, object_id, form_url, extra_context=extra)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/roster.xlsx", wrap(self.roster_export), name="courses_course_roster"),
            path("<int:pk>/print/", wrap(self.roster_print), name="courses_course_print"),
            path(
                "<int:pk>/sessions/<int:session_pk>/attendance/",
                wrap(self.attendance_view),
                name="courses_course_attendance",
            ),  # fmt: skip
            path("<int:pk>/finish/", wrap(self.finish_view), name="courses_course_finish"),
            path("<int:pk>/cancel/", wrap(self.cancel_view), name="courses_course_cancel"),
            *super().get_urls(),
        ]

    def _course(self, request, pk):
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def _context(self, request, course, **extra):
        return {
            **self.admin_site.each_context(request), "opts": self.opts, "original": course,
            **extra,
        }  # fmt: skip

    def roster_export(self, request, pk):
        course = self._course(request, pk)
        audit_request(request, Action.EXPORT, obj=course, subject=f"{course.title} 名单")
        response = HttpResponse(
            roster_xlsx(course),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="course-{course.pk}-roster.xlsx"'
        response["Cache-Control"] = "private, no-store"
        return response

    def roster_print(self, request, pk):
        course = self._course(request, pk)
        audit_request(request, Action.EXPORT, obj=course, subject=f"{course.title} 签到表")
        sessions, rows = roster_rows(course)
        return TemplateResponse(
            request, "admin/courses/course/print.html",
            self._context(request, course, title=_("签到表"), sessions=sessions, rows=rows),
        )  # fmt: skip

    def attendance_view(self, request, pk, session_pk):
        if not request.user.has_perm("courses.change_course"):
            raise PermissionDenied
        course = self._course(request, pk)
        session = get_object_or_404(course.sessions, pk=session_pk)
        enrolled = course.enrollments.filter(status="enrolled").select_related("member")
        if request.method == "POST":
            present = [v for v in request.POST.getlist("present") if v.isdigit() and len(v) < 18]
            try:
                marked = services.attendance_record(
                    session=session, actor=request.user, present_ids=present
                )
            except ValidationError as error:
                self.message_user(request, error.messages[0], messages.ERROR)
            else:
                self.message_user(
                    request, _("已记录 %(n)s 人的出勤（%(present)s 人到课）。")
                    % {"n": marked, "present": len(present)},
                )  # fmt: skip
            return redirect("admin:courses_course_attendance", pk, session_pk)
        marks = dict(session.attendance.values_list("enrollment_id", "present"))
        rows = [(e, marks.get(e.pk)) for e in enrolled]
        return TemplateResponse(
            request, "admin/courses/course/attendance.html",
            self._context(request, course, title=_("记录出勤 %(session)s") % {"session": session},
                          session=session, rows=rows,
                          upcoming=session.date > timezone.localdate()),
        )  # fmt: skip

    def finish_view(self, request, pk):
        if not request.user.has_perm("courses.change_course"):
            raise PermissionDenied
        course = self._course(request, pk)
        if request.method == "POST":
            self._finish(request, course)
            return redirect("admin:courses_course_change", pk)
        return TemplateResponse(
            request, "admin/courses/course/finish.html",
            self._context(request, course, title=_("结业"), subsidy=yuan(course.subsidy),
                          share=f"{course.completion_share * 100:.0f}%"),
        )  # fmt: skip

    def _finish(self, request, course) -> None:
        try:
            counts, problems = services.course_finish(course=course, actor=request.user)
        except ValidationError as error:
            self.message_user(request, f"{course.title}：{error.messages[0]}", messages.ERROR)
            return
        for problem in problems:
            self.message_user(request, problem, messages.WARNING)
        self.message_user(
            request,
            _("%(course)s：结业 %(complete)s 人，出勤不足 %(partial)s 人，未到课 %(no_show)s 人。")
            % {"course": course.title, **counts},
        )

    def has_finish_permission(self, request):
        return request.user.has_perm("courses.change_course")

    @admin.action(description=gettext_lazy("按出勤结业所选课程（结业学员的补贴记入台账）"),
                  permissions=["finish"])  # fmt: skip
    def finish_selected(self, request, queryset):
        for course in queryset:
            self._finish(request, course)

    def cancel_view(self, request, pk):
        if not request.user.has_perm("courses.change_course"):
            raise PermissionDenied
        course = self._course(request, pk)
        form = CancelForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                told = services.course_cancel(
                    course=course, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                form.add_error("reason", error)
            else:
                self.message_user(request, _("课程已取消，已通知 %(n)s 名学员。") % {"n": told})
                return redirect("admin:courses_course_change", pk)
        return TemplateResponse(
            request, "admin/courses/course/cancel.html",
            self._context(request, course, title=_("取消课程"), form=form),
        )  # fmt: skip


def end_of_next_month(today):
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return today.replace(year=year, month=month, day=calendar.monthrange(year, month)[1])


@admin.register(Enrollment)
class EnrollmentAdmin(ReadOnlyMixin, StreetScopedAdmin):
    list_display = ["course", "member_name", "status", "queue_number", "created_at"]
    list_filter = [
        "status", ("street", admin.RelatedOnlyFieldListFilter),
        ("course", admin.RelatedOnlyFieldListFilter),
    ]  # fmt: skip
    search_fields = ["course__title", "member__real_name"]
    fields = ["course", "member_name", "street", "status", "queue_number", "created_at",
              "finished_at"]  # fmt: skip
    inlines = [StatusChangeInline]
    actions = ["bar_next_month"]
    visible_to = staticmethod(selectors.enrollments_visible_to)

    @admin.display(description=gettext_lazy("学员"))
    def member_name(self, obj):
        return obj.member.real_name

    def has_bar_permission(self, request):
        return request.user.has_perm("courses.add_coursebar")

    @admin.action(description=gettext_lazy("暂停所选未到课学员下个月的报名"), permissions=["bar"])
    def bar_next_month(self, request, queryset):
        until = end_of_next_month(timezone.localdate())
        barred = 0
        for enrollment in queryset.filter(status="no_show"):
            bar = services.member_bar(
                enrollment=enrollment, actor=request.user, until=until,
                reason=_("报名“%(course)s”后未到课") % {"course": enrollment.course.title},
            )  # fmt: skip
            barred += bar is not None
        self.message_user(
            request,
            _(
                "已暂停 %(n)s 名学员在 %(until)s 前报名，并已通知本人。只对“未到课”的报名有效；"
                "已暂停到这一天的不重复暂停。"
            )
            % {"n": barred, "until": until.strftime("%Y-%m-%d")},
        )  # fmt: skip


@admin.register(CourseBar)
class CourseBarAdmin(ReadOnlyAdmin):
    list_display = ["member", "until", "reason", "created_by", "created_at"]

    def get_queryset(self, request):
        return staff_scope(request.user).filter(
            super().get_queryset(request).select_related("member", "created_by"), "member__street"
        )
