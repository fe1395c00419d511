"""The status history of any application (a program application, a join request), as a
read-only inline: every step with its Chinese labels, who took it, in which role, the note
and the amount change."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.translation import gettext_lazy as _

from services.admin_base import ReadOnlyMixin
from services.applications.models import StatusChange


class StatusChangeInline(ReadOnlyMixin, GenericTabularInline):
    model = StatusChange
    ct_field = "content_type"
    ct_fk_field = "object_id"
    extra = 0
    fields = ["at", "from_label", "to_label", "actor_name", "role_label", "note", "amount_change"]
    verbose_name = _("办理记录")
    verbose_name_plural = _("办理记录")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("原状态"))
    def from_label(self, obj):
        return obj.from_status_label or "—"

    @admin.display(description=_("新状态"))
    def to_label(self, obj):
        return obj.to_status_label

    @admin.display(description=_("操作人"))
    def actor_name(self, obj):
        # Plain text: a link to the account would be a 403 for most staff.
        return str(obj.actor) if obj.actor else "—"

    @admin.display(description=_("身份"))
    def role_label(self, obj):
        return obj.role_label

    @admin.display(description=_("金额变化（元）"))
    def amount_change(self, obj):
        return obj.amount_change or "—"
