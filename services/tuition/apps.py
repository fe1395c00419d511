from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TuitionConfig(AppConfig):
    """Tuition and skill subsidies: 厂门口上大学, 求学圆梦, 双提升, 新时代技能人才奖励."""

    name = "services.tuition"
    label = "tuition"
    verbose_name = _("学历与技能补助")

    def ready(self):
        from services.applications.registry import register_program_type
        from services.tuition.types import SKILL_AWARD, TUITION

        register_program_type(TUITION)
        register_program_type(SKILL_AWARD)
