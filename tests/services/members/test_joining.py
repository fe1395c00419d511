"""Joining the union online, from the worker's request to the street's decision."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from services.members.models import JoinRequest, JoinStatus, Member, Street
from services.members.services import join_request_decide, join_request_submit
from tests.conftest import login_staff
from tests.factories import TEST_PASSWORD, GrassrootsUnionFactory, MemberFactory, street_staff


@pytest.fixture
def gig_worker(db):
    return MemberFactory(mobile="13600000001", employment_form="rider", street=None)


@pytest.fixture
def union(db):
    return GrassrootsUnionFactory(name="下沙街道新就业形态劳动者联合工会")


def worker_client(client, member):
    client.post("/accounts/login/", {"username": member.mobile, "password": TEST_PASSWORD})
    return client


def apply(client, union=None, **extra):
    data = {
        "street": Street.objects.get(code="XS").pk,
        "grassroots_union": union.pk if union else "",
        "employment_form": "rider",
        "employer_text": "某外卖平台下沙站",
        "confirm": "on",
        **extra,
    }
    return client.post("/me/join/", data)


def test_gig_worker_applies_and_the_street_approves(
    client, gig_worker, union, staff_groups, django_capture_on_commit_callbacks, sms_outbox
):
    worker_client(client, gig_worker)
    response = apply(client, union)
    join_request = JoinRequest.objects.get()
    assert response["Location"] == f"/me/join/{join_request.pk}/"
    assert "已提交，待审核" in client.get(response["Location"]).content.decode()

    reviewer = street_staff("XS")
    staff = login_staff(type(client)(), reviewer)
    decide_url = reverse("admin:members_joinrequest_decide", args=[join_request.pk])
    assert staff.get(decide_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(decide_url, {"decision": "approve", "grassroots_union": union.pk})
    assert response.status_code == 302

    gig_worker.refresh_from_db()
    assert gig_worker.is_member and gig_worker.grassroots_union == union
    assert gig_worker.membership_number.startswith("QT") and len(gig_worker.membership_number) == 12
    profile = client.get("/me/").content.decode()
    assert gig_worker.membership_number in profile  # the worker sees it at once
    assert (
        sms_outbox[-1][0] == gig_worker.mobile and gig_worker.membership_number in sms_outbox[-1][1]
    )
    timeline = client.get(f"/me/join/{join_request.pk}/").content.decode()
    assert "已提交，待审核" in timeline and "已批准" in timeline


def test_reject_needs_a_reason_the_worker_then_sees(
    client, gig_worker, union, staff_groups, django_capture_on_commit_callbacks
):
    join_request = join_request_submit(
        member=gig_worker,
        actor=gig_worker.user,
        street=union.street,
        grassroots_union=union,
        employment_form="courier",
        employer_text="平台",
    )
    reviewer = street_staff("XS")
    decision = join_request_decide(join_request=join_request, actor=reviewer, approve=False)
    assert not decision and "写明原因" in decision.reason
    with django_capture_on_commit_callbacks(execute=True):
        assert join_request_decide(
            join_request=join_request, actor=reviewer, approve=False, note="请先提供劳动关系证明"
        )
    worker_client(client, gig_worker)
    page = client.get(f"/me/join/{join_request.pk}/").content.decode()
    assert "未批准" in page and "请先提供劳动关系证明" in page
    inbox = client.get("/me/inbox/").content.decode()
    assert "您的入会申请未获批准：请先提供劳动关系证明" in inbox  # the decision reaches the inbox
    gig_worker.refresh_from_db()
    assert not gig_worker.is_member and gig_worker.membership_number is None
    # A rejected request changes nothing in the worker's record.
    assert gig_worker.employment_form == "rider" and gig_worker.street is None


def test_asking_to_be_placed_needs_a_union_at_approval(gig_worker, union, staff_groups):
    join_request = join_request_submit(
        member=gig_worker,
        actor=gig_worker.user,
        street=union.street,
        grassroots_union=None,
        employment_form="courier",
        employer_text="快递网点",
    )
    approver = street_staff(None, groups=["区总复审员"])
    decision = join_request_decide(join_request=join_request, actor=approver, approve=True)
    assert not decision and "选择一个基层工会" in decision.reason
    assert join_request_decide(
        join_request=join_request, actor=approver, approve=True, grassroots_union=union
    )


def test_membership_numbers_are_unique_and_sequential(union, staff_groups):
    approver = street_staff(None, groups=["区总复审员"])
    numbers = []
    for _ in range(3):
        member = MemberFactory(street=None)
        jr = join_request_submit(
            member=member,
            actor=member.user,
            street=union.street,
            grassroots_union=union,
            employment_form="contract",
            employer_text="单位",
        )
        join_request_decide(join_request=jr, actor=approver, approve=True)
        member.refresh_from_db()
        numbers.append(member.membership_number)
    assert len(set(numbers)) == 3 and numbers == sorted(numbers)


def test_a_street_reviewer_cannot_decide_another_streets_request(
    client, gig_worker, union, staff_groups
):
    join_request = join_request_submit(
        member=gig_worker,
        actor=gig_worker.user,
        street=union.street,
        grassroots_union=union,
        employment_form="rider",
        employer_text="平台",
    )
    other = street_staff("BY")
    login_staff(client, other)
    for url in [
        reverse("admin:members_joinrequest_change", args=[join_request.pk]),
        reverse("admin:members_joinrequest_decide", args=[join_request.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 404
        assert "某外卖平台" not in response.content.decode()
    assert not join_request_decide(join_request=join_request, actor=other, approve=True)
    join_request.refresh_from_db()
    assert join_request.status == JoinStatus.SUBMITTED


def test_nobody_decides_their_own_request(union, staff_groups):
    reviewer = street_staff("XS")
    member = MemberFactory(user=reviewer, mobile="13600000009")
    jr = join_request_submit(
        member=member,
        actor=member.user,
        street=union.street,
        grassroots_union=union,
        employment_form="contract",
        employer_text="单位",
    )
    decision = join_request_decide(join_request=jr, actor=reviewer, approve=True)
    assert not decision and "自己" in decision.reason


def test_one_open_request_at_a_time(client, gig_worker, union):
    worker_client(client, gig_worker)
    apply(client, union)
    second = client.get("/me/join/")
    assert second.status_code == 302
    assert JoinRequest.objects.count() == 1
    with pytest.raises(IntegrityError):  # the database refuses a second open request
        JoinRequest.objects.create(
            member=gig_worker, street=union.street, employment_form="rider", employer_text="x"
        )


def test_union_must_be_in_the_chosen_street(client, gig_worker):
    other_street_union = GrassrootsUnionFactory(street=Street.objects.get(code="BY"))
    worker_client(client, gig_worker)
    response = apply(client, other_street_union)
    assert "这个基层工会不在所选街道" in response.content.decode()
    assert not JoinRequest.objects.exists()


def test_withdraw(client, gig_worker, union):
    worker_client(client, gig_worker)
    apply(client, union)
    jr = JoinRequest.objects.get()
    client.post(f"/me/join/{jr.pk}/withdraw/")
    jr.refresh_from_db()
    assert jr.status == JoinStatus.WITHDRAWN


def test_another_worker_gets_404_on_every_url_with_my_request(client, gig_worker, union):
    worker_client(client, gig_worker)
    apply(client, union)
    jr = JoinRequest.objects.get()
    intruder = MemberFactory(mobile="13600000002")
    other = worker_client(type(client)(), intruder)
    assert other.get(f"/me/join/{jr.pk}/").status_code == 404
    assert other.post(f"/me/join/{jr.pk}/withdraw/").status_code == 404
    jr.refresh_from_db()
    assert jr.status == JoinStatus.SUBMITTED


def test_staff_accounts_have_no_me_pages(client, staff_groups):
    login_staff(client, street_staff("XS"))
    assert client.get("/me/").status_code == 404
    assert Member.objects.count() == 0


def test_the_employer_typed_when_joining_is_a_name_not_a_number(client, gig_worker, union):
    worker_client(client, gig_worker)
    response = apply(client, union, employer_text="骑手 手机13912345678")
    assert response.status_code == 200 and "一长串数字" in response.content.decode()
    assert not JoinRequest.objects.exists()
