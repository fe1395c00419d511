from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from services.applications.engine import NOTE_MAX_LENGTH
from services.applications.models import NOTICE_MAX_DAYS, NOTICE_MIN_DAYS, ObjectionChannel
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


# -- public notices (公示), in the admin -------------------------------------------------------

# The phone's own date and time pickers; no script needed.
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class NoticeForm(forms.Form):
    """A new public notice: the program, its period and where objections go. The lines are
    made from the program's approved applications when it is saved."""

    program = forms.ModelChoiceField(
        label=_("项目"),
        queryset=None,
        help_text=_("只列出设置了“需要公示”的项目；名单为保存时已批准和已发放的申请。"),
    )
    title = forms.CharField(
        label=_("公示标题"),
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": _("例如：2026年厂门口上大学补助获批名单公示")}
        ),
    )
    intro = forms.CharField(
        label=_("公示说明"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("可选，显示在名单上方。"),
    )
    starts_at = forms.DateTimeField(
        label=_("公示开始"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    ends_at = forms.DateTimeField(
        label=_("公示结束"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    objection_contact = forms.CharField(
        label=_("异议受理方式"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("对公示有异议的，向哪里反映：地址、电话或电子邮箱。公示页会显示。"),
    )

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["ends_at"].help_text = _(
            "公示期 %(min)s 到 %(days)s 天，期满后公示自动从网站撤下。"
        ) % {"min": NOTICE_MIN_DAYS, "days": NOTICE_MAX_DAYS}


class NoticeWithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤下原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class ObjectionForm(forms.Form):
    """An objection to an award on a notice, as it reached the federation."""

    notice = forms.ModelChoiceField(label=_("公示"), queryset=None)
    application = forms.ModelChoiceField(
        label=_("被异议的申请"),
        queryset=None,
        help_text=_("只列出您可以办理的、在公示名单中的申请。"),
    )
    received_on = forms.DateField(
        label=_("收到日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    channel = forms.ChoiceField(label=_("反映方式"), choices=())
    content = forms.CharField(
        label=_("异议内容摘要"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("只有工作人员能看到。反映人的姓名和联系方式，只在对方同意时记下。"),
    )

    def __init__(self, *args, notices, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notice"].queryset = notices
        self.fields["application"].queryset = applications
        self.fields["application"].label_from_instance = lambda application: (
            f"{application.reference} {application.applicant.real_name}"
        )
        self.fields["channel"].choices = [("", _("请选择")), *ObjectionChannel.choices]


class ObjectionResolveForm(forms.Form):
    outcome = forms.CharField(
        label=_("核实结果"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("核实后需要撤销批准的，请在申请的审核页办理“撤销批准”。"),
    )
