from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    """Who a worker is, where they work and which union they belong to; staff roles."""

    name = "services.members"
    label = "members"
    verbose_name = _("会员与组织")

    def ready(self):
        from services.members import (  # noqa: F401
            audit,  # connects the staff login records to Django's login signals
            report_sources,
            workflow,  # registers its workflow tables
        )

        report_sources.register()
