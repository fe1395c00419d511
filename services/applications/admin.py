"""The staff side of applications: review queues, decisions, payment batches.

A street reviewer sees only their street's applications; the decision page offers exactly
the moves the workflow table allows the staff member's role from the current status, and
shows the program's budget used and left.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.admin_base import ReadOnlyTabularInline, StreetScopedAdmin
from services.applications import selectors, services, workflow
from services.applications.exports import payment_batch_xlsx
from services.applications.forms import ReviewForm
from services.applications.models import (
    Application,
    Attachment,
    PaymentBatch,
    Program,
    StatusChange,
)
from services.applications.views import staff_attachment_download
from services.applications.workflow import Role, Status
from services.members.pii import blind_index
from services.members.validators import normalise


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "year",
        "batch",
        "opens_at",
        "closes_at",
        "budget",
        "budget_used",
    ]
    list_filter = ["year", "kind"]
    search_fields = ["name", "code"]

    @admin.display(description=gettext_lazy("已批准金额"))
    def budget_used(self, obj):
        return selectors.budget_committed(obj)


class StatusChangeInline(ReadOnlyTabularInline):
    model = StatusChange
    fields = ["at", "from_status", "to_status", "actor", "note"]


MOVE_LABELS = {
    (Role.STREET_REVIEWER, Status.IN_REVIEW): gettext_lazy("初审通过，推荐到区总复审"),
    (Role.STREET_REVIEWER, Status.NEEDS_INFO): gettext_lazy("需补充材料"),
    (Role.STREET_REVIEWER, Status.REJECTED): gettext_lazy("不通过"),
    (Role.DISTRICT_APPROVER, Status.APPROVED): gettext_lazy("复审批准"),
    (Role.DISTRICT_APPROVER, Status.NEEDS_INFO): gettext_lazy("需补充材料"),
    (Role.DISTRICT_APPROVER, Status.REJECTED): gettext_lazy("不通过"),
}


@admin.register(Application)
class ApplicationAdmin(StreetScopedAdmin):
    list_display = [
        "reference", "program", "applicant_name", "street", "status", "requested_amount",
        "approved_amount", "submitted_at",
    ]  # fmt: skip
    list_filter = ["status", "program", "street", ("submitted_at", admin.DateFieldListFilter)]
    search_fields = ["=reference", "applicant__real_name", "applicant__id_number_masked"]
    fields = [
        "reference", "program", "applicant_name", "applicant_id_number", "street", "status",
        "requested_amount", "amount_reason", "approved_amount", "masked_bank_card",
        "recommended_by", "decided_by", "payment_batch", "submitted_at", "decided_at", "proofs",
        "budget",
    ]  # fmt: skip
    readonly_fields = fields
    inlines = [StatusChangeInline]
    actions = ["pay_in_batch"]
    change_form_template = "admin/applications/application/change_form.html"

    visible_to = staticmethod(selectors.applications_visible_to)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("申请人"))
    def applicant_name(self, obj):
        return obj.applicant.real_name

    @admin.display(description=gettext_lazy("身份证号"))
    def applicant_id_number(self, obj):
        return obj.applicant.masked_id_number

    @admin.display(description=gettext_lazy("收款银行卡"))
    def masked_bank_card(self, obj):
        return obj.masked_bank_card

    @admin.display(description=gettext_lazy("证明材料"))
    def proofs(self, obj):
        items = []
        for attachment in obj.attachments.all():
            url = reverse("admin:applications_attachment_file", args=[attachment.pk])
            others = ", ".join(a.application.reference for a in attachment.used_elsewhere)
            flag = _("（同一文件也用于：%(refs)s）") % {"refs": others} if others else ""
            items.append((url, attachment.get_kind_display(), attachment.original_name, flag))
        if not items:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", '<li><a href="{}">{}：{}</a> <strong>{}</strong></li>', items),
        )

    @admin.display(description=gettext_lazy("预算"))
    def budget(self, obj):
        used = selectors.budget_committed(obj.program)
        return _("总预算 %(total)s 元，已批准 %(used)s 元，剩余 %(left)s 元") % {
            "total": obj.program.budget, "used": used, "left": obj.program.budget - used,
        }  # fmt: skip

    def get_search_results(self, request, queryset, search_term):
        term = normalise(search_term)
        if len(term) == 18 and term[:17].isdigit():
            return queryset.filter(applicant__id_number_index=blind_index(term)), False
        return super().get_search_results(request, queryset, search_term)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/review/", wrap(self.review_view), name="applications_application_review"
            ),
            path(
                "files/<int:attachment_pk>/",
                wrap(staff_attachment_download),
                name="applications_attachment_file",
            ),
            *super().get_urls(),
        ]

    def _choices(self, request, application):
        roles = selectors.roles_of(request.user, application) - {Role.APPLICANT}
        kind = application.program.workflow_kind
        choices = []
        for role in (Role.STREET_REVIEWER, Role.DISTRICT_APPROVER):
            if role not in roles:
                continue
            for to in workflow.moves_for(kind, role, application.status):
                choices.append((f"{role}:{to}", MOVE_LABELS[(role, to)]))
        return choices

    def review_view(self, request, pk):
        application = get_object_or_404(self.get_queryset(request), pk=pk)
        choices = self._choices(request, application)
        if not choices:
            self.message_user(
                request, _("您在这份申请的当前状态下没有可做的审核。"), messages.WARNING
            )
            return redirect("admin:applications_application_change", pk)
        form = ReviewForm(
            request.POST or None,
            choices=choices,
            initial={"approved_amount": application.requested_amount},
        )
        if request.method == "POST" and form.is_valid():
            role, to = form.cleaned_data["move"].split(":")
            decision = services.application_transition(
                application=application,
                actor=request.user,
                move=services.Move(
                    to,
                    role,
                    note=form.cleaned_data["note"],
                    approved_amount=form.cleaned_data["approved_amount"],
                ),
            )
            if decision:
                self.message_user(request, _("审核结果已保存，申请人会收到通知。"))
                return redirect("admin:applications_application_change", pk)
            form.add_error(None, decision.reason)
        used = selectors.budget_committed(application.program)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": application,
            "title": _("审核 %(ref)s") % {"ref": application.reference},
            "form": form,
            "budget_used": used,
            "budget_left": application.program.budget - used,
            "attachments": application.attachments.all(),
        }
        return TemplateResponse(request, "admin/applications/application/review.html", context)

    @admin.action(description=gettext_lazy("发放所选的已批准申请（生成发放批次）"))
    def pay_in_batch(self, request, queryset):
        if not request.user.has_perm("applications.add_paymentbatch"):
            raise PermissionDenied
        batch, problems = services.payment_batch_create(
            applications=list(queryset.filter(status=Status.APPROVED)), actor=request.user
        )
        for problem in problems:
            self.message_user(request, problem, messages.WARNING)
        if batch is None:
            self.message_user(request, _("没有可发放的已批准申请。"), messages.ERROR)
            return None
        self.message_user(request, _("已生成发放批次 %(ref)s。") % {"ref": batch.reference})
        return redirect("admin:applications_paymentbatch_change", batch.pk)


@admin.register(PaymentBatch)
class PaymentBatchAdmin(admin.ModelAdmin):
    list_display = ["reference", "created_by", "created_at", "count", "total"]
    fields = ["reference", "created_by", "created_at", "count", "total"]
    readonly_fields = fields
    change_form_template = "admin/applications/paymentbatch/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("笔数"))
    def count(self, obj):
        return obj.applications.count()

    @admin.display(description=gettext_lazy("合计（元）"))
    def total(self, obj):
        return sum(a.approved_amount for a in obj.applications.all())

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/export/", wrap(self.export_view), name="applications_paymentbatch_export"
            ),
            *super().get_urls(),
        ]

    def export_view(self, request, pk):
        batch = get_object_or_404(PaymentBatch, pk=pk)
        if not request.user.has_perm("applications.view_paymentbatch"):
            raise PermissionDenied
        reveal = request.method == "POST" and request.POST.get("reveal") == "1"
        if reveal and not request.user.has_perm("applications.reveal_bank_card"):
            raise PermissionDenied
        content = payment_batch_xlsx(
            batch=batch, staff=request.user, reveal=reveal,
            ip_address=request.META.get("REMOTE_ADDR"),
        )  # fmt: skip
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{batch.reference}.xlsx"'
        response["Cache-Control"] = "private, no-store"
        return response


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    """Listed for the duplicate check; files open through the permission-checked view."""

    list_display = ["original_name", "application", "kind", "size", "sha256", "uploaded_at"]
    search_fields = ["=sha256", "=application__reference"]
    readonly_fields = ["application", "kind", "original_name", "size", "content_type", "sha256"]
    exclude = ["file"]

    def get_queryset(self, request):
        visible = selectors.applications_visible_to(request.user)
        return super().get_queryset(request).filter(application__in=visible)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
