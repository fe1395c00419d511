"""Personal data at rest, on screen and in logs."""

import io
import logging
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from services.members.models import AuditEvent, Member
from services.members.pii import blind_index, mask_card, mask_id_number, mask_mobile, mask_name
from tests.conftest import login_staff
from tests.factories import TEST_PASSWORD, MemberFactory, make_id_number, street_staff

ID = make_id_number("330102", "19880808", 135)


@pytest.fixture
def member(db):
    return MemberFactory(id_number=ID, mobile="13512345678", real_name="赵明华")


def raw_row(member):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, id_number_index FROM members_member WHERE id = %s", [member.pk]
        )
        return cursor.fetchone()


def test_raw_sql_shows_ciphertext_only(member):
    stored, index = raw_row(member)
    assert ID not in stored and ID[-6:] not in stored
    assert stored.startswith("gAAAAA")  # a Fernet token
    assert index == blind_index(ID) and ID not in index
    assert Member.objects.get(pk=member.pk).id_number == ID


def test_blind_index_is_keyed_and_not_the_encryption_key(settings):
    import hashlib

    assert blind_index(ID) != hashlib.sha256(ID.encode()).hexdigest()
    assert settings.PORTAL_BLIND_INDEX_KEY not in settings.PORTAL_FIELD_KEYS


def test_key_rotation_re_encrypts_every_encrypted_field_of_every_model(member, settings):
    from cryptography.fernet import Fernet

    from services.members.management.commands.rotate_field_keys import encrypted_fields
    from services.members.services import member_set_bank_card

    card = "6222021234567890128"
    member_set_bank_card(member=member, card=card, actor=member.user)
    found = {(model._meta.label, name) for model, names in encrypted_fields() for name in names}
    assert {("members.Member", "id_number"), ("members.Member", "bank_card")} <= found

    old_token, _ = raw_row(member)
    new_key = Fernet.generate_key().decode()
    settings.PORTAL_FIELD_KEYS = [new_key, *settings.PORTAL_FIELD_KEYS]
    call_command("rotate_field_keys", stdout=io.StringIO())
    new_token, _ = raw_row(member)
    assert new_token != old_token
    settings.PORTAL_FIELD_KEYS = [new_key]  # the old key can now go
    # Every row of every model with an encrypted column reads back under the new key alone.
    for model, names in encrypted_fields():
        for values in model._default_manager.values_list(*names):
            assert all(isinstance(v, str) for v in values)
    member = Member.objects.get(pk=member.pk)
    assert member.id_number == ID and member.bank_card == card


def test_masks():
    assert mask_id_number("33010419900101123X") == "330***********123X"
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_card("6222021234567890123") == "**** 0123"
    assert mask_name("赵明华") == "赵*华" and mask_name("李明") == "李*"


def test_masking_sweep_of_worker_pages(client, member):
    client.post("/accounts/login/", {"username": member.mobile, "password": TEST_PASSWORD})
    for url in ["/me/", "/me/consents/", "/me/mobile/", "/me/join/", "/privacy/", "/"]:
        html = client.get(url).content.decode()
        assert ID not in html, url
        assert member.mobile not in html, url
    assert "330***********1357"[:3] in client.get("/me/").content.decode()


def test_masking_sweep_of_admin_pages(client, member, staff_groups):
    staff = street_staff(None, groups=["系统管理员"])
    login_staff(client, staff)
    urls = [
        reverse("admin:members_member_changelist"),
        reverse("admin:members_member_change", args=[member.pk]),
        reverse("admin:members_member_changelist") + f"?q={ID}",
        reverse("admin:members_consentrecord_changelist"),
    ]
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert ID not in html and member.mobile not in html, url
    # searching by the full number finds the member through the blind index
    found = client.get(urls[2], follow=True).content.decode()
    assert "赵明华" in found and mask_id_number(ID) in found


def test_reveal_needs_the_permission_and_is_logged(client, member, staff_groups):
    url = reverse("admin:members_member_reveal", args=[member.pk])
    reviewer = street_staff(None, groups=["区总复审员"])
    login_staff(client, reviewer)
    assert client.post(url).status_code == 403
    assert (
        "查看完整身份证号"
        not in client.get(reverse("admin:members_member_change", args=[member.pk])).content.decode()
    )
    sysadmin = street_staff(None, groups=["系统管理员"])
    login_staff(client, sysadmin)
    opened = client.get(url)
    assert opened.status_code == 302 and opened["Location"] == url.removesuffix("reveal/")
    assert not AuditEvent.objects.filter(
        action__in=["id_number", "id_number_search", "mobile_search"]
    ).exists()
    response = client.post(url, REMOTE_ADDR="10.1.2.3")
    assert ID in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    log = AuditEvent.objects.get(action__in=["id_number", "id_number_search"])
    assert (log.staff, log.member, log.action, log.ip_address) == (
        sysadmin,
        member,
        "id_number",
        "10.1.2.3",
    )


def test_no_personal_data_in_logs(client, db, caplog, django_capture_on_commit_callbacks):
    from tests.factories import EnterpriseFactory

    EnterpriseFactory(name="日志测试企业")
    number = make_id_number("330102", "19770707", 77)
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/register/", {"mobile": "13311112222", "send_code": "1"})
    from services.members.sms import LocmemSmsBackend

    code = re.search(r"验证码 (\d{6})", LocmemSmsBackend.outbox[-1][1]).group(1)
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/register/",
            {
                "code": code,
                "password1": "Log-test-2026!",
                "password2": "Log-test-2026!",
                "real_name": "钱日志",
                "id_number": number,
                "employer": "日志测试企业",
                "employment_form": "contract",
                "consent": "on",
            },
        )
        client.post("/accounts/logout/")
        for _ in range(6):
            client.post("/accounts/login/", {"username": "13311112222", "password": "bad"})
        client.post("/accounts/password/reset/", {"mobile": "13311112222"})
    text = caplog.text
    assert Member.objects.filter(mobile="13311112222").exists()
    assert "13311112222" not in text and number not in text and "Log-test-2026!" not in text
    assert "133****2222" in text  # the events are logged, masked
