"""Staff pages for members, organisations and joining.

Street reviewers see only their street (changelist, change view, search and autocomplete all
go through ``get_queryset``). Personal data is masked everywhere; the full ID number is shown
only after a POST by staff holding ``reveal_member_pii``, and every reveal is logged.
Member records are read-only here: changes go through the services.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters

from services.admin_base import (
    ReadOnlyAdmin,
    ReadOnlyMixin,
    SafeAutocompleteMixin,
    StepDecisionMixin,
    StreetScopedAdmin,
)
from services.applications.admin.exports import Column, ListExportMixin, choice_label
from services.applications.admin.history import StatusChangeInline
from services.members import codes, selectors, services
from services.members.admin_search import PiiSearchMixin
from services.members.audit import Action, audit_request
from services.members.forms import CounterRegistrationForm, JoinDecisionForm, MobileForm
from services.members.models import (
    AuditEvent,
    ClosureRequest,
    ConsentRecord,
    EmploymentForm,
    Enterprise,
    GrassrootsUnion,
    JoinRequest,
    Member,
    StaffProfile,
    Street,
    User,
    VerificationStatus,
)
from services.members.net import client_ip
from services.members.pii import mask_mobile
from services.members.validators import validate_uscc


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    extra = 0


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    """Staff accounts. A worker's account (its username is the full mobile number) is managed
    through the member record, which shows the number masked; it is not listed or opened here."""

    inlines = [StaffProfileInline]
    list_display = ["__str__", "first_name", "is_staff", "is_active", "last_login"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(Q(is_staff=True) | Q(member__isnull=True))


@admin.register(Street)
class StreetAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]


class EnterpriseForm(forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = ["name", "credit_code", "street", "size", "has_union"]

    def clean_credit_code(self):
        return validate_uscc(self.cleaned_data["credit_code"])


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    form = EnterpriseForm
    list_display = ["name", "credit_code", "street", "size", "has_union"]
    list_filter = ["street", "size", "has_union"]
    search_fields = ["name", "=credit_code"]
    list_select_related = ["street"]


@admin.register(GrassrootsUnion)
class GrassrootsUnionAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "enterprise", "sector", "street", "founded_on"]
    list_filter = ["street"]
    search_fields = ["name"]
    autocomplete_fields = ["enterprise"]
    list_select_related = ["enterprise", "street"]


@admin.register(Member)
class MemberAdmin(PiiSearchMixin, ListExportMixin, ReadOnlyMixin, StreetScopedAdmin):
    visible_to = staticmethod(selectors.members_visible_to)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A member's record opened by staff is in the audit log."""
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            member = response.context_data["original"]
            audit_request(request, Action.MEMBER_VIEW, member=member, obj=member)
        return response

    export_columns = [
        Column(gettext_lazy("姓名"), "real_name"),
        Column(gettext_lazy("手机号"), "mobile", mask_mobile),
        Column(gettext_lazy("身份证号"), "id_number_masked"),
        Column(gettext_lazy("街道"), "street__name"),
        Column(gettext_lazy("工作单位"), "employer__name"),
        Column(gettext_lazy("工作单位（未列出）"), "employer_name"),
        Column(gettext_lazy("就业形态"), "employment_form", choice_label(EmploymentForm)),
        Column(gettext_lazy("会员状态"), "verification_status", choice_label(VerificationStatus)),
        Column(gettext_lazy("会员号"), "membership_number"),
        Column(gettext_lazy("注册时间"), "created_at"),
    ]
    list_display = [
        "real_name", "masked_mobile", "masked_id_number", "street", "employer_display",
        "employment_form", "verification_status", "membership_number",
    ]  # fmt: skip
    list_filter = ["verification_status", "employment_form", "street"]
    sortable_by = ["real_name", "membership_number"]  # the orderings with an index
    search_fields = ["real_name", "=membership_number", "id_number_masked"]
    fields = [
        "real_name", "masked_id_number", "birth_date", "sex", "masked_mobile", "street",
        "employer_display", "grassroots_union", "employment_form", "verification_status",
        "membership_number", "joined_on", "bank_card_display", "registered_by", "created_at",
    ]  # fmt: skip
    change_form_template = "admin/members/member/change_form.html"
    change_list_template = "admin/members/member/change_list.html"

    @admin.display(description=gettext_lazy("身份证号"))
    def masked_id_number(self, obj):
        return obj.id_number_masked or obj.masked_id_number  # stored masked: no decryption

    @admin.display(description=gettext_lazy("手机号"))
    def masked_mobile(self, obj):
        return obj.masked_mobile

    @admin.display(description=gettext_lazy("工作单位"))
    def employer_display(self, obj):
        return obj.employer_display

    @admin.display(description=gettext_lazy("收款银行卡"))
    def bank_card_display(self, obj):
        if not obj.bank_card_index:
            return "—"
        others = selectors.members_sharing_card(obj).count()
        if others:
            return _("%(card)s（注意：另有 %(n)s 名职工登记了同一张卡）") % {
                "card": obj.masked_bank_card, "n": others,
            }  # fmt: skip
        return obj.masked_bank_card

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("register/", wrap(self.counter_register_view), name="members_member_register"),
            path("<int:pk>/reveal/", wrap(self.reveal_view), name="members_member_reveal"),
            *super().get_urls(),
        ]

    def reveal_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        member = get_object_or_404(self.get_queryset(request), pk=pk)
        if not request.user.has_perm("members.reveal_member_pii"):
            raise PermissionDenied
        id_number = services.member_reveal_id_number(
            actor=request.user, member=member, ip_address=client_ip(request)
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": member,
            "title": _("查看完整身份证号"),
            "id_number": id_number,
        }
        return TemplateResponse(request, "admin/members/member/reveal.html", context)

    def counter_register_view(self, request):
        if not request.user.has_perm("members.add_member"):
            raise PermissionDenied
        return sensitive_post_parameters("password1", "password2", "id_number", "mobile")(
            self._counter_register
        )(request)

    def _counter_register(self, request):
        """The worker stands at the counter: their phone gets a code, they read it out, staff
        enter it with the details. A street reviewer registers only into their own street,
        and one with no street set registers nobody."""
        scope = selectors.staff_scope(request.user)
        if not scope.everything and scope.street is None:
            raise PermissionDenied
        if request.method == "POST" and "send_code" in request.POST:
            start = MobileForm({"mobile": request.POST.get("mobile", "")})
            if start.is_valid():
                codes.sms_code_send(
                    mobile=start.cleaned_data["mobile"], purpose=codes.Purpose.REGISTER
                )
                self.message_user(request, _("验证码已发送到职工手机，请职工告诉您6位验证码。"))
            else:
                self.message_user(request, start.errors["mobile"][0], messages.ERROR)
            keep = {k: v for k, v in request.POST.items() if not k.startswith(("password", "csrf"))}
            form = CounterRegistrationForm(initial=keep)
        else:
            form = CounterRegistrationForm(request.POST or None)
        if request.method == "POST" and "send_code" not in request.POST and form.is_valid():
            member = self._counter_save(request, form, scope)
            if member is not None:
                self.message_user(
                    request,
                    _("已为职工 %(mobile)s 代办注册。") % {"mobile": mask_mobile(member.mobile)},
                    messages.SUCCESS,
                )
                if self.get_queryset(request).filter(pk=member.pk).exists():
                    return redirect("admin:members_member_change", member.pk)
                return redirect("admin:members_member_changelist")
        enterprises = scope.filter(Enterprise.objects.all())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("代办注册"),
            "form": form,
            "enterprises": enterprises.values_list("name", flat=True),
        }
        return TemplateResponse(request, "admin/members/member/register.html", context)

    def _counter_save(self, request, form, scope):
        employer = form.cleaned_data["employer_enterprise"]
        if employer is not None and not scope.covers(employer.street_id):
            form.add_error("employer", _("这个单位不在您所在的街道，请由该街道或区总工会代办。"))
            return None
        mobile = form.cleaned_data["mobile"]
        checked = codes.sms_code_check(
            mobile=mobile, purpose=codes.Purpose.REGISTER, code=form.cleaned_data["code"]
        )
        if not checked:
            form.add_error("code", checked.reason)
            return None
        try:
            return form.save(
                mobile=mobile, registered_by=request.user,
                street=None if scope.everything else scope.street,
            )  # fmt: skip
        except services.AlreadyRegistered as error:
            form.add_error("id_number" if error.code == "id_taken" else "mobile", error)
            return None


@admin.register(JoinRequest)
class JoinRequestAdmin(PiiSearchMixin, ReadOnlyMixin, StreetScopedAdmin):
    list_display = [
        "member", "street", "grassroots_union", "employment_form", "status", "submitted_at"
    ]  # fmt: skip
    list_filter = ["status", "street", "employment_form"]
    sortable_by = ["submitted_at"]  # the orderings with an index
    search_fields = ["member__real_name", "member__id_number_masked"]
    pii_search_path = "member__"
    fields = [
        "member", "street", "grassroots_union", "employment_form", "employer_text", "status",
        "decision_note", "decided_by", "submitted_at", "decided_at",
    ]  # fmt: skip
    inlines = [StatusChangeInline]
    change_form_template = "admin/members/joinrequest/change_form.html"

    visible_to = staticmethod(selectors.join_requests_visible_to)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/decide/", wrap(self.decide_view), name="members_joinrequest_decide"),
            *super().get_urls(),
        ]

    def decide_view(self, request, pk):
        join_request = get_object_or_404(self.get_queryset(request), pk=pk)
        allowed = services.join_request_can_decide(actor=request.user, join_request=join_request)
        if not allowed:
            self.message_user(request, allowed.reason, messages.ERROR)
            return redirect("admin:members_joinrequest_change", pk)
        form = JoinDecisionForm(
            request.POST or None, initial={"grassroots_union": join_request.grassroots_union_id}
        )
        form.fields["grassroots_union"].queryset = GrassrootsUnion.objects.filter(
            street=join_request.street
        )
        if request.method == "POST" and form.is_valid():
            decision = services.join_request_decide(
                join_request=join_request,
                actor=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
                grassroots_union=form.cleaned_data["grassroots_union"],
            )
            if decision:
                self.message_user(request, _("审核结果已保存，职工会收到短信通知。"))
                return redirect(reverse("admin:members_joinrequest_change", args=[pk]))
            form.add_error(None, decision.reason)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": join_request,
            "title": _("审核入会申请"),
            "form": form,
        }
        return TemplateResponse(request, "admin/members/joinrequest/decide.html", context)


@admin.register(ClosureRequest)
class ClosureRequestAdmin(StepDecisionMixin, ReadOnlyMixin, admin.ModelAdmin):
    """Requests to close an account; a system administrator completes or refuses them."""

    list_display = ["member", "status", "requested_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    fields = ["member", "street", "reason", "status", "requested_at", "decided_by", "decided_at",
              "decision_note"]  # fmt: skip
    inlines = [StatusChangeInline]
    change_form_template = "admin/members/closurerequest/change_form.html"

    decide_title = gettext_lazy("办理注销申请")
    decide_note_help = gettext_lazy("暂不能注销时必填，职工会看到。")
    decide_template = "admin/members/closurerequest/decide.html"


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    list_display = [
        "user",
        "notice_version",
        "purpose",
        "granted_at",
        "recorded_by",
        "withdrawn_at",
    ]
    list_select_related = ["user", "recorded_by"]
    sortable_by = ["granted_at"]


@admin.register(AuditEvent)
class AuditEventAdmin(PiiSearchMixin, ReadOnlyAdmin):
    """The audit log, searched by person (name, masked ID or mobile, membership number), and
    filtered by staff member, action, object type and date."""

    list_display = ["at", "staff", "member", "action", "subject", "object_link", "ip_address"]
    list_select_related = ["staff", "member", "object_type"]
    list_filter = [
        "action", ("staff", admin.RelatedOnlyFieldListFilter),
        ("object_type", admin.RelatedOnlyFieldListFilter), ("at", admin.DateFieldListFilter),
    ]  # fmt: skip
    search_fields = ["member__real_name"]
    search_help_text = gettext_lazy(
        "按职工查找：姓名（开头几个字）、遮蔽后的身份证号（330***********123X）或手机号"
        "（138****5678）、会员号。"
    )
    pii_search_path = "member__"
    sortable_by = ["at"]
    fields = list_display

    @admin.display(description=gettext_lazy("对象"))
    def object_link(self, obj):
        if not obj.object_type_id:
            return "—"
        return f"{obj.object_type.name} #{obj.object_id}"


# Skill certificates have their own module; importing it registers them.
from services.members import admin_certificates  # noqa: E402, F401
