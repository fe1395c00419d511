"""Logins, workers, staff, consents and the record of who saw personal data."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.members.models.organisation import Enterprise, GrassrootsUnion, Street
from services.members.pii import (
    EncryptedCharField,
    mask_card,
    mask_id_number,
    mask_mobile,
    mask_name,
)


class User(AbstractUser):
    """A login. Workers sign in with their mobile number as username; staff with a name.

    ``language`` is the one the worker last used the portal in: messages sent to them (text
    messages, e-mail) are translated into it when they are sent.
    """

    language = models.CharField(
        _("语言"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    def __str__(self):
        # Workers' usernames are their mobile numbers: never shown in full.
        return mask_mobile(self.username) if self.username.isdigit() else self.username


class EmploymentForm(models.TextChoices):
    """How the worker is employed; the gig forms are 新就业形态."""

    CONTRACT = "contract", _("劳动合同")
    COURIER = "courier", _("新就业形态：快递员")
    RIDER = "rider", _("新就业形态：外卖骑手")
    RIDE_HAILING = "ride_hailing", _("新就业形态：网约车司机")
    TRUCK = "truck", _("新就业形态：货车司机")
    OTHER_GIG = "other_gig", _("新就业形态：其他")


class VerificationStatus(models.TextChoices):
    """Where the worker's membership stands."""

    PENDING = "pending", _("尚未入会")
    VERIFIED = "verified", _("已核实会员")
    REJECTED = "rejected", _("未通过")
    LAPSED = "lapsed", _("已失效")


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class MemberQuerySet(models.QuerySet):
    def in_street(self, street_id: int):
        return self.filter(street_id=street_id)


class Member(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="member",
        verbose_name=_("账号"),
    )
    # Indexed for the admin's search by the first characters of a name.
    real_name = models.CharField(_("姓名"), max_length=50, db_index=True)
    id_number = EncryptedCharField(_("身份证号"))
    id_number_index = models.CharField(max_length=64, unique=True, editable=False)
    # The masked form staff see and search by (330***********123X); no more than any page shows.
    id_number_masked = models.CharField(
        _("身份证号（遮蔽）"), max_length=18, db_index=True, editable=False, default=""
    )
    birth_date = models.DateField(_("出生日期"))
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    mobile = models.CharField(_("手机号"), max_length=11, unique=True)
    employer = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("工作单位"),
    )
    employer_name = models.CharField(
        _("工作单位（未列出）"), max_length=200, blank=True, help_text=_("单位不在列表中时填写。")
    )
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("所属街道")
    )
    grassroots_union = models.ForeignKey(
        GrassrootsUnion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("基层工会"),
    )
    employment_form = models.CharField(
        _("就业形态"),
        max_length=20,
        choices=EmploymentForm.choices,
        default=EmploymentForm.CONTRACT,
    )
    membership_number = models.CharField(
        _("会员号"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    joined_on = models.DateField(_("入会日期"), null=True, blank=True, editable=False)
    verification_status = models.CharField(
        _("会员状态"),
        max_length=10,
        choices=VerificationStatus.choices,
        default=VerificationStatus.PENDING,
        editable=False,
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("代办人"),
    )
    created_at = models.DateTimeField(_("注册时间"), auto_now_add=True, db_index=True)
    # The payee card of every payment to this worker: encrypted, found by a blind index (the
    # same card on two members is flagged to staff), shown by its last four digits.
    bank_card = EncryptedCharField(_("收款银行卡号"), blank=True, default="")
    bank_card_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    bank_card_last4 = models.CharField(_("银行卡尾号"), max_length=4, blank=True, editable=False)
    bank_card_changed_at = models.DateTimeField(
        _("收款卡更换时间"), null=True, blank=True, editable=False
    )
    closed_at = models.DateTimeField(_("注销时间"), null=True, blank=True, editable=False)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        # The lists staff open, filter and page through at district scale.
        indexes = [
            models.Index(fields=["verification_status", "-created_at"], name="member_verif_new"),
            models.Index(fields=["street", "-created_at"], name="member_street_new"),
            models.Index(fields=["employment_form", "-created_at"], name="member_form_new"),
        ]
        verbose_name = _("职工")
        verbose_name_plural = _("职工")
        permissions = [("reveal_member_pii", _("可以查看完整的身份证号（每次查看都会记录）"))]

    def __str__(self):
        return f"{mask_name(self.real_name)} {self.masked_mobile}"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)

    @property
    def masked_bank_card(self) -> str:
        return mask_card(self.bank_card_last4)

    @property
    def is_member(self) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED

    @property
    def is_gig_worker(self) -> bool:
        return self.employment_form != EmploymentForm.CONTRACT

    @property
    def employer_display(self) -> str:
        return self.employer.name if self.employer else self.employer_name


class StaffProfile(models.Model):
    """Which street a member of staff works for; a street reviewer sees only that street."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("账号"),
    )
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("所属街道")
    )

    class Meta:
        verbose_name = _("工作人员信息")
        verbose_name_plural = _("工作人员信息")

    def __str__(self):
        return f"{self.user} ({self.street or '区总'})"


class ConsentRecord(models.Model):
    """A worker's separate consent to the processing of sensitive personal information."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("账号"),
    )
    notice_version = models.PositiveIntegerField(_("告知书版本"))
    purpose = models.CharField(_("目的"), max_length=200)
    granted_at = models.DateTimeField(_("同意时间"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("代办人"),
        help_text=_("在窗口代办时，记录经办的工作人员。"),
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        ordering = ["-granted_at"]
        # The lists staff open, filter and page through at district scale.
        indexes = [
            models.Index(fields=["-granted_at"], name="consentrec_granted"),
        ]
        verbose_name = _("同意记录")
        verbose_name_plural = _("同意记录")

    def __str__(self):
        return f"v{self.notice_version} {timezone.localtime(self.granted_at):%Y-%m-%d}"


class SmsCode(models.Model):
    """A one-time code sent by text message (password reset). Stored hashed, short-lived."""

    mobile = models.CharField(max_length=11, db_index=True)
    purpose = models.CharField(max_length=20)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.purpose} {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"
