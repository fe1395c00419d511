"""No input gives a 500: every page, form and admin filter is sent NUL bytes, over-long text,
numbers in odd shapes and markup, as the worker, as staff and anonymously. A NUL byte anywhere
is a 400 and changes nothing; everything else ends in a message or a redirect."""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from services.members.services import join_request_submit
from tests.conftest import login_staff
from tests.factories import TEST_PASSWORD, GrassrootsUnionFactory, StaffUserFactory
from tests.services.applications.conftest import draft, make_eligible, program, with_proofs

__all__ = ["program"]

NUL = "a\x00b"
LONG = "长" * 5000
ODD = ["1e5", "-1", "99999999999999999999999", "<script>alert(1)</script>", "=SUM(A1)", "%"]


class Forms(HTMLParser):
    """The forms of a page: action, method and the names of their fields."""

    def __init__(self):
        super().__init__()
        self.forms, self.current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = {
                "action": attrs.get("action") or "",
                "method": attrs.get("method", "get").lower(),
                "fields": set(),
            }
            self.forms.append(self.current)
        elif (
            tag in {"input", "select", "textarea", "button"}
            and self.current is not None
            and attrs.get("name")
            and attrs.get("type") != "file"
        ):
            self.current["fields"].add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def forms_of(html):
    parser = Forms()
    parser.feed(html)
    return parser.forms


def routes():
    """Every route of the portal outside the admin, with its pattern."""
    found = []

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                found.append(prefix + str(entry.pattern))

    walk(get_resolver().url_patterns)
    return [r for r in found if not r.startswith("admin/") and "healthz" not in r]


def counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"members", "applications", "tuition", "reports", "courses"}
        and model.__name__ not in {"SmsCode"}
    }


def fill(route, ids):
    path = route
    for prefix, value in ids.get("by_prefix", {}).items():
        if path.startswith(prefix):
            path = path.replace("<int:pk>", str(value))
    for name, value in ids.items():
        if name == "by_prefix":
            continue
        path = re.sub(rf"<\w+:{name}>", str(value), path)
    path = re.sub(r"<int:\w+>", "1", path)
    path = re.sub(r"<[^>]+>", "x", path)
    return "/" + path.replace("^", "").replace("$", "")


def hammer(client, url, ignore_status=()):
    """GET the page with bad query values, then POST each of its forms with bad values."""
    problems = []
    for value in [NUL, LONG, *ODD]:
        response = client.get(url, {"q": value, "page": value, "next": value, "p": value})
        if response.status_code >= 500:
            problems.append(f"GET {url} with {value[:10]!r}: {response.status_code}")
    page = client.get(url)
    if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
        return problems
    for form in forms_of(page.content.decode()):
        fields = form["fields"] - {"csrfmiddlewaretoken"}
        if form["method"] != "post" or not fields or "logout" in form["action"]:
            continue  # logging out would end the sweep's session
        target = form["action"] or url
        if target.startswith("#") or target.startswith("?"):
            target = url + (target if target.startswith("?") else "")
        for value in [NUL, LONG, *ODD]:
            data = {name: value for name in form["fields"] if name != "csrfmiddlewaretoken"}
            before = counts() if value == NUL else None
            response = client.post(target, data)
            if response.status_code >= 500:
                problems.append(f"POST {target} with {value[:10]!r}: {response.status_code}")
            if value == NUL:
                if response.status_code != 400:
                    problems.append(f"POST {target} with NUL: {response.status_code}, not 400")
                if counts() != before:
                    problems.append(f"POST {target} with NUL changed the database")
    return problems


@pytest.fixture
def worker_world(db, program, staff_groups):
    member = make_eligible(mobile="13900000111")
    application = with_proofs(draft(program, member))
    union = GrassrootsUnionFactory()
    other = make_eligible(mobile="13900000222")
    other.verification_status = "pending"
    other.save()
    join = join_request_submit(
        member=other, actor=other.user, street=union.street, grassroots_union=union,
        employment_form="rider", employer_text="平台",
    )  # fmt: skip
    from services.courses.services import course_enrol
    from services.members.certificates import certificate_upload
    from tests.services.applications.conftest import pdf
    from tests.services.courses.conftest import make_course

    course = make_course()
    enrollment = course_enrol(course=course, member=member, actor=member.user)
    certificate = certificate_upload(
        member=member, actor=member.user, upload=pdf("c.pdf", marker="c"),
        data={"level": "中级工", "occupation": "电工", "certificate_number": "S0000000000009",
              "issued_on": course.created_at.date(), "issuer": "认定中心"},
    )  # fmt: skip
    return {
        "member": member, "application": application, "join": join, "course": course,
        "certificate": certificate,
        "ids": {"pk": application.pk, "attachment_pk": application.attachments.first().pk,
                "year": 2023, "by_prefix": {"courses/": course.pk, "me/courses/": enrollment.pk,
                                            "me/certificates/": certificate.pk}},
    }  # fmt: skip


def test_every_public_and_worker_page_survives_bad_input(worker_world, report_2023):
    anonymous = Client(raise_request_exception=False)
    worker = Client(raise_request_exception=False)
    worker.post("/accounts/login/", {"username": "13900000111", "password": TEST_PASSWORD})
    problems = []
    for route in routes():
        url = fill(route, worker_world["ids"])
        if "/logout/" in url:
            continue
        for client in (anonymous, worker):
            problems += hammer(client, url)
    assert problems == [], "\n".join(problems)


def admin_urls(world):
    """Every changelist, add and change page of the admin, and the portal's own admin pages."""
    urls = []
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        first = model._default_manager.first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
        filters = [
            f if isinstance(f, str) else f[0]
            for f in model_admin.list_filter
            if not isinstance(f, type)
        ]
        filters += [f.parameter_name for f in model_admin.list_filter if isinstance(f, type)]
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        for name in filters:
            for suffix in ("__exact", "__id__exact", "__gte", ""):
                for value in ("%00", "x" * 3000, "2026-13-45", "1e999", "%EF%BC%91"):
                    urls.append(f"{changelist}?{name}{suffix}={value}")
        for query in ("%00", "x" * 3000, "%25_", "'+OR+1=1+--"):
            urls.append(f"{changelist}?q={query}")
    course = world["course"]
    urls += [
        reverse("admin:applications_application_review", args=[world["application"].pk]),
        reverse("admin:members_joinrequest_decide", args=[world["join"].pk]),
        reverse("admin:members_skillcertificate_decide", args=[world["certificate"].pk]),
        reverse("admin:courses_course_attendance", args=[course.pk, course.sessions.first().pk]),
        reverse("admin:courses_course_finish", args=[course.pk]),
        reverse("admin:courses_course_cancel", args=[course.pk]),
        reverse("admin:courses_course_print", args=[course.pk]),
        reverse("admin:members_member_register"),
        reverse("admin:applications_paymentbatch_build"),
        reverse("admin:statistics"),
        reverse("admin:statistics") + "?year=%00&program=x&street=99999&month=13",
        reverse("admin:statistics_export") + "?year=99999&month=%00",
    ]
    return urls


def test_every_admin_page_and_filter_survives_bad_input(worker_world, report_2023):
    superuser = StaffUserFactory(is_superuser=True)
    staff = login_staff(Client(raise_request_exception=False), superuser)
    problems = []
    for url in admin_urls(worker_world):
        if "?" in url:
            response = staff.get(url)
            if response.status_code >= 500:
                problems.append(f"GET {url}: {response.status_code}")
            continue
        problems += hammer(staff, url)
    assert problems == [], "\n".join(problems)
