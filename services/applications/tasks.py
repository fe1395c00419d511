"""Background tasks (Django's tasks framework; the database queue from django-tasks-db,
worked by `manage.py db_worker`, which `make run` starts beside gunicorn)."""

import logging

from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from services.applications.models import Notification
from services.members.sms import send_sms

logger = logging.getLogger(__name__)


@task()
def deliver_notification(notification_id: int) -> None:
    """Send an inbox message out by text message (and e-mail when the user has an address),
    in the recipient's language."""
    notification = Notification.objects.select_related("user", "user__member").get(
        pk=notification_id
    )
    if notification.delivered_at:
        return  # a retried task sends nothing twice
    with translation.override(notification.user.language):
        text = notification.text
        signed = _("【钱塘区总工会】%(text)s") % {"text": text}
        subject = _("钱塘区总工会")
    member = getattr(notification.user, "member", None)
    if member:
        send_sms(member.mobile, signed)
    if notification.user.email:
        from django.core.mail import send_mail

        send_mail(str(subject), text, None, [notification.user.email])
    Notification.objects.filter(pk=notification.pk).update(delivered_at=timezone.now())


def queue_delivery(notification_id: int) -> None:
    """Called after the commit: the queue being down must not undo a saved decision; the
    message stays in the inbox and can be sent again."""
    try:
        deliver_notification.enqueue(notification_id)
    except Exception:  # any failure of the queue's backend
        logger.exception("could not queue notification %s", notification_id)
