"""The audit trail of every application's status, and the worker's inbox.

A ``StatusChange`` is written by the workflow engine for every step of every kind of
application (an application to a program, a join request, ...), so one table holds the
history that the worker's timeline and the staff audit both read. It names its workflow, so
its statuses are shown by their labels without loading the application.

A ``Notification`` keeps the Chinese source text of its message and the values that fill it;
it is translated when it is shown or sent, in the reader's language.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class StatusChange(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")
    workflow = models.CharField(_("流程"), max_length=30)
    step = models.CharField(_("步骤"), max_length=40, blank=True)
    role = models.CharField(_("身份"), max_length=30, blank=True)
    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("操作人"),
    )  # fmt: skip
    note = models.CharField(_("说明"), max_length=500, blank=True)
    amount_before = models.DecimalField(
        _("原金额（元）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    amount_after = models.DecimalField(
        _("新金额（元）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="change_case_at")]

    def __str__(self):
        return f"{self.from_status_label or '—'} → {self.to_status_label}"

    @property
    def from_status_label(self) -> str:
        from services.applications.engine import status_label

        return status_label(self.workflow, self.from_status) if self.from_status else ""

    @property
    def to_status_label(self) -> str:
        from services.applications.engine import status_label

        return status_label(self.workflow, self.to_status)

    @property
    def role_label(self) -> str:
        from services.applications.engine import role_label

        return role_label(self.role)

    @property
    def amount_change(self) -> str:
        if self.amount_after is None:
            return ""
        before = "—" if self.amount_before is None else f"{self.amount_before:,.2f}"
        return f"{before} → {self.amount_after:,.2f}"


class Notification(models.Model):
    """The worker's in-site inbox; the same text goes out by SMS (and e-mail) after commit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # The Chinese source text of a translatable message, and the values that fill it.
    message = models.CharField(_("内容"), max_length=500)
    params = models.JSONField(default=dict, blank=True)
    link = models.CharField(max_length=200, blank=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("短信发送时间"), null=True, blank=True)
    # Sent on by text message (and e-mail); False for what the worker just did on screen.
    texted = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweep's question: texted messages not yet sent (services/applications/tasks).
            models.Index(
                fields=["created_at"], name="notification_undelivered",
                condition=models.Q(texted=True, delivered_at__isnull=True),
            ),
        ]  # fmt: skip
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")

    def __str__(self):
        return self.text[:30]

    @property
    def text(self) -> str:
        """The message in the active language."""
        template = gettext(self.message)
        if not self.params:
            return template
        try:
            return template % self.params
        except (KeyError, ValueError, TypeError):
            # A translation that lost a placeholder: the source text still reads right.
            return self.message % self.params

    @property
    def html(self):
        """The message for a page: what staff or the worker wrote (a note, a name) marked as
        Chinese on pages in another language, everything escaped."""
        from django.utils.html import conditional_escape
        from django.utils.safestring import mark_safe

        from services.language import zh_if_chinese

        template = gettext(self.message)
        if not self.params:
            return conditional_escape(template)
        params = {key: zh_if_chinese(value) for key, value in self.params.items()}
        try:
            return mark_safe(conditional_escape(template) % params)  # noqa: S308 (escaped)
        except (KeyError, ValueError, TypeError):
            return conditional_escape(self.text)

    def text_in(self, language: str) -> str:
        with translation.override(language):
            return self.text
