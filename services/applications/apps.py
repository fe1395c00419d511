from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    """The shared machinery every program uses: programs, applications, proofs, the workflow
    engine, the money ledger and payment batches."""

    name = "services.applications"
    label = "applications"
    verbose_name = _("在线申请")

    def ready(self):
        from services.applications import workflow  # noqa: F401  (registers the table)
        from services.applications.ledger import register_paid_handler
        from services.applications.models import Application
        from services.applications.services import application_paid

        register_paid_handler(Application, application_paid)

        from services.applications import report_sources

        report_sources.register()
