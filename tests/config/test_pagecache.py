"""Public pages kept in memory (config/pagecache.py): handed to anonymous readers without a
query, never stale after a change, never to someone with a session, never with a cookie.

Each ``Client`` has its own middleware, so two clients stand for two gunicorn workers (or two
instances) sharing one cache, as production shares Redis.
"""

import gzip

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from reports.services import report_publish, report_unpublish
from tests.factories import MemberFactory


def queries(client, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    return response, len(captured)


def warm(client, url):
    for _ in range(2):  # the first reading learns the page keeps; the second keeps it
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url", ["/", "/reports/", "/reports/2023/", "/reports/2023/figures.json", "/en/reports/2023/"]
)
def test_a_kept_page_costs_no_query_and_is_the_same_page(client, report_2023, url):
    first = client.get(url)
    warm(client, url)
    response, count = queries(client, url)
    assert count == 0
    assert response.content == first.content
    assert response["Content-Type"] == first["Content-Type"]
    assert response["Content-Language"] == first["Content-Language"]
    assert response["Cache-Control"] == "no-cache" and "Accept-Encoding" in response["Vary"]
    assert "Content-Security-Policy" in response and response["X-Frame-Options"] == "DENY"


def test_gzip_once_and_revalidation(client, report_2023):
    warm(client, "/reports/2023/")
    plain = client.get("/reports/2023/")
    zipped = client.get("/reports/2023/", headers={"accept-encoding": "gzip, deflate, br"})
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert len(zipped.content) < len(plain.content) / 4
    assert int(zipped["Content-Length"]) == len(zipped.content)
    refused = client.get("/reports/2023/", headers={"accept-encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused
    again, count = queries(client, "/reports/2023/", if_none_match=plain["ETag"])
    assert again.status_code == 304 and count == 0 and again["ETag"] == plain["ETag"]
    assert zipped["ETag"] != plain["ETag"]


def test_a_publish_on_one_worker_is_seen_by_every_worker(report_2023):
    first, second = Client(), Client()
    for worker in (first, second):
        warm(worker, "/reports/2023/")
        warm(worker, "/reports/")
    report_2023.title = "新的标题"
    report_2023.save()
    assert "新的标题" not in second.get("/reports/2023/").content.decode()  # not published
    report_publish(report=report_2023, user=None)
    for worker in (first, second):
        assert "新的标题" in worker.get("/reports/2023/").content.decode()
        assert "新的标题" in worker.get("/reports/").content.decode()
    report_unpublish(report=report_2023, user=None)
    for worker in (first, second):
        assert worker.get("/reports/2023/").status_code == 404
        assert worker.get("/reports/2023/figures.csv").status_code == 404


def test_a_lost_cache_draws_the_pages_again(client, report_2023):
    warm(client, "/reports/2023/")
    cache.clear()  # Redis restarted: the generations are gone
    response, count = queries(client, "/reports/2023/")
    assert response.status_code == 200 and count >= 1


def test_signed_in_readers_and_queries_are_never_answered_from_memory(client, report_2023):
    member = MemberFactory()
    warm(client, "/reports/2023/")
    client.force_login(member.user)
    response, count = queries(client, "/reports/2023/")
    assert count >= 1 and "ETag" not in response
    assert "退出" in response.content.decode()  # their own header, not the public one
    anonymous = Client()
    for _ in range(3):
        response, count = queries(anonymous, "/reports/2023/?utm=1")
        assert count >= 1 and "ETag" not in response
    anonymous.cookies["messages"] = "x"
    response, count = queries(anonymous, "/reports/2023/")
    assert count >= 1


def test_a_page_that_sets_a_cookie_is_not_kept(client, db):
    for _ in range(3):
        response, count = queries(client, "/accounts/login/")
        assert count >= 0 and "ETag" not in response


def test_a_bad_host_is_refused_as_everywhere(client, report_2023):
    warm(client, "/reports/2023/")
    assert client.get("/reports/2023/", headers={"host": "evil.example"}).status_code == 400


def test_the_course_filters_are_kept_by_their_query(client, db):
    from services.courses.seed import seed_courses

    seed_courses()
    url = "/courses/?places_left=on&category=electrician"
    warm(client, url)
    response, count = queries(client, url)
    assert count == 0 and response.status_code == 200


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
)
def test_with_the_shared_cache_away_pages_are_drawn_not_kept(client, report_2023):
    for _ in range(3):
        response, count = queries(client, "/reports/2023/")
        assert response.status_code == 200 and count >= 1


def test_a_form_page_is_drawn_once_and_each_reader_gets_their_own_token(db):
    """The login page is kept with a placeholder for the CSRF token: each reader gets a
    token of their own, their cookie is set as usual, and the form still works."""
    from tests.factories import TEST_PASSWORD

    member = MemberFactory()
    for _ in range(2):
        Client().get("/accounts/login/")
    readers = [Client(enforce_csrf_checks=True) for _ in range(2)]
    pages = []
    for reader in readers:
        response, count = queries(reader, "/accounts/login/")
        assert count == 0 and "no-store" in response["Cache-Control"]
        assert reader.cookies["csrftoken"].value
        pages.append(response.content.decode())
    tokens = [page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0] for page in pages]
    assert tokens[0] != tokens[1] and "\x00" not in pages[0]
    assert pages[0].replace(tokens[0], "") == pages[1].replace(tokens[1], "")
    response = readers[0].post(
        "/accounts/login/",
        {"username": member.mobile, "password": TEST_PASSWORD, "csrfmiddlewaretoken": tokens[0]},
    )
    assert response.status_code == 302
    # Signed in, the page is drawn for them (their own header), never the kept copy.
    assert readers[0].get("/accounts/login/").status_code in (200, 302)


def test_with_make_runs_file_cache_a_publish_reaches_every_worker(report_2023, tmp_path):
    """`make run` shares a file cache between its gunicorn workers; a worker reads a
    generation again only when its file changed."""
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    with override_settings(CACHES=caches):
        first, second = Client(), Client()
        for worker in (first, second):
            warm(worker, "/reports/2023/")
            assert queries(worker, "/reports/2023/")[1] == 0
        report_2023.title = "又一个新标题"
        report_2023.save()
        report_publish(report=report_2023, user=None)
        for worker in (first, second):
            assert "又一个新标题" in worker.get("/reports/2023/").content.decode()


@pytest.mark.parametrize(
    ("accept", "zipped"),
    [
        ("gzip", True), ("GZIP", True), ("gzip;q=0.5", True), ("gzip;q=0.001, br", True),
        ("gzip;q=0", False), ("gzip;Q=0", False), ("deflate", False), ("*", True),
        ("*;q=0", False), ("br, *;q=0.1", True), ("", False), ("gzip;q=abc", False),
    ],
)  # fmt: skip
def test_accept_encoding_is_read_as_http_says(client, report_2023, accept, zipped):
    warm(client, "/reports/2023/")
    response = client.get("/reports/2023/", headers={"accept-encoding": accept})
    assert (response.get("Content-Encoding") == "gzip") is zipped


def test_weak_and_listed_etags_and_head_requests(client, report_2023):
    warm(client, "/reports/2023/")
    etag = client.get("/reports/2023/")["ETag"]
    for header in (f"W/{etag}", f'"other", {etag}', "*"):
        assert client.get("/reports/2023/", headers={"if-none-match": header}).status_code == 304
    head = client.head("/reports/2023/")
    assert head.status_code == 200 and head.content == b"" and int(head["Content-Length"]) > 1000
    with CaptureQueriesContext(connection) as captured:
        client.head("/reports/2023/")
    assert len(captured) == 0
