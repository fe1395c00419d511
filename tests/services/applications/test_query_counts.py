"""Staff lists issue a fixed number of queries however many rows they show."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.services.applications.conftest import draft, make_eligible


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_applications(program, start, count):
    for index in range(start, start + count):
        member = make_eligible(mobile=f"1330000{index:04d}")
        draft(program, member, "100")


def test_application_and_member_lists_do_not_grow_with_rows(program, approver, staff_client):
    client = staff_client(approver)
    urls = [
        reverse("admin:applications_application_changelist"),
        reverse("admin:members_member_changelist"),
    ]
    add_applications(program, 0, 3)
    few = [count_queries(client, url) for url in urls]
    add_applications(program, 3, 40)
    many = [count_queries(client, url) for url in urls]
    assert few == many
