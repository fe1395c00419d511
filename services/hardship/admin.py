"""Hardship help in the admin: requests (the home visit and the decision on their own page),
and the register of files, with the files due for their yearly review, closing a file with a
reason, and a log entry for every view of a file. Street staff see their street only; with no
street set they see nothing."""

from django.contrib import admin, messages
from django.contrib.admin import SimpleListFilter
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.admin_base import ReadOnlyMixin, StepDecisionMixin, StreetScopedAdmin
from services.applications.admin.history import StatusChangeInline
from services.forms import add_errors
from services.hardship import (
    admin_campaigns,  # noqa: F401 (registers the campaign admin)
    selectors,
    services,
)
from services.hardship.forms import CloseForm, OnBehalfForm, VisitDecisionForm
from services.hardship.models import HardshipFile, HelpRequest
from services.members.models import Member
from services.members.net import client_ip
from services.members.selectors import staff_scope
from services.money import yuan

FACT_FIELDS = ["causes_display", "household_size", "income", "situation"]


class FactsMixin:
    @admin.display(description=gettext_lazy("困难原因"))
    def causes_display(self, obj):
        return "、".join(obj.cause_labels)

    @admin.display(description=gettext_lazy("家庭人均月收入（元）"))
    def income(self, obj):
        return yuan(obj.income_per_head)

    @admin.display(description=gettext_lazy("职工"), ordering="member__real_name")
    def member_name(self, obj):
        return f"{obj.member.real_name} {obj.member.masked_mobile}"


@admin.register(HelpRequest)
class HelpRequestAdmin(FactsMixin, StepDecisionMixin, ReadOnlyMixin, StreetScopedAdmin):
    list_display = ["__str__", "street", "status", "created_at"]
    sortable_by = ["created_at"]  # the orderings with an index
    list_filter = ["status", ("street", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["member__real_name"]
    fields = ["member_name", "street", "status", *FACT_FIELDS, "filed_by_staff", "visited_on",
              "visitors", "created_at"]  # fmt: skip
    inlines = [StatusChangeInline]
    visible_to = staticmethod(selectors.requests_visible_to)
    change_form_template = "admin/hardship/helprequest/change_form.html"
    decide_title = gettext_lazy("入户核实与建档")
    decide_note_help = gettext_lazy("入户核实时写明看到的情况；不予建档时写明原因，职工会看到。")
    decide_template = "admin/hardship/helprequest/decide.html"
    decide_form = VisitDecisionForm
    decide_done = gettext_lazy("已办理，职工会收到通知。")
    change_list_template = "admin/hardship/helprequest/change_list.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        services.hardship_viewed(
            record=self.get_object(request, object_id), actor=request.user,
            ip_address=client_ip(request),
        )  # fmt: skip
        return super().change_view(request, object_id, form_url, extra_context)

    def decide_view(self, request, pk):
        if request.method == "GET":
            help_request = get_object_or_404(self.get_queryset(request), pk=pk)
            services.hardship_viewed(
                record=help_request, actor=request.user, ip_address=client_ip(request)
            )
        return super().decide_view(request, pk)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("on-behalf/", wrap(self.on_behalf_view), name="hardship_helprequest_on_behalf"),
            *super().get_urls(),
        ]

    def on_behalf_view(self, request):
        """Staff ask for help for a worker of their street who cannot do it online."""
        if not request.user.has_perm("hardship.add_helprequest"):
            raise PermissionDenied
        form = OnBehalfForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            member = (
                staff_scope(request.user)
                .filter(Member.objects.all())
                .filter(mobile=data["mobile"])
                .first()
            )
            if member is None:
                form.add_error("mobile", _("本街道没有登记这个手机号的职工。"))
            else:
                try:
                    help_request = services.help_request_create(
                        member=member, data=data, actor=request.user,
                        consent_recorded=data["consent_recorded"],
                    )  # fmt: skip
                except ValidationError as error:
                    add_errors(form, error)
                else:
                    self.message_user(request, _("已代为提交帮扶申请。"))
                    return redirect("admin:hardship_helprequest_change", help_request.pk)
        context = {
            **self.admin_site.each_context(request), "opts": self.opts,
            "title": _("代职工申请帮扶"), "form": form,
        }  # fmt: skip
        return TemplateResponse(request, "admin/hardship/helprequest/on_behalf.html", context)


class DueFilter(SimpleListFilter):
    title = gettext_lazy("复核")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("1", _("到期待复核"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(status="active", review_due_on__lte=timezone.localdate())
        return queryset


@admin.register(HardshipFile)
class HardshipFileAdmin(FactsMixin, ReadOnlyMixin, StreetScopedAdmin):
    list_display = ["__str__", "street", "tier", "status", "review_due_on", "opened_on"]
    list_filter = [DueFilter, "status", "tier", ("street", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["member__real_name"]
    fields = ["member_name", "street", "tier", "status", *FACT_FIELDS, "opened_on",
              "review_due_on", "close_reason", "closed_on"]  # fmt: skip
    actions = ["mark_reviewed"]
    visible_to = staticmethod(selectors.files_visible_to)
    change_form_template = "admin/hardship/hardshipfile/change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Income, causes, illness: every view of a file is logged.
        services.hardship_viewed(
            record=self.get_object(request, object_id), actor=request.user,
            ip_address=client_ip(request),
        )  # fmt: skip
        return super().change_view(request, object_id, form_url, extra_context)

    def has_reviewed_permission(self, request):
        return request.user.has_perm("hardship.change_hardshipfile")

    @admin.action(description=gettext_lazy("复核通过，下次复核在一年后"), permissions=["reviewed"])
    def mark_reviewed(self, request, queryset):
        done = 0
        for file in queryset.filter(status="active"):
            services.file_reviewed(file=file, actor=request.user)
            done += 1
        skipped = queryset.count() - done
        message = _("已复核 %(n)s 份档案。") % {"n": done}
        if skipped:
            message += _("另有 %(n)s 份已销档，不用复核。") % {"n": skipped}
        self.message_user(request, message)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/close/", wrap(self.close_view), name="hardship_hardshipfile_close"),
            *super().get_urls(),
        ]

    def close_view(self, request, pk):
        file = get_object_or_404(self.get_queryset(request), pk=pk)
        form = CloseForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.file_close(
                    file=file, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                form.add_error("reason", error)
            else:
                self.message_user(request, _("档案已销档。"))
                return redirect("admin:hardship_hardshipfile_change", pk)
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "original": file,
            "title": _("销档"), "form": form,
        }  # fmt: skip
        if not request.user.has_perm("hardship.change_hardshipfile"):
            messages.error(request, _("您没有办理这份档案的权限。"))
            return redirect("admin:hardship_hardshipfile_change", pk)
        return TemplateResponse(request, "admin/hardship/hardshipfile/close.html", context)
