"""公示 in a real browser: the district approver publishes the notice of a program's approved
awards in the admin, a member of the public reads it on a phone (one block per person, no
sideways scrolling, axe-core clean, masked names only) and at a desk, and the street reviewer
records an objection from the notice's line."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from services.applications.models import NoticeObjection, Program, PublicNotice
from tests.e2e.conftest import DESKTOP, PHONE, admin_login
from tests.factories import TEST_PASSWORD, EnterpriseFactory, street_staff
from tests.services.applications.conftest import approved, make_eligible


@pytest.fixture
def awards(transactional_db, staff_groups):
    from decimal import Decimal

    now = timezone.now()
    program = Program.objects.create(
        code="QXYM", name="求学圆梦行动学历补助", year=now.year, kind="tuition",
        rule_params={"share": "0.5", "cap": "3000"}, required_proofs=["admission", "receipt"],
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30),
        budget=Decimal("200000"), per_person_cap=Decimal("3000"), requires_notice=True,
    )  # fmt: skip
    reviewer, approver = street_staff("XS"), street_staff(None, groups=["区总复审员"])
    people = [
        ("陈志强", {"employer": EnterpriseFactory(name="杭州钱塘下沙精密制造有限公司")}),
        ("阿依古丽·买买提", {"employer_name": "某快递公司钱塘网点"}),
    ]
    applications = [
        approved(program, make_eligible(mobile=f"1360000000{i}", real_name=name, **extra),
                 reviewer, approver, "2000")
        for i, (name, extra) in enumerate(people)
    ]  # fmt: skip
    return program, reviewer, approver, applications


def test_publish_read_on_a_phone_and_object(open_page, awards):
    program, reviewer, approver, applications = awards
    staff = open_page(DESKTOP)
    admin_login(staff, approver, TEST_PASSWORD)
    staff.goto(reverse("admin:applications_publicnotice_add"))
    page = staff.page
    page.locator("#id_program").select_option(str(program.pk))
    page.get_by_label("公示标题").fill("求学圆梦行动获批名单公示")
    ends = timezone.localtime() + timedelta(days=5)
    page.get_by_label("公示结束").fill(ends.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("异议受理方式").fill("钱塘区总工会，电话 0571-86000000")
    staff.screenshot("notice-admin-publish")
    page.get_by_role("button", name="发布").click()
    expect(page.locator("ul.messagelist")).to_contain_text("名单共 2 人")
    notice = PublicNotice.objects.get()
    staff.screenshot("notice-admin-page")

    for viewport, name in ((PHONE, "phone"), (DESKTOP, "desktop")):
        reader = open_page(viewport)
        reader.goto(reverse("applications:notices"))
        reader.page.get_by_role("link", name="求学圆梦行动获批名单公示").click()
        body = reader.page.locator("main")
        expect(body).to_contain_text("陈*强")
        expect(body).to_contain_text("阿***·**提")
        expect(body).to_contain_text("某快递公司钱塘网点")
        expect(body).to_contain_text("2,000.00")
        expect(body).to_contain_text("0571-86000000")
        html = reader.page.content()
        assert "陈志强" not in html and "买买提" not in html
        width = reader.page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{name}: scrolls sideways ({width}px)"
        reader.screenshot(f"notice-public-{name}")
        assert reader.axe_violations() == []
        assert reader.csp_violations() == []

    desk = open_page(DESKTOP)
    admin_login(desk, reviewer, TEST_PASSWORD)
    desk.goto(reverse("admin:applications_publicnotice_change", args=[notice.pk]))
    desk.page.get_by_role("link", name="登记异议").first.click()
    desk.page.get_by_label("反映方式").select_option("phone")
    desk.page.get_by_label("异议内容摘要").fill("来电反映该职工已离职")
    desk.page.get_by_role("button", name="保存").click()
    expect(desk.page.locator("ul.messagelist")).to_contain_text("异议已登记")
    objection = NoticeObjection.objects.get()
    assert objection.application == applications[0] and objection.recorded_by == reviewer

    # The period ends (the server's clock moves on; the page it kept in memory goes too).
    notice.refresh_from_db()
    with time_machine.travel(notice.ends_at + timedelta(minutes=1)):
        reader = open_page(PHONE)
        assert reader.goto(reverse("applications:notice", args=[notice.pk])).status == 404
        reader.screenshot("notice-after-period-390")
        reader.goto(reverse("applications:notices"))
        expect(reader.page.locator("main")).not_to_contain_text("求学圆梦行动获批名单公示")
        assert "陈*强" not in reader.page.content()
