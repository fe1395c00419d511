from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpAppConfig
from django_tasks_db.apps import TasksAppConfig


class PortalConfig(AppConfig):
    """Project-wide pieces that belong to no program: demo setup, health checks."""

    name = "config"
    label = "portal"
    verbose_name = "门户"

    def ready(self):
        from django.contrib import admin
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from services.admin_base import OfferedFiltersOnly

        # Every list in the admin, the third-party ones too, is filtered by the filters it
        # offers and by nothing else (services/admin_base.py). The admin registered them all
        # when it started (its ready() comes first).
        for model, model_admin in list(admin.site._registry.items()):
            if not isinstance(model_admin, OfferedFiltersOnly):
                admin_class = type(model_admin)
                admin.site.unregister(model)
                admin.site.register(
                    model, type(admin_class.__name__, (OfferedFiltersOnly, admin_class), {})
                )

        # django-otp names its model in plain English (no translation to take); staff read
        # the admin in Chinese. Only the label shown changes.
        TOTPDevice._meta.verbose_name = _("动态验证码设备")
        TOTPDevice._meta.verbose_name_plural = _("动态验证码设备")


# The same third-party apps under names staff read (their own are English, untranslated).
class AxesConfig(AxesAppConfig):
    verbose_name = _("登录失败与锁定")


class TotpConfig(TotpAppConfig):
    verbose_name = _("管理后台二次验证")


class TasksConfig(TasksAppConfig):
    verbose_name = _("后台任务")
