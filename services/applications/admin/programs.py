"""Programs in the admin: the rule parameters and proofs are checked by the program's type,
and every amount is typed as people write it (never 1e5)."""

import json

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.applications.models import Program
from services.applications.registry import program_type
from services.applications.selectors import with_usage
from services.applications.services import program_delete, program_save
from services.forms import AmountField
from services.money import yuan
from services.words import listing


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = [
            "code", "name", "description", "eligibility_text", "year", "batch", "kind",
            "rule_params", "required_proofs", "opens_at", "closes_at", "budget",
            "per_person_cap", "max_applications", "min_membership_months", "min_age",
            "requires_notice",
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        found = program_type(kind) if kind else None
        if found is None:
            return data
        if "rule_params" in data:
            try:
                data["rule_params"] = found.validate_params(data["rule_params"])
            except ValidationError as error:
                self.add_error("rule_params", error)
        proofs = data.get("required_proofs")
        if proofs is not None:
            if not isinstance(proofs, list) or not all(isinstance(p, str) for p in proofs):
                self.add_error("required_proofs", _('请填写材料代码的列表，例如 ["admission"]。'))
            else:
                unknown = [p for p in proofs if p not in found.proof_kinds]
                if unknown:
                    known = listing(
                        f"{code}（{label}）" for code, label in found.proof_kinds.items()
                    )
                    self.add_error(
                        "required_proofs",
                        _("不认识的材料：%(codes)s。可用：%(known)s。")
                        % {"codes": listing(unknown), "known": known},
                    )
        # The admin's time field shows hours and minutes: a time left as it was keeps its
        # seconds (a batch closing at 23:59:59 does not close at 23:59:00 because its budget
        # was edited).
        for name in ("opens_at", "closes_at"):
            before, after = getattr(self.instance, name, None), data.get(name)
            if before and after and before.replace(second=0, microsecond=0) == after:
                data[name] = before
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("截止时间应晚于开始时间。"))
        return data


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    form = ProgramForm
    list_display = [
        "name", "code", "year", "batch", "opens_at", "closes_at", "budget_yuan", "budget_used",
    ]  # fmt: skip
    list_filter = ["year", "kind", "requires_notice"]
    search_fields = ["name", "code"]
    formfield_overrides = {models.DecimalField: {"form_class": AmountField}}

    @admin.display(description=gettext_lazy("总预算（元）"), ordering="budget")
    def budget_yuan(self, obj):
        return yuan(obj.budget)

    @admin.display(description=gettext_lazy("已核定金额（元）"))
    def budget_used(self, obj):
        return yuan(obj.money_used)

    def get_queryset(self, request):
        return with_usage(super().get_queryset(request))

    def save_model(self, request, obj, form, change):
        program_save(program=obj, actor=request.user)

    def delete_model(self, request, obj):
        program_delete(program=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for program in queryset:
            program_delete(program=program, actor=request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        found = obj.program_type if obj else None
        field = form.base_fields.get("rule_params")
        if field is not None:
            field.help_text = found.params_help if found else _("按项目类型填写，保存时会检查。")
        proofs = form.base_fields.get("required_proofs")
        if proofs is not None and found is not None:
            proofs.help_text = _("可用的材料代码：%(codes)s") % {
                "codes": json.dumps(list(found.proof_kinds), ensure_ascii=False)
            }
        return form
