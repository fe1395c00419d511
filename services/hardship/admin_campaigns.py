"""Campaigns in the admin: the campaign page (targets visited or not, money against budget, by
street), adding a street's active files as targets, recording household visits (a page made
for a phone in the field) and enterprise visits, and the visit list as Excel."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.admin_base import ReadOnlyMixin, StreetScopedAdmin
from services.forms import AmountField, add_errors
from services.hardship import campaigns, selectors
from services.hardship.exports import visits_xlsx
from services.hardship.forms import EnterpriseVisitForm, HouseholdVisitForm, TargetsForm
from services.hardship.models import (
    Campaign,
    CampaignKind,
    CampaignTarget,
    EnterpriseVisit,
    HouseholdVisit,
)
from services.members.audit import Action, audit_request
from services.members.models import Enterprise, Street
from services.members.selectors import staff_scope


class CampaignForm(forms.ModelForm):
    """A new campaign with its name, year and budget (its program is made with it)."""

    name = forms.CharField(label=gettext_lazy("活动名称"), max_length=100)
    kind = forms.ChoiceField(
        label=gettext_lazy("活动类型"),
        choices=[("", gettext_lazy("请选择")), *CampaignKind.choices],
    )
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2020, max_value=2100)
    budget = AmountField(label=gettext_lazy("预算（元）"), min_value=0, max_value=100_000_000)
    standard_amount = AmountField(
        label=gettext_lazy("每户慰问金标准（元）"), min_value=0, max_value=100_000
    )

    class Meta:
        model = Campaign
        fields = ["kind", "standard_amount"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["program", "kind", "standard_amount", "summary_link"]
    list_filter = ["kind"]
    change_form_template = "admin/hardship/campaign/change_form.html"

    @admin.display(description=gettext_lazy("活动统计"))
    def summary_link(self, obj):
        url = reverse("admin:hardship_campaign_summary", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("查看"))

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = CampaignForm
            kwargs["fields"] = ["name", "kind", "year", "budget", "standard_amount"]
        else:
            kwargs["fields"] = ["kind", "standard_amount"]
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["name", "kind", "year", "budget", "standard_amount"]})]
        return [(None, {"fields": ["kind", "standard_amount"]})]

    def save_model(self, request, obj, form, change):
        if change:
            campaigns.campaign_update(campaign=obj, actor=request.user)
            return
        data = form.cleaned_data
        created = campaigns.campaign_create(
            kind=data["kind"], name=data["name"], year=data["year"], budget=data["budget"],
            standard_amount=data["standard_amount"], actor=request.user,
        )  # fmt: skip
        obj.pk, obj.program = created.pk, created.program

    def get_urls(self):
        wrap = self.admin_site.admin_view
        name = "hardship_campaign_"
        return [
            path("<int:pk>/summary/", wrap(self.summary_view), name=name + "summary"),
            path("<int:pk>/targets/", wrap(self.targets_view), name=name + "targets"),
            path("<int:pk>/visit/", wrap(self.visit_view), name=name + "visit"),
            path("<int:pk>/enterprise/", wrap(self.enterprise_view), name=name + "enterprise"),
            path("<int:pk>/visits.xlsx", wrap(self.export_view), name=name + "export"),
            *super().get_urls(),
        ]

    def _context(self, request, campaign, **extra):
        return {
            **self.admin_site.each_context(request), "opts": self.opts, "original": campaign,
            **extra,
        }  # fmt: skip

    def _campaign(self, request, pk, perm="hardship.view_campaign"):
        if not request.user.has_perm(perm):
            raise PermissionDenied
        return get_object_or_404(Campaign.objects.select_related("program"), pk=pk)

    def summary_view(self, request, pk):
        campaign = self._campaign(request, pk)
        totals = campaigns.totals(campaign, request.user)
        return TemplateResponse(
            request, "admin/hardship/campaign/summary.html",
            self._context(request, campaign, title=_("活动统计"), totals=totals),
        )  # fmt: skip

    def targets_view(self, request, pk):
        campaign = self._campaign(request, pk, "hardship.add_campaigntarget")
        streets = staff_scope(request.user).filter(Street.objects.all(), "pk")
        form = TargetsForm(request.POST or None, streets=streets)
        if request.method == "POST" and form.is_valid():
            added = campaigns.targets_add_street(
                campaign=campaign, street=form.cleaned_data["street"], actor=request.user
            )
            self.message_user(request, _("已加入 %(n)s 户在册档案。") % {"n": added})
            return redirect("admin:hardship_campaign_summary", pk)
        return TemplateResponse(
            request, "admin/hardship/campaign/form.html",
            self._context(request, campaign, title=_("加入慰问对象"), form=form),
        )  # fmt: skip

    def visit_view(self, request, pk):
        campaign = self._campaign(request, pk, "hardship.add_householdvisit")
        targets = staff_scope(request.user).filter(
            selectors.files_visible_to(request.user).filter(pk__in=campaign.targets.values("file"))
        )
        form = HouseholdVisitForm(request.POST or None, request.FILES or None, targets=targets)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                visit = campaigns.visit_record(
                    campaign=campaign, file=data["file"], data=data, actor=request.user,
                    photo=data.get("photo"),
                )  # fmt: skip
            except ValidationError as error:
                add_errors(form, error)
            else:
                if visit.repeat:
                    self.message_user(
                        request, _("已记录。注意：这户在本活动中已经走访过，已标记为重复走访。"),
                        messages.WARNING,
                    )  # fmt: skip
                else:
                    self.message_user(request, _("已记录走访。"))
                return redirect("admin:hardship_campaign_visit", pk)
        return TemplateResponse(
            request, "admin/hardship/campaign/form.html",
            self._context(request, campaign, title=_("记录入户走访"), form=form, upload=True),
        )  # fmt: skip

    def enterprise_view(self, request, pk):
        campaign = self._campaign(request, pk, "hardship.add_enterprisevisit")
        enterprises = staff_scope(request.user).filter(Enterprise.objects.all())
        form = EnterpriseVisitForm(request.POST or None, enterprises=enterprises)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                campaigns.enterprise_visit_record(
                    campaign=campaign, enterprise=data["enterprise"], data=data,
                    actor=request.user,
                )  # fmt: skip
            except ValidationError as error:
                add_errors(form, error)
            else:
                self.message_user(request, _("已记录企业慰问。"))
                return redirect("admin:hardship_campaign_enterprise", pk)
        return TemplateResponse(
            request, "admin/hardship/campaign/form.html",
            self._context(request, campaign, title=_("记录企业慰问"), form=form),
        )  # fmt: skip

    def export_view(self, request, pk):
        campaign = self._campaign(request, pk, "hardship.view_householdvisit")
        audit_request(request, Action.EXPORT, obj=campaign, subject=f"{campaign} 走访名单")
        response = HttpResponse(
            visits_xlsx(campaign, request.user),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="campaign-{pk}-visits.xlsx"'
        response["Cache-Control"] = "private, no-store"
        return response


@admin.register(CampaignTarget)
class CampaignTargetAdmin(StreetScopedAdmin):
    """A campaign's list of households, drawn from the register; staff adjust it by removing
    one (district approvers) or adding a street's files from the campaign page."""

    list_display = ["file", "campaign", "street"]
    list_filter = ["campaign", "street"]
    fields = ["file", "campaign", "street"]
    readonly_fields = fields
    view_on_site = False
    visible_to = staticmethod(
        lambda user: staff_scope(user).filter(
            CampaignTarget.objects.select_related("file__member", "campaign__program", "street")
        )
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(HouseholdVisit)
class HouseholdVisitAdmin(ReadOnlyMixin, StreetScopedAdmin):
    list_display = ["file", "campaign", "visited_on", "cash", "repeat", "street"]
    sortable_by = ["visited_on"]  # the orderings with an index
    list_filter = ["campaign", "repeat", "street"]
    fields = ["file", "campaign", "street", "visited_on", "visitors", "cash", "goods",
              "goods_value", "notes", "photo_link", "repeat", "recorded_by",
              "created_at"]  # fmt: skip

    @admin.display(description=gettext_lazy("照片"))
    def photo_link(self, obj):
        if not obj.photo:
            return "—"
        url = reverse("admin:hardship_householdvisit_photo", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("查看照片"))

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/photo/", wrap(self.photo_view), name="hardship_householdvisit_photo"),
            *super().get_urls(),
        ]

    def photo_view(self, request, pk):
        """The photo, for staff who may see the visit (their street); never a public URL."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        visit = get_object_or_404(self.get_queryset(request), pk=pk)
        if not visit.photo:
            raise Http404
        audit_request(
            request, Action.PROOF, member=visit.file.member, obj=visit, subject="走访照片"
        )
        response = FileResponse(
            visit.photo.open("rb"), content_type=visit.photo_type or "application/octet-stream"
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

    visible_to = staticmethod(
        lambda user: staff_scope(user).filter(
            HouseholdVisit.objects.select_related("file__member", "campaign__program", "street")
        )
    )


@admin.register(EnterpriseVisit)
class EnterpriseVisitAdmin(ReadOnlyMixin, StreetScopedAdmin):
    list_display = ["enterprise", "campaign", "visited_on", "workers_reached", "cash_total",
                    "street"]  # fmt: skip
    sortable_by = ["visited_on"]  # the orderings with an index
    list_filter = ["campaign", "street"]
    fields = ["enterprise", "campaign", "street", "visited_on", "workers_reached", "cash_total",
              "goods_value", "notes", "recorded_by", "created_at"]  # fmt: skip
    visible_to = staticmethod(
        lambda user: staff_scope(user).filter(
            EnterpriseVisit.objects.select_related("enterprise", "campaign__program", "street")
        )
    )

    verbose_name = gettext_lazy("企业慰问")
