"""Writing the audit log (``AuditEvent``, services/members/models/audit.py): the one function
every view, export, decision and login of staff calls, and the receivers of Django's login
signals for staff accounts."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver

from services.members.models import AuditEvent, Member, User
from services.members.net import request_address

Action = AuditEvent.Action
SUBJECT_MAX = 4000


def audit_record(
    *,
    actor: User | None,
    action: str,
    member: Member | None = None,
    obj=None,
    subject: str = "",
    ip_address: str | None = None,
) -> AuditEvent:
    """One row of the audit log: who did what, to whose data, about which object, from where."""
    return AuditEvent.objects.create(
        staff=actor if actor is not None and actor.pk else None,
        member=member,
        action=action,
        subject=subject[:SUBJECT_MAX],
        object_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk)[:40] if obj is not None else "",
        # A service deep in a request (a workflow step, the ledger) has the address too.
        ip_address=ip_address if ip_address is not None else request_address.get(),
    )


def _address(request) -> str | None:
    from services.members.net import client_ip

    return client_ip(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="audit_staff_login")
def _staff_logged_in(sender, request, user, **kwargs):
    if user.is_staff:
        audit_record(actor=user, action=Action.LOGIN, ip_address=_address(request))


@receiver(user_login_failed, dispatch_uid="audit_staff_login_failed")
def _staff_login_failed(sender, credentials, request=None, **kwargs):
    """Failed passwords at the staff login only (a worker's are django-axes' records); the
    name tried is kept masked, like every login record."""
    if request is None or not request.path.startswith("/admin/"):
        return
    from services.members.pii import mask_mobile

    tried = mask_mobile(str(credentials.get("username", "")))
    known = User.objects.filter(username=credentials.get("username", ""), is_staff=True).first()
    audit_record(
        actor=known, action=Action.LOGIN_FAILED, subject=tried, ip_address=_address(request)
    )


def audit_request(request, action: str, *, member=None, obj=None, subject: str = ""):
    """``audit_record`` for what a member of staff does in a request (their address)."""
    return audit_record(
        actor=request.user, action=action, member=member, obj=obj, subject=subject,
        ip_address=_address(request),
    )  # fmt: skip
