"""Skill certificates (职业技能等级证书) on the worker's record.

A worker who passes a skill exam (after a course, or anywhere else) uploads the certificate
once; staff of the worker's street (a reviewer or the course manager) or the district check it
against the original or the national certificate query and *verify* it, or *reject* it with a
reason the worker reads. A verified certificate is part of the worker's record: the skill
award programs in ``services/tuition`` read the level from it instead of asking for a second
upload. A certificate number is on record once: while one upload of it is waiting or
verified, nobody (the same worker included) can upload it again; a rejected or withdrawn
upload frees it. A worker may withdraw an upload nobody has checked yet.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from services.members.models.organisation import Street
from services.members.models.people import Member


class SkillLevel(models.TextChoices):
    """National vocational skill levels, lowest first."""

    BEGINNER = "初级工", _("初级工")
    INTERMEDIATE = "中级工", _("中级工")
    SENIOR = "高级工", _("高级工")
    TECHNICIAN = "技师", _("技师")
    SENIOR_TECHNICIAN = "高级技师", _("高级技师")


class CertificateStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已上传，待核验")
    VERIFIED = "verified", _("已核验")
    REJECTED = "rejected", _("未通过核验")
    WITHDRAWN = "withdrawn", _("已撤回")


# A certificate number is held by an upload in one of these statuses.
HOLDS_NUMBER = (CertificateStatus.SUBMITTED, CertificateStatus.VERIFIED)


def certificate_upload_to(instance, filename):
    # Stored under a random name: the worker's file name is kept only as data.
    return f"private/certificates/{uuid.uuid4().hex}"


class SkillCertificate(models.Model):
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("职工")
    )
    # The worker's street when it was uploaded, for street-scoped staff.
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("街道")
    )
    level = models.CharField(_("技能等级"), max_length=10, choices=SkillLevel.choices)
    occupation = models.CharField(_("职业（工种）"), max_length=100)
    certificate_number = models.CharField(_("证书编号"), max_length=50)
    issued_on = models.DateField(_("发证日期"))
    issuer = models.CharField(_("发证机构"), max_length=100)
    file = models.FileField(_("证书文件"), upload_to=certificate_upload_to)
    original_name = models.CharField(_("原文件名"), max_length=120)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("文件类型"), max_length=50)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=CertificateStatus.choices, editable=False,
        default=CertificateStatus.SUBMITTED,
    )  # fmt: skip
    decision_note = models.CharField(_("核验意见"), max_length=500, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", editable=False, verbose_name=_("核验人"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("核验时间"), null=True, blank=True, editable=False)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    changes = GenericRelation("applications.StatusChange", related_query_name="certificate")

    class Meta:
        ordering = ["-uploaded_at"]
        # The lists staff open, filter and page through at district scale.
        indexes = [
            models.Index(fields=["-uploaded_at"], name="skillcerti_upl"),
            models.Index(fields=["status", "-uploaded_at"], name="skillcerti_status_upl"),
        ]
        verbose_name = _("职业技能等级证书")
        verbose_name_plural = _("职业技能等级证书")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate_number"],
                condition=models.Q(status__in=["submitted", "verified"]),
                name="certificate_number_once",
            )
        ]

    def __str__(self):
        return f"{self.occupation} {self.level}（{self.certificate_number}）"

    def get_absolute_url(self) -> str:
        return reverse("members:certificates")

    # -- what the workflow engine asks of an application ------------------------------------

    @property
    def workflow(self):
        from services.members.workflow import CERTIFYING

        return CERTIFYING

    @property
    def owner_user_id(self) -> int:
        return self.member.user_id

    @property
    def reference(self) -> str:
        return f"ZS-{self.pk:06d}"

    @property
    def audit_amount(self):
        return None

    def message_params(self) -> dict:
        return {"occupation": self.occupation, "level": self.level}
