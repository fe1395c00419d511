"""Finance in the admin: the ledger, payment batches, the bank's results.

Finance builds a batch from the reserved ledger entries of a program (from the application
list, or from the batch list), downloads it as an Excel file for the bank (bank cards masked,
or in full with ``reveal_bank_card``, each reveal logged), then records the bank's result line
by line on the batch page or by uploading the bank's return file. Only then is an entry paid
and the worker told; a failed line goes back to the queue with the bank's reason.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.admin_base import ReadOnlyMixin, ReadOnlyTabularInline
from services.applications import ledger
from services.applications.bank_results import read_bank_results
from services.applications.exports import payment_batch_xlsx
from services.applications.models import (
    LedgerEntry,
    LedgerEvent,
    PaymentBatch,
    PaymentLine,
    Program,
)
from services.members.audit import Action, audit_request
from services.members.net import client_ip
from services.money import yuan
from services.words import clauses


def warn_waiting_for_card(model_admin, request, program) -> None:
    """Tell finance which payments of the program wait for the worker's payee card."""
    waiting = ledger.waiting_for_card(program)
    if waiting:
        model_admin.message_user(
            request,
            _("另有 %(n)s 笔款项因职工未登记收款银行卡，暂未编入批次；职工登记后可再生成批次。")
            % {"n": waiting},
            messages.WARNING,
        )


class PaymentLineInline(ReadOnlyTabularInline):
    model = PaymentLine
    fields = [
        "sequence", "entry", "member_name", "amount_yuan", "result", "bank_note", "recorded_at",
        "remarks",
    ]  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("entry", "entry__member")

    @admin.display(description=gettext_lazy("姓名"))
    def member_name(self, obj):
        return obj.entry.member.real_name

    @admin.display(description=gettext_lazy("金额（元）"))
    def amount_yuan(self, obj):
        return yuan(obj.amount)

    @admin.display(description=gettext_lazy("核对提示"))
    def remarks(self, obj):
        return clauses(ledger.entry_remarks(obj.entry)) or "—"


class BatchBuildForm(forms.Form):
    program = forms.ModelChoiceField(
        label=gettext_lazy("项目"),
        queryset=Program.objects.all(),
        empty_label=gettext_lazy("请选择"),
    )


class LineResultForm(forms.Form):
    result = forms.ChoiceField(
        label=gettext_lazy("银行结果"),
        choices=[
            ("", gettext_lazy("暂不录入")),
            ("paid", gettext_lazy("成功")),
            ("failed", gettext_lazy("失败")),
        ],
        required=False,
    )
    note = forms.CharField(label=gettext_lazy("失败原因"), max_length=200, required=False)


class ResultsUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("银行回单文件（Excel）"),
        help_text=gettext_lazy("导出的发放表填好“银行结果”（成功/失败）和“失败原因”两列后上传。"),
    )


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["reference", "program", "status", "created_by", "created_at", "count", "total"]
    list_filter = ["status", "program"]
    search_fields = ["=reference"]
    fields = [
        "reference", "program", "status", "created_by", "created_at", "exported_at",
        "closed_at", "count", "total",
    ]  # fmt: skip
    inlines = [PaymentLineInline]
    change_form_template = "admin/applications/paymentbatch/change_form.html"
    change_list_template = "admin/applications/paymentbatch/change_list.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("program", "created_by")
            .annotate(line_count=Count("lines"), line_total=Sum("lines__amount"))
        )

    @admin.display(description=gettext_lazy("笔数"))
    def count(self, obj):
        return obj.line_count

    @admin.display(description=gettext_lazy("合计（元）"))
    def total(self, obj):
        return yuan(obj.line_total or 0)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("build/", wrap(self.build_view), name="applications_paymentbatch_build"),
            path(
                "<int:pk>/export/", wrap(self.export_view), name="applications_paymentbatch_export"
            ),
            path(
                "<int:pk>/results/",
                wrap(self.results_view),
                name="applications_paymentbatch_results",
            ),  # fmt: skip
            *super().get_urls(),
        ]

    def _context(self, request, **extra):
        return {**self.admin_site.each_context(request), "opts": self.opts, **extra}

    def build_view(self, request):
        if not request.user.has_perm("applications.add_paymentbatch"):
            raise PermissionDenied
        form = BatchBuildForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                batch = ledger.payment_batch_build(
                    program=form.cleaned_data["program"], actor=request.user
                )
            except ValidationError as error:
                form.add_error("program", error)
            else:
                self.message_user(request, _("已生成发放批次 %(ref)s。") % {"ref": batch.reference})
                warn_waiting_for_card(self, request, batch.program)
                return redirect("admin:applications_paymentbatch_change", batch.pk)
        waiting = (
            LedgerEntry.objects.filter(status="reserved")
            .values("program__name", "program__year")
            .annotate(n=Count("id"), total=Sum("amount"))
            .order_by("program__name")
        )
        return TemplateResponse(
            request,
            "admin/applications/paymentbatch/build.html",
            self._context(request, title=_("生成发放批次"), form=form, waiting=waiting),
        )

    def export_view(self, request, pk):
        if not request.user.has_perm("applications.view_paymentbatch"):
            raise PermissionDenied
        batch = get_object_or_404(PaymentBatch.objects.select_related("program"), pk=pk)
        reveal = request.method == "POST" and request.POST.get("reveal") == "1"
        if reveal and not request.user.has_perm("applications.reveal_bank_card"):
            raise PermissionDenied
        content = payment_batch_xlsx(
            batch=batch, actor=request.user, reveal=reveal, ip_address=client_ip(request)
        )
        ledger.payment_batch_mark_exported(batch=batch, actor=request.user)
        audit_request(request, Action.EXPORT, obj=batch, subject=f"{batch.reference}（银行）")
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{batch.reference}.xlsx"'
        response["Cache-Control"] = "private, no-store"
        return response

    def results_view(self, request, pk):
        """The bank's result, line by line, or from the bank's return file."""
        if not request.user.has_perm("applications.change_paymentbatch"):
            raise PermissionDenied
        batch = get_object_or_404(PaymentBatch, pk=pk)
        pending = list(
            batch.lines.filter(result=PaymentLine.Result.PENDING).select_related("entry__member")
        )
        for line in pending:
            line.remarks = ledger.entry_remarks(line.entry)
        forms_by_line = [
            (line, LineResultForm(request.POST or None, prefix=f"line-{line.pk}"))
            for line in pending
        ]
        upload = ResultsUploadForm(
            request.POST if "upload" in request.POST else None, request.FILES or None
        )
        report = None
        if request.method == "POST" and "upload" in request.POST:
            if upload.is_valid():
                report = read_bank_results(batch=batch, upload=upload.cleaned_data["file"])
                if report.ok:
                    self._record(request, batch, report.results)
                    return redirect("admin:applications_paymentbatch_change", batch.pk)
        elif request.method == "POST":
            results = self._results_from(forms_by_line)
            if results is not None:
                self._record(request, batch, results)
                return redirect("admin:applications_paymentbatch_change", batch.pk)
        return TemplateResponse(
            request,
            "admin/applications/paymentbatch/results.html",
            self._context(
                request,
                title=_("录入银行结果 %(ref)s") % {"ref": batch.reference},
                original=batch,
                lines=forms_by_line,
                upload=upload,
                report=report,
            ),  # fmt: skip
        )

    @staticmethod
    def _results_from(forms_by_line):
        """(line, paid, note) for each line given a result, or None if a form has errors."""
        if not all(form.is_valid() for _line, form in forms_by_line):
            return None
        results = []
        for line, form in forms_by_line:
            result, note = form.cleaned_data["result"], form.cleaned_data["note"].strip()
            if result == "failed" and not note:
                form.add_error("note", _("失败时请填写银行退回的原因。"))
            elif result:
                results.append((line, result == "paid", note))
        return None if any(form.errors for _line, form in forms_by_line) else results

    def _record(self, request, batch, results):
        paid = failed = 0
        for line, is_paid, note in results:
            try:
                ledger.payment_line_record(line=line, paid=is_paid, note=note, actor=request.user)
            except ValidationError as error:
                self.message_user(request, error.messages[0], messages.WARNING)
                continue
            paid += is_paid
            failed += not is_paid
        self.message_user(
            request,
            _("已录入：成功 %(paid)s 笔，失败 %(failed)s 笔。失败的款项回到待发放，进入下一批次。")
            % {"paid": paid, "failed": failed},
        )


class LedgerEventInline(ReadOnlyTabularInline):
    model = LedgerEvent
    fields = ["at", "action", "amount_yuan", "batch", "actor", "note"]

    @admin.display(description=gettext_lazy("金额（元）"))
    def amount_yuan(self, obj):
        return yuan(obj.amount)


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("冲销原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "purpose", "member_name", "program", "year", "amount_yuan", "status", "created_at",
    ]  # fmt: skip
    list_filter = ["status", "year", "program"]
    sortable_by = ["created_at"]  # the orderings with an index
    search_fields = ["purpose", "member__real_name"]
    list_select_related = ["member", "program"]
    fields = [
        "purpose", "member_name", "program", "year", "amount_yuan", "status", "failures",
        "last_failure", "created_by", "created_at", "paid_at", "reversed_by", "reversed_at",
        "reversal_reason",
    ]  # fmt: skip
    inlines = [LedgerEventInline]
    change_form_template = "admin/applications/ledgerentry/change_form.html"

    @admin.display(description=gettext_lazy("职工"))
    def member_name(self, obj):
        return obj.member.real_name

    @admin.display(description=gettext_lazy("金额（元）"), ordering="amount")
    def amount_yuan(self, obj):
        return yuan(obj.amount)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/reverse/",
                wrap(self.reverse_view),
                name="applications_ledgerentry_reverse",
            ),  # fmt: skip
            *super().get_urls(),
        ]

    def reverse_view(self, request, pk):
        if not request.user.has_perm("applications.reverse_ledgerentry"):
            raise PermissionDenied
        entry = get_object_or_404(LedgerEntry, pk=pk)
        form = ReverseForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                ledger.ledger_reverse_paid(
                    entry=entry, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                form.add_error("reason", error)
            else:
                self.message_user(request, _("已冲销。"))
                return redirect(reverse("admin:applications_ledgerentry_change", args=[pk]))
        return TemplateResponse(
            request,
            "admin/applications/ledgerentry/reverse.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": entry,
                "title": _("冲销 %(entry)s") % {"entry": entry},
                "form": form,
            },  # fmt: skip
        )
