"""Public pages under gunicorn, as `make run` serves them, against the static-file ceiling.

Builds a throw-away portal (SQLite under var/bench-public/, as `make run` does: the 2023 report,
this year's programs, courses and plans, the demo accounts with a public notice), serves it
with gunicorn (3 workers, config/gunicorn.py) and drives each address with
`wrk -t2 -c16 -d<BENCH_SECONDS>s`. The ceiling is a static file (the portal's stylesheet)
served by whitenoise from the same gunicorn, measured first and last; every page is given as
a share of the mean of the two. Pages are measured as wrk asks for them (no compression) and
the three report pages again as browsers ask (gzip).

What must hold (the ratios): the report page, the home page and the report archive at least
0.75 of the ceiling; every other public page at least 0.3.

`BENCH_SECONDS` (default 8) sets each measurement's length; `BENCH_DATABASE_URL` serves from
another database (e.g. PostgreSQL) instead of SQLite.
"""

import json
import os
import shutil
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, gunicorn, manage, table, write_result, wrk  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
PORT = int(os.environ.get("BENCH_PORT", "8061"))
VAR = ROOT / "var" / "bench-public"
REPORT_PAGES = {"/reports/2023/", "/", "/reports/"}


def portal_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))}
    env.pop("DATABASE_URL", None)
    env.pop("CACHE_URL", None)
    env["PORTAL_VAR_DIR"] = str(VAR)
    if os.environ.get("BENCH_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    return env


def build(env: dict) -> None:
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    for command in (
        ["migrate", "--no-input"],
        ["load_annual_report"],
        ["seed_programs"],
        ["seed_courses"],
        ["seed_mutual_aid"],
        ["demo_setup"],
        ["collectstatic", "--no-input"],
    ):
        manage(*command, env=env)


def addresses() -> list[str]:
    manifest = json.loads((VAR / "static" / "staticfiles.json").read_text())
    return [
        "/static/" + manifest["paths"]["css/portal.css"],
        "/healthz/live",
        "/reports/2023/",
        "/",
        "/reports/",
        "/en/reports/2023/",
        "/reports/2023/figures.json",
        "/reports/2023/figures.csv",
        "/services/",
        "/services/1/",
        "/courses/",
        "/courses/?places_left=on",
        "/courses/1/",
        "/notices/",
        "/notices/1/",
        "/privacy/",
        "/accounts/login/",
        "/accounts/register/",
    ]


def main() -> None:
    env = portal_env()
    print(f"building the portal under {VAR} ...", flush=True)
    build(env)
    urls = addresses()
    static = urls[0]
    rows, results = [], {}
    with gunicorn(env, port=PORT, workers=3, log=VAR / "gunicorn.log") as base:
        for url in urls:  # warm every worker: templates compiled, pages kept
            for _ in range(12):
                with urllib.request.urlopen(base + url) as response:
                    response.read()
        first = wrk(base + static, seconds=SECONDS)
        for url in urls[1:]:
            results[url] = wrk(base + url, seconds=SECONDS)
            print(f"  {url:<32} {results[url]['rps']:8.0f} req/s", flush=True)
        gzip = ["Accept-Encoding: gzip"]
        static_gzip = wrk(base + static, seconds=SECONDS, headers=gzip)
        zipped = {url: wrk(base + url, seconds=SECONDS, headers=gzip) for url in REPORT_PAGES}
        last = wrk(base + static, seconds=SECONDS)
    ceiling = (first["rps"] + last["rps"]) / 2
    print(f"static ceiling: {first['rps']:.0f} then {last['rps']:.0f} req/s")
    failed = []
    for url, found in results.items():
        ratio = found["rps"] / ceiling
        target = 0.75 if url in REPORT_PAGES else (None if "healthz" in url else 0.3)
        ok = "" if target is None else ("yes" if ratio >= target else "**no**")
        if ok == "**no**" or found["errors"]:
            failed.append(url)
        rows.append(
            [
                f"`{url}`",
                f"{found['rps']:,.0f}",
                f"{ratio:.2f}",
                "" if target is None else f"≥ {target}",
                ok,
                f"{found['p99']:.1f}",
                found["errors"],
            ]
        )
    for url, found in zipped.items():
        ratio = found["rps"] / static_gzip["rps"]
        rows.append(
            [
                f"`{url}` (gzip)",
                f"{found['rps']:,.0f}",
                f"{ratio:.2f}",
                "≥ 0.75",
                "yes" if ratio >= 0.75 else "**no**",
                f"{found['p99']:.1f}",
                found["errors"],
            ]
        )
    headers = ["address", "req/s", "of static", "must", "met", "p99 ms", "errors"]
    body = (
        f"Static ceiling (`{static}` through whitenoise, same gunicorn): "
        f"{first['rps']:,.0f} req/s before the pages, {last['rps']:,.0f} after (mean "
        f"{ceiling:,.0f}); with gzip {static_gzip['rps']:,.0f}. "
        f"`wrk -t2 -c16 -d{SECONDS}s`, 3 gunicorn workers × 2 threads, SQLite.\n\n"
        + table(headers, rows)
    )
    print(body)
    write_result(
        "public_pages",
        title="Public pages under gunicorn (share of the static-file ceiling)",
        command="python bench/public_pages.py",
        body=body,
    )
    if failed:
        print("below target:", ", ".join(failed))


if __name__ == "__main__":
    main()
