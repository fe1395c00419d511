from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """家门口学技能: skills courses, enrolment and waitlists, attendance, completion subsidy."""

    name = "services.courses"
    label = "courses"
    verbose_name = _("家门口学技能")

    def ready(self):
        from services import roles
        from services.applications.engine import register_role
        from services.applications.ledger import register_paid_handler
        from services.applications.registry import register_program_type
        from services.courses.models import Enrollment
        from services.courses.services import subsidy_paid
        from services.courses.types import COURSE
        from services.courses.workflow import COURSE_MANAGER

        register_role(
            COURSE_MANAGER, roles.COURSE_MANAGER, street_scoped=True, label=_("课程管理员")
        )
        register_program_type(COURSE)
        register_paid_handler(Enrollment, subsidy_paid)

        from services.courses import report_sources

        report_sources.register()
