"""Staff write and publish the annual report here.

Sections, figures and plan items are edited inline under their report and ordered by their
"顺序" numbers. Every save keeps a revision; publishing freezes the working copy as what the
public sees. Preview, revisions and restore are extra admin pages on a report.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from reports import services
from reports.forms import KeyFigureForm, TakeLiveForm
from reports.live import figure_reading, figures_take_live, live_readings
from reports.models import AnnualReport, KeyFigure, PlanItem, ReportRevision, ReportSection
from reports.selectors import previous_published_report
from reports.snapshot import build_report_snapshot, decimal_text, report_with_content
from reports.sources import option_choices, source_choices
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
    fields = [
        "section", "order", "label", "value", "unit", "qualifier", "is_headline",
        "source", "source_option", "source_year", "live_value",
    ]  # fmt: skip
    readonly_fields = ["live_value"]

    def get_formset(self, request, obj=None, **kwargs):
        choices = (source_choices(), option_choices())
        kwargs["form"] = type("KeyFigureForm", (KeyFigureForm,), {"choices_now": choices})
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description=gettext_lazy("实时数值（差额）"))
    def live_value(self, figure):
        found = figure_reading(figure, figure.report.year) if figure.pk else None
        if found is None or found.live is None:
            return "—"
        if found.matches:
            return format_html("{} ✓", decimal_text(found.live))
        return format_html(
            "{} <strong>({}{})</strong>",
            decimal_text(found.live),
            "+" if found.difference > 0 else "",
            decimal_text(found.difference),
        )

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
        (gettext_lazy("开放数据"), {"fields": ["open_data_min_group"]}),
        (gettext_lazy("发布"), {"fields": ["status", "published_at", "updated_at"]}),
    ]
    inlines = [ReportSectionInline, KeyFigureInline, PlanItemInline]
    actions = ["publish_selected", "unpublish_selected", "draft_next_year"]

    def get_readonly_fields(self, request, obj=None):
        # A published report's year is its public address: it does not move by an edit.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "year"] if obj is not None and obj.is_published else fields

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        request._report_being_edited = obj
        return obj

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.report_revision_record(
            report=form.instance, user=request.user, note=_("编辑") if change else _("新建")
        )

    def delete_model(self, request, obj):
        services.report_delete(report=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for report in queryset:
            services.report_delete(report=report, actor=request.user)

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

    @admin.action(description=gettext_lazy("以所选报告的结构新建下一年度草稿"), permissions=["add"])
    def draft_next_year(self, request, queryset):
        for report in queryset:
            try:
                draft = services.report_draft_next_year(report=report, actor=request.user)
            except ValidationError as error:
                self.message_user(request, error.messages[0], messages.ERROR)
                continue
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("已新建 %(year)s 年度报告草稿，章节和数字的数据来源已沿用。")
                    % {"year": draft.year},
                    reverse("admin:reports_annualreport_change", args=[draft.pk]),
                    _("去编辑"),
                ),
                messages.SUCCESS,
            )

    # -- extra pages --------------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", wrap(self.preview_view), name="reports_annualreport_preview"),
            path("<int:pk>/publish/", wrap(self.publish_view), name="reports_annualreport_publish"),
            path("<int:pk>/live/", wrap(self.live_view), name="reports_annualreport_live"),
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
        previous = previous_published_report(report)
        return render_report(
            request,
            report,
            build_report_snapshot(report),
            preview_note=note,
            previous_snapshot=previous.published_snapshot if previous else None,
        )

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

    def live_view(self, request, pk):
        """Typed values beside what the records give now; staff take the live ones they want."""
        report = self._report_for(request, pk)
        readings = live_readings(report)
        can_change = self.has_change_permission(request, report)
        form = TakeLiveForm(request.POST if request.method == "POST" else None, readings=readings)
        if request.method == "POST":
            if not can_change:
                raise PermissionDenied
            if form.is_valid():
                changed = figures_take_live(
                    report=report, figure_ids=form.cleaned_data["figures"], actor=request.user
                )
                if changed:
                    self.message_user(
                        request,
                        ngettext(
                            "已采用 %d 个实时数值；检查无误后请重新发布。",
                            "已采用 %d 个实时数值；检查无误后请重新发布。",
                            changed,
                        )
                        % changed,
                        messages.SUCCESS,
                    )
                else:  # a second click: the values were taken already
                    self.message_user(request, _("所选数字已经是实时数值，没有改动。"))
                return redirect("admin:reports_annualreport_live", report.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": report,
            "title": _("%(year)s 年度报告：数字与服务记录核对") % {"year": report.year},
            "readings": readings,
            "form": form,
            "can_change": can_change,
        }
        return TemplateResponse(request, "admin/reports/annualreport/live.html", context)

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
