"""Walk the URL resolver: every worker URL that names an object, tried by another worker."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from services.members.services import join_request_submit
from tests.factories import TEST_PASSWORD, GrassrootsUnionFactory, MemberFactory


def worker_routes():
    """(namespace:name, route) for every URL pattern with an object id in it."""
    found = []

    def walk(patterns, prefix="", namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern) and "<int:" in str(entry.pattern):
                found.append((f"{namespace}{entry.name}", prefix + str(entry.pattern)))

    walk(get_resolver().url_patterns)
    # The admin checks staff scoping itself (test_staff_admin); the public report routes take
    # a year, not anyone's object.
    return [
        (name, route)
        for name, route in found
        if not name.startswith("admin:") and "<int:year>" not in route
    ]


def test_the_walk_finds_the_worker_routes():
    names = {name for name, _ in worker_routes()}
    assert {"members:join_detail", "members:join_withdraw"} <= names


@pytest.mark.parametrize(("name", "route"), worker_routes())
def test_another_worker_gets_404(client, db, name, route):
    owner = MemberFactory(mobile="13100000001")
    union = GrassrootsUnionFactory()
    join_request = join_request_submit(
        member=owner, street=union.street, grassroots_union=union,
        employment_form="rider", employer_text="平台",
    )  # fmt: skip
    intruder = MemberFactory(mobile="13100000002")
    client.post("/accounts/login/", {"username": intruder.mobile, "password": TEST_PASSWORD})
    path = "/" + route.replace("<int:pk>", str(join_request.pk))
    assert client.get(path).status_code in (404, 405)
    assert client.post(path).status_code == 404
    join_request.refresh_from_db()
    assert join_request.status == "submitted"
