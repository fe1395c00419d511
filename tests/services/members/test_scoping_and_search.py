"""Street scoping fails closed, and a full ID or mobile number typed into any admin search is
neither an oracle nor left in the address."""

import pytest
from django.urls import reverse

from services.applications.models import Attachment
from services.members.models import AuditEvent
from services.members.services import join_request_submit
from tests.conftest import login_staff
from tests.factories import GrassrootsUnionFactory, MemberFactory, make_id_number, street_staff
from tests.services.applications.conftest import make_eligible, program, submitted

__all__ = ["program"]  # the fixture, shared with the application tests


@pytest.fixture
def records(program, staff_groups):
    member = make_eligible(mobile="13800001111", real_name="范例人")
    application = submitted(program, member)
    union = GrassrootsUnionFactory()
    newcomer = MemberFactory(mobile="13800002222", real_name="入会人")
    join = join_request_submit(
        member=newcomer, actor=newcomer.user, street=union.street, grassroots_union=union,
        employment_form="rider", employer_text="平台",
    )  # fmt: skip
    return {"member": member, "application": application, "join": join}


def test_a_street_reviewer_with_no_street_sees_and_decides_nothing(client, records):
    lost = street_staff(None)  # 街道初审员 with no street on the profile
    login_staff(client, lost)
    member, application, join = records["member"], records["application"], records["join"]
    attachment = Attachment.objects.filter(application=application).first()
    for url in [
        reverse("admin:members_member_changelist"),
        reverse("admin:applications_application_changelist"),
        reverse("admin:members_joinrequest_changelist"),
        reverse("admin:applications_attachment_changelist"),
    ]:
        html = client.get(url).content.decode()
        assert member.real_name not in html and "入会人" not in html, url
        assert application.reference not in html, url
    for url in [
        reverse("admin:members_member_change", args=[member.pk]),
        reverse("admin:applications_application_change", args=[application.pk]),
        reverse("admin:applications_application_review", args=[application.pk]),
        reverse("admin:members_joinrequest_change", args=[join.pk]),
        reverse("admin:members_joinrequest_decide", args=[join.pk]),
        reverse("admin:applications_attachment_file", args=[attachment.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("admin:applications_application_review", args=[application.pk]),
        {"step": "recommend"},
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == "submitted"
    assert client.get(reverse("admin:members_member_register")).status_code == 403


def test_counter_registration_stays_in_the_reviewers_street(client, staff_groups):
    from services.members.models import Street
    from tests.factories import EnterpriseFactory

    EnterpriseFactory(name="白杨企业", street=Street.objects.get(code="BY"))
    login_staff(client, street_staff("XS"))
    page = client.get(reverse("admin:members_member_register")).content.decode()
    assert "白杨企业" not in page  # not offered in the list of employers
    response = client.post(
        reverse("admin:members_member_register"),
        {
            "mobile": "13400000002", "code": "123456", "password1": "Counter-pass-2026",
            "password2": "Counter-pass-2026", "real_name": "柜台职工",
            "id_number": make_id_number("330102", "19700101", 12), "employer": "白杨企业",
            "employment_form": "contract", "consent": "on",
        },
    )  # fmt: skip
    assert "不在您所在的街道" in response.content.decode()


def test_a_duplicate_file_in_another_street_is_counted_not_named(client, program, staff_groups):
    from services.applications.services import attachment_add
    from services.members.models import Street
    from tests.services.applications.conftest import draft, pdf

    here = submitted(program, make_eligible(mobile="13800003333"))
    elsewhere_member = make_eligible(mobile="13800004444", street=Street.objects.get(code="BY"))
    elsewhere = draft(program, elsewhere_member)
    attachment_add(
        application=elsewhere, actor=elsewhere_member.user, kind="admission",
        upload=pdf("copy.pdf", "admission"),
    )  # fmt: skip
    login_staff(client, street_staff("XS"))
    page = client.get(
        reverse("admin:applications_application_change", args=[here.pk])
    ).content.decode()
    assert elsewhere.reference not in page
    assert "另有 1 份其他街道的申请使用同一文件" in page


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:members_member_changelist",
        "admin:applications_application_changelist",
        "admin:members_joinrequest_changelist",
    ],
)
def test_a_full_number_search_needs_the_reveal_permission(client, records, changelist):
    member = records["member"]
    url = reverse(changelist)
    login_staff(client, street_staff(None, groups=["区总复审员"]))
    for number in (member.id_number, member.mobile):
        response = client.get(url, {"q": number}, follow=True)
        final = response.redirect_chain[-1][0] if response.redirect_chain else url
        html = response.content.decode()
        assert number not in final and number not in html
        assert "需要“查看完整身份证号”权限" in html
        assert "q=" not in final  # nothing was searched: the list is the plain list
    assert not AuditEvent.objects.filter(
        action__in=["id_number", "id_number_search", "mobile_search"]
    ).exists()


def test_a_full_number_search_with_the_permission_is_logged_like_a_reveal(client, records):
    member = records["member"]
    admin = street_staff(None, groups=["系统管理员"])
    login_staff(client, admin)
    url = reverse("admin:members_member_changelist")
    response = client.get(url, {"q": member.id_number}, follow=True)
    final = response.redirect_chain[-1][0]
    assert "pii=" in final and member.id_number not in final
    html = response.content.decode()
    assert member.real_name in html and member.id_number not in html
    log = AuditEvent.objects.get(action__in=["id_number", "id_number_search"])
    assert (log.staff, log.member, log.action) == (admin, member, "id_number_search")
    client.get(url, {"q": "13899998888"})  # a number nobody has: logged too
    assert AuditEvent.objects.filter(member=None, action="mobile_search").count() == 1


def test_a_masked_mobile_finds_what_the_mask_shows_and_part_of_a_number_is_refused(client, records):
    member = records["member"]
    login_staff(client, street_staff(None, groups=["区总复审员"]))
    url = reverse("admin:members_member_changelist")
    found = client.get(url, {"q": member.masked_mobile}).content.decode()
    assert member.real_name in found
    partial = member.id_number[:17]
    response = client.get(url, {"q": partial}, follow=True)
    assert partial not in response.redirect_chain[-1][0]
    assert "不能按号码的一部分查找" in response.content.decode()
