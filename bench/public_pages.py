"""Public pages under gunicorn, as `make run` serves them, against the static-file ceiling.

Builds a throw-away portal (SQLite under var/bench-public/, as `make run` does: the 2023 report,
this year's programs, courses and plans, the demo accounts with a public notice), serves it
with gunicorn (3 workers, config/gunicorn.py) and drives each address with
`wrk -t2 -c16 -d<BENCH_SECONDS>s`. The ceiling is a static file (the portal's stylesheet)
served by whitenoise from the same gunicorn, measured between every two pages (for half as
long); every page is given as a share of the mean of the ceiling measured just before and just
after it, so that a machine that drifts during the run (the host's other work) moves both
sides of each ratio alike. Pages are measured as wrk asks for them (no compression) and the
three report pages again as browsers ask (gzip), against the gzipped stylesheet.

The same addresses are also timed inside one process (bench/in_process.py: the WSGI handler
and the whole middleware stack, no network, no gunicorn), the portal's own share of a
request, which the host's noise moves far less; given as the stylesheet's time over the
page's (1.00: as cheap as the static file).

What must hold (the ratios): the report page, the home page and the report archive at least
0.75 of the ceiling; every other public page at least 0.3.

`BENCH_SECONDS` (default 8) sets each measurement's length; `BENCH_DATABASE_URL` serves from
another database (e.g. PostgreSQL) instead of SQLite.
"""

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PYTHON, ROOT, gunicorn, manage, table, write_result, wrk  # noqa: E402

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


def bracketed(base: str, static: str, urls: list[str], headers=()) -> tuple[dict, list]:
    """Each address between two measurements of the static ceiling: {url: (found, ceiling)}
    and every ceiling measured, in order."""
    ceilings = [wrk(base + static, seconds=max(SECONDS // 2, 2), headers=headers)["rps"]]
    found = {}
    for url in urls:
        result = wrk(base + url, seconds=SECONDS, headers=headers)
        ceilings.append(wrk(base + static, seconds=max(SECONDS // 2, 2), headers=headers)["rps"])
        found[url] = (result, (ceilings[-2] + ceilings[-1]) / 2)
        print(f"  {url:<32} {result['rps']:8.0f} req/s, ceiling {found[url][1]:8.0f}", flush=True)
    return found, ceilings


def main() -> None:
    env = portal_env()
    print(f"building the portal under {VAR} ...", flush=True)
    build(env)
    urls = addresses()
    static = urls[0]
    with gunicorn(env, port=PORT, workers=3, log=VAR / "gunicorn.log") as base:
        for url in urls:  # warm every worker: templates compiled, pages kept
            for _ in range(12):
                with urllib.request.urlopen(base + url) as response:
                    response.read()
        results, ceilings = bracketed(base, static, urls[1:])
        report_pages = [url for url in urls if url in REPORT_PAGES]
        zipped, zipped_ceilings = bracketed(
            base, static, report_pages, headers=["Accept-Encoding: gzip"]
        )
    own = json.loads(
        subprocess.run(
            [PYTHON, str(ROOT / "bench" / "in_process.py"), *urls],
            env=env, cwd=ROOT, check=True, capture_output=True, text=True,
        ).stdout
    )  # fmt: skip
    rows, failed = [], []
    measured = [(url, "", result) for url, result in results.items()]
    measured += [(url, " (gzip)", result) for url, result in zipped.items()]
    for url, gzip, (found, ceiling) in measured:
        ratio = found["rps"] / ceiling
        encoding = "gzip" if gzip else "plain"
        micros = own[url][encoding]
        target = 0.75 if url in REPORT_PAGES else (None if "healthz" in url else 0.3)
        ok = "" if target is None else ("yes" if ratio >= target else "**no**")
        if ok == "**no**" or found["errors"]:
            failed.append(url + gzip)
        rows.append(
            [
                f"`{url}`{gzip}",
                f"{found['rps']:,.0f}",
                f"{ceiling:,.0f}",
                f"{ratio:.2f}",
                "" if target is None else f"≥ {target}",
                ok,
                f"{found['p99']:.1f}",
                found["errors"],
                f"{micros:.0f}",
                f"{own[static][encoding] / micros:.2f}",
            ]
        )
    headers = ["address", "req/s", "ceiling req/s", "of static", "must", "met", "p99 ms",
               "errors", "in-process µs", "of static in-process"]  # fmt: skip
    body = (
        f"Static ceiling (`{static}` through whitenoise, same gunicorn), measured before and "
        f"after each page: {min(ceilings):,.0f} to {max(ceilings):,.0f} req/s during the run "
        f"(gzipped: {min(zipped_ceilings):,.0f} to {max(zipped_ceilings):,.0f}); each page is "
        f"given against the mean of the two beside it. `wrk -t2 -c16 -d{SECONDS}s` "
        f"(the ceiling {max(SECONDS // 2, 2)} s), 3 gunicorn workers × 2 threads, SQLite. "
        f"In one process (bench/in_process.py) the stylesheet takes "
        f"{own[static]['plain']:.0f} µs ({own[static]['gzip']:.0f} µs gzipped).\n\n"
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
