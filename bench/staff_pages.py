"""Staff queues, admin changelists and the statistics page at district scale.

Runs on the seeded PostgreSQL database (bench/scale.py: 200,000 members, 100,000 applications
with 340,000 status changes, 40,000 claims, 50,000 visits). Each page is served through
Django's test client (no network: the numbers are the app's own) `BENCH_REQUESTS` times
(default 30) after 15 warm-up requests; the script prints the median and 95th percentile and
the queries the page took. The baseline, measured in the same run, is Django's stock
ModelAdmin for applications (no list_display, no filters) on a throw-away admin site.

What must hold: every list and queue here at most 50 ms median. The statistics page is
timed too (it sums every application and ledger entry of the year; bench/dashboard.py
compares it with a small year).
"""

import os
import sys
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, percentiles, table, write_result  # noqa: E402
from scale import ensure_scale_database  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "30"))
WARM_UP = 15  # a page's first requests fill caches (templates, catalogues, the database's)
BUDGET_MS = 50


def setup_django(env: dict) -> None:
    os.environ.update(
        {"DATABASE_URL": env["DATABASE_URL"], "PORTAL_VAR_DIR": env["PORTAL_VAR_DIR"]}
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def staff_users():
    from django.contrib.auth.models import Group

    from services.members.models import StaffProfile, Street, User

    def user(name, *, superuser=False, groups=(), street=None):
        account, _ = User.objects.get_or_create(
            username=name, defaults={"is_staff": True, "is_superuser": superuser}
        )
        account.groups.set(Group.objects.filter(name__in=groups))
        if street:
            StaffProfile.objects.update_or_create(
                user=account, defaults={"street": Street.objects.get(code=street)}
            )
        return account

    return {
        "admin": user("bench-admin", superuser=True),
        "approver": user("bench-approver", groups=["区总复审员"]),
        "reviewer": user("bench-reviewer", groups=["街道初审员"], street="XS"),
    }


def client_for(user):
    """A test client signed in as staff, password and second factor (as the tests do)."""
    from django.test import Client

    from tests.conftest import login_staff

    return login_staff(Client(), user)


def stock_admin_url():
    """Django's stock ModelAdmin for applications on its own admin site, mounted at
    /bench-stock/: the baseline."""
    from django.contrib import admin
    from django.urls import clear_url_caches, path

    import config.urls
    from services.applications.models import Application

    site = admin.AdminSite(name="bench_stock")
    site.register(Application)
    site.has_permission = lambda request: request.user.is_active and request.user.is_superuser
    config.urls.urlpatterns.insert(0, path("bench-stock/", site.urls))
    clear_url_caches()
    return "/bench-stock/applications/application/"


def measure(client, url) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARM_UP):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return {**percentiles(samples), "queries": len(queries)}


def pages(users) -> list[tuple[str, str, str]]:
    from services.applications.models import Application
    from services.members.models import Member

    sample = Application.objects.order_by("pk")[5000]
    member = Member.objects.exclude(id_number_masked="").order_by("pk")[7000]
    applications, members = "/admin/applications/application/", "/admin/members/member/"
    return [
        ("applications, district", "approver", applications),
        ("applications, street 下沙", "reviewer", applications),
        ("review queue (submitted)", "reviewer", applications + "?status=submitted"),
        ("applications, page 200", "approver", applications + "?p=200"),
        ("search by reference", "approver", f"{applications}?q={sample.reference}"),
        ("search by masked ID", "approver", f"{members}?q={member.id_number_masked}"),
        ("search by name", "approver", f"{members}?q={member.real_name}"),
        ("members, district", "approver", members),
        ("members, page 200", "approver", members + "?p=200"),
        ("mutual-aid claims", "approver", "/admin/mutual_aid/claimdetails/"),
        ("household visits", "approver", "/admin/hardship/householdvisit/"),
        ("statistics (district)", "approver", "/admin/statistics/"),
        ("statistics (下沙)", "reviewer", "/admin/statistics/"),
    ]  # fmt: skip


def main() -> None:
    env = ensure_scale_database()
    setup_django(env)
    from services.applications.models import Application, StatusChange
    from services.members.models import Member

    users = staff_users()
    clients = {name: client_for(user) for name, user in users.items()}
    sizes = (Member.objects.count(), Application.objects.count(), StatusChange.objects.count())
    print(f"members {sizes[0]:,}, applications {sizes[1]:,}, status changes {sizes[2]:,}")
    baseline = measure(clients["admin"], stock_admin_url())
    print(f"  stock ModelAdmin (baseline): {baseline['median']:.1f} ms")
    rows, slow = [], []
    for label, who, url in pages(users):
        found = measure(clients[who], url)
        timing = f"{found['median']:7.1f} ms  p95 {found['p95']:7.1f}"
        print(f"  {label:<28} {timing}  {found['queries']} queries")
        is_list = not label.startswith("statistics")
        if is_list and found["median"] > BUDGET_MS:
            slow.append(label)
        rows.append([
            label, f"{found['median']:.1f}", f"{found['p95']:.1f}",
            f"{found['median'] / baseline['median']:.2f}", found["queries"],
            ("yes" if found["median"] <= BUDGET_MS else "**no**") if is_list else "—",
        ])  # fmt: skip
    budget = f"list ≤ {BUDGET_MS} ms"
    body = (
        f"PostgreSQL, {sizes[0]:,} members, {sizes[1]:,} applications, {sizes[2]:,} status "
        f"changes; Django's test client, {REQUESTS} requests per page after {WARM_UP} warm-ups. "
        f"Baseline: Django's stock ModelAdmin for applications, {baseline['median']:.1f} ms "
        f"median ({baseline['queries']} queries).\n\n"
        + table(["page", "median ms", "p95 ms", "of stock admin", "queries", budget], rows)
    )
    write_result(
        "staff_pages",
        title="Staff pages at district scale",
        command="python bench/staff_pages.py",
        body=body,
    )
    print(body)
    if slow:
        print("over budget:", ", ".join(slow))
    print(f"all pages median of medians {median(float(r[1]) for r in rows):.1f} ms")


if __name__ == "__main__":
    main()
