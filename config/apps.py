from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Project-wide pieces that belong to no program: demo setup, health checks."""

    name = "config"
    label = "portal"
    verbose_name = "门户"
