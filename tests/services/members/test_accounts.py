"""Login, throttling, logout, password change and reset by text message, mobile change,
consent renewal and withdrawal: each over HTTP as the worker meets it."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from services.members.models import ConsentRecord
from tests.factories import TEST_PASSWORD, MemberFactory


@pytest.fixture
def member(db):
    return MemberFactory(mobile="13700000001")


def login(client, mobile="13700000001", password=TEST_PASSWORD):
    return client.post("/accounts/login/", {"username": mobile, "password": password})


def test_login_with_mobile_number_rotates_the_session(client, member):
    client.get("/accounts/login/")
    before = client.cookies["csrftoken"].value
    response = login(client)
    assert response.status_code == 302 and response["Location"] == "/me/"
    session_key = client.session.session_key
    assert session_key
    login(Client())  # another device
    assert client.get("/me/").status_code == 200
    assert before  # the login page set a CSRF cookie


def test_wrong_password_says_so_in_chinese(client, member):
    response = login(client, password="wrong-password")
    assert response.status_code == 200
    assert "手机号或密码不正确" in response.content.decode()


def test_lockout_after_repeated_failures(client, member):
    for _ in range(5):
        login(client, password="wrong-password")
    response = login(client)  # even the right password is refused now
    assert response.status_code == 429
    html = response.content.decode()
    assert "登录尝试次数过多" in html and "请在 15 分钟后再试" in html
    assert "13700000001" not in html.replace('value="13700000001"', "")


def test_lockout_is_per_number(client, member):
    other = MemberFactory(mobile="13700000002")
    for _ in range(5):
        login(client, password="wrong-password")
    assert login(client, mobile=other.mobile).status_code == 302


def test_logout_needs_post_and_kills_the_session(client, member):
    login(client)
    key = client.session.session_key
    # Opened with GET, the address leads back to the home page and logs nobody out.
    response = client.get("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert Session.objects.filter(session_key=key).exists()
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/me/").status_code == 302


def test_password_change_ends_other_sessions(client, member):
    other_device = Client()
    login(other_device)
    login(client)
    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Brand-new-pass-2026",
            "new_password2": "Brand-new-pass-2026",
        },
    )
    assert response.status_code == 302
    assert client.get("/me/").status_code == 200
    assert other_device.get("/me/").status_code == 302


def test_password_reset_by_sms_code(client, member, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"mobile": "13700000001"})
    assert response.status_code == 302
    ((mobile, text),) = sms_outbox
    assert mobile == "13700000001"
    code = re.search(r"验证码 (\d{6})", text).group(1)
    wrong = client.post(
        "/accounts/password/reset/confirm/",
        {
            "mobile": mobile,
            "code": "000000" if code != "000000" else "111111",
            "password1": "Reset-pass-2026!",
            "password2": "Reset-pass-2026!",
        },
    )
    assert "验证码不正确或已过期" in wrong.content.decode()
    done = client.post(
        "/accounts/password/reset/confirm/",
        {
            "mobile": mobile,
            "code": code,
            "password1": "Reset-pass-2026!",
            "password2": "Reset-pass-2026!",
        },
    )
    assert done.status_code == 302
    assert login(Client(), password="Reset-pass-2026!").status_code == 302
    reused = client.post(
        "/accounts/password/reset/confirm/",
        {
            "mobile": mobile,
            "code": code,
            "password1": "Another-pass-2026!",
            "password2": "Another-pass-2026!",
        },
    )
    assert "验证码不正确或已过期" in reused.content.decode()


def test_reset_codes_stop_after_five_wrong_tries(
    client, member, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"mobile": "13700000001"})
    code = re.search(r"(\d{6})", sms_outbox[0][1]).group(1)
    wrong = "000000" if code != "000000" else "111111"
    data = {
        "mobile": "13700000001",
        "password1": "Reset-pass-2026!",
        "password2": "Reset-pass-2026!",
    }
    for _ in range(5):
        client.post("/accounts/password/reset/confirm/", {**data, "code": wrong})
    response = client.post("/accounts/password/reset/confirm/", {**data, "code": code})
    assert "验证码不正确或已过期" in response.content.decode()


def test_reset_does_not_reveal_whether_a_number_is_registered(client, db, sms_outbox):
    response = client.post("/accounts/password/reset/", {"mobile": "13799999999"}, follow=True)
    assert "如果该手机号已注册，验证码已经发出" in response.content.decode()
    assert sms_outbox == []


def test_reset_sms_is_rate_limited(client, member, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for _ in range(8):
            client.post("/accounts/password/reset/", {"mobile": "13700000001"})
    assert len(sms_outbox) == len(callbacks) == 5


def test_no_sms_leaves_when_the_transaction_rolls_back(
    member, sms_outbox, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from services.members.codes import Purpose, sms_code_send

    class Abort(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abort),
        transaction.atomic(),
    ):
        sms_code_send(mobile=member.mobile, purpose=Purpose.PASSWORD_RESET)
        raise Abort
    assert callbacks == [] and sms_outbox == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        sms_code_send(mobile=member.mobile, purpose=Purpose.PASSWORD_RESET)
    assert len(callbacks) == 1 and len(sms_outbox) == 1


def test_changing_the_mobile_needs_the_password_and_a_code_to_the_new_number(
    client, member, sms_outbox, django_capture_on_commit_callbacks
):
    login(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/me/mobile/", {"new_mobile": "13600000000", "send_code": "1"})
    ((to, text),) = sms_outbox
    assert to == "13600000000"
    code = re.search(r"验证码 (\d{6})", text).group(1)
    no_code = {"new_mobile": "13600000000", "password": TEST_PASSWORD, "code": "999999"}
    if code == "999999":
        no_code["code"] = "888888"
    assert "验证码不正确" in client.post("/me/mobile/", no_code).content.decode()
    wrong = {"new_mobile": "13600000000", "password": "wrong", "code": code}
    assert "密码不正确" in client.post("/me/mobile/", wrong).content.decode()
    member.refresh_from_db()
    assert member.mobile == "13700000001"
    response = client.post(
        "/me/mobile/", {"new_mobile": "13600000000", "password": TEST_PASSWORD, "code": code}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.mobile == member.user.username == "13600000000"
    assert login(Client(), mobile="13600000000").status_code == 302


def test_a_new_notice_version_asks_for_consent_again(client, member, settings):
    login(client)
    assert client.get("/me/").status_code == 200
    settings.PORTAL_PRIVACY_NOTICE_VERSION = 3
    response = client.get("/me/")
    assert response.status_code == 302 and response["Location"].startswith("/me/consent/")
    page = client.get(response["Location"])
    assert 'name="consent"' in page.content.decode()
    refused = client.post("/me/consent/", {"next": "/me/"})
    assert refused.status_code == 200
    client.post("/me/consent/", {"consent": "on", "next": "/me/"})
    assert ConsentRecord.objects.filter(user=member.user, notice_version=3).count() == 1
    assert client.get("/me/").status_code == 200


def test_consent_can_be_withdrawn(client, member):
    login(client)
    client.post("/me/consents/withdraw/")
    assert ConsentRecord.objects.get(user=member.user).withdrawn_at is not None
    assert client.get("/me/").status_code == 302
    history = client.get("/me/consents/")
    assert history.status_code == 200  # the consent history stays readable


def test_me_pages_are_never_cached(client, member):
    login(client)
    for url in ["/me/", "/me/consents/", "/me/mobile/", "/me/join/"]:
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url


def test_staff_without_a_second_factor_cannot_reach_the_admin(client, staff_groups):
    from tests.factories import StaffUserFactory

    staff = StaffUserFactory(is_superuser=True)
    client.force_login(staff)  # password only
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    response = client.post(
        "/admin/login/",
        {"username": staff.username, "password": TEST_PASSWORD, "otp_token": "123456"},
    )
    assert response.status_code == 200
    assert client.get("/admin/members/member/").status_code == 302


def test_anonymous_sweep_is_redirected_except_public_pages(client, db):
    for url in [
        "/me/",
        "/me/consents/",
        "/me/join/",
        "/me/join/1/",
        "/me/mobile/",
        "/accounts/password/change/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    for url in [
        "/",
        "/reports/",
        "/accounts/login/",
        "/accounts/register/",
        "/privacy/",
        "/accounts/password/reset/",
    ]:
        assert client.get(url).status_code == 200, url


def test_staff_sessions_end_after_thirty_idle_minutes(client, staff_groups):
    from tests.conftest import login_staff
    from tests.factories import street_staff

    login_staff(client, street_staff("XS"))
    client.get("/admin/")
    assert client.session.get_expiry_age() == 1800


def test_a_deactivated_account_fails_on_the_next_request(client, member):
    login(client)
    assert client.get("/me/").status_code == 200
    member.user.is_active = False
    member.user.save()
    assert client.get("/me/").status_code == 302


def test_a_post_without_csrf_token_is_refused(member):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/accounts/login/", {"username": member.mobile, "password": TEST_PASSWORD}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/accounts/login/sms/", "/accounts/password/reset/"]
)
def test_someone_signed_in_who_opens_a_log_in_page_goes_to_their_page(client, db, url):
    member = MemberFactory()
    client.force_login(member.user)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == "/me/"
