"""The portal's own error pages, in Chinese with the English switch and a way back, for the
public pages and the admin; and the admin's second-factor login in Chinese."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.conftest import login_staff
from tests.factories import TEST_PASSWORD, MemberFactory, StaffUserFactory, street_staff


def assert_portal_page(response, status, words, back="/"):
    html = response.content.decode()
    assert response.status_code == status
    assert words in html, html[:500]
    assert f'href="{back}"' in html  # a way back
    assert 'hreflang="en"' in html  # the English switch
    assert "Traceback" not in html and 'href="/static/css/portal.css"' in html


def test_404_in_the_portal_and_in_english(client, db):
    assert_portal_page(client.get("/no-such-page/"), 404, "页面不存在")
    english = client.get("/en/no-such-page/")
    assert english.status_code == 404 and 'lang="en"' in english.content.decode()


def test_404_in_the_admin_leads_back_to_the_admin(client, staff_groups):
    login_staff(client, street_staff(None, groups=["区总复审员"]))
    response = client.get("/admin/members/member/999999/change/")
    assert response.status_code == 404
    assert 'href="/admin/"' in response.content.decode()


def test_400_for_a_nul_byte(client, db):
    assert_portal_page(client.get("/reports/", {"q": "a\x00b"}), 400, "请求有误")


def test_403_page(client, staff_groups):
    login_staff(client, street_staff(None))  # a street reviewer with no street
    response = client.get(reverse("admin:members_member_register"))
    assert_portal_page(response, 403, "没有权限", back="/admin/")


def test_405_page_for_a_method_nobody_uses(client, db):
    response = client.put("/reports/")
    assert_portal_page(response, 405, "不能这样打开这个地址")
    assert "GET" in response["Allow"]


def test_413_page_before_the_body_is_read(client, db):
    response = client.generic(
        "POST", "/accounts/login/", b"x", CONTENT_LENGTH=str(200 * 1024 * 1024)
    )
    assert_portal_page(response, 413, "文件或内容太大")


def test_csrf_failure_page(db):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"username": "13800000000", "password": "x"})
    assert_portal_page(response, 403, "页面已过期")


def test_500_page_stands_alone(db):
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "服务暂时不可用" in html and 'lang="en"' in html and 'href="/en/"' in html
    assert "/static/css/portal.css" in html


def test_admin_second_factor_login_speaks_chinese(client, staff_groups):
    page = client.get("/admin/login/").content.decode()
    assert "动态验证码" in page and "OTP Token" not in page and "OTP Device" not in page
    assert 'inputmode="numeric"' in page and 'autocomplete="one-time-code"' in page
    staff = StaffUserFactory(username="checker")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    wrong = client.post(
        "/admin/login/", {"username": "checker", "password": TEST_PASSWORD, "otp_token": "000000"}
    ).content.decode()
    assert "动态验证码不正确" in wrong and "Invalid token" not in wrong
    missing = client.post(
        "/admin/login/", {"username": "checker", "password": TEST_PASSWORD}
    ).content.decode()
    assert "请输入身份验证器上的6位动态验证码" in missing


@pytest.mark.parametrize("path", ["/me/applications/1/submit/", "/me/join/1/withdraw/"])
def test_get_on_a_post_only_address_leads_to_its_page(client, db, path):
    MemberFactory(mobile="13800000009")
    client.post("/accounts/login/", {"username": "13800000009", "password": TEST_PASSWORD})
    response = client.get(path)
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response["Location"] == path.rsplit("/", 2)[0] + "/"
