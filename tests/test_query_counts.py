"""What a page costs in queries does not grow with the data.

- Every public page (no login) takes at most three queries when it is drawn (a kept page takes
  none: config/pagecache.py).
- Every worker page (``/me/…``, applying) takes the same number of queries for a worker with
  one of everything as for a worker with many applications, proofs, messages and courses.

Each page is read by a fresh client, so it is drawn, never answered from memory.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from services.applications.models import Program
from services.courses.services import course_enrol
from tests.factories import TEST_PASSWORD, street_staff
from tests.services.applications.conftest import approved, program, submitted
from tests.services.courses.conftest import make_course
from tests.test_bad_input import fill, routes
from tests.test_sweeps import world

__all__ = ["program", "world"]

PUBLIC_MAX = 3


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response.status_code, len(captured)


def signed_in(member):
    client = Client()
    client.post("/accounts/login/", {"username": member.mobile, "password": TEST_PASSWORD})
    return client


def test_every_public_page_takes_at_most_three_queries(world):
    problems = []
    for route in routes():
        url = fill(route, world["ids"])
        status, count = queries(Client(), url)
        if status == 200 and count > PUBLIC_MAX:
            problems.append(f"{url}: {count} queries")
    assert problems == [], "\n".join(problems)


def worker_urls(world):
    urls = [fill(route, world["ids"]) for route in routes()]
    return [url for url in urls if url.startswith("/me/") or "/apply/" in url]


def grow(world, extra: int):
    """More of everything for the same worker: applications to other programs (each with
    proofs, status changes and messages), approvals with ledger entries, and courses."""
    member = world["member"]
    base = Program.objects.get(code="CMK")
    reviewer, approver = street_staff("XS"), street_staff(None, groups=["区总复审员"])
    for index in range(extra):
        program = Program.objects.create(
            code=f"Q{index}", name=f"补助{index}", year=base.year, kind=base.kind,
            rule_params=base.rule_params, required_proofs=base.required_proofs,
            opens_at=timezone.now() - timedelta(days=1),
            closes_at=timezone.now() + timedelta(days=30),
            budget=Decimal("100000"), per_person_cap=Decimal("4000"),
        )  # fmt: skip
        if index % 2:
            approved(program, member, reviewer, approver, amount="100")
        else:
            submitted(program, member, amount="100")
        course = make_course(days_ahead=20 + 3 * index, title=f"课程{index}")
        course_enrol(course=course, member=member, actor=member.user)


def test_every_worker_page_takes_the_same_queries_however_much_the_worker_has(world):
    urls = worker_urls(world)
    assert any(url.startswith("/me/applications/") for url in urls)
    client = signed_in(world["member"])
    before = {url: queries(client, url) for url in urls}
    grow(world, 6)
    after = {url: queries(client, url) for url in urls}
    grown = {
        url: (before[url][1], after[url][1])
        for url in urls
        if before[url][0] == after[url][0] == 200 and before[url][1] != after[url][1]
    }
    assert grown == {}, grown
    assert sum(status == 200 for status, _count in after.values()) >= 10
