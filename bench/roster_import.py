"""How long an employer roster of 40,000 rows takes to check and to save, and the peak memory.

Run with `make bench` (or `python bench/roster_import.py`; `BENCH_ROSTER_ROWS` changes the
size, `DATABASE_URL` the database: CI and the README's numbers use PostgreSQL). Builds a
throw-away database and an .xlsx roster of new workers (the worst case: every row becomes a
pending member and a coverage), then measures:

  read     reading the sheet with python-calamine
  check    every row checked (names, ID numbers, mobiles, duplicates, who is on the portal)
  save     the accepted rows saved in one transaction (users, members, coverages)

and the process's peak resident memory. The budget is 20 s for check and save together and
500 MB of memory; the script prints the ratio of each step to the read, measured in the same
run, and exits 1 when a budget is passed.
"""

import io
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROSTER_ROWS", "40000"))
SECONDS, MEGABYTES = 20.0, 500


def roster_bytes(count: int) -> bytes:
    import xlsxwriter
    from stdnum.cn import ric

    surnames, given = (
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗",
        "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂",
    )
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["序号", "姓名", "身份证号", "手机号"])
    for index in range(count):
        body = f"330114{1960 + index // 1000}0101{index % 1000:03d}"
        name = (
            surnames[index % 20]
            + given[(index // 20) % len(given)]
            + given[(index // 440) % len(given)]
        )
        row = [
            index + 1,
            name,
            body + ric.calc_check_digit(body + "0"),
            f"1{50 + index // 10**8}{index:08d}",
        ]
        sheet.write_row(index + 1, 0, row)
    book.close()
    return buffer.getvalue()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from importlib import import_module

        from django.apps import apps

        from services.mutual_aid import roster
        from services.mutual_aid.models import Coverage
        from services.mutual_aid.seed import seed_plans
        from tests.factories import EnterpriseFactory, street_staff

        import_module("services.members.migrations.0002_streets").add_streets(apps, None)
        for migration in ("services.members.migrations.0003_staff_roles",
                          "services.mutual_aid.migrations.0002_roles"):  # fmt: skip
            import_module(migration).grant_roles(apps, None)
        (plan, *_others) = seed_plans()
        enterprise = EnterpriseFactory(name="基准测试制造有限公司")
        staff = street_staff("XS")
        content = roster_bytes(ROWS)
        print(f"roster: {ROWS:,} rows, {len(content) / 1e6:.1f} MB .xlsx; {connection.vendor}")

        start = time.perf_counter()
        rows = roster.read_roster(io.BytesIO(content))
        read = time.perf_counter() - start

        start = time.perf_counter()
        checked = roster.check_rows(plan=plan, enterprise=enterprise, rows=rows)
        check = time.perf_counter() - start
        assert len(checked.accepted) == ROWS, checked.refused[:3]

        upload = SimpleUploadedFile("名单.xlsx", content)
        uploaded = roster.RosterImport.objects.create(
            plan=plan, enterprise=enterprise, file=upload, original_name="名单.xlsx",
            rows_total=ROWS, status="checked", created_by=staff,
        )  # fmt: skip
        start = time.perf_counter()
        saved = roster.roster_save(roster=uploaded, actor=staff)
        save = time.perf_counter() - start  # includes reading and checking the file again
        assert saved == Coverage.objects.count() == ROWS

        total = check + save
        print(f"read   {read:6.2f} s  (×1.00)")
        print(f"check  {check:6.2f} s  (×{check / read:.2f} of read)")
        print(f"save   {save:6.2f} s  (×{save / read:.2f} of read; reads and checks again)")
        print(f"check + save {total:.2f} s (budget {SECONDS:.0f} s)")
        print(f"peak memory {peak_mb():.0f} MB (budget {MEGABYTES} MB)")
        # The last line, for bench/exports.py.
        print(json.dumps({"rows": ROWS, "seconds": total, "peak_mb": peak_mb()}))
        if total > SECONDS or peak_mb() > MEGABYTES:
            sys.exit(1)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
