"""How long a campaign's page takes with 50,000 enterprise visits, against the same page with
none (measured in the same run), and how many queries each takes.

Run with `make bench` (or `python bench/campaign_page.py`; `BENCH_VISITS` changes the size,
`DATABASE_URL` the database). Builds a throw-away database with the seven streets, 1,000
hardship files as targets with 1,000 household visits, and a campaign with the given number
of enterprise batch visits; serves the campaign page (活动统计) through Django's test client as
a district approver and prints the median time of 20 requests and the query count.
"""

import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

VISITS = int(os.environ.get("BENCH_VISITS", "50000"))
REQUESTS = 20


def timed(client, url):
    client.get(url)  # warm up
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        times.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return statistics.median(times), len(captured)


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from importlib import import_module

        from django.apps import apps
        from django.urls import reverse
        from django.utils import timezone

        from services.hardship import campaigns
        from services.hardship.models import EnterpriseVisit, HardshipFile, HouseholdVisit
        from services.members.models import Street
        from tests.conftest import login_staff
        from tests.factories import EnterpriseFactory, MemberFactory, street_staff

        import_module("services.members.migrations.0002_streets").add_streets(apps, None)
        for migration in ("services.members.migrations.0003_staff_roles",
                          "services.hardship.migrations.0002_roles",
                          "services.hardship.migrations.0004_campaign_roles"):  # fmt: skip
            import_module(migration).grant_roles(apps, None)
        approver = street_staff(None, groups=["区总复审员"])
        empty = campaigns.campaign_create(
            kind="summer", name="空活动", year=timezone.localdate().year, budget=Decimal("1"),
            standard_amount=Decimal("0"), actor=approver,
        )  # fmt: skip
        campaign = campaigns.campaign_create(
            kind="summer", name="夏送清凉", year=timezone.localdate().year,
            budget=Decimal("20000000"),
            standard_amount=Decimal("100"), actor=approver,
        )  # fmt: skip
        streets = list(Street.objects.all())
        files = []
        for index in range(1000):
            member = MemberFactory(mobile=f"1330{index:07d}", street=streets[index % 7])
            files.append(HardshipFile(
                member=member, street=member.street, tier="relative", causes=["illness"],
                household_size=3, income_per_head=Decimal("900"),
            ))  # fmt: skip
        files = HardshipFile.objects.bulk_create(files)
        campaign.targets.bulk_create(
            campaign.targets.model(campaign=campaign, file=f, street_id=f.street_id) for f in files
        )
        today = timezone.localdate()
        HouseholdVisit.objects.bulk_create(
            HouseholdVisit(
                campaign=campaign,
                file=f,
                street_id=f.street_id,
                visited_on=today,
                visitors="走访组",
                cash=Decimal("100"),
                recorded_by=approver,
            )  # fmt: skip
            for f in files
        )
        enterprises = [EnterpriseFactory(street=streets[i % 7]) for i in range(70)]
        EnterpriseVisit.objects.bulk_create(
            (
                EnterpriseVisit(
                    campaign=campaign,
                    enterprise=enterprises[i % 70],
                    street_id=enterprises[i % 70].street_id,
                    visited_on=today,
                    workers_reached=30,
                    cash_total=Decimal("0"),
                    recorded_by=approver,
                )  # fmt: skip
                for i in range(VISITS)
            ),
            batch_size=5000,
        )
        client = login_staff(Client(), approver)
        base, base_queries = timed(
            client, reverse("admin:hardship_campaign_summary", args=[empty.pk])
        )
        big, big_queries = timed(
            client, reverse("admin:hardship_campaign_summary", args=[campaign.pk])
        )
        print(f"campaign page, {connection.vendor}, median of {REQUESTS} requests:")
        print(f"  no visits                 {base * 1000:7.1f} ms  {base_queries} queries  (×1.00)")
        print(
            f"  {VISITS:,} enterprise visits, 1,000 households "
            f"{big * 1000:7.1f} ms  {big_queries} queries  (×{big / base:.2f})"
        )
        if big_queries != base_queries:
            sys.exit(1)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
