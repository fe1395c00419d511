"""Mutual aid in the admin: plans, employer rosters (upload, row-by-row report, confirm),
who is covered, and the claims' medical details with the amount correction.

The claims themselves are applications: reviewers decide them on the shared review page and
finance pays them in the shared batches. What is particular to a claim is here: the diagnosis
(seen with the ``applications.view_medical`` permission only, each view logged) and the
correction of the declared amounts, which recomputes the benefit.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.admin_base import ReadOnlyMixin, StreetScopedAdmin
from services.applications.models import Program
from services.applications.services import medical_view
from services.forms import add_errors
from services.members.admin_search import PiiSearchMixin
from services.members.models import Enterprise
from services.members.net import client_ip
from services.members.selectors import staff_scope
from services.money import yuan
from services.mutual_aid import roster, selectors, services
from services.mutual_aid.forms import CorrectionForm, RosterUploadForm
from services.mutual_aid.models import ClaimDetails, Coverage, Plan, RosterImport


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["program", "kind", "premium", "district_share", "cover_starts", "cover_ends"]
    list_filter = ["kind"]
    fields = ["program", "kind", "premium", "district_share", "cover_starts", "cover_ends"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "program":
            kwargs["queryset"] = Program.objects.filter(kind="mutual_aid")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(RosterImport)
class RosterImportAdmin(ReadOnlyMixin, StreetScopedAdmin):
    list_display = [
        "enterprise", "plan", "status", "rows_total", "accepted", "refused", "created_at",
        "report_link",
    ]  # fmt: skip
    list_filter = ["status"]
    fields = list_display

    @admin.display(description=gettext_lazy("检查报告"))
    def report_link(self, obj):
        url = reverse("admin:mutual_aid_rosterimport_report", args=[obj.pk])
        text = _("查看报告并确认导入") if obj.status == "checked" else _("查看报告")
        return format_html('<a href="{}">{}</a>', url, text)

    visible_to = staticmethod(selectors.rosters_visible_to)
    change_list_template = "admin/mutual_aid/rosterimport/change_list.html"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("upload/", wrap(self.upload_view), name="mutual_aid_rosterimport_upload"),
            path("<int:pk>/report/", wrap(self.report_view), name="mutual_aid_rosterimport_report"),
            *super().get_urls(),
        ]

    def _context(self, request, **extra):
        return {**self.admin_site.each_context(request), "opts": self.opts, **extra}

    def upload_view(self, request):
        if not request.user.has_perm("mutual_aid.add_rosterimport"):
            raise PermissionDenied
        enterprises = staff_scope(request.user).filter(Enterprise.objects.all())
        form = RosterUploadForm(
            request.POST or None, request.FILES or None,
            plans=Plan.objects.select_related("program"), enterprises=enterprises,
        )  # fmt: skip
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                upload = roster.roster_upload(
                    plan=data["plan"], enterprise=data["enterprise"], upload=data["file"],
                    actor=request.user, starts_on=data.get("starts_on"),
                )  # fmt: skip
            except ValidationError as error:
                form.add_error("file", error)
            else:
                return redirect("admin:mutual_aid_rosterimport_report", upload.pk)
        return TemplateResponse(
            request, "admin/mutual_aid/rosterimport/upload.html",
            self._context(request, title=_("上传参保名单"), form=form),
        )  # fmt: skip

    def report_view(self, request, pk):
        upload = get_object_or_404(self.get_queryset(request), pk=pk)
        if request.method == "POST":
            try:
                saved = roster.roster_confirm(roster=upload, actor=request.user)
            except ValidationError as error:
                self.message_user(request, error.messages[0], messages.ERROR)
            else:
                if saved is None:
                    self.message_user(request, _("名单较大，正在后台导入，完成后本页会显示结果。"))
                else:
                    self.message_user(
                        request, _("已导入 %(n)s 人，参保生效。") % {"n": f"{saved:,}"}
                    )
            return redirect("admin:mutual_aid_rosterimport_report", pk)
        busy = upload.status in (RosterImport.Status.CHECKING, RosterImport.Status.SAVING)
        return TemplateResponse(
            request, "admin/mutual_aid/rosterimport/report.html",
            self._context(
                request, title=_("参保名单检查报告"), original=upload, busy=busy,
                refused_rows=upload.report.get("refused", []),
                percent=int(100 * upload.rows_done / upload.rows_total) if upload.rows_total else 0,
            ),
        )  # fmt: skip

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Coverage)
class CoverageAdmin(PiiSearchMixin, ReadOnlyMixin, StreetScopedAdmin):
    list_display = ["member", "plan", "enterprise", "starts_on", "created_at"]
    list_filter = ["plan"]
    sortable_by = ["created_at"]  # the orderings with an index
    search_fields = ["member__real_name", "member__id_number_masked", "enterprise__name"]
    pii_search_path = "member__"
    fields = list_display
    visible_to = staticmethod(selectors.coverages_visible_to)


@admin.register(ClaimDetails)
class ClaimDetailsAdmin(PiiSearchMixin, ReadOnlyMixin, StreetScopedAdmin):
    """A claim's medical page: the diagnosis and the amounts, with the correction."""

    list_display = ["application", "kind", "hospital", "eligible", "status"]
    search_fields = ["application__reference"]
    pii_search_path = "application__applicant__"
    reference_search_path = "application__reference"
    fields = [
        "application_link", "plan", "kind", "hospital", "hospital_level", "admitted_on",
        "discharged_on", "illness", "diagnosis", "total_cost", "insurance_paid",
        "eligible_cost", "invoice_numbers",
    ]  # fmt: skip
    visible_to = staticmethod(selectors.claims_visible_to)
    change_form_template = "admin/mutual_aid/claimdetails/change_form.html"

    @admin.display(description=gettext_lazy("合规自付（元）"))
    def eligible(self, obj):
        return yuan(obj.eligible_cost)

    @admin.display(description=gettext_lazy("状态"))
    def status(self, obj):
        return obj.application.status_label

    @admin.display(description=gettext_lazy("申请"))
    def application_link(self, obj):
        url = reverse("admin:applications_application_change", args=[obj.application_id])
        return format_html('<a href="{}">{}</a>', url, obj.application.reference)

    @admin.display(description=gettext_lazy("发票号码"))
    def invoice_numbers(self, obj):
        return "、".join(i.number for i in obj.invoices.all())

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, object_id)
        # The diagnosis is on this page: only for those allowed, and the view is logged.
        subject = _("%(ref)s 理赔申报（诊断）") % {"ref": claim.application.reference}
        medical_view(actor=request.user, member=claim.application.applicant,
                     ip_address=client_ip(request), subject=subject)  # fmt: skip
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/correct/", wrap(self.correct_view), name="mutual_aid_claim_correct"),
            *super().get_urls(),
        ]

    def correct_view(self, request, pk):
        if not request.user.has_perm("applications.view_medical"):
            raise PermissionDenied
        claim = get_object_or_404(self.get_queryset(request), pk=pk)
        form = CorrectionForm(
            request.POST or None,
            initial={f: getattr(claim, f) for f in services.AMOUNT_FIELDS},
        )
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            note = data.pop("note")
            try:
                amount = services.claim_correct(
                    claim=claim, actor=request.user, amounts=data, note=note
                )
            except ValidationError as error:
                add_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request, _("已更正，按规则重新计算的给付金额为 %(amount)s 元。")
                    % {"amount": yuan(amount)},
                )  # fmt: skip
                return redirect("admin:applications_application_review", claim.application_id)
        return TemplateResponse(
            request, "admin/mutual_aid/claimdetails/correct.html",
            {**self.admin_site.each_context(request), "opts": self.opts, "original": claim,
             "title": _("更正申报金额"), "form": form},
        )  # fmt: skip
