"""A worker on a phone registers (a texted code first), logs in, reads the profile and joins
the union; the street reviewer approves in the admin. Screenshots at 390 px and desktop
width."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from services.members.models import Member
from tests.e2e.conftest import DESKTOP, PHONE, admin_login
from tests.factories import (
    TEST_PASSWORD,
    EnterpriseFactory,
    GrassrootsUnionFactory,
    MemberFactory,
    make_id_number,
    street_staff,
)

VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])


@pytest.fixture
def organisations(transactional_db, staff_groups):
    enterprise = EnterpriseFactory(name="杭州钱塘下沙精密制造有限公司")
    union = GrassrootsUnionFactory(name="下沙街道新就业形态劳动者联合工会")
    return enterprise, union


@VIEWPORTS
def test_worker_registers_on_a_phone(open_page, organisations, viewport):
    tab = open_page(viewport)
    page = tab.page
    tab.goto("/accounts/register/")
    width = viewport["width"]
    assert tab.axe_violations() == []
    page.get_by_label("手机号", exact=True).fill("13900000123")
    tab.screenshot(f"register-step1-{width}")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator(".messages")).to_contain_text("139****0123")
    from services.members.sms import LocmemSmsBackend

    code = re.search(r"验证码 (\d{6})", LocmemSmsBackend.outbox[-1][1]).group(1)
    page.get_by_role("button", name="注册").click()  # empty form: errors, nothing saved
    expect(page.locator(".error-summary")).to_be_visible()
    assert tab.axe_violations() == []
    tab.screenshot(f"register-errors-{width}")

    page.get_by_label("短信验证码").fill(code)
    page.get_by_label("密码", exact=True).fill("Phone-register-2026")
    page.get_by_label("再次输入密码").fill("Phone-register-2026")
    page.get_by_label("真实姓名", exact=True).fill("周小燕")
    page.get_by_label("身份证号", exact=True).fill(
        make_id_number("330102", "19920315", 248).lower()
    )
    page.get_by_label("工作单位", exact=True).fill("某外卖平台钱塘站")
    page.get_by_label("我的单位不在列表中").check()
    page.get_by_label("就业形态").select_option("rider")
    tab.screenshot(f"register-filled-{width}")
    page.get_by_role("button", name="注册").click()
    expect(page.locator(".error-summary")).to_contain_text("必须单独勾选同意")
    assert not Member.objects.exists()
    page.get_by_label("密码", exact=True).fill("Phone-register-2026")
    page.get_by_label("再次输入密码").fill("Phone-register-2026")
    page.get_by_label("我已阅读《个人信息处理告知书》").check()
    page.get_by_role("button", name="注册").click()

    expect(page.get_by_role("heading", name="我的", exact=True)).to_be_visible()
    member = Member.objects.get()
    assert member.id_number not in page.content()
    expect(page.locator(".facts")).to_contain_text("330***********")
    assert tab.axe_violations() == []
    assert tab.csp_violations() == []
    tab.screenshot(f"profile-{width}")


@VIEWPORTS
def test_gig_worker_joins_and_the_street_approves(open_page, organisations, viewport):
    _, union = organisations
    width = viewport["width"]
    worker = MemberFactory(mobile="13900000456", real_name="孙骑手", employment_form="rider")
    tab = open_page(viewport)
    page = tab.page
    tab.goto("/accounts/login/")
    assert tab.axe_violations() == []
    tab.screenshot(f"login-{width}", full_page=False)
    page.get_by_label("手机号", exact=True).fill(worker.mobile)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="申请入会").click()
    page.get_by_label("工作所在街道").select_option(label="下沙街道")
    page.get_by_label("申请加入的基层工会").select_option(label=union.name)
    page.get_by_label("工作单位或平台").fill("某外卖平台下沙站")
    page.get_by_label("我确认以上就业信息真实").check()
    assert tab.axe_violations() == []
    tab.screenshot(f"join-form-{width}")
    page.get_by_role("button", name="提交入会申请").click()
    expect(page.locator(".status")).to_contain_text("已提交，待审核")
    tab.screenshot(f"join-submitted-{width}")

    reviewer = street_staff("XS")
    staff = open_page(DESKTOP)
    admin_login(staff, reviewer, TEST_PASSWORD)
    staff.goto(reverse("admin:members_joinrequest_changelist"))
    staff.page.get_by_role("link", name="孙*手").first.click()
    staff.page.get_by_role("link", name="审核").click()
    staff.page.get_by_label("批准入会").check()
    staff.screenshot(f"admin-join-decide-{width}")
    staff.page.get_by_role("button", name="保存审核结果").click()
    expect(staff.page.locator("ul.messagelist")).to_contain_text("审核结果已保存")
    assert staff.csp_violations() == []

    tab.goto("/me/")
    worker.refresh_from_db()
    expect(page.locator(".membership-number")).to_have_text(worker.membership_number)
    tab.screenshot(f"profile-member-{width}")
