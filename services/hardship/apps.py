from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HardshipConfig(AppConfig):
    """困难职工帮扶: requests for help with a home visit, the hardship register."""

    name = "services.hardship"
    label = "hardship"
    verbose_name = _("困难职工帮扶")

    def ready(self):
        from services.applications.registry import register_program_type
        from services.hardship.types import CAMPAIGN

        register_program_type(CAMPAIGN)

        from services.hardship import report_sources

        report_sources.register()
