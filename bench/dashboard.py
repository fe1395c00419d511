"""How long the staff statistics page (/admin/statistics/) takes with 200,000 applications,
against the same page with 2,000 (measured first, in the same run), and how many queries each
takes.

Run with `make bench` (or `python bench/dashboard.py`; `BENCH_APPLICATIONS` changes the
size, `BENCH_REQUESTS` the number of timed requests, `DATABASE_URL` the database: the README's
numbers use PostgreSQL). Builds a throw-away database with the seven streets, this year's four
programs (and a course program whose money has no applications), members in every street,
and their applications across every status and month with the ledger entries of the approved
and paid ones (some reversed), all with bulk_create. Then it serves the page through Django's
test client as a district approver (every street; a street chosen; a street and a month) and
as a street reviewer, and prints the median and 95th percentile of the requests and the
query count. The page must take the same number of queries at both sizes (exit 1 if not).

`BENCH_EXPLAIN=1` prints PostgreSQL's EXPLAIN ANALYZE of each statistics query at full size.
`BENCH_KEEP=1` keeps the database afterwards (to try queries by hand; the next run replaces it).
`BENCH_INDEXES=1` then creates candidate indexes by hand in the throw-away database (never a
migration) and measures again, to show what each would change.
"""

import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from services.applications.statistics import SHANGHAI, this_year  # noqa: E402

APPLICATIONS = int(os.environ.get("BENCH_APPLICATIONS", "200000"))
BASELINE = 2000
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "20"))
PROGRAMS = ("CMK", "QXYM", "SSTXL", "SSTJN")  # one application per member per program
# status: share of applications; the money of approved and paid ones is in the ledger
STATUSES = {
    "draft": 8, "submitted": 12, "in_review": 8, "needs_info": 4, "approved": 20,
    "rejected": 10, "withdrawn": 6, "paid": 32,
}  # fmt: skip
# Candidate indexes measured with BENCH_INDEXES=1 (name, SQL).
INDEXES = [
    (
        "ledger_program_stats",
        "CREATE INDEX ledger_program_stats ON applications_ledgerentry "
        "(program_id, status, member_id, created_at, paid_at, amount)",
    ),
    (
        "application_program_stats",
        "CREATE INDEX application_program_stats ON applications_application "
        "(program_id, status, street_id, submitted_at)",
    ),
]


class Builder:
    """Bulk-creates members, applications and ledger entries; ``add(n)`` adds n applications
    (n / 4 members, each applying to the four programs)."""

    def __init__(self, year: int, actor):
        from django.contrib.auth import get_user_model
        from django.contrib.contenttypes.models import ContentType

        from services.applications.models import Application, LedgerEntry, Program
        from services.members.models import Member, Street

        self.models = get_user_model(), Member, Application, LedgerEntry
        self.year, self.actor = year, actor
        self.streets = list(Street.objects.order_by("pk"))
        self.random = random.Random(2026)
        opens = datetime(year, 1, 1, tzinfo=SHANGHAI)
        self.programs = [
            Program.objects.create(
                code=code,
                name=f"测试项目{code}",
                year=year,
                kind="tuition",
                rule_params={"share": "0.6", "cap": "4000"},
                opens_at=opens,
                closes_at=opens.replace(month=12, day=31),
                budget=Decimal("200000000"),
                per_person_cap=Decimal("4000"),
            )  # fmt: skip
            for code in PROGRAMS
        ]
        self.course = Program.objects.create(
            code="KC", name="家门口学技能", year=year, kind="course", opens_at=opens,
            closes_at=opens.replace(month=12, day=31), budget=Decimal("200000000"),
            per_person_cap=Decimal("4000"),
        )  # fmt: skip
        self.application_type = ContentType.objects.get_for_model(Application)
        self.enrollment_type = ContentType.objects.get(app_label="courses", model="enrollment")
        self.members = self.applications = self.entries = self.enrollments = 0

    def moment(self, month: int) -> datetime:
        day, minute = self.random.randint(1, 28), self.random.randint(0, 24 * 60 - 1)
        return datetime(self.year, month, day, tzinfo=SHANGHAI) + timedelta(minutes=minute)

    def add(self, count: int) -> None:
        User, Member, Application, LedgerEntry = self.models
        start, people = self.members, count // len(PROGRAMS)
        unusable = make_password(None)
        users = User.objects.bulk_create(
            (User(username=f"b{start + i:07d}", password=unusable) for i in range(people)),
            batch_size=5000,
        )
        members = Member.objects.bulk_create(
            (
                Member(
                    user=user,
                    real_name="测试",
                    id_number=f"X{start + i:017d}",
                    id_number_index=f"bench{start + i}",
                    birth_date=datetime(1990, 1, 1).date(),
                    sex="M",
                    mobile=f"1{start + i:010d}",
                    # one in 50 with no street (counted under 未指定街道)
                    street=None if (start + i) % 50 == 0 else self.streets[(start + i) % 7],
                )  # fmt: skip
                for i, user in enumerate(users)
            ),
            batch_size=5000,
        )
        self.members += people
        kinds, weights = list(STATUSES), list(STATUSES.values())
        applications, money = [], []
        for member in members:
            for program in self.programs:
                self.applications += 1
                status = self.random.choices(kinds, weights)[0]
                month = self.random.randint(1, 12)
                submitted = None if status == "draft" else self.moment(month)
                if status == "withdrawn" and self.random.random() < 0.5:
                    submitted = None  # withdrawn before it was submitted
                decided = submitted + timedelta(days=12) if submitted else None
                amount = Decimal(self.random.choice([800, 1500, 2400, 3000, 4000]))
                applications.append(Application(
                    reference=f"QT-{program.code}-{self.year}-{self.applications:07d}",
                    program=program, applicant=member, street_id=member.street_id,
                    status=status, requested_amount=amount, amount_reason="bench",
                    approved_amount=amount if status in ("approved", "paid") else None,
                    submitted_at=submitted, decided_at=decided,
                    created_at=submitted or self.moment(month),
                ))  # fmt: skip
                money.append((status, amount, decided, member))
        with given_times(Application):
            created = Application.objects.bulk_create(applications, batch_size=5000)
        entries = []
        for application, (status, amount, decided, member) in zip(created, money, strict=True):
            if status not in ("approved", "paid", "rejected"):
                continue
            if status == "rejected" and self.random.random() < 0.8:
                continue  # most rejections never had money; the rest were revoked
            entries.append(self.entry(member, application.program, application.pk, status,
                                      amount, decided, self.application_type))  # fmt: skip
        # course subsidies: money with no application behind it
        for member in members[: len(members) // 5]:
            self.enrollments += 1
            decided = self.moment(self.random.randint(1, 12))
            entries.append(self.entry(member, self.course, self.enrollments, "paid",
                                      Decimal(600), decided, self.enrollment_type))  # fmt: skip
        with given_times(LedgerEntry):
            LedgerEntry.objects.bulk_create(entries, batch_size=5000)
        self.entries += len(entries)

    def entry(self, member, program, source_id, status, amount, decided, source_type):
        _User, _Member, _Application, LedgerEntry = self.models
        if status == "rejected":
            state, paid_at = "reversed", None
        elif status == "paid":
            state, paid_at = "paid", decided + timedelta(days=20)
        else:
            state = self.random.choice(["reserved", "in_batch"])
            paid_at = None
        return LedgerEntry(
            member=member, program=program, year=self.year, source_type=source_type,
            source_id=source_id, purpose="bench", amount=amount, status=state,
            created_by=self.actor, created_at=decided, paid_at=paid_at,
        )  # fmt: skip


class given_times:  # noqa: N801 (a context manager, used like a function)
    """Lets bulk_create keep the created_at the bench gives (auto_now_add would set now)."""

    def __init__(self, model):
        self.field = model._meta.get_field("created_at")

    def __enter__(self):
        self.field.auto_now_add = False

    def __exit__(self, *exc):
        self.field.auto_now_add = True


def timed(client, url) -> tuple[float, float, int]:
    """Median and 95th percentile in ms of REQUESTS requests, and the query count."""
    assert client.get(url).status_code == 200  # warm up
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200 and "stats" in response.context, url
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, len(captured)


def measure(cases: dict) -> dict:
    return {name: timed(client, url) for name, (client, url) in cases.items()}


def analyze() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def explain(client, url) -> None:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    for query in captured.captured_queries:
        sql = query["sql"]
        if "GROUP BY" not in sql:
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n    ".join(row[0] for row in cursor.fetchall())
        print(f"\n  {sql[:160]}…\n    {plan}")


def report(title, small, big) -> None:
    print(title)
    for name in big:
        (s_median, s_p95, s_queries), (b_median, b_p95, b_queries) = small[name], big[name]
        print(
            f"  {name:<26} {BASELINE:>7,}: {s_median:7.1f} ms (p95 {s_p95:7.1f}) {s_queries} q"
            f"   {APPLICATIONS:>7,}: {b_median:7.1f} ms (p95 {b_p95:7.1f}) {b_queries} q"
            f"   ×{b_median / s_median:.2f}"
        )


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from importlib import import_module

        from django.apps import apps

        from services.applications.models import Application, LedgerEntry
        from services.members.models import Street
        from tests.conftest import login_staff
        from tests.factories import street_staff

        import_module("services.members.migrations.0002_streets").add_streets(apps, None)
        for migration in ("services.members.migrations.0003_staff_roles",
                          "services.applications.migrations.0002_role_permissions",
                          "services.applications.migrations.0007_ledger_permissions"):  # fmt: skip
            import_module(migration).grant_roles(apps, None)
        approver = street_staff(None, groups=["区总复审员"])
        reviewer = street_staff("XS")
        by = Street.objects.get(code="BY").pk
        district, street = login_staff(Client(), approver), login_staff(Client(), reviewer)
        cases = {
            "district, every street": (district, "/admin/statistics/"),
            "district, one street": (district, f"/admin/statistics/?street={by}"),
            "district, street + month": (district, f"/admin/statistics/?street={by}&month=6"),
            "street reviewer (下沙)": (street, "/admin/statistics/"),
        }
        builder = Builder(this_year(), approver)
        builder.add(BASELINE)
        analyze()
        small = measure(cases)
        start = time.perf_counter()
        builder.add(APPLICATIONS - BASELINE)
        analyze()
        built = time.perf_counter() - start
        print(
            f"statistics page, {connection.vendor}, median and p95 of {REQUESTS} requests; "
            f"{Application.objects.count():,} applications, {LedgerEntry.objects.count():,} "
            f"ledger entries, {builder.members:,} members (built in {built:.0f} s)"
        )
        big = measure(cases)
        report("as migrated:", small, big)
        if os.environ.get("BENCH_EXPLAIN"):
            explain(district, "/admin/statistics/")
        if os.environ.get("BENCH_INDEXES") and connection.vendor == "postgresql":
            added = []
            for name, sql in INDEXES:  # one more each time: the effect of each in turn
                with connection.cursor() as cursor:
                    cursor.execute(sql)
                analyze()
                added.append(name)
                report("with " + " + ".join(added) + ":", small, measure(cases))
            if os.environ.get("BENCH_EXPLAIN"):
                explain(district, "/admin/statistics/")
        if any(small[name][2] != big[name][2] for name in big):
            sys.exit(1)
    finally:
        if os.environ.get("BENCH_KEEP"):
            print(f"kept the database {connection.settings_dict['NAME']}")
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
