"""Logging in and proving a number, tried as an attacker would: lockouts behind the proxy,
guessing from many addresses, enumeration of numbers, codes and consent."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from services.members.models import AuditEvent, ConsentRecord, SmsCode
from tests.factories import TEST_PASSWORD, MemberFactory

MOBILE = "13700000001"


@pytest.fixture
def member(db):
    return MemberFactory(mobile=MOBILE)


def attempt(client, password="wrong-password", **extra):  # noqa: S107
    return client.post("/accounts/login/", {"username": MOBILE, "password": password}, **extra)


def behind_proxy(address):
    """A request as nginx passes it on: it overwrites X-Forwarded-For with the address it saw."""
    return {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": address}


def code_in(outbox, mobile=MOBILE):
    texts = [text for to, text in outbox if to == mobile]
    found = re.search(r"验证码 (\d{6})", texts[-1]) if texts else None
    return found.group(1) if found else None


@override_settings(
    PORTAL_PROXY_COUNT=1,
    AXES_IPWARE_META_PRECEDENCE_ORDER=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
    AXES_IPWARE_PROXY_COUNT=0,
    AXES_IPWARE_PROXY_ORDER="left-most",
)
def test_behind_the_proxy_a_lockout_holds_the_attacker_not_everyone(member):
    attacker, owner = Client(), Client()
    for _ in range(5):
        attempt(attacker, **behind_proxy("203.0.113.7"))
    assert attempt(attacker, TEST_PASSWORD, **behind_proxy("203.0.113.7")).status_code == 429
    # Everyone reaches gunicorn from the proxy's 127.0.0.1; the owner is not locked out.
    assert attempt(owner, TEST_PASSWORD, **behind_proxy("198.51.100.9")).status_code == 302


@override_settings(
    PORTAL_PROXY_COUNT=1,
    AXES_IPWARE_META_PRECEDENCE_ORDER=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
    AXES_IPWARE_PROXY_COUNT=0,
    AXES_IPWARE_PROXY_ORDER="left-most",
)
def test_logs_record_the_client_not_the_proxy(client, member, staff_groups):
    from tests.conftest import login_staff
    from tests.factories import street_staff

    admin = street_staff(None, groups=["系统管理员"])
    login_staff(client, admin)
    client.post(
        reverse("admin:members_member_reveal", args=[member.pk]), **behind_proxy("198.51.100.20")
    )
    assert AuditEvent.objects.get(action="id_number").ip_address == "198.51.100.20"


def test_guessing_from_many_addresses_makes_the_owner_add_a_code_not_a_lockout(
    client, member, sms_outbox, django_capture_on_commit_callbacks
):
    for index in range(10):  # two tries from each of five addresses: no pair is locked
        attempt(Client(), REMOTE_ADDR=f"192.0.2.{index // 2}")
    asked = attempt(client, TEST_PASSWORD).content.decode()
    assert "多次输错密码" in asked and 'name="code"' in asked
    # A wrong password gets the very same answer: the step-up tells a guesser nothing.
    other = attempt(Client(), "still-wrong").content.decode()
    assert "多次输错密码" in other
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/login/", {"username": MOBILE, "password": "", "send_code": "1"})
    code = code_in(sms_outbox)
    response = client.post(
        "/accounts/login/", {"username": MOBILE, "password": TEST_PASSWORD, "code": code}
    )
    assert response.status_code == 302 and client.get("/me/").status_code == 200


def test_a_password_reset_clears_the_lockout(
    client, member, sms_outbox, django_capture_on_commit_callbacks
):
    for _ in range(5):
        attempt(client)
    assert attempt(client, TEST_PASSWORD).status_code == 429
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"mobile": MOBILE})
    new = "Brand-new-pass-2026"
    client.post(
        "/accounts/password/reset/confirm/",
        {"mobile": MOBILE, "code": code_in(sms_outbox), "password1": new, "password2": new},
    )
    assert attempt(client, new).status_code == 302


def test_login_with_a_texted_code(client, member, sms_outbox, django_capture_on_commit_callbacks):
    page = client.get("/accounts/login/sms/")
    assert 'autocomplete="tel"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/login/sms/", {"mobile": MOBILE, "send_code": "1"})
    step_two = client.get("/accounts/login/sms/").content.decode()
    assert 'autocomplete="one-time-code"' in step_two and 'inputmode="numeric"' in step_two
    code = code_in(sms_outbox)
    wrong = "000000" if code != "000000" else "111111"
    assert "验证码不正确" in client.post("/accounts/login/sms/", {"code": wrong}).content.decode()
    response = client.post("/accounts/login/sms/", {"code": code})
    assert response.status_code == 302 and client.get("/me/").status_code == 200


def test_a_locked_out_owner_still_logs_in_with_a_code(
    client, member, sms_outbox, django_capture_on_commit_callbacks
):
    for _ in range(5):
        attempt(client)
    assert attempt(client, TEST_PASSWORD).status_code == 429
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/login/sms/", {"mobile": MOBILE, "send_code": "1"})
    assert client.post("/accounts/login/sms/", {"code": code_in(sms_outbox)}).status_code == 302


def test_codes_for_unknown_numbers_do_the_same_work_and_send_nothing(
    client, member, sms_outbox, django_capture_on_commit_callbacks
):
    pages = []
    for mobile in (MOBILE, "13799999999"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/accounts/password/reset/", {"mobile": mobile}, follow=True)
        pages.append(re.sub(r'value="[^"]{40,}"', "", response.content.decode()))
    assert pages[0].replace(MOBILE, "") == pages[1].replace("13799999999", "")
    # A code is made and hashed for both numbers (the same work, so the same time) ...
    assert SmsCode.objects.filter(mobile="13799999999").count() == 1
    # ... but only the registered number gets a text.
    assert [to for to, _text in sms_outbox] == [MOBILE]


def test_texts_are_limited_per_address(client, db, settings):
    settings.PORTAL_SMS_PER_ADDRESS_HOUR = 3
    statuses = [
        client.post(
            "/accounts/login/sms/", {"mobile": f"1360000000{i}", "send_code": "1"}
        ).status_code
        for i in range(5)
    ]
    assert statuses[:3] == [302, 302, 302] and statuses[3:] == [429, 429]
    page = client.post("/accounts/password/reset/", {"mobile": "13600000009"})
    assert page.status_code == 429 and "太频繁" in page.content.decode()


def test_withdrawing_consent_never_blocks_public_pages_and_reaches_every_session(
    client, member, report_2023
):
    other_device = Client()
    for device in (client, other_device):
        attempt(device, TEST_PASSWORD)
        assert device.get("/me/").status_code == 200
    client.post("/me/consents/withdraw/")
    assert ConsentRecord.objects.get(user=member.user).withdrawn_at is not None
    for device in (client, other_device):
        for public in ["/", "/reports/", "/reports/2023/", "/services/", "/privacy/"]:
            assert device.get(public).status_code == 200, public
        assert device.get("/me/").status_code == 302  # the other session too, at once
        assert device.get("/me/applications/").status_code == 302
    assert client.get("/me/consents/").status_code == 200  # the history stays readable


def test_closing_an_account_forgets_the_person_and_keeps_the_payments(
    client, member, staff_groups, sms_outbox, django_capture_on_commit_callbacks
):
    from tests.conftest import login_staff
    from tests.factories import street_staff

    attempt(client, TEST_PASSWORD)
    page = client.get("/me/close/").content.decode()
    assert "会计档案" in page
    refused = client.post("/me/close/", {"reason": "不再需要"}, follow=True).content.decode()
    assert "请确认您已了解注销的后果" in refused
    client.post("/me/close/", {"reason": "不再需要", "confirm": "on"})
    closure = member.closure_requests.get()
    assert closure.status == "requested"

    admin = street_staff(None, groups=["系统管理员"])
    staff = login_staff(Client(), admin)
    decide = reverse("admin:members_closurerequest_decide", args=[closure.pk])
    assert "注销（删除或匿名化个人信息）" in staff.get(decide).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(decide, {"step": "close"})
    member.refresh_from_db()
    member.user.refresh_from_db()
    assert member.closed_at and not member.user.is_active
    assert member.mobile != MOBILE and member.bank_card == "" and member.id_number == ""
    assert member.real_name == "已注销" and member.sex == "" and member.street is None
    assert str(member.birth_date) == "1900-01-01" and member.employer_name == ""
    assert member.closure_requests.get().reason == ""  # the worker's own words go too
    assert attempt(Client(), TEST_PASSWORD).status_code == 200  # cannot log in any more
    assert any("账号已注销" in text for to, text in sms_outbox if to == MOBILE)
    # The number is free to register again.
    assert not type(member).objects.filter(mobile=MOBILE).exists()


def test_passwords_are_hashed_with_argon2id_at_owasps_cost_and_old_hashes_upgrade(client, db):
    """19 MiB, 2 passes, 1 lane (services/members/hashers.py); a hash made with Django's
    heavier default still logs in and is re-made with these parameters."""
    from django.contrib.auth.hashers import Argon2PasswordHasher, identify_hasher
    from django.test import override_settings

    from config.settings.base import PASSWORD_HASHERS as PRODUCTION_HASHERS
    from services.members.models import User
    from tests.factories import MemberFactory

    with override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS):
        member = MemberFactory()
        User.objects.filter(pk=member.user_id).update(
            password=Argon2PasswordHasher().encode(
                "an-old-password-7", Argon2PasswordHasher().salt()
            )
        )
        assert "m=102400" in User.objects.get(pk=member.user_id).password
        response = client.post(
            "/accounts/login/", {"username": member.mobile, "password": "an-old-password-7"}
        )
        assert response.status_code == 302
        stored = User.objects.get(pk=member.user_id).password
        assert stored.startswith("argon2$argon2id$") and "m=19456,t=2,p=1" in stored
        assert identify_hasher(stored).algorithm == "argon2"
