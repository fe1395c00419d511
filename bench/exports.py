"""Roster import, and Excel and CSV exports, at district scale: time and peak memory.

1. Roster import: bench/roster_import.py (an employer roster of 40,000 new workers checked
   and saved, on its own throw-away database); must take at most 20 s under 500 MB.
2. Excel export of the 100,000 applications a district approver sees (the list's export, as
   the task worker runs it: ``list_export_run``, rustpy-xlsxwriter) against openpyxl's
   write-only mode writing the same rows (the baseline); must be at least twice as fast and
   stay under 100 MB.
3. CSV of the same list as the admin streams it.

Each variant runs in a process of its own, so its peak resident memory is its own; the
database is the seeded one of bench/scale.py.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PYTHON, ROOT, table, write_result  # noqa: E402
from scale import ensure_scale_database  # noqa: E402

EXCEL_SPEEDUP, EXCEL_MB = 2.0, 100


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _django(env: dict):
    import staff_pages

    staff_pages.setup_django(env)
    return staff_pages


def _request_and_admin(staff_pages):
    from django.contrib import admin
    from django.test import RequestFactory

    from services.applications.models import Application

    approver = staff_pages.staff_users()["approver"]
    request = RequestFactory().get("/admin/applications/application/")
    request.user = approver
    return approver, request, admin.site._registry[Application]


def variant(name: str, env: dict) -> dict:
    """One measurement, in this process."""
    staff_pages = _django(env)
    approver, request, model_admin = _request_and_admin(staff_pages)
    from services.applications.list_exports import csv_lines, list_export_run, rows_of
    from services.applications.models import ExportJob

    start_mb = peak_mb()
    start = time.perf_counter()
    rows = 0
    if name == "excel":
        job = ExportJob.objects.create(
            list_name="applications.application", title="bench", query="", requested_by=approver
        )
        job = list_export_run(job_id=job.pk)
        assert job.status == "done", job.error
        rows, size = job.rows_done, job.file.size
        job.file.delete()
        job.delete()
    elif name == "openpyxl":
        from openpyxl import Workbook

        columns = model_admin.get_export_columns(request)
        book = Workbook(write_only=True)
        sheet = book.create_sheet("申请")
        sheet.append([str(column.header) for column in columns])
        for row in rows_of(model_admin.export_queryset(request), columns):
            sheet.append(row)
            rows += 1
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
            book.save(handle.name)
            size = os.path.getsize(handle.name)
    elif name == "csv":
        columns = model_admin.get_export_columns(request)
        size = 0
        for line in csv_lines(model_admin.export_queryset(request), columns):
            size += len(line.encode())
            rows += 1
        rows -= 1  # the header
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds, "rows": rows, "bytes": size, "peak_mb": peak_mb(),
        "before_mb": start_mb,
    }  # fmt: skip


def run_variant(name: str, env: dict) -> dict:
    output = subprocess.run(
        [PYTHON, __file__, "--variant", name],
        cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return json.loads(output.strip().splitlines()[-1])


def roster() -> dict:
    """On PostgreSQL, in a throw-away database of its own (test_qt_bench_roster)."""
    env = {**os.environ, "DATABASE_URL": os.environ.get(
        "BENCH_ROSTER_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/qt_bench_roster"
    )}  # fmt: skip
    output = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "roster_import.py")],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    ).stdout  # fmt: skip
    print(output)
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    if "--variant" in sys.argv:
        name = sys.argv[sys.argv.index("--variant") + 1]
        print(json.dumps(variant(name, ensure_env())))
        return
    env = ensure_scale_database()
    found = {name: run_variant(name, env) for name in ("openpyxl", "excel", "csv")}
    imported = roster()
    speedup = found["openpyxl"]["seconds"] / found["excel"]["seconds"]
    rows = [
        [
            "roster import (check + save)", f"{imported['rows']:,}",
            f"{imported['seconds']:.1f}", f"{imported['peak_mb']:.0f}", "",
            "≤ 20 s, < 500 MB",
            "yes" if imported["seconds"] <= 20 and imported["peak_mb"] < 500 else "**no**",
        ],
        [
            "Excel, openpyxl write-only (baseline)", f"{found['openpyxl']['rows']:,}",
            f"{found['openpyxl']['seconds']:.1f}", f"{found['openpyxl']['peak_mb']:.0f}",
            "1.00", "", "",
        ],
        [
            "Excel, the portal's export task", f"{found['excel']['rows']:,}",
            f"{found['excel']['seconds']:.1f}", f"{found['excel']['peak_mb']:.0f}",
            f"{speedup:.1f}× faster", f"≥ {EXCEL_SPEEDUP}×, < {EXCEL_MB} MB",
            "yes" if speedup >= EXCEL_SPEEDUP and found["excel"]["peak_mb"] < EXCEL_MB
            else "**no**",
        ],
        [
            "CSV, streamed", f"{found['csv']['rows']:,}", f"{found['csv']['seconds']:.1f}",
            f"{found['csv']['peak_mb']:.0f}",
            f"{found['openpyxl']['seconds'] / found['csv']['seconds']:.1f}× faster", "", "",
        ],
    ]  # fmt: skip
    body = (
        "PostgreSQL at district scale; each export in a process of its own (peak resident "
        f"memory of that process, {found['excel']['before_mb']:.0f} MB of it Django and the "
        "portal loaded before the first row: the Excel export itself added "
        f"{found['excel']['peak_mb'] - found['excel']['before_mb']:.0f} MB, the CSV "
        f"{found['csv']['peak_mb'] - found['csv']['before_mb']:.0f} MB). The roster is "
        "bench/roster_import.py.\n\n"
        + table(["what", "rows", "seconds", "peak MB", "vs baseline", "must", "met"], rows)
    )
    print(body)
    write_result(
        "exports", title="Roster import and exports", command="python bench/exports.py", body=body
    )


def ensure_env() -> dict:
    from scale import scale_env

    return scale_env()


if __name__ == "__main__":
    main()
