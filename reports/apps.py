from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The annual-report CMS: staff write a year's report, the public reads it."""

    name = "reports"
    label = "reports"
    verbose_name = _("年度报告")
