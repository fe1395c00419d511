"""Staff pages for skill certificates: the street's certificates waiting to be checked, the
file, and the decision (verify, or reject with a reason the worker reads).

A street reviewer or course manager sees their own street, district staff every street; the
decision is a step of the shared workflow engine, so who may take it is the workflow's table.
"""

from django.contrib import admin
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from services.admin_base import ReadOnlyMixin, StepDecisionMixin, StreetScopedAdmin
from services.applications.admin.history import StatusChangeInline
from services.applications.views import serve_attachment
from services.members import certificates
from services.members.admin_search import PiiSearchMixin
from services.members.audit import Action, audit_request
from services.members.models import SkillCertificate


@admin.register(SkillCertificate)
class SkillCertificateAdmin(StepDecisionMixin, PiiSearchMixin, ReadOnlyMixin, StreetScopedAdmin):
    list_display = [
        "member_name", "occupation", "level", "certificate_number", "street", "status",
        "uploaded_at",
    ]  # fmt: skip
    sortable_by = ["certificate_number", "uploaded_at"]  # the orderings with an index
    list_filter = ["status", "level", "street"]
    search_fields = ["member__real_name", "member__id_number_masked", "certificate_number"]
    pii_search_path = "member__"
    fields = [
        "member_name", "street", "level", "occupation", "certificate_number", "issued_on", "issuer",
        "file_link", "status", "decision_note", "decided_by", "decided_at", "uploaded_at",
    ]  # fmt: skip
    inlines = [StatusChangeInline]
    change_form_template = "admin/members/skillcertificate/change_form.html"

    visible_to = staticmethod(certificates.certificates_visible_to)

    @admin.display(description=gettext_lazy("职工"), ordering="member__real_name")
    def member_name(self, obj):
        # The name in full: staff check it against the certificate's.
        return f"{obj.member.real_name} {obj.member.masked_mobile}"

    @admin.display(description=gettext_lazy("证书文件"))
    def file_link(self, obj):
        url = reverse("admin:members_skillcertificate_file", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)

    decide_title = gettext_lazy("核验职业技能等级证书")
    decide_note_help = gettext_lazy(
        "核验不通过时必填，职工会看到，例如“证书编号与全国证书查询结果不符”。"
    )
    decide_template = "admin/members/skillcertificate/decide.html"
    decide_done = gettext_lazy("已办理，职工会收到通知。")

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/file/", wrap(self.file_view), name="members_skillcertificate_file"),
            *super().get_urls(),
        ]

    def file_view(self, request, pk):
        if not self.has_view_permission(request):
            return redirect("admin:index")
        certificate = get_object_or_404(self.get_queryset(request), pk=pk)
        audit_request(
            request, Action.PROOF, member=certificate.member, obj=certificate,
            subject=f"{certificate.occupation} {certificate.certificate_number}",
        )  # fmt: skip
        return serve_attachment(certificate)

    def decide(self, request, obj, step, note, data=None):
        return certificates.certificate_decide(
            certificate=obj, actor=request.user, step=step, note=note
        )
