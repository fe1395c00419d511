"""The details a tuition or skill application carries beside the shared ``Application``.

厂门口上大学 pays junior-college (专科) tuition for members; 全总"求学圆梦行动" and 省总"双提升"
学历 subsidies have the same shape with their own caps; 双提升 技能 and 市总新时代技能人才奖励
pay a fixed amount by the skill level on the worker's certificate, the verified one on their
record (``members.SkillCertificate``).
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from services.applications.models import Application
from services.members.models import SkillCertificate, SkillLevel

__all__ = ["SkillAwardRequest", "SkillLevel", "StudyLevel", "TuitionRequest"]


class StudyLevel(models.TextChoices):
    JUNIOR_COLLEGE = "junior_college", _("专科")
    BACHELOR = "bachelor", _("本科")


class TuitionRequest(models.Model):
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="tuition", verbose_name=_("申请")
    )
    school = models.CharField(_("学校"), max_length=100)
    major = models.CharField(_("专业"), max_length=100)
    level = models.CharField(_("层次"), max_length=20, choices=StudyLevel.choices)
    academic_year = models.CharField(_("学年"), max_length=20, help_text=_("例如 2026-2027"))
    tuition_paid = models.DecimalField(
        _("实际缴纳学费（元）"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    social_insurance_months = models.PositiveSmallIntegerField(
        _("申报的社保缴纳月数"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("学历补助信息")
        verbose_name_plural = _("学历补助信息")

    def __str__(self):
        return f"{self.school} {self.major}"


class SkillAwardRequest(models.Model):
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="skill", verbose_name=_("申请")
    )
    # The verified certificate on the worker's record the award is for; the level, occupation
    # and number below are copied from it when the worker applies.
    certificate = models.ForeignKey(
        SkillCertificate, on_delete=models.PROTECT, null=True, blank=True,
        related_name="awards", verbose_name=_("职业技能等级证书"),
    )  # fmt: skip
    level = models.CharField(_("技能等级"), max_length=10, choices=SkillLevel.choices)
    occupation = models.CharField(_("职业（工种）"), max_length=100)
    certificate_number = models.CharField(_("证书编号"), max_length=50)
    social_insurance_months = models.PositiveSmallIntegerField(
        _("申报的社保缴纳月数"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("技能奖励信息")
        verbose_name_plural = _("技能奖励信息")

    def __str__(self):
        return f"{self.occupation} {self.level}"
