"""The English pages speak English, with English punctuation; Chinese written by staff or
workers (program names, notes, names) sits inside lang="zh-Hans" (WCAG 3.1.2)."""

import pytest
from django.test import Client

from tests.factories import TEST_PASSWORD, street_staff
from tests.reports.test_language_of_parts import CJK, text_nodes
from tests.services.applications.conftest import make_eligible, program, submitted, take

__all__ = ["program"]


def unmarked_chinese(html):
    return [
        (text, path)
        for text, lang, path in text_nodes(html)
        if CJK.search(text) and not (lang or "").startswith("zh")
    ]


@pytest.fixture
def english_worker(program, staff_groups):
    member = make_eligible(mobile="13900000555", real_name="钟英文")
    application = submitted(program, member)
    reviewer = street_staff("XS")
    assert take(application, reviewer, "ask_info", note="请补充盖章的收据")
    from services.courses.services import course_enrol
    from services.members.certificates import certificate_decide, certificate_upload
    from tests.services.applications.conftest import pdf
    from tests.services.courses.conftest import make_course

    course = make_course(certificate_exam=True)
    enrollment = course_enrol(course=course, member=member, actor=member.user)
    certificate = certificate_upload(
        member=member, actor=member.user, upload=pdf("c.pdf", marker="c"),
        data={"level": "中级工", "occupation": "电工", "certificate_number": "S0000000000007",
              "issued_on": course.created_at.date(), "issuer": "认定中心"},
    )  # fmt: skip
    certificate_decide(certificate=certificate, actor=reviewer, step="reject", note="编号不符")
    client = Client()
    client.post("/en/accounts/login/", {"username": member.mobile, "password": TEST_PASSWORD})
    client.course, client.enrollment = course, enrollment
    return client, application


def test_worker_pages_in_english(english_worker):
    client, application = english_worker
    problems = {}
    for url in [
        "/en/courses/",
        f"/en/courses/{client.course.pk}/",
        "/en/me/courses/",
        f"/en/me/courses/{client.enrollment.pk}/cancel/",
        "/en/me/certificates/",
        "/en/services/",
        f"/en/services/{application.program_id}/",
        f"/en/services/{application.program_id}/apply/",
        "/en/me/",
        "/en/me/applications/",
        f"/en/me/applications/{application.pk}/",
        f"/en/me/applications/{application.pk}/withdraw/",
        "/en/me/inbox/",
        "/en/me/consents/",
        "/en/me/mobile/",
        "/en/me/close/",
        "/en/privacy/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        found = unmarked_chinese(response.content.decode())
        if found:
            problems[url] = found[:5]
    assert problems == {}, "\n".join(f"{u}: {p}" for u, p in problems.items())


def test_public_pages_in_english(db):
    client = Client()
    problems = {}
    for url in ["/en/accounts/login/", "/en/accounts/login/sms/", "/en/accounts/register/",
                "/en/accounts/password/reset/", "/en/no-such-page/"]:  # fmt: skip
        found = unmarked_chinese(client.get(url).content.decode())
        if found:
            problems[url] = found[:5]
    assert problems == {}, "\n".join(f"{u}: {p}" for u, p in problems.items())


def test_the_join_form_in_english_marks_street_and_union_names(staff_groups):
    from tests.factories import GrassrootsUnionFactory, MemberFactory

    GrassrootsUnionFactory(name="下沙某企业工会")
    worker = MemberFactory(mobile="13900000556")
    client = Client()
    client.post("/en/accounts/login/", {"username": worker.mobile, "password": TEST_PASSWORD})
    response = client.get("/en/me/join/")
    assert response.status_code == 200
    html = response.content.decode()
    assert unmarked_chinese(html) == []
    assert 'lang="zh-Hans"' in html and "下沙街道" in html
