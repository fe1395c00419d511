from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MutualAidConfig(AppConfig):
    """职工医疗互助: plans, employer rosters, claims with the benefit engine."""

    name = "services.mutual_aid"
    label = "mutual_aid"
    verbose_name = _("职工医疗互助")

    def ready(self):
        from services.applications.registry import register_program_type
        from services.mutual_aid.types import MUTUAL_AID

        register_program_type(MUTUAL_AID)
