"""Public notices (公示) and their objections in the admin.

The district approver (or the system administrator) publishes a notice on its own page
(program, period, where objections go); once saved it is a record, read-only, with its frozen
lines below and a page to take it down early with a reason. Objections are recorded by the
district approver or by a street reviewer for their own street's applications (a street
reviewer sees only those, on the objection list, in a notice's lines and on an application's
page), and closed with what the check found.
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.admin_base import ReadOnlyMixin, ReadOnlyTabularInline, StreetScopedAdmin
from services.applications import notices
from services.applications.forms import (
    NoticeForm,
    NoticeWithdrawForm,
    ObjectionForm,
    ObjectionResolveForm,
)
from services.applications.models import NoticeEntry, NoticeObjection, Program, PublicNotice
from services.applications.selectors import applications_visible_to
from services.forms import add_errors
from services.members.selectors import staff_scope
from services.money import yuan

FORM_TEMPLATE = "admin/applications/notice_form.html"


def _person(user) -> str:
    # Plain text: a link to the account would be a 403 for most staff.
    return str(user) if user else "—"


def _form_page(model_admin, request, *, title, form, original=None, facts=(), button=""):
    opts = model_admin.opts
    info = (opts.app_label, opts.model_name)
    context = {
        **model_admin.admin_site.each_context(request), "opts": opts, "original": original,
        "title": title, "form": form, "facts": facts, "button": button or _("保存"),
        "changelist_url": reverse("admin:{}_{}_changelist".format(*info)),
        "change_url": (
            reverse("admin:{}_{}_change".format(*info), args=[original.pk]) if original else ""
        ),
    }  # fmt: skip
    return TemplateResponse(request, FORM_TEMPLATE, context)


class NoticeEntryInline(ReadOnlyTabularInline):
    """The lines as published; a street reviewer sees those of their street."""

    model = NoticeEntry
    fields = ["order", "masked_name", "employer", "amount_yuan", "application_link", "objection"]
    verbose_name = gettext_lazy("公示名单")
    verbose_name_plural = gettext_lazy("公示名单（发布时固定，之后不再变化）")

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("application", "notice")
        return staff_scope(request.user).filter(queryset, "application__street")

    @admin.display(description=gettext_lazy("金额（元）"))
    def amount_yuan(self, obj):
        return yuan(obj.amount)

    @admin.display(description=gettext_lazy("申请"))
    def application_link(self, obj):
        if obj.application is None:
            return "—"
        url = reverse("admin:applications_application_change", args=[obj.application_id])
        return format_html('<a href="{}">{}</a>', url, obj.application.reference)

    @admin.display(description=gettext_lazy("异议"))
    def objection(self, obj):
        if obj.application is None:
            return "—"
        url = (
            reverse("admin:applications_noticeobjection_add")
            + "?"
            + urlencode({"notice": obj.notice_id, "application": obj.application_id})
        )
        return format_html('<a href="{}">{}</a>', url, _("登记异议"))


@admin.register(PublicNotice)
class PublicNoticeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "program", "starts_at", "ends_at", "state"]
    list_filter = ["program"]
    search_fields = ["title"]
    fields = [
        "program", "title", "intro", "starts_at", "ends_at", "objection_contact", "state",
        "public_page", "created_by_name", "created_at", "withdrawn_at", "withdrawn_by_name",
        "withdrawn_reason",
    ]  # fmt: skip
    inlines = [NoticeEntryInline]
    change_form_template = "admin/applications/publicnotice/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("program", "created_by", "withdrawn_by")

    def has_add_permission(self, request):
        return admin.ModelAdmin.has_add_permission(self, request)

    @admin.display(description=gettext_lazy("状态"))
    def state(self, obj):
        return obj.state_label

    @admin.display(description=gettext_lazy("发布人"))
    def created_by_name(self, obj):
        return _person(obj.created_by)

    @admin.display(description=gettext_lazy("撤下人"))
    def withdrawn_by_name(self, obj):
        return _person(obj.withdrawn_by)

    @admin.display(description=gettext_lazy("公示页"))
    def public_page(self, obj):
        if not obj.is_current():
            return _("不在网站上")
        url = reverse("applications:notice", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, url)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/withdraw/",
                wrap(self.withdraw_view),
                name="applications_publicnotice_withdraw",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_withdraw": request.user.has_perm(notices.WITHDRAW_PERM),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        """Publishing is a service, not a model form: the lines are made with the notice."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        now = timezone.localtime().replace(second=0, microsecond=0)
        form = NoticeForm(
            request.POST or None,
            programs=Program.objects.filter(requires_notice=True),
            initial={"starts_at": now, "ends_at": now + timedelta(days=7)},
        )
        if request.method == "POST" and form.is_valid():
            try:
                notice = notices.notice_create(**form.cleaned_data, actor=request.user)
            except ValidationError as error:
                add_errors(form, error)
            else:
                self.message_user(
                    request, _("公示已发布，名单共 %(n)s 人。") % {"n": notice.entries.count()}
                )
                return redirect("admin:applications_publicnotice_change", notice.pk)
        return _form_page(self, request, title=_("发布公示"), form=form, button=_("发布"))

    def withdraw_view(self, request, pk):
        if not request.user.has_perm(notices.WITHDRAW_PERM):
            raise PermissionDenied
        notice = get_object_or_404(self.get_queryset(request), pk=pk)
        form = NoticeWithdrawForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                notices.notice_withdraw(
                    notice=notice, reason=form.cleaned_data["reason"], actor=request.user
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                self.message_user(request, _("公示已从网站撤下。"))
                return redirect("admin:applications_publicnotice_change", pk)
        facts = [(_("项目"), notice.program), (_("状态"), notice.state_label)]
        return _form_page(
            self, request, title=_("撤下公示"), form=form, original=notice, facts=facts,
            button=_("撤下"),
        )  # fmt: skip


def objections_visible_to(user):
    queryset = NoticeObjection.objects.select_related(
        "notice", "application__applicant", "recorded_by", "resolved_by"
    )
    return staff_scope(user).filter(queryset, "application__street")


@admin.register(NoticeObjection)
class NoticeObjectionAdmin(ReadOnlyMixin, StreetScopedAdmin):
    list_display = [
        "application_reference", "notice", "received_on", "channel", "resolved",
        "recorded_by_name",
    ]  # fmt: skip
    list_filter = ["channel", ("resolved_at", admin.EmptyFieldListFilter)]
    search_fields = ["=application__reference"]
    fields = [
        "notice", "application_link", "received_on", "channel", "content", "recorded_by_name",
        "recorded_at", "outcome", "resolved_by_name", "resolved_at",
    ]  # fmt: skip
    change_form_template = "admin/applications/noticeobjection/change_form.html"
    visible_to = staticmethod(objections_visible_to)

    def has_add_permission(self, request):
        return admin.ModelAdmin.has_add_permission(self, request)

    @admin.display(description=gettext_lazy("申请"), ordering="application__reference")
    def application_reference(self, obj):
        return obj.application.reference

    @admin.display(description=gettext_lazy("被异议的申请"))
    def application_link(self, obj):
        url = reverse("admin:applications_application_change", args=[obj.application_id])
        return format_html(
            '<a href="{}">{}</a> {}', url, obj.application.reference,
            obj.application.applicant.real_name,
        )  # fmt: skip

    @admin.display(description=gettext_lazy("登记人"))
    def recorded_by_name(self, obj):
        return _person(obj.recorded_by)

    @admin.display(description=gettext_lazy("核实人"))
    def resolved_by_name(self, obj):
        return _person(obj.resolved_by)

    @admin.display(description=gettext_lazy("已办结"), boolean=True)
    def resolved(self, obj):
        return obj.resolved_at is not None

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/resolve/",
                wrap(self.resolve_view),
                name="applications_noticeobjection_resolve",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_resolve": request.user.has_perm(notices.RESOLVE_PERM),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        """Record an objection (from a notice's line, or choosing the notice and application)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        applications = (
            applications_visible_to(request.user)
            .filter(notice_entries__isnull=False)
            .distinct()
            .order_by("reference")
        )
        initial = {
            key: value
            for key in ("notice", "application")
            if (value := request.GET.get(key, "")).isdigit() and len(value) <= 18
        }
        form = ObjectionForm(
            request.POST or None, initial={**initial, "received_on": timezone.localdate()},
            notices=PublicNotice.objects.select_related("program"), applications=applications,
        )  # fmt: skip
        if request.method == "POST" and form.is_valid():
            try:
                objection = notices.objection_record(**form.cleaned_data, actor=request.user)
            except ValidationError as error:
                add_errors(form, error)
            else:
                self.message_user(request, _("异议已登记。"))
                return redirect("admin:applications_noticeobjection_change", objection.pk)
        return _form_page(self, request, title=_("登记公示异议"), form=form)

    def resolve_view(self, request, pk):
        if not request.user.has_perm(notices.RESOLVE_PERM):
            raise PermissionDenied
        objection = get_object_or_404(self.get_queryset(request), pk=pk)
        if objection.resolved_at is not None:
            self.message_user(request, _("这条异议已经办结了。"), messages.WARNING)
            return redirect("admin:applications_noticeobjection_change", pk)
        form = ObjectionResolveForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                notices.objection_resolve(
                    objection=objection, outcome=form.cleaned_data["outcome"], actor=request.user
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                self.message_user(request, _("异议已办结。"))
                return redirect("admin:applications_noticeobjection_change", pk)
        facts = [
            (_("被异议的申请"), objection.application.reference),
            (_("收到日期"), objection.received_on),
            (_("异议内容摘要"), objection.content),
        ]
        return _form_page(
            self, request, title=_("办结公示异议"), form=form, original=objection, facts=facts
        )


class NoticeObjectionInline(ReadOnlyTabularInline):
    """On an application's page: the objections recorded against it."""

    model = NoticeObjection
    fk_name = "application"
    fields = ["received_on", "channel", "content", "notice", "outcome", "resolved_at", "link"]
    verbose_name = gettext_lazy("公示异议")
    verbose_name_plural = gettext_lazy("公示异议")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("notice")

    @admin.display(description=gettext_lazy("详情"))
    def link(self, obj):
        url = reverse("admin:applications_noticeobjection_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("查看"))
