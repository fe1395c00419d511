"""Text messages leave once: a retried or repeated task sends nothing twice, a message whose
sending was not recorded (the worker was killed) is dropped by the gateway when sent again,
and the sweep sends what the queue lost."""

from datetime import timedelta

from django.utils import timezone

from services.applications.engine import notify
from services.applications.models import Notification
from services.applications.tasks import deliver_notification, deliver_pending
from services.members.sms import send_sms
from tests.services.applications.conftest import make_eligible


def message(member, texted=True) -> Notification:
    return notify(user_id=member.user_id, message="您的申请已受理。", params={}, texted=texted)


def test_a_message_is_sent_once_however_often_its_task_runs(db, sms_outbox):
    member = make_eligible(mobile="13933330001")
    notification = message(member)
    for _ in range(3):  # a retry, the sweep, a duplicate in the queue
        deliver_notification.call(notification.pk)
    assert [to for to, _text in sms_outbox] == [member.mobile]
    notification.refresh_from_db()
    assert notification.delivered_at is not None


def test_a_sending_the_worker_could_not_record_is_not_repeated(db, sms_outbox):
    """The gateway took the message, then the worker was killed before it recorded it: the
    retry sends it again under the same key, and the gateway drops it."""
    member = make_eligible(mobile="13933330002")
    notification = message(member)
    send_sms(
        member.mobile, "【钱塘区总工会】您的申请已受理。", key=f"notification-{notification.pk}"
    )
    deliver_notification.call(notification.pk)
    assert len(sms_outbox) == 1
    notification.refresh_from_db()
    assert notification.delivered_at is not None


def test_the_sweep_sends_what_the_queue_lost(db, sms_outbox):
    member = make_eligible(mobile="13933330003")
    lost = message(member)  # its task never ran (the queue was away, the worker killed)
    inbox_only = message(member, texted=False)
    stale = message(member)
    Notification.objects.filter(pk__in=[lost.pk, inbox_only.pk]).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    Notification.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=3))
    assert deliver_pending() == 1
    assert len(sms_outbox) == 1
    assert deliver_pending() == 0  # sent: nothing to queue again
    assert not Notification.objects.get(pk=inbox_only.pk).delivered_at
    assert not Notification.objects.get(pk=stale.pk).delivered_at  # too old: inbox only
