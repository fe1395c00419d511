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
        from django_otp.plugins.otp_totp.models import TOTPDevice

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
