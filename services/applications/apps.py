from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    """The shared machinery every program uses: programs, applications, proofs, review, pay."""

    name = "services.applications"
    label = "applications"
    verbose_name = _("在线申请")
