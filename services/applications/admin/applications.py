"""Applications in the admin: review queues and the decision page.

A street reviewer sees only their street's applications (and with no street set, none). The
decision page shows what the worker declared (the program type's details), the membership
date, the rule's computation, each proof with any other application that used the same file,
the program's budget and the worker's use of the per-person cap; it offers exactly the steps
the workflow table allows the staff member's role from the current status.
"""

import functools

from django.contrib import admin, messages
from django.contrib.admin import SimpleListFilter
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from services.admin_base import ReadOnlyMixin, StreetScopedAdmin
from services.applications import engine, ledger, selectors
from services.applications.admin.exports import Column, ListExportMixin
from services.applications.admin.history import StatusChangeInline
from services.applications.admin.notices import NoticeObjectionInline
from services.applications.admin.payments import warn_waiting_for_card
from services.applications.forms import ReviewForm
from services.applications.models import Application, Attachment, Program
from services.applications.registry import program_types
from services.applications.views import staff_attachment_download
from services.members.admin_search import PiiSearchMixin
from services.money import yuan
from services.words import clauses


class StatusFilter(SimpleListFilter):
    """Statuses by their labels, from the workflows of the program types that have
    applications (a course program's enrolments are not applications)."""

    title = gettext_lazy("状态")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        seen = {}
        with_applications = Application.objects.filter(program=OuterRef("pk"))
        kinds = set(
            Program.objects.filter(Exists(with_applications))
            .values_list("kind", flat=True)
            .distinct()
        )
        for program_type in program_types():
            if program_type.kind not in kinds:
                continue
            for value, label in program_type.workflow.statuses.choices:
                seen.setdefault(value, label)
        return list(seen.items())

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(status=value) if value else queryset


def proof_list(application, viewer):
    """Each proof as a link, with the other applications that used the same file: named when
    the viewer may see them, only counted when they are in another street. Proofs the portal
    holds on the worker's record (a verified certificate) come first, linked to their file."""
    items = [
        (url, label, "")
        for url, label in application.program.program_type.staff_records(application)
    ]
    for attachment in application.attachments.all():
        url = reverse("admin:applications_attachment_file", args=[attachment.pk])
        visible, hidden = selectors.same_file_elsewhere(attachment, viewer)
        flags = []
        for other in visible:
            flags.append(
                _("同一文件也用于 %(ref)s（%(name)s）")
                % {"ref": other.reference, "name": other.applicant.real_name}
            )
        if hidden:
            flags.append(_("另有 %(n)s 份其他街道的申请使用同一文件") % {"n": hidden})
        label = _("%(kind)s：%(name)s") % {
            "kind": attachment.kind_label, "name": attachment.original_name,
        }  # fmt: skip
        items.append((url, label, clauses(flags)))
    if not items:
        return "—"
    return format_html(
        '<ul class="proof-list">{}</ul>',
        format_html_join(
            "", '<li><a href="{}">{}</a> <strong class="warning">{}</strong></li>', items
        ),
    )


def status_labels() -> dict:
    """Every workflow's statuses by their labels (a status means the same in each)."""
    seen = {}
    for program_type in program_types():
        for value, label in program_type.workflow.statuses.choices:
            seen.setdefault(value, label)
    return seen


@functools.cache
def _status_label_texts(language: str) -> dict:
    return {value: str(label) for value, label in status_labels().items()}


def status_label(value: str) -> str:
    """For exports: read per row, so the labels are worked out once per language."""
    return _status_label_texts(get_language()).get(value, value)


@admin.register(Application)
class ApplicationAdmin(PiiSearchMixin, ListExportMixin, ReadOnlyMixin, StreetScopedAdmin):
    export_columns = [
        Column(gettext_lazy("申请编号"), "reference"),
        Column(gettext_lazy("项目"), "program__name"),
        Column(gettext_lazy("申请人"), "applicant__real_name"),
        Column(gettext_lazy("身份证号"), "applicant__id_number_masked"),
        Column(gettext_lazy("街道"), "street__name"),
        Column(gettext_lazy("状态"), "status", status_label),
        Column(gettext_lazy("按规则计算金额（元）"), "requested_amount"),
        Column(gettext_lazy("批准金额（元）"), "approved_amount"),
        Column(gettext_lazy("提交时间"), "submitted_at"),
        Column(gettext_lazy("审批时间"), "decided_at"),
    ]
    list_display = [
        "reference", "program", "applicant_name", "street", "status_display",
        "requested_yuan", "approved_yuan", "submitted_at",
    ]  # fmt: skip
    list_filter = [StatusFilter, "program", "street", ("submitted_at", admin.DateFieldListFilter)]
    search_fields = ["=reference", "applicant__real_name", "applicant__id_number_masked"]
    pii_search_path = "applicant__"
    reference_search_path = "reference"
    sortable_by = ["reference", "submitted_at"]  # the orderings with an index
    fields = [
        "reference", "program", "applicant_name", "applicant_id_number", "membership",
        "street", "status_display", "declared", "requested_yuan", "amount_reason",
        "approved_yuan", "money", "masked_bank_card", "recommended_by_name", "decided_by_name",
        "submitted_at", "decided_at", "budget",
    ]  # fmt: skip
    inlines = [StatusChangeInline, NoticeObjectionInline]
    actions = ["build_payment_batch"]
    change_form_template = "admin/applications/application/change_form.html"

    visible_to = staticmethod(selectors.applications_visible_to)

    @admin.display(description=gettext_lazy("申请人"))
    def applicant_name(self, obj):
        return obj.applicant.real_name

    @admin.display(description=gettext_lazy("身份证号"))
    def applicant_id_number(self, obj):
        return obj.applicant.masked_id_number

    @admin.display(description=gettext_lazy("会员"))
    def membership(self, obj):
        member = obj.applicant
        if not member.is_member:
            return member.get_verification_status_display()
        return _("会员号 %(number)s，%(date)s 入会") % {
            "number": member.membership_number, "date": member.joined_on,
        }  # fmt: skip

    @admin.display(description=gettext_lazy("初审人"))
    def recommended_by_name(self, obj):
        return str(obj.recommended_by) if obj.recommended_by else "—"

    @admin.display(description=gettext_lazy("复审人"))
    def decided_by_name(self, obj):
        return str(obj.decided_by) if obj.decided_by else "—"

    @admin.display(description=gettext_lazy("按规则计算（元）"), ordering="requested_amount")
    def requested_yuan(self, obj):
        return yuan(obj.requested_amount)

    @admin.display(description=gettext_lazy("批准金额（元）"), ordering="approved_amount")
    def approved_yuan(self, obj):
        return yuan(obj.approved_amount) or "—"

    @admin.display(description=gettext_lazy("状态"), ordering="status")
    def status_display(self, obj):
        return obj.status_label

    @admin.display(description=gettext_lazy("申报内容"))
    def declared(self, obj):
        rows = obj.program.program_type.details(obj)
        if not rows:
            return "—"
        return format_html("<dl class=\"declared\">{}</dl>", format_html_join(
            "", "<dt>{}</dt><dd>{}</dd>", rows
        ))  # fmt: skip

    @admin.display(description=gettext_lazy("收款银行卡"))
    def masked_bank_card(self, obj):
        return obj.applicant.masked_bank_card or "—"

    @admin.display(description=gettext_lazy("资金台账"))
    def money(self, obj):
        entry = ledger.entry_for(obj)
        if entry is None:
            return "—"
        text = _("%(status)s · %(amount)s 元") % {
            "status": entry.get_status_display(), "amount": yuan(entry.amount),
        }  # fmt: skip
        if entry.last_failure:
            text += " · " + _("上次银行退回：%(why)s") % {"why": entry.last_failure}
        return text

    @admin.display(description=gettext_lazy("预算"))
    def budget(self, obj):
        return budget_text(obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The proofs need the viewer (other streets' references are counted, never named).
        application = self.get_object(request, object_id)
        if application is None:
            return super().change_view(request, object_id, form_url, extra_context)
        extra_context = {
            **(extra_context or {}),
            "proofs": proof_list(application, request.user),
            "cap": cap_text(application),
            "objection_url": objection_url(application, request.user),
        }
        return super().change_view(request, object_id, form_url, extra_context)

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

    def review_view(self, request, pk):
        application = get_object_or_404(self.get_queryset(request), pk=pk)
        steps = engine.steps_for(request.user, application)
        if not steps:
            self.message_user(
                request, _("您在这份申请的当前状态下没有可做的审核。"), messages.WARNING
            )
            return redirect("admin:applications_application_change", pk)
        form = ReviewForm(
            request.POST or None,
            steps=steps,
            initial={"amount": application.approved_amount or application.requested_amount},
        )
        if request.method == "POST" and form.is_valid():
            decision = engine.application_transition(
                application=application,
                actor=request.user,
                step=form.cleaned_data["step"],
                note=form.cleaned_data["note"],
                amount=form.cleaned_data.get("amount"),
            )
            if decision:
                self.message_user(request, _("审核结果已保存，申请人会收到通知。"))
                return redirect("admin:applications_application_change", pk)
            field = {"note_required": "note", "note_too_long": "note"}.get(decision.code)
            if (
                decision.code in {"person_cap", "budget", "amount_required"}
                and "amount" in form.fields
            ):
                field = "amount"
            form.add_error(field, decision.reason)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": application,
            "title": _("审核 %(ref)s") % {"ref": application.reference},
            "form": form,
            "declared": application.program.program_type.details(application),
            "budget": budget_text(application),
            "cap": cap_text(application),
            "proofs": proof_list(application, request.user),
            "changes": engine.history(application),
        }
        return TemplateResponse(request, "admin/applications/application/review.html", context)

    def has_build_batch_permission(self, request):
        return request.user.has_perm("applications.add_paymentbatch")

    @admin.action(
        description=gettext_lazy("为所选已批准申请生成发放批次"),
        permissions=["build_batch"],
    )
    def build_payment_batch(self, request, queryset):
        entries = [ledger.entry_for(a) for a in queryset.filter(status="approved")]
        by_program: dict[int, list[int]] = {}
        for entry in entries:
            if entry is not None and entry.status == "reserved":
                by_program.setdefault(entry.program_id, []).append(entry.pk)
        if not by_program:
            self.message_user(request, _("所选申请中没有待发放的款项。"), messages.ERROR)
            return None
        built = []
        for program_id, entry_ids in by_program.items():
            try:
                built.append(
                    ledger.payment_batch_build(
                        program=Program.objects.get(pk=program_id),
                        actor=request.user,
                        entry_ids=entry_ids,
                    )  # fmt: skip
                )
            except ValidationError as error:
                self.message_user(request, error.messages[0], messages.WARNING)
        for batch in built:
            self.message_user(request, _("已生成发放批次 %(ref)s。") % {"ref": batch.reference})
            warn_waiting_for_card(self, request, batch.program)
        if len(built) == 1:
            return redirect("admin:applications_paymentbatch_change", built[0].pk)
        return None


def objection_url(application, user) -> str:
    """Where to record an objection to this application, if it is on a public notice (公示)
    and the viewer may record one."""
    entry = application.notice_entries.order_by("-notice__starts_at").first()
    if entry is None or not user.has_perm("applications.add_noticeobjection"):
        return ""
    return (
        reverse("admin:applications_noticeobjection_add")
        + "?"
        + urlencode({"notice": entry.notice_id, "application": application.pk})
    )


def budget_text(application) -> str:
    program = application.program
    used = ledger.budget_used(program)
    return _("总预算 %(total)s 元，已核定 %(used)s 元，剩余 %(left)s 元") % {
        "total": f"{program.budget:,.2f}", "used": f"{used:,.2f}",
        "left": f"{program.budget - used:,.2f}",
    }  # fmt: skip


def cap_text(application) -> str:
    program = application.program
    taken = ledger.member_year_total(
        member=application.applicant, program_code=program.code, year=program.year
    )
    return _("每人每年上限 %(cap)s 元；该职工 %(year)s 年本项目已核定 %(taken)s 元") % {
        "cap": f"{program.per_person_cap:,.2f}", "year": program.year, "taken": f"{taken:,.2f}",
    }  # fmt: skip


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Listed for the duplicate check; files open through the permission-checked view."""

    list_display = ["original_name", "application", "kind", "size", "sha256", "uploaded_at"]
    search_fields = ["=sha256", "=application__reference"]
    fields = ["application", "kind", "original_name", "size", "content_type", "sha256"]

    def get_queryset(self, request):
        return selectors.attachments_visible_to(request.user).select_related("application")
