"""Export buttons on a staff list, and the page of each Excel export (its progress, then the
file, for its author only). See ``services.applications.list_exports``."""

from django.contrib import admin, messages
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from services.admin_base import ReadOnlyAdmin
from services.applications.list_exports import Column, csv_lines, list_export_request
from services.applications.models.exports import ExportJob
from services.members.audit import Action, audit_request

__all__ = ["Column", "ExportJobAdmin", "ListExportMixin", "choice_label"]


def choice_label(choices):
    """A cell showing a choice by its label (已批准, not approved)."""
    labels = dict(choices.choices)
    return lambda value: str(labels.get(value, value or ""))


class ListExportMixin:
    """For a ModelAdmin whose list staff export: ``export_columns`` (a list of ``Column``).
    The list gets 导出 Excel / 导出 CSV buttons that export the rows as filtered and searched."""

    export_columns: list[Column] = []
    change_list_template = "admin/change_list_export.html"

    def get_export_columns(self, request) -> list[Column]:
        return self.export_columns

    def export_queryset(self, request):
        """The list's rows in its order: the admin's queryset (scoped to the street), its
        filters and search, as the changelist builds them."""
        changelist = self.get_changelist_instance(request)
        return changelist.get_queryset(request)

    def get_urls(self):
        info = (self.opts.app_label, self.opts.model_name)
        wrap = self.admin_site.admin_view
        return [
            path("export.csv", wrap(self.export_csv_view), name="{}_{}_export_csv".format(*info)),
            path(
                "export.xlsx",
                wrap(require_POST(self.export_xlsx_view)),
                name="{}_{}_export_xlsx".format(*info),
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        info = (self.opts.app_label, self.opts.model_name)
        query = request.GET.urlencode()
        extra = {
            "export_csv_url": reverse("admin:{}_{}_export_csv".format(*info))
            + (f"?{query}" if query else ""),
            "export_xlsx_url": reverse("admin:{}_{}_export_xlsx".format(*info))
            + (f"?{query}" if query else ""),
        }
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def _may_export(self, request):
        """Staff who see the list; filters the list itself accepts; no search by a full or
        partial number (it lives only in the searcher's session, and would be kept in the
        export's record)."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        from services.members.admin_search import classify

        if "pii" in request.GET or classify(request.GET.get("q", "")) is not None:
            messages.error(
                request, _("按完整号码查找的结果不能导出，请按姓名或遮蔽后的号码查找后再导出。")
            )
            return False
        try:
            self.get_changelist_instance(request)
        except (IncorrectLookupParameters, DisallowedModelAdminLookup):
            messages.error(request, _("筛选条件有误，请在列表上重新筛选后再导出。"))
            return False
        return True

    def export_csv_view(self, request):
        changelist = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        if not self._may_export(request):
            return redirect(changelist)
        columns = self.get_export_columns(request)
        audit_request(
            request, Action.EXPORT,
            subject=f"{self.opts.verbose_name_plural} CSV（{request.GET.urlencode()}）",
        )  # fmt: skip
        response = StreamingHttpResponse(
            csv_lines(self.export_queryset(request), columns), content_type="text/csv"
        )
        name = f"{self.opts.model_name}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response

    def export_xlsx_view(self, request):
        changelist = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        if not self._may_export(request):
            return redirect(changelist)
        try:
            job = list_export_request(model_admin=self, query=request.GET, actor=request.user)
            audit_request(request, Action.EXPORT, obj=job, subject=f"{job.title}（{job.query}）")
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(changelist)
        return redirect("admin:applications_exportjob_change", job.pk)


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    """Each member of staff sees their own exports."""

    list_display = ["title", "status", "rows_done", "rows_total", "created_at", "finished_at"]
    list_filter = ["status"]
    fields = ["title", "status", "rows_done", "rows_total", "created_at", "finished_at", "error"]
    change_form_template = "admin/applications/exportjob/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(requested_by=request.user)

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/file/", wrap(self.file_view), name="applications_exportjob_file"),
            *super().get_urls(),
        ]

    def file_view(self, request, pk):
        job = get_object_or_404(self.get_queryset(request), pk=pk)
        if not job.file:
            raise Http404
        response = FileResponse(
            job.file.open("rb"), as_attachment=True, filename=f"{job.list_name}-{job.pk}.xlsx"
        )
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
