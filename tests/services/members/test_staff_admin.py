"""Staff roles and street scoping in the admin."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from services.members.models import ConsentRecord, Member, Street
from tests.conftest import login_staff
from tests.factories import (
    TEST_PASSWORD,
    EnterpriseFactory,
    MemberFactory,
    make_id_number,
    street_staff,
)


@pytest.fixture
def two_streets(staff_groups):
    xiasha = MemberFactory(real_name="下沙职工", mobile="13500000001")
    baiyang = MemberFactory(
        real_name="白杨职工", mobile="13500000002", street=Street.objects.get(code="BY")
    )
    return xiasha, baiyang


def test_roles_exist_with_their_permissions(staff_groups):
    names = set(Group.objects.values_list("name", flat=True))
    assert {"街道初审员", "区总复审员", "财务", "报告编辑", "系统管理员"} <= names

    def perms(name):
        return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

    assert "reveal_member_pii" in perms("系统管理员")
    assert "reveal_member_pii" not in perms("街道初审员") | perms("区总复审员") | perms("财务")
    assert "change_joinrequest" in perms("街道初审员")
    assert not any(p.endswith("annualreport") for p in perms("街道初审员"))
    assert not any("member" in p for p in perms("报告编辑"))


def test_street_reviewer_sees_only_their_street(client, two_streets):
    xiasha, baiyang = two_streets
    login_staff(client, street_staff("XS"))
    changelist = client.get(reverse("admin:members_member_changelist")).content.decode()
    assert "下沙职工" in changelist and "白杨职工" not in changelist
    search = client.get(reverse("admin:members_member_changelist") + "?q=白杨").content.decode()
    assert "白杨职工" not in search
    by_id = client.get(
        reverse("admin:members_member_changelist") + f"?q={baiyang.id_number}", follow=True
    ).content.decode()
    assert "白杨职工" not in by_id
    change = client.get(reverse("admin:members_member_change", args=[baiyang.pk]))
    assert change.status_code == 404 and "白杨职工" not in change.content.decode()
    assert client.get(reverse("admin:members_member_change", args=[xiasha.pk])).status_code == 200


def test_district_approver_sees_every_street(client, two_streets):
    login_staff(client, street_staff(None, groups=["区总复审员"]))
    changelist = client.get(reverse("admin:members_member_changelist")).content.decode()
    assert "下沙职工" in changelist and "白杨职工" in changelist


def test_report_editor_cannot_see_members(client, two_streets):
    login_staff(client, street_staff(None, groups=["报告编辑"]))
    assert client.get(reverse("admin:members_member_changelist")).status_code == 403


def test_member_records_are_read_only_in_the_admin(client, two_streets):
    xiasha, _ = two_streets
    login_staff(client, street_staff(None, groups=["系统管理员"]))
    url = reverse("admin:members_member_change", args=[xiasha.pk])
    client.post(url, {"real_name": "改名", "verification_status": "verified"})
    xiasha.refresh_from_db()
    assert xiasha.real_name == "下沙职工" and xiasha.verification_status == "pending"
    html = client.get(url).content.decode()
    assert 'name="id_number"' not in html


def test_counter_registration_records_the_staff_and_the_consent(
    client, staff_groups, django_capture_on_commit_callbacks
):
    EnterpriseFactory(name="窗口测试企业")
    reviewer = street_staff("XS")
    login_staff(client, reviewer)
    url = reverse("admin:members_member_register")
    data = {
        "mobile": "13400000001",
        "password1": "Counter-pass-2026",
        "password2": "Counter-pass-2026",
        "real_name": "柜台职工",
        "id_number": make_id_number("330102", "19700101", 11),
        "employer": "窗口测试企业",
        "employment_form": "contract",
    }
    from services.members.sms import LocmemSmsBackend

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"mobile": data["mobile"], "send_code": "1"})
    code = re.search(r"验证码 (\d{6})", LocmemSmsBackend.outbox[-1][1]).group(1)
    data["code"] = code
    refused = client.post(url, data)
    assert "必须记录职工本人的单独同意" in refused.content.decode()
    assert not Member.objects.exists()
    assert client.post(url, {**data, "consent": "on"}).status_code == 302
    member = Member.objects.get()
    assert member.registered_by == reviewer
    consent = ConsentRecord.objects.get(user=member.user)
    assert consent.recorded_by == reviewer


def test_enterprise_credit_code_is_validated(client, staff_groups):
    login_staff(client, street_staff(None, groups=["区总复审员"]))
    response = client.post(
        reverse("admin:members_enterprise_add"),
        {"name": "校验企业", "credit_code": "91330114MA2000000X", "street": 1, "size": "small"},
    )
    assert "统一社会信用代码校验位不正确" in response.content.decode()


def test_add_totp_device_command_gives_a_working_second_factor(client, staff_groups):
    import io
    import re

    from django.core.management import call_command
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.factories import TEST_PASSWORD, StaffUserFactory

    staff = StaffUserFactory(username="firstadmin", is_superuser=True)
    out = io.StringIO()
    call_command("add_totp_device", "firstadmin", stdout=out)
    assert re.search(r"Secret: [A-Z2-7]{32}", out.getvalue())
    device = TOTPDevice.objects.get(user=staff)
    code = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    response = client.post(
        "/admin/login/",
        {"username": "firstadmin", "password": TEST_PASSWORD, "otp_token": code, "next": "/admin/"},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/members/member/").status_code == 200
    # the same code cannot be used twice
    client.post("/accounts/logout/")
    again = type(client)().post(
        "/admin/login/",
        {"username": "firstadmin", "password": TEST_PASSWORD, "otp_token": code, "next": "/admin/"},
    )
    assert again.status_code == 200


def test_a_wrong_code_never_writes_the_password_into_the_page(client, staff_groups):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.factories import StaffUserFactory

    staff = StaffUserFactory()
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    response = client.post(
        "/admin/login/",
        {"username": staff.username, "password": TEST_PASSWORD, "otp_token": "000000"},
    )
    html = response.content.decode()
    assert TEST_PASSWORD not in html and "动态验证码不正确" in html
    assert 'name="otp_device"' not in html  # one device: nothing to choose


def test_a_locked_out_staff_account_gets_a_staff_page(client, staff_groups):
    from tests.factories import StaffUserFactory

    staff = StaffUserFactory()
    for _ in range(6):
        response = client.post(
            "/admin/login/", {"username": staff.username, "password": "wrong", "otp_token": "1"}
        )
    html = response.content.decode()
    assert response.status_code == 429 and "工作人员账号" in html and "短信验证码" not in html
