from django import forms
from django.utils.translation import gettext_lazy as _

from services.applications.models import AttachmentKind


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类型"), choices=AttachmentKind.choices)
    file = forms.FileField(
        label=_("文件"),
        help_text=_("PDF、JPG 或 PNG，每个不超过 10 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class ReviewForm(forms.Form):
    """What a reviewer decides; the choices offered depend on the reviewer's role and the
    application's status (the workflow table)."""

    move = forms.ChoiceField(label=_("审核结果"), widget=forms.RadioSelect)
    approved_amount = forms.DecimalField(
        label=_("批准金额（元）"), required=False, min_value=0, decimal_places=2
    )
    note = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("需补充材料或不通过时必填，申请人会看到。"),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["move"].choices = choices
