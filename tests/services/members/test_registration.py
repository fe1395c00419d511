"""Registration over HTTP, as a worker's phone submits it."""

import pytest
from django.conf import settings

from services.members.models import ConsentRecord, Member, User
from tests.factories import EnterpriseFactory, MemberFactory, make_id_number

PASSWORD = "Qiantang-2026-secure"


@pytest.fixture
def enterprise(db):
    return EnterpriseFactory(name="杭州钱塘测试制造有限公司")


def form(**overrides):
    data = {
        "mobile": "13912345678",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "real_name": "陈小红",
        "id_number": make_id_number("330102", "19880808", 246),
        "employer": "杭州钱塘测试制造有限公司",
        "employment_form": "contract",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_register_creates_member_consent_and_logs_in(client, enterprise):
    response = client.post("/accounts/register/", form())
    assert response.status_code == 302 and response["Location"] == "/me/"
    member = Member.objects.get(mobile="13912345678")
    assert member.user.username == "13912345678"
    assert member.employer == enterprise and member.street == enterprise.street
    assert str(member.birth_date) == "1988-08-08" and member.sex == "F"
    assert member.verification_status == "pending" and member.membership_number is None
    consent = ConsentRecord.objects.get(user=member.user)
    assert consent.notice_version == settings.PORTAL_PRIVACY_NOTICE_VERSION
    assert consent.granted_at and "敏感个人信息" in consent.purpose
    profile = client.get("/me/")
    assert profile.status_code == 200
    assert "330***********" in profile.content.decode()


def test_consent_is_a_separate_unticked_box(client, enterprise):
    page = client.get("/accounts/register/").content.decode()
    assert 'type="checkbox" name="consent"' in page
    assert 'name="consent" required id="id_consent" checked' not in page
    response = client.post("/accounts/register/", form(consent=None))
    assert response.status_code == 200
    assert "必须单独勾选同意，才能注册" in response.content.decode()
    assert not User.objects.exists() and not Member.objects.exists()


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        ("33010219880808246", "身份证号应为18位，您填写了17位"),
        ("330102198808082461", "校验位不正确"),
        ("330102880808246", "不支持15位旧身份证号"),
        ("330102198802302461", "校验位不正确"),
    ],
)
def test_bad_id_numbers_get_a_clear_message_and_nothing_is_saved(
    client, enterprise, id_number, message
):
    response = client.post("/accounts/register/", form(id_number=id_number))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'class="error-summary"' in html and 'href="#id_id_number"' in html
    assert not Member.objects.exists() and not User.objects.exists()


def test_one_account_per_id_number_whatever_the_case_or_width(client, enterprise, db):
    number = make_id_number("110105", "19491231", 2)  # ends in X
    assert number.endswith("X")
    MemberFactory(id_number=number)
    variant = number[:-1].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "x"
    response = client.post("/accounts/register/", form(id_number=variant))
    assert "该身份证号已经注册" in response.content.decode()
    assert Member.objects.count() == 1


def test_mobile_already_registered(client, enterprise):
    MemberFactory(mobile="13912345678")
    response = client.post("/accounts/register/", form())
    assert "该手机号已经注册" in response.content.decode()


def test_unlisted_employer_needs_the_box(client, enterprise):
    response = client.post("/accounts/register/", form(employer="某外卖平台"))
    assert "没有找到这个单位" in response.content.decode()
    response = client.post(
        "/accounts/register/",
        form(employer="某外卖平台", employer_not_listed="on", employment_form="rider"),
    )
    assert response.status_code == 302
    member = Member.objects.get()
    assert member.employer is None and member.employer_name == "某外卖平台"
    assert member.is_gig_worker


def test_weak_and_mismatched_passwords(client, enterprise):
    html = client.post("/accounts/register/", form(password1="12345678", password2="12345678"))
    assert "密码" in html.content.decode() and not Member.objects.exists()
    html = client.post("/accounts/register/", form(password2="something-else-1"))
    assert "两次输入的密码不一致" in html.content.decode()


def test_mass_assignment_is_ignored(client, enterprise):
    client.post(
        "/accounts/register/",
        form(
            verification_status="verified",
            membership_number="QT2026999999",
            is_staff="on",
            is_superuser="on",
        ),
    )
    member = Member.objects.get()
    assert member.verification_status == "pending" and member.membership_number is None
    assert not member.user.is_staff and not member.user.is_superuser


def test_registration_page_is_not_cached(client, db):
    response = client.get("/accounts/register/")
    assert "no-store" in response["Cache-Control"]
