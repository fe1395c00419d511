"""Registration over HTTP, as a worker's phone submits it: a code to the number first, then
the details with the code."""

import re

import pytest
from django.conf import settings

from services.members.models import ConsentRecord, Member, User
from tests.factories import EnterpriseFactory, MemberFactory, make_id_number

PASSWORD = "Qiantang-2026-secure"


@pytest.fixture
def enterprise(db):
    return EnterpriseFactory(name="杭州钱塘测试制造有限公司")


MOBILE = "13912345678"


def last_code(outbox, mobile=MOBILE):
    sent = [text for to, text in outbox if to == mobile]
    found = re.search(r"验证码 (\d{6})", sent[-1]) if sent else None
    return found.group(1) if found else None


@pytest.fixture
def register(client, enterprise, sms_outbox, django_capture_on_commit_callbacks):
    """Posts step two with a valid code for MOBILE (asked for once)."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/register/", {"mobile": MOBILE, "send_code": "1"})
    code = last_code(sms_outbox)

    def post(**overrides):
        return client.post("/accounts/register/", form(code=code, **overrides))

    return post


def form(**overrides):
    data = {
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


def test_register_creates_member_consent_and_logs_in(client, enterprise, register):
    response = register()
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


def test_consent_is_a_separate_unticked_box(client, enterprise, register):
    page = client.get("/accounts/register/").content.decode()
    assert 'type="checkbox" name="consent"' in page
    assert 'name="consent" required id="id_consent" checked' not in page
    response = register(consent=None)
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
    client, enterprise, id_number, message, register
):
    response = register(id_number=id_number)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'class="error-summary"' in html and 'href="#id_id_number"' in html
    assert not Member.objects.exists() and not User.objects.exists()


def test_one_account_per_id_number_whatever_the_case_or_width(client, enterprise, register):
    number = make_id_number("110105", "19491231", 2)  # ends in X
    assert number.endswith("X")
    MemberFactory(id_number=number)
    variant = number[:-1].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "x"
    response = register(id_number=variant)
    assert "该身份证号已经注册" in response.content.decode()  # told only with a valid code
    assert Member.objects.count() == 1
    # The code is still good: the worker corrects the number without asking for another.
    assert register(id_number=make_id_number("330102", "19880808", 246)).status_code == 302
    assert Member.objects.count() == 2


def test_a_registered_number_is_told_by_text_not_on_the_page(
    client, enterprise, sms_outbox, django_capture_on_commit_callbacks
):
    MemberFactory(mobile=MOBILE)
    pages = []
    for mobile in (MOBILE, "13912340000"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/accounts/register/", {"mobile": mobile, "send_code": "1"}, follow=True
            )
        html = re.sub(r"\d{3}\*{4}\d{4}", "", response.content.decode())
        pages.append(re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html))
        client.get("/accounts/register/?restart=1")
    assert pages[0] == pages[1]  # the page says the same for both numbers
    to_registered = [text for to, text in sms_outbox if to == MOBILE]
    assert len(to_registered) == 1 and "已经注册过，请直接登录" in to_registered[0]
    assert not re.search(r"\d{6}", to_registered[0])  # no code to register it again


def test_unlisted_employer_needs_the_box(client, enterprise, register):
    response = register(employer="某外卖平台")
    assert "没有找到这个单位" in response.content.decode()
    response = register(employer="某外卖平台", employer_not_listed="on", employment_form="rider")
    assert response.status_code == 302
    member = Member.objects.get()
    assert member.employer is None and member.employer_name == "某外卖平台"
    assert member.is_gig_worker


@pytest.mark.parametrize(
    ("typed", "code_words"),
    [
        ("个体 电话13912345678", "一长串数字"),
        ("个体 身份证330104199001011234", "一长串数字"),
        ("平台<script>", "不能有“&lt;”"),
        ("=HYPERLINK(1)", "不能以"),
        ("平台\u200b", "不能有“U+200B”"),
    ],
)
def test_an_employer_typed_by_hand_is_a_name_not_a_number(
    client, enterprise, register, typed, code_words
):
    """What is typed as the employer can be published (the 公示 names each worker's
    employer): a phone or ID number, markup or a formula is refused beside the field."""
    response = register(employer=typed, employer_not_listed="on", employment_form="rider")
    assert response.status_code == 200 and code_words in response.content.decode()
    assert not Member.objects.exists()
    ok = register(employer="某快递12号网点", employer_not_listed="on", employment_form="rider")
    assert ok.status_code == 302


def test_weak_and_mismatched_passwords(client, enterprise, register):
    html = register(password1="12345678", password2="12345678")
    assert "密码" in html.content.decode() and not Member.objects.exists()
    html = register(password2="something-else-1")
    assert "两次输入的密码不一致" in html.content.decode()


def test_mass_assignment_is_ignored(client, enterprise, register):
    register(
        verification_status="verified",
        membership_number="QT2026999999",
        is_staff="on",
        is_superuser="on",
        mobile="13100000000",
    )
    member = Member.objects.get()
    assert member.mobile == MOBILE  # the number that got the code, not one posted later
    assert member.verification_status == "pending" and member.membership_number is None
    assert not member.user.is_staff and not member.user.is_superuser


def test_registration_page_is_not_cached(client, db):
    response = client.get("/accounts/register/")
    assert "no-store" in response["Cache-Control"]
