"""Sweeps over every route: no page, admin page or export shows a full ID number, mobile
number or bank card; every response carries the security headers; pages with personal data
are never cached."""

import io
import zipfile

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from services.applications.ledger import payment_batch_build, payment_line_record
from services.members.services import closure_request_submit, join_request_submit
from tests.conftest import login_staff
from tests.factories import TEST_PASSWORD, GrassrootsUnionFactory, StaffUserFactory, street_staff
from tests.services.applications.conftest import CARD, approved, make_eligible, program
from tests.test_bad_input import fill, routes

__all__ = ["program"]

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


@pytest.fixture
def world(db, program, staff_groups, report_2023):
    reviewer, approver = street_staff("XS"), street_staff(None, groups=["区总复审员"])
    finance = street_staff(None, groups=["财务"])
    member = make_eligible(mobile="13912340001", real_name="扫描人")
    application = approved(program, member, reviewer, approver)
    batch = payment_batch_build(program=program, actor=finance)
    batch.exported_at = batch.created_at
    batch.save()
    payment_line_record(line=batch.lines.get(), paid=True, actor=finance)
    union = GrassrootsUnionFactory()
    newcomer = make_eligible(mobile="13912340002")
    newcomer.verification_status = "pending"
    newcomer.save()
    join = join_request_submit(
        member=newcomer, actor=newcomer.user, street=union.street, grassroots_union=union,
        employment_form="rider", employer_text="平台",
    )  # fmt: skip
    closure_request_submit(member=newcomer, actor=newcomer.user, reason="测试")
    secrets = [member.id_number, member.mobile, CARD, newcomer.id_number, newcomer.mobile]
    from services.courses.services import course_enrol
    from services.members.certificates import certificate_upload
    from tests.services.applications.conftest import pdf
    from tests.services.courses.conftest import make_course

    course = make_course()
    enrollment = course_enrol(course=course, member=member, actor=member.user)
    certificate = certificate_upload(
        member=member, actor=member.user, upload=pdf("c.pdf", marker="c"),
        data={"level": "中级工", "occupation": "电工", "certificate_number": "S0000000000008",
              "issued_on": course.created_at.date(), "issuer": "认定中心"},
    )  # fmt: skip
    ids = {
        "pk": application.pk, "attachment_pk": application.attachments.first().pk, "year": 2023,
        "by_prefix": {"courses/": course.pk, "me/courses/": enrollment.pk,
                      "me/certificates/": certificate.pk},
    }  # fmt: skip
    return {
        "member": member, "secrets": secrets, "ids": ids, "batch": batch, "join": join,
        "course": course, "certificate": certificate,
    }  # fmt: skip


def check(response, secrets, url, personal):
    problems = []
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        body = zipfile.ZipFile(io.BytesIO(body)).read("xl/sharedStrings.xml")
    text = body.decode("utf-8", "replace")
    for secret in secrets:
        if secret in text:
            problems.append(f"{url}: shows {secret[:3]}…")
    for name, value in HEADERS.items():
        if response.get(name) != value:
            problems.append(f"{url}: header {name} is {response.get(name)!r}")
    if "text/html" in response.get("Content-Type", "") and "default-src 'none'" not in response.get(
        "Content-Security-Policy", ""
    ):
        problems.append(f"{url}: no Content-Security-Policy")
    if (
        personal
        and response.status_code == 200
        and "no-store" not in response.get("Cache-Control", "")
    ):
        problems.append(f"{url}: personal data without Cache-Control: no-store")
    return problems


def test_worker_and_public_pages(world):
    worker = Client()
    worker.post("/accounts/login/", {"username": world["member"].mobile, "password": TEST_PASSWORD})
    anonymous = Client()
    problems = []
    for route in routes():
        url = fill(route, world["ids"])
        personal = url.startswith(("/me/", "/en/me/")) or "/apply/" in url
        for client in (worker, anonymous):
            response = client.get(url)
            if response.status_code == 200:
                problems += check(response, world["secrets"], url, personal)
    assert problems == [], "\n".join(problems)


def test_every_admin_page_and_export(world):
    superuser = StaffUserFactory(is_superuser=True)
    staff = login_staff(Client(), superuser)
    urls = []
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        for obj in model._default_manager.all()[:3]:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
    batch, application_pk, course = world["batch"], world["ids"]["pk"], world["course"]
    urls += [
        reverse("admin:applications_application_review", args=[application_pk]),
        reverse("admin:applications_paymentbatch_export", args=[batch.pk]),
        reverse("admin:applications_paymentbatch_results", args=[batch.pk]),
        reverse("admin:applications_paymentbatch_build"),
        reverse("admin:members_joinrequest_decide", args=[world["join"].pk]),
        reverse("admin:members_member_register"),
        reverse("admin:members_skillcertificate_decide", args=[world["certificate"].pk]),
        reverse("admin:members_skillcertificate_file", args=[world["certificate"].pk]),
        reverse("admin:courses_course_roster", args=[course.pk]),
        reverse("admin:courses_course_print", args=[course.pk]),
        reverse("admin:courses_course_attendance", args=[course.pk, course.sessions.first().pk]),
        reverse("admin:courses_course_finish", args=[course.pk]),
        reverse("admin:statistics"),
        reverse("admin:statistics_export"),
        reverse("admin:members_member_changelist") + "?q=" + world["member"].id_number,
        reverse("admin:applications_application_changelist") + "?q=" + world["member"].mobile,
    ]
    problems = []
    for url in urls:
        response = staff.get(url, follow=True)
        assert response.status_code == 200, url
        problems += check(response, world["secrets"], url, personal=True)
    assert problems == [], "\n".join(problems)
