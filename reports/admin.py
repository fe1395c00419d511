"""Staff write and publish the annual report here.

Sections, figures and plan items are edited inline under their report and ordered by their
"顺序" numbers. Every save keeps a revision; publishing freezes the working copy as what the
public sees. Preview, revisions and restore are extra admin pages on a report.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from reports import services
from reports.forms import KeyFigureForm
from reports.models import AnnualReport, KeyFigure, PlanItem, ReportRevision, ReportSection
from reports.snapshot import build_report_snapshot, report_with_content
from reports.views import render_report
from services.forms import PlainDecimalField


class ReportSectionInline(admin.StackedInline):
    model = ReportSection
    extra = 0
    fields = [("order", "kicker"), "heading", "body"]


class KeyFigureInline(admin.TabularInline):
    model = KeyFigure
    form = KeyFigureForm
    extra = 0
    # Figures as people write them; never "1e5".
    formfield_overrides = {models.DecimalField: {"form_class": PlainDecimalField}}
    fields = ["section", "order", "label", "value", "unit", "qualifier", "is_headline"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            report = getattr(request, "_report_being_edited", None)
            kwargs["queryset"] = (
                ReportSection.objects.filter(report=report)
                if report
                else ReportSection.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("section")


class PlanItemInline(admin.StackedInline):
    model = PlanItem
    extra = 0
    fields = [("order", "title"), "subtitle", "body"]


@admin.register(AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "status", "published_at", "updated_at"]
    list_filter = ["status"]
    search_fields = ["title", "subtitle", "=year"]
    readonly_fields = ["status", "published_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["year", "title", "subtitle", "authors", "lede", "cover_image"]}),
        (gettext_lazy("工作计划"), {"fields": ["plan_heading", "plan_intro"]}),
        (gettext_lazy("发布"), {"fields": ["status", "published_at", "updated_at"]}),
    ]
    inlines = [ReportSectionInline, KeyFigureInline, PlanItemInline]
    actions = ["publish_selected", "unpublish_selected"]

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        request._report_being_edited = obj
        return obj

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.report_revision_record(
            report=form.instance, user=request.user, note=_("编辑") if change else _("新建")
        )

    def has_publish_permission(self, request):
        return request.user.has_perm("reports.publish_annualreport")

    # -- actions ------------------------------------------------------------------------------

    def _apply(self, request, queryset, service, done_message):
        done = 0
        for report in queryset:
            decision = service(report=report, user=request.user)
            if decision:
                done += 1
            else:
                self.message_user(request, f"{report.year}: {decision.reason}", messages.ERROR)
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description=gettext_lazy("发布所选报告"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.report_publish,
            lambda n: ngettext("已发布 %d 份报告。", "已发布 %d 份报告。", n) % n,
        )

    @admin.action(description=gettext_lazy("取消发布所选报告"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.report_unpublish,
            lambda n: ngettext("已取消发布 %d 份报告。", "已取消发布 %d 份报告。", n) % n,
        )

    # -- extra pages --------------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", wrap(self.preview_view), name="reports_annualreport_preview"),
            path("<int:pk>/publish/", wrap(self.publish_view), name="reports_annualreport_publish"),
            path(
                "<int:pk>/revisions/",
                wrap(self.revisions_view),
                name="reports_annualreport_revisions",
            ),
            path(
                "<int:pk>/revisions/<int:number>/",
                wrap(self.revision_view),
                name="reports_annualreport_revision",
            ),
            path(
                "<int:pk>/revisions/<int:number>/restore/",
                wrap(self.revision_restore_view),
                name="reports_annualreport_revision_restore",
            ),
            *super().get_urls(),
        ]

    def _report_for(self, request, pk, *, change=False):
        report = get_object_or_404(report_with_content(), pk=pk)
        allowed = (
            self.has_change_permission(request, report)
            if change
            else self.has_view_or_change_permission(request, report)
        )
        if not allowed:
            raise PermissionDenied
        return report

    def preview_view(self, request, pk):
        report = self._report_for(request, pk)
        note = _("这是工作稿，公众看不到；发布后才会公开。")
        return render_report(request, report, build_report_snapshot(report), preview_note=note)

    def publish_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        report = self._report_for(request, pk, change=True)
        if not self.has_publish_permission(request):
            raise PermissionDenied
        if request.POST.get("action") == "unpublish":
            decision = services.report_unpublish(report=report, user=request.user)
            done = _("报告已取消发布，公众不再能看到。")
        else:
            decision = services.report_publish(report=report, user=request.user)
            done = _("报告已发布，公众现在看到的是这一版。")
        self.message_user(
            request,
            done if decision else decision.reason,
            messages.SUCCESS if decision else messages.ERROR,
        )
        return redirect("admin:reports_annualreport_change", report.pk)

    def revisions_view(self, request, pk):
        report = self._report_for(request, pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": report,
            "title": _("%(year)s 年度报告的修订记录") % {"year": report.year},
            "revisions": report.revisions.select_related("created_by"),
            "can_restore": self.has_change_permission(request, report),
        }
        return TemplateResponse(request, "admin/reports/annualreport/revisions.html", context)

    def revision_view(self, request, pk, number):
        report = self._report_for(request, pk)
        revision = get_object_or_404(ReportRevision, report=report, number=number)
        note = _("第 %(number)s 版（%(when)s）。") % {
            "number": revision.number,
            "when": revision.created_at.strftime("%Y-%m-%d %H:%M"),
        }
        return render_report(request, report, revision.snapshot, preview_note=note)

    def revision_restore_view(self, request, pk, number):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        report = self._report_for(request, pk, change=True)
        revision = get_object_or_404(ReportRevision, report=report, number=number)
        services.report_revision_restore(revision=revision, user=request.user)
        self.message_user(
            request,
            _("已恢复到第 %(number)s 版；检查无误后请重新发布。") % {"number": number},
            messages.SUCCESS,
        )
        return redirect(reverse("admin:reports_annualreport_change", args=[report.pk]))


@admin.register(ReportRevision)
class ReportRevisionAdmin(admin.ModelAdmin):
    """Revisions are read-only history: nobody edits or deletes them by hand."""

    list_display = ["report", "number", "note", "created_by", "created_at"]
    list_filter = ["report"]
    list_select_related = ["report", "created_by"]
    fields = ["report", "number", "note", "created_by", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
