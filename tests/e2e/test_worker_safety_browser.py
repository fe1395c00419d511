"""On a 390 px phone: the error pages, logging in with a texted code, being told before any
form that one may not apply, and withdrawing consent. Screenshots of each."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from services.applications.models import Program
from services.members.models import VerificationStatus
from tests.e2e.conftest import DESKTOP, PHONE
from tests.factories import TEST_PASSWORD, MemberFactory


@pytest.fixture
def worker(transactional_db, staff_groups):
    return MemberFactory(mobile="13900000321", real_name="冯职工")


def log_in(tab, member):
    tab.goto("/accounts/login/")
    tab.page.get_by_label("手机号", exact=True).fill(member.mobile)
    tab.page.get_by_label("密码").fill(TEST_PASSWORD)
    tab.page.get_by_role("button", name="登录").click()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_error_pages(open_page, worker, viewport):
    width = viewport["width"]
    tab = open_page(viewport)
    page = tab.page
    response = tab.goto("/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("页面不存在")
    expect(page.get_by_role("link", name="返回首页")).to_be_visible()
    assert tab.axe_violations() == []
    tab.screenshot(f"error-404-{width}")
    page.get_by_role("link", name="English").click()
    assert page.url.endswith("/en/no-such-page/")
    tab.screenshot(f"error-404-en-{width}")

    assert tab.goto("/reports/?q=a%00b").status == 400
    expect(page.get_by_role("heading", level=1)).to_have_text("请求有误")
    tab.screenshot(f"error-400-{width}")

    # A form left open after its session ended: the CSRF failure page.
    tab.goto("/accounts/login/")
    page.context.clear_cookies()
    page.get_by_label("手机号", exact=True).fill(worker.mobile)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("页面已过期")
    assert tab.axe_violations() == []
    tab.screenshot(f"error-csrf-{width}")

    # The 500 page has to stand alone (no database, no context): drawn as served.
    from django.template.loader import render_to_string

    page.set_content(
        render_to_string("500.html").replace('href="/static/', f'href="{tab.base_url}/static/')
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("服务暂时不可用")
    tab.screenshot(f"error-500-{width}")
    assert tab.csp_violations() == []


def test_logging_in_with_a_texted_code(open_page, worker):
    from services.members.sms import LocmemSmsBackend

    tab = open_page(PHONE)
    page = tab.page
    tab.goto("/accounts/login/")
    page.get_by_role("link", name="用短信验证码登录（不用密码）").click()
    page.get_by_label("手机号", exact=True).fill(worker.mobile)
    tab.screenshot("login-code-step1-390")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator(".messages")).to_contain_text("139****0321")
    code = re.search(r"验证码 (\d{6})", LocmemSmsBackend.outbox[-1][1]).group(1)
    field = page.get_by_label("短信验证码")
    assert field.get_attribute("inputmode") == "numeric"
    assert field.get_attribute("autocomplete") == "one-time-code"
    assert tab.axe_violations() == []
    tab.screenshot("login-code-step2-390")
    field.fill(code)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="我的", exact=True)).to_be_visible()
    tab.screenshot("login-code-done-390")


def test_the_worker_is_told_before_any_form_why_they_may_not_apply(open_page, worker):
    now = timezone.now()
    program = Program.objects.create(
        code="CMK", name="厂门口上大学", year=now.year, kind="tuition",
        rule_params={"share": "0.6", "cap": "4000"}, required_proofs=["admission"],
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30),
        budget=Decimal("100000"), per_person_cap=Decimal("4000"),
    )  # fmt: skip
    tab = open_page(PHONE)
    log_in(tab, worker)  # registered, not yet a union member
    tab.goto(f"/services/{program.pk}/apply/")
    page = tab.page
    notice = page.locator(".notice")
    expect(notice).to_contain_text("您现在不能申请这个项目")
    expect(notice).to_contain_text("只有已核实的工会会员可以申请")
    expect(page.get_by_label("学校")).to_have_count(0)  # no form to fill in for nothing
    expect(page.get_by_role("link", name="去申请入会")).to_be_visible()
    assert tab.axe_violations() == []
    tab.screenshot("apply-not-eligible-390")

    worker.verification_status = VerificationStatus.VERIFIED
    worker.joined_on = timezone.localdate() - timedelta(days=30)
    worker.save()
    tab.goto(f"/services/{program.pk}/apply/")
    expect(page.locator(".status").first).to_contain_text("入会满 6 个月")
    expect(page.get_by_label("在本区缴纳社保的月数")).to_be_visible()
    tab.screenshot("apply-tenure-notice-390")


def test_withdrawing_consent_on_a_phone(open_page, worker):
    tab = open_page(PHONE)
    page = tab.page
    log_in(tab, worker)
    tab.goto("/me/consents/")
    tab.screenshot("consents-390")
    page.get_by_role("button", name="撤回同意").click()
    expect(page.locator(".messages")).to_contain_text("您已撤回同意")
    tab.screenshot("consent-withdrawn-390")
    tab.goto("/reports/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()  # public pages stay open
    tab.goto("/me/")
    expect(page.locator('input[name="consent"]')).to_be_visible()  # asked again first
    assert tab.axe_violations() == []
    tab.screenshot("consent-asked-again-390")
    page.get_by_label(re.compile("同意")).first.check()
    page.get_by_role("button", name="确认").click()
    expect(page.get_by_role("heading", name="我的", exact=True)).to_be_visible()
