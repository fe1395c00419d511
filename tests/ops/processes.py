"""The portal as real processes on the test database: gunicorn instances and task workers,
started and killed by the operations tests (faults, several instances)."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The test database (pytest-django's), for processes outside this one."""
    db = connection.settings_dict
    return (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def portal_env(var_dir: Path, **extra) -> dict:
    """What a process of the portal needs to read this test's data: the same database and
    the same keys; text messages into a file it shares with the test."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DATABASE_URL=database_url(),
        PORTAL_VAR_DIR=str(var_dir),
        PORTAL_FIELD_KEYS=",".join(settings.PORTAL_FIELD_KEYS),
        PORTAL_BLIND_INDEX_KEY=settings.PORTAL_BLIND_INDEX_KEY,
        PORTAL_SMS_BACKEND="services.members.sms.FileSmsBackend",
        PORTAL_SMS_FILE=str(var_dir / "sms.log"),
        PORTAL_TASK_BACKEND="django_tasks_db.DatabaseBackend",
        DJANGO_SECRET_KEY=settings.SECRET_KEY,  # sessions made by the test are good there
        DJANGO_STATIC_ROOT=str(collected_static()),
        GUNICORN_ACCESSLOG=str(var_dir / "access.log"),
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


def password_for_servers(user) -> None:
    """The test suite hashes passwords with MD5 (fast); the servers only read the portal's
    own hashers: give the user the test password hashed as production does."""
    from django.contrib.auth.hashers import make_password

    from tests.factories import TEST_PASSWORD

    type(user).objects.filter(pk=user.pk).update(
        password=make_password(TEST_PASSWORD, None, "argon2")
    )


_STATIC = {}


def collected_static() -> Path:
    """The static files as `collectstatic` leaves them (the manifest gunicorn reads), once."""
    if "root" not in _STATIC:
        import tempfile

        root = Path(tempfile.mkdtemp(prefix="portal-static-"))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))}
        env.update(DJANGO_STATIC_ROOT=str(root), PORTAL_VAR_DIR=str(root / "var"))
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
        _STATIC["root"] = root
    return _STATIC["root"]


class Process:
    def __init__(self, command: list[str], env: dict, log: Path):
        self.log = log
        self.handle = open(log, "ab")  # noqa: SIM115 (closed in stop)
        self.popen = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.handle, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def stop(self, sig=signal.SIGTERM) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, sig)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()
        self.handle.close()


def gunicorn(env: dict, var_dir: Path, *, workers: int = 1, name: str = "gunicorn"):
    """A gunicorn of the portal on a free loopback port; returns (process, base URL)."""
    port = free_port()
    process = Process(
        [sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.py"],
        {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers),
         "GUNICORN_THREADS": "1"},
        var_dir / f"{name}.log",
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: requests.get(f"{base}/healthz/live", timeout=2).ok, what=base)
    return process, base


def db_worker(env: dict, var_dir: Path, *, name: str = "worker") -> Process:
    return Process(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--worker-id", name],
        env, var_dir / f"{name}.log",
    )  # fmt: skip


def worker_pids(master_pid: int) -> list[int]:
    """gunicorn's worker processes (the master's children), from /proc."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == master_pid:
            children.append(int(entry.name))
    return children


def wait_for(check, *, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (requests.RequestException, OSError):
            pass
        time.sleep(0.2)
    raise AssertionError(f"waited {timeout} s for {what}")


def sms_lines(var_dir: Path) -> list[str]:
    path = var_dir / "sms.log"
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []
