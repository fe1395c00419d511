"""Streets, enterprises and grassroots unions: where workers work and which union is theirs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Street(models.Model):
    code = models.CharField(_("代码"), max_length=10, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("街道")
        verbose_name_plural = _("街道")

    def __str__(self):
        return self.name


class EnterpriseSize(models.TextChoices):
    MICRO = "micro", _("微型")
    SMALL = "small", _("小型")
    MEDIUM = "medium", _("中型")
    LARGE = "large", _("大型")


class Enterprise(models.Model):
    name = models.CharField(_("企业名称"), max_length=200)
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        unique=True,
        error_messages={"unique": _("该统一社会信用代码已登记。")},
    )
    street = models.ForeignKey(Street, on_delete=models.PROTECT, verbose_name=_("街道"))
    size = models.CharField(_("规模"), max_length=10, choices=EnterpriseSize.choices)
    has_union = models.BooleanField(_("已建会"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")

    def __str__(self):
        return self.name


class GrassrootsUnion(models.Model):
    name = models.CharField(_("基层工会名称"), max_length=200, unique=True)
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="unions",
        verbose_name=_("所在企业"),
    )
    sector = models.CharField(
        _("所属行业联合会"), max_length=200, blank=True, help_text=_("不属于单个企业时填写。")
    )
    street = models.ForeignKey(Street, on_delete=models.PROTECT, verbose_name=_("街道"))
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("基层工会")
        verbose_name_plural = _("基层工会")

    def __str__(self):
        return self.name
