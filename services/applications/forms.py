from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from services.applications.engine import NOTE_MAX_LENGTH
from services.forms import AmountField


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类型"))
    file = forms.FileField(
        label=_("文件"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        # Worded per request, in the reader's language (a class attribute would freeze it).
        self.fields["file"].help_text = _("PDF、JPG 或 PNG，每个不超过 %(limit)s MB。") % {
            "limit": settings.PORTAL_UPLOAD_MAX_BYTES // 1_048_576
        }
        program_type = application.program.program_type
        wanted = application.program.required_proofs
        held = program_type.proofs_on_record(application)
        kinds = [
            k
            for k in program_type.proof_kinds
            if (not wanted or k in wanted or k == "other") and k not in held
        ]
        self.fields["kind"].choices = [(k, program_type.proof_kinds[k]) for k in kinds]


class ReviewForm(forms.Form):
    """What a member of staff decides: the steps offered are those the workflow table allows
    their role from the application's status; the amount field is there only when one of
    them takes an amount."""

    step = forms.ChoiceField(label=_("审核结果"), widget=forms.RadioSelect)
    amount = AmountField(
        label=_("批准金额（元）"),
        required=False,
        min_value=0.01,
        max_value=10_000_000,
        help_text=_("批准或更正金额时填写；与按规则计算的金额不同时，请在说明中写明原因。"),
    )
    note = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("需补充材料、不通过或更正金额时必填，申请人会看到。"),
    )

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(row.name, row.label) for row, _role in steps]
        if not any(row.takes_amount for row, _role in steps):
            del self.fields["amount"]
