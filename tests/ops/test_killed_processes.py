"""A gunicorn worker or a task worker killed in the middle loses nothing: the request was
committed whole or not at all, and every text message is sent once after the restart.

Real processes on the test database (PostgreSQL: the row locks let the test stop a request
in the middle of its transaction, where the kill lands)."""

import re
import signal
import threading
from datetime import timedelta

import psycopg
import pytest
import requests
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from services.applications.engine import notify
from services.applications.models import Application, Notification, StatusChange
from services.members.models import AuditEvent
from tests.conftest import login_staff
from tests.factories import street_staff
from tests.ops import processes
from tests.services.applications.conftest import make_eligible, program, submitted

__all__ = ["program"]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def locked(table: str, pk: int):
    """Another session holding a row's lock, as a long decision would."""
    holder = psycopg.connect(processes.database_url().replace("postgres://", "postgresql://"))
    holder.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE", [pk])  # noqa: S608
    return holder


def waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def staff_session(user) -> dict:
    client = login_staff(Client(), user)
    return {"sessionid": client.cookies["sessionid"].value}


def test_a_worker_killed_mid_decision_commits_nothing_and_the_retry_commits_all(
    tmp_path, staff_groups, program
):
    reviewer = street_staff("XS")
    application = submitted(program, make_eligible(mobile="13944440001"))
    before = {
        "changes": StatusChange.objects.count(),
        "audit": AuditEvent.objects.filter(action="status").count(),
        "messages": Notification.objects.count(),
    }
    env = processes.portal_env(tmp_path)
    server, base = processes.gunicorn(env, tmp_path)
    try:
        session = requests.Session()
        session.cookies.update(staff_session(reviewer))
        url = base + reverse("admin:applications_application_review", args=[application.pk])
        page = session.get(url, timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
        data = {"step": "recommend", "note": "", "csrfmiddlewaretoken": token}
        holder = locked("applications_application", application.pk)
        answers = []
        thread = threading.Thread(
            target=lambda: answers.append(_post(session, url, data)), daemon=True
        )
        thread.start()
        processes.wait_for(waiting_for_a_lock, what="the decision to wait for the row")
        for pid in processes.worker_pids(server.popen.pid):
            processes.os.kill(pid, signal.SIGKILL)  # in the middle of its transaction
        holder.rollback()
        holder.close()
        thread.join(timeout=30)
        assert answers == ["failed"]  # the connection was cut: no answer
        application.refresh_from_db()
        assert application.status == "submitted"
        assert StatusChange.objects.count() == before["changes"]
        assert AuditEvent.objects.filter(action="status").count() == before["audit"]
        assert Notification.objects.count() == before["messages"]

        # gunicorn starts a new worker; the reviewer tries again and it is done, whole.
        processes.wait_for(
            lambda: requests.get(f"{base}/healthz/live", timeout=2).ok, what="a new worker"
        )
        assert _post(session, url, data) == 302
        application.refresh_from_db()
        assert application.status == "in_review"
        assert StatusChange.objects.count() == before["changes"] + 1
        assert AuditEvent.objects.filter(action="status").count() == before["audit"] + 1
    finally:
        server.stop()


def _post(session, url, data):
    try:
        return session.post(url, data=data, allow_redirects=False, timeout=60).status_code
    except requests.RequestException:
        return "failed"


@override_settings(TASKS=DB_QUEUE)
def test_a_task_worker_killed_mid_message_loses_nothing_and_sends_each_once(tmp_path, staff_groups):
    members = [make_eligible(mobile=f"1394444010{index}") for index in range(5)]
    messages = [
        notify(user_id=member.user_id, message="您的申请已受理。", params={}) for member in members
    ]  # committed (transactional test): each queued by the database queue
    env = processes.portal_env(tmp_path)
    holder = locked("applications_notification", messages[0].pk)
    worker = processes.db_worker(env, tmp_path, name="first")
    try:
        processes.wait_for(waiting_for_a_lock, what="the worker to reach the locked message")
        worker.stop(signal.SIGKILL)  # killed while sending it
    finally:
        holder.rollback()
        holder.close()
    # Its task stays claimed by the dead worker; the sweep queues the message again.
    Notification.objects.filter(pk=messages[0].pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    second = processes.db_worker(env, tmp_path, name="second")
    try:
        sweep = processes.Process(
            [processes.sys.executable, "manage.py", "deliver_pending"], env, tmp_path / "sweep.log"
        )
        sweep.popen.wait(timeout=60)
        processes.wait_for(
            lambda: not Notification.objects.filter(delivered_at__isnull=True).exists(),
            what="every message to be sent",
        )
    finally:
        second.stop()
    lines = processes.sms_lines(tmp_path)
    keys = [line.split(" ", 2)[1] for line in lines]
    assert sorted(keys) == sorted(f"notification-{message.pk}" for message in messages)
    assert all(member.mobile in " ".join(lines) for member in members)
    assert Application.objects.count() == 0  # nothing else was touched
