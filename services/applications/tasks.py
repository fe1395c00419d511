"""Background tasks (Django's tasks framework; the database queue from django-tasks-db,
worked by `manage.py db_worker`, which `make run` starts beside gunicorn)."""

import logging
from datetime import timedelta

from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from services.applications.models import Notification
from services.members.sms import send_sms

logger = logging.getLogger(__name__)


@task()
def deliver_notification(notification_id: int) -> None:
    """Send an inbox message out by text message (and e-mail when the user has an address),
    in the recipient's language, once.

    The row stays locked while it is sent, so two workers given the same message (a retry,
    the sweep) send it one after the other, and the second finds it sent. The message's key
    goes with it, so one sent by a worker killed before it could record the sending is dropped
    by the gateway when sent again (services/members/sms.py)."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("user", "user__member")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.delivered_at:
            return  # gone with a closed account, or a retried task: nothing twice
        key = f"notification-{notification.pk}"
        with translation.override(notification.user.language):
            text = notification.text
            signed = _("【钱塘区总工会】%(text)s") % {"text": text}
            subject = _("钱塘区总工会")
        member = getattr(notification.user, "member", None)
        if member:
            send_sms(member.mobile, signed, key=key)
        if notification.user.email:
            from django.core.mail import EmailMessage

            message = EmailMessage(str(subject), text, None, [notification.user.email])
            message.extra_headers["Message-ID"] = f"<{key}@qiantang-union.local>"
            message.send()
        notification.delivered_at = timezone.now()
        notification.save(update_fields=["delivered_at"])


SWEEP_AFTER = timedelta(minutes=2)
SWEEP_GIVES_UP = timedelta(days=2)


def deliver_pending(now=None) -> int:
    """Queue again every texted message not sent after ``SWEEP_AFTER`` (its task was lost: the
    queue was away, a worker was killed); a message older than ``SWEEP_GIVES_UP`` stays in the
    inbox only. Run every few minutes (`manage.py deliver_pending`)."""
    now = now or timezone.now()
    pending = Notification.objects.filter(
        texted=True, delivered_at__isnull=True,
        created_at__lt=now - SWEEP_AFTER, created_at__gt=now - SWEEP_GIVES_UP,
    ).values_list("pk", flat=True)  # fmt: skip
    queued = 0
    for notification_id in pending.iterator():
        queue_delivery(notification_id)
        queued += 1
    return queued


def queue_delivery(notification_id: int) -> None:
    """Called after the commit: the queue being down must not undo a saved decision; the
    message stays in the inbox and can be sent again."""
    try:
        deliver_notification.enqueue(notification_id)
    except Exception:  # any failure of the queue's backend
        logger.exception("could not queue notification %s", notification_id)
