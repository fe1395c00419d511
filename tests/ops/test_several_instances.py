"""The portal as several stateless instances behind nginx (config/deploy/nginx.conf.template), with
Redis for sessions, lockout counts and caches, uploads in S3-compatible object storage (moto's
server here), and two task workers: a worker's journey crosses instances, a lockout and a
publish made on one hold on the other, and the notification queue is drained exactly once.

Real processes on the test database (PostgreSQL), Debian's nginx and the Redis on 127.0.0.1.
"""

import re
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
import redis
import requests
from django.db import connection
from django.test import Client, override_settings

from reports.services import report_import
from services.applications.engine import notify
from services.applications.models import Attachment, Notification
from tests.conftest import login_staff
from tests.factories import TEST_PASSWORD, street_staff
from tests.ops import processes
from tests.services.applications.conftest import make_eligible, pdf, program

__all__ = ["program"]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="several instances share PostgreSQL"
    ),
]

REDIS_URL = "redis://127.0.0.1:6379/9"
BUCKET = "portal-test-private"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def s3(tmp_path):
    """An S3-protocol server on loopback (moto), with the portal's bucket."""
    import boto3

    port = processes.free_port()
    server = processes.Process(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        dict(processes.os.environ), tmp_path / "moto.log",
    )  # fmt: skip
    endpoint = f"http://127.0.0.1:{port}"
    processes.wait_for(lambda: requests.get(endpoint, timeout=2).ok, what="moto")
    client = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test",
        region_name="us-east-1",
    )  # fmt: skip
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    server.stop()


@pytest.fixture
def shared_redis():
    cache = redis.Redis.from_url(REDIS_URL)
    cache.flushdb()
    yield cache
    cache.flushdb()


def nginx(tmp_path: Path, instances: list[str]) -> tuple[processes.Process, str]:
    if shutil.which("nginx") is None:
        pytest.fail("nginx is needed: apt-get install nginx (.ci/run installs it)")
    port = processes.free_port()
    (tmp_path / "nginx").mkdir()
    config = string.Template(
        (ROOT / "config" / "deploy" / "nginx.conf.template").read_text()
    ).safe_substitute(
        LISTEN=f"127.0.0.1:{port}",
        INSTANCES="\n        ".join(
            f"server {base.removeprefix('http://')} max_fails=2 fail_timeout=10s;"
            for base in instances
        ),
        PID_FILE=tmp_path / "nginx" / "nginx.pid",
        TEMP_DIR=tmp_path / "nginx",
        ERROR_LOG=tmp_path / "nginx" / "error.log",
        ACCESS_LOG=tmp_path / "nginx" / "access.log",
    )
    path = tmp_path / "nginx" / "nginx.conf"
    path.write_text(config)
    errors = str(tmp_path / "nginx" / "error.log")
    subprocess.run(
        [shutil.which("nginx"), "-t", "-c", str(path), "-e", errors],
        check=True,
        capture_output=True,
    )
    process = processes.Process(
        [shutil.which("nginx"), "-c", str(path), "-e", str(tmp_path / "nginx" / "error.log"), "-g",
         "daemon off;"],
        dict(processes.os.environ), tmp_path / "nginx" / "stdout.log",
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    processes.wait_for(lambda: requests.get(f"{base}/healthz/live", timeout=2).ok, what="nginx")
    return process, base


def signed_in(base: str, mobile: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=30)
    answer = session.post(
        f"{base}/accounts/login/",
        data={"username": mobile, "password": TEST_PASSWORD,
              "csrfmiddlewaretoken": TOKEN.search(page.text)[1]},
        allow_redirects=False, timeout=30,
    )  # fmt: skip
    assert answer.status_code == 302, answer.status_code
    return session


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_two_instances_behind_nginx(tmp_path, staff_groups, program, s3, shared_redis):
    endpoint, bucket = s3
    report_import(data=__import__("tomllib").loads(
        (ROOT / "reports" / "data" / "annual-report-2023.toml").read_text()
    ))  # fmt: skip
    worker = make_eligible(mobile="13955550001", real_name="跨实例")
    processes.password_for_servers(worker.user)
    editor = street_staff(None, groups=["报告编辑"])
    env = processes.portal_env(
        tmp_path, CACHE_URL=REDIS_URL, PORTAL_MEDIA_STORAGE="s3", PORTAL_S3_BUCKET=BUCKET,
        PORTAL_S3_ENDPOINT_URL=endpoint, PORTAL_S3_REGION="us-east-1",
        PORTAL_S3_ACCESS_KEY_ID="test", PORTAL_S3_SECRET_ACCESS_KEY="test",
    )  # fmt: skip
    started = []
    try:
        (one, a), (two, b) = (
            processes.gunicorn(env, tmp_path, name="instance-a"),
            processes.gunicorn(env, tmp_path, name="instance-b"),
        )
        started += [one, two]
        proxy, front = nginx(tmp_path, [a, b])
        started.append(proxy)

        # Log in on A; apply and upload on B; read the proof back on A.
        session = signed_in(a, worker.mobile)
        apply = f"/services/{program.pk}/apply/"
        page = session.get(b + apply, timeout=30)
        saved = session.post(
            b + apply,
            data={"school": "浙江开放大学", "major": "机电一体化", "level": "junior_college",
                  "academic_year": "2026-2027", "tuition_paid": "5000", "save": "1",
                  "csrfmiddlewaretoken": TOKEN.search(page.text)[1]},
            allow_redirects=False, timeout=30,
        )  # fmt: skip
        assert saved.status_code == 302
        detail = saved.headers["Location"]
        number = re.search(r"/me/applications/(\d+)/", detail)[1]
        content = pdf("admission.pdf", marker="across").read()
        page = session.get(b + detail, timeout=30)
        uploaded = session.post(
            f"{b}/me/applications/{number}/upload/",
            data={"kind": "admission", "csrfmiddlewaretoken": TOKEN.search(page.text)[1]},
            files={"file": ("录取通知书.pdf", content, "application/pdf")},
            allow_redirects=False, timeout=30,
        )  # fmt: skip
        assert uploaded.status_code == 302
        attachment = Attachment.objects.get(application_id=number)
        stored = bucket.get_object(Bucket=BUCKET, Key=attachment.file.name)["Body"].read()
        assert stored == content  # in object storage, not on either instance's disk
        back = session.get(f"{a}/me/applications/{number}/files/{attachment.pk}/", timeout=30)
        assert back.status_code == 200 and back.content == content
        assert session.get(f"{front}/me/applications/{number}/", timeout=30).status_code == 200

        # Five wrong passwords on A lock the number out on B too.
        guesser = requests.Session()
        for _ in range(5):
            page = guesser.get(f"{a}/accounts/login/", timeout=30)
            guesser.post(
                f"{a}/accounts/login/",
                data={"username": worker.mobile, "password": "wrong-password",
                      "csrfmiddlewaretoken": TOKEN.search(page.text)[1]},
                timeout=30,
            )  # fmt: skip
        locked = requests.Session()
        page = locked.get(f"{b}/accounts/login/", timeout=30)
        answer = locked.post(
            f"{b}/accounts/login/",
            data={"username": worker.mobile, "password": TEST_PASSWORD,
                  "csrfmiddlewaretoken": TOKEN.search(page.text)[1]},
            allow_redirects=False, timeout=30,
        )  # fmt: skip
        assert answer.status_code == 429

        # Both instances keep the report page; a publish on A replaces it on both.
        for base in (a, b, a, b, a, b):
            assert requests.get(f"{base}/reports/2023/", timeout=30).status_code == 200
        staff = requests.Session()
        staff.cookies.update(
            {"sessionid": login_staff(Client(), editor).cookies["sessionid"].value}
        )
        change = f"{a}/admin/reports/annualreport/1/change/"
        from reports.models import AnnualReport

        report = AnnualReport.objects.get(year=2023)
        report.title = "跨实例发布的标题"
        report.save()
        page = staff.get(change.replace("/1/", f"/{report.pk}/"), timeout=30)
        published = staff.post(
            f"{a}/admin/reports/annualreport/{report.pk}/publish/",
            data={"csrfmiddlewaretoken": TOKEN.search(page.text)[1]},
            allow_redirects=False, timeout=30,
        )  # fmt: skip
        assert published.status_code == 302
        for base in (a, b, front):
            assert "跨实例发布的标题" in requests.get(f"{base}/reports/2023/", timeout=30).text

        # Two task workers drain the queue: every message sent once.
        members = [make_eligible(mobile=f"1395555010{i}") for i in range(8)]
        messages = [notify(user_id=m.user_id, message="通知。", params={}) for m in members]
        for name in ("tasks-1", "tasks-2"):
            started.append(processes.db_worker(env, tmp_path, name=name))
        processes.wait_for(
            lambda: (
                not Notification.objects.filter(
                    pk__in=[m.pk for m in messages], delivered_at__isnull=True
                ).exists()
            ),
            what="the queue to drain",
        )
        keys = [line.split(" ", 2)[1] for line in processes.sms_lines(tmp_path)]
        wanted = [f"notification-{m.pk}" for m in messages]
        assert sorted(key for key in keys if key in wanted) == sorted(wanted)
        worker_logs = [(tmp_path / f"{n}.log").read_text() for n in ("tasks-1", "tasks-2")]
        assert all("Task id=" not in log or "failed" not in log for log in worker_logs)
    finally:
        for process in reversed(started):
            process.stop()
