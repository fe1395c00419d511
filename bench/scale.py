"""The district-scale database the staff-page, export and journey benchmarks share.

`manage.py seed_scale` (200,000 members, 100,000 applications with their status changes and
ledger rows, 40,000 mutual-aid claims, 50,000 visits, courses and three published reports)
into a PostgreSQL database of its own, built once and reused while it holds the seeded data
(`BENCH_RESEED=1` builds it again). `BENCH_SCALE_DATABASE_URL` names the database (default
postgres://postgres@127.0.0.1:5432/qt_bench_scale; it is dropped and created when built).
"""

import os
import subprocess
import time
from urllib.parse import urlparse

from common import ROOT, manage

URL = os.environ.get(
    "BENCH_SCALE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/qt_bench_scale"
)
MEMBERS = 200_000


def scale_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))}
    env.pop("CACHE_URL", None)
    env["DATABASE_URL"] = URL
    env["PORTAL_VAR_DIR"] = str(ROOT / "var" / "bench-scale")
    return env


def _psql(database: str, sql: str) -> str:
    parts = urlparse(URL)
    return subprocess.run(
        ["psql", "-h", parts.hostname, "-p", str(parts.port or 5432), "-U", parts.username,
         "-d", database, "-Atc", sql],
        capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip


def seeded() -> bool:
    name = urlparse(URL).path.lstrip("/")
    found = _psql(name, "SELECT count(*) FROM members_member")
    return found.isdigit() and int(found) >= MEMBERS


def ensure_scale_database() -> dict:
    """The environment for a manage.py or gunicorn on the seeded database."""
    env = scale_env()
    (ROOT / "var" / "bench-scale").mkdir(parents=True, exist_ok=True)
    manage("collectstatic", "--no-input", env=env)
    if seeded() and not os.environ.get("BENCH_RESEED"):
        manage("migrate", "--no-input", env=env)  # indexes added since it was seeded
        _psql(urlparse(URL).path.lstrip("/"), "VACUUM ANALYZE")  # after the journeys' writes
        return env
    name = urlparse(URL).path.lstrip("/")
    _psql("postgres", f'DROP DATABASE IF EXISTS "{name}"')
    _psql("postgres", f'CREATE DATABASE "{name}"')
    print(f"seeding {name} (seed_scale, takes minutes) ...", flush=True)
    start = time.perf_counter()
    manage("migrate", "--no-input", env=env)
    manage("seed_scale", env=env, quiet=False)
    print(f"seeded in {time.perf_counter() - start:.0f} s", flush=True)
    return env
