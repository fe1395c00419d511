"""Settings as the environment makes them: each case in a fresh process, as a server starts."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = secrets.token_urlsafe(64)


def run(code_or_args, env_overrides, tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "PORTAL_"))
    }
    env.update({"PORTAL_VAR_DIR": str(tmp_path / "var"), **env_overrides})
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


SETUP = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings.base';"
    " django.setup()\n"
)


def test_no_environment_at_all_runs_on_sqlite_with_a_kept_secret(tmp_path):
    code = SETUP + (
        "from django.conf import settings as s; import json;"
        "print(json.dumps([s.DEBUG, s.DATABASES['default']['ENGINE'], s.SECRET_KEY]))"
    )
    first = run(code, {}, tmp_path)
    assert first.returncode == 0, first.stderr
    debug, engine, key = json.loads(first.stdout)
    assert debug is False and engine.endswith("sqlite3") and len(key) > 50
    assert (tmp_path / "var" / "secret_key").read_text() == key
    second = json.loads(run(code, {}, tmp_path).stdout)
    assert second[2] == key


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "DJANGO_SECRET_KEY must be set"),
        ({"DJANGO_SECRET_KEY": "short"}, "DJANGO_SECRET_KEY is too weak"),
        ({"DJANGO_SECRET_KEY": STRONG_KEY}, "DJANGO_ALLOWED_HOSTS must be set"),
        (
            {
                "DJANGO_SECRET_KEY": STRONG_KEY,
                "DJANGO_ALLOWED_HOSTS": "a.org",
                "CACHE_URL": "redis://127.0.0.1:6379/1",
            },
            "PORTAL_FIELD_KEYS must be set",
        ),
        (
            {"DJANGO_SECRET_KEY": STRONG_KEY, "DJANGO_ALLOWED_HOSTS": "a.org", "DJANGO_DEBUG": "1"},
            "DJANGO_DEBUG must be off",
        ),
        (
            {
                "DJANGO_SECRET_KEY": STRONG_KEY,
                "DJANGO_ALLOWED_HOSTS": "a.org",
                "PORTAL_FIELD_KEYS": "cw_0x689RpI-jtRR7oE8h8Eo0OQWPnq7ahRLXbmrpg0=",
                "PORTAL_BLIND_INDEX_KEY": "x" * 40,
            },
            "CACHE_URL must name a shared cache",
        ),
    ],
)
def test_production_refuses_to_start_without_real_settings(tmp_path, env, message):
    result = run(SETUP, {"DJANGO_ENV": "production", **env}, tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


PRODUCTION = {
    "DJANGO_ENV": "production",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "DJANGO_SECRET_KEY": STRONG_KEY,
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    "DJANGO_EMAIL_URL": "smtp+tls://portal:secret@mail.example.org:587",
    "PORTAL_FIELD_KEYS": "cw_0x689RpI-jtRR7oE8h8Eo0OQWPnq7ahRLXbmrpg0=",
    "PORTAL_BLIND_INDEX_KEY": secrets.token_urlsafe(48),
}


def test_check_deploy_reports_nothing_in_production(tmp_path):
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_headers_and_cookies(tmp_path):
    code = (
        SETUP
        + """
from django.test import Client
from django.test.utils import setup_test_environment
import json
setup_test_environment()
c = Client()
insecure = c.get('/healthz/live', headers={'host': 'portal.example.org'})
r = c.get('/admin/login/', secure=True, headers={'host': 'portal.example.org'})
print(json.dumps({
    'redirect': insecure.status_code, 'location': insecure.get('Location', ''),
    'hsts': r.get('Strict-Transport-Security', ''), 'csp': r.get('Content-Security-Policy', ''),
    'cookies': {k: {'secure': v['secure'], 'httponly': v['httponly'], 'samesite': v['samesite']}
                for k, v in r.cookies.items()},
}))
"""
    )
    env = {
        **PRODUCTION,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
    }
    collected = run(["manage.py", "collectstatic", "--no-input", "-v0"], env, tmp_path)
    assert collected.returncode == 0, collected.stderr
    result = run(code, env, tmp_path)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["redirect"] == 301 and seen["location"].startswith("https://")
    assert "max-age=31536000" in seen["hsts"] and "preload" in seen["hsts"]
    assert "'nonce-" in seen["csp"] or "script-src 'self'" in seen["csp"]
    csrf = seen["cookies"]["__Host-csrftoken"]
    assert csrf["secure"] is True and csrf["samesite"] == "Lax"


def test_readiness_is_503_and_liveness_200_when_the_database_is_down(tmp_path):
    code = (
        SETUP
        + """
import json, time
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
c = Client()
start = time.monotonic()
ready = c.get('/healthz/ready')
took = time.monotonic() - start
live = c.get('/healthz/live')
print(json.dumps([ready.status_code, ready.content.decode(), live.status_code, took]))
"""
    )
    # Nothing listens on port 1: the database is down.
    env = {"DATABASE_URL": "postgres://postgres@127.0.0.1:1/portal"}
    result = run(code, env, tmp_path)
    assert result.returncode == 0, result.stderr
    ready_status, body, live_status, took = json.loads(result.stdout.strip().splitlines()[-1])
    assert ready_status == 503 and "Traceback" not in body and "127.0.0.1" not in body
    assert live_status == 200
    assert took < 5
