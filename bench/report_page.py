"""How fast the public report page is served, and what the snapshot and the cache buy.

Run with `make bench`. Builds a throw-away database, loads the 2023 report, and serves
/reports/2023/ through Django's test client (no network, so the numbers are the app's own):

  baseline   render the working copy per request, as before publishing (build the snapshot,
             render every section's Markdown, render the template): what a page would cost
             without the published snapshot
  snapshot   the public page with its fragment cache off (a dummy cache)
  cached     the public page as served, fragment cache warm

Prints requests per second and each ratio against the baseline measured in the same run.
"""

import os
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "300"))


def rate(fn, n=REQUESTS):
    fn()  # warm up
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return n / (time.perf_counter() - start)


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from reports.management.commands.load_annual_report import DEFAULT_FILE
        from reports.models import AnnualReport
        from reports.services import report_import
        from reports.snapshot import build_report_snapshot, report_with_content
        from reports.views import render_report

        with open(DEFAULT_FILE, "rb") as handle:
            report_import(data=tomllib.load(handle))
        client = Client()
        factory = RequestFactory()

        def baseline():
            request = factory.get("/reports/2023/")
            request.user = None
            report = report_with_content().get(year=2023)
            render_report(request, report, build_report_snapshot(report))

        def public():
            assert client.get("/reports/2023/").status_code == 200

        results = {"baseline": rate(baseline)}
        dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
        with override_settings(CACHES=dummy):
            results["snapshot"] = rate(public)
        results["cached"] = rate(public)
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(f"report page, {REQUESTS} requests each, database {engine}")
        for name, value in results.items():
            ratio = value / results["baseline"]
            print(f"  {name:<9} {value:8.1f} req/s   x{ratio:.2f} of baseline")
        assert AnnualReport.objects.count() == 1
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
