"""Visiting campaigns: created with their budget, targets drawn from a street's active files,
household visits with cash in the ledger (a second visit flagged), enterprise batch visits,
the campaign page by street at a fixed number of queries, and the visit list in Excel."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from services.applications.models import LedgerEntry
from services.hardship import campaigns
from services.hardship.models import Campaign, EnterpriseVisit, HardshipFile, HouseholdVisit
from tests.conftest import login_staff
from tests.factories import EnterpriseFactory, MemberFactory, street_staff


def a_file(index, street="XS"):
    from services.members.models import Street

    member = MemberFactory(mobile=f"1330000{index:04d}", real_name=f"困难{'甲乙丙丁戊'[index % 5]}",
                           street=Street.objects.get(code=street))  # fmt: skip
    return HardshipFile.objects.create(
        member=member, street=member.street, tier="deep", causes=["illness"],
        household_size=3, income_per_head=Decimal("800"), situation="丈夫重病",
    )  # fmt: skip


@pytest.fixture
def approver(staff_groups):
    return street_staff(None, groups=["区总复审员"])


@pytest.fixture
def campaign(approver):
    return campaigns.campaign_create(
        kind="spring", name="春节送温暖", year=timezone.localdate().year, budget=Decimal("1000"),
        standard_amount=Decimal("500"), actor=approver,
    )  # fmt: skip


def test_staff_create_a_campaign_in_the_admin(client, approver):
    staff = login_staff(client, approver)
    response = staff.post(
        reverse("admin:hardship_campaign_add"),
        {"name": "夏送清凉", "kind": "summer", "year": timezone.localdate().year,
         "budget": "200000", "standard_amount": "100"},
    )  # fmt: skip
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.program.kind == "campaign" and campaign.program.budget == Decimal("200000")
    assert campaign.program.name == "夏送清凉"
    # Changing the standard changes the ledger's cap per household with it.
    staff.post(reverse("admin:hardship_campaign_change", args=[campaign.pk]),
               {"kind": "summer", "standard_amount": "150"})  # fmt: skip
    campaign.refresh_from_db()
    assert campaign.standard_amount == Decimal("150")
    assert campaign.program.per_person_cap == Decimal("150")


def test_targets_visits_money_and_the_campaign_page(client, campaign, approver):
    files = [a_file(i) for i in range(3)]
    a_file(9, street="BY")
    reviewer = street_staff("XS")
    staff = login_staff(client, reviewer)
    staff.post(reverse("admin:hardship_campaign_targets", args=[campaign.pk]),
               {"street": files[0].street_id})  # fmt: skip
    assert campaign.targets.count() == 3  # only 下沙's active files
    visit_url = reverse("admin:hardship_campaign_visit", args=[campaign.pk])
    today = timezone.localdate().isoformat()
    # The first household twice: more cash than the standard is refused, goods are not.
    for file, cash in ((files[0], "500"), (files[1], "400"), (files[0], "100"), (files[0], "0")):
        staff.post(visit_url, {"file": file.pk, "visited_on": today, "visitors": "张主席",
                               "cash": cash, "goods": "米、油", "goods_value": "120"})  # fmt: skip
    visits = HouseholdVisit.objects.order_by("pk")
    assert [(v.repeat, v.cash) for v in visits] == [
        (False, Decimal("500")), (False, Decimal("400")), (True, Decimal("0")),
    ]  # fmt: skip
    assert LedgerEntry.objects.filter(program=campaign.program, status="paid").count() == 2
    over = staff.post(visit_url, {"file": files[0].pk, "visited_on": today, "visitors": "某",
                                  "cash": "100"})  # fmt: skip
    assert "超过每户慰问金标准 500.00 元（本活动已给这户 500.00 元）" in over.content.decode()
    old = staff.post(visit_url, {"file": files[2].pk, "visited_on": "2019-01-01",
                                 "visitors": "某", "cash": "0"})  # fmt: skip
    year = timezone.localdate().year
    assert f"走访日期应在活动年度（{year} 年）内" in old.content.decode()
    # Over the budget: 900 given, 1,000 budget; another 300 is refused and nothing is kept.
    refused = staff.post(visit_url, {"file": files[2].pk, "visited_on": today,
                                     "visitors": "张主席", "cash": "300"})  # fmt: skip
    assert "超过活动预算：还剩 100.00 元" in refused.content.decode()
    assert HouseholdVisit.objects.count() == 3
    enterprise = EnterpriseFactory(name="高温作业工厂")
    staff.post(reverse("admin:hardship_campaign_enterprise", args=[campaign.pk]),
               {"enterprise": enterprise.pk, "visited_on": today, "workers_reached": "120",
                "cash_total": "100", "goods_value": "2400"})  # fmt: skip
    assert EnterpriseVisit.objects.get().workers_reached == 120
    page = staff.get(reverse("admin:hardship_campaign_summary", args=[campaign.pk]))
    text = page.content.decode()
    assert "1,000.00 元" in text and "0.00 元" in text  # budget used up: 900 + 100
    totals = page.context["totals"]
    (xs,) = totals.lines  # a street reviewer sees their street only
    assert (xs.targets, xs.visited, xs.not_visited) == (3, 2, 1)
    assert xs.household_cash == Decimal("900") and xs.workers_reached == 120
    assert totals.money == Decimal("1000") and totals.total.household_cash == Decimal("900")
    assert totals.repeats == 1 and "重复走访" in text
    export = staff.get(reverse("admin:hardship_campaign_export", args=[campaign.pk]))
    cells = zipfile.ZipFile(io.BytesIO(export.content)).read("xl/sharedStrings.xml").decode()
    assert "133****0000" in cells and "13300000000" not in cells and "丈夫重病" not in cells


def test_the_campaign_page_takes_the_same_queries_for_many_visits(client, campaign, approver):
    enterprise = EnterpriseFactory()
    staff = login_staff(client, approver)
    url = reverse("admin:hardship_campaign_summary", args=[campaign.pk])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert staff.get(url).status_code == 200
        return len(captured)

    few = queries()
    EnterpriseVisit.objects.bulk_create(
        EnterpriseVisit(
            campaign=campaign,
            enterprise=enterprise,
            street=enterprise.street,
            visited_on=timezone.localdate(),
            workers_reached=10,
            cash_total=Decimal("0"),
            recorded_by=approver,
        )  # fmt: skip
        for _ in range(300)
    )
    for index in range(5):
        campaign.targets.create(file=a_file(index), street_id=enterprise.street_id)
    assert queries() == few


def test_street_staff_cannot_record_for_another_street(client, campaign):
    file = a_file(1, street="BY")
    campaign.targets.create(file=file, street=file.street)
    staff = login_staff(client, street_staff("XS"))
    response = staff.post(
        reverse("admin:hardship_campaign_visit", args=[campaign.pk]),
        {"file": file.pk, "visited_on": timezone.localdate().isoformat(), "visitors": "某",
         "cash": "100"},
    )  # fmt: skip
    assert response.status_code == 200 and not HouseholdVisit.objects.exists()
    finance = login_staff(type(client)(), street_staff(None, groups=["财务"]))
    assert (
        finance.get(reverse("admin:hardship_campaign_summary", args=[campaign.pk])).status_code
        == 403
    )


def test_the_district_adjusts_the_target_list(client, campaign, approver):
    from services.hardship.models import CampaignTarget

    file = a_file(1)
    target = campaign.targets.create(file=file, street=file.street)
    reviewer = login_staff(client, street_staff("XS"))
    delete = reverse("admin:hardship_campaigntarget_delete", args=[target.pk])
    assert reviewer.post(delete, {"post": "yes"}).status_code == 403
    district = login_staff(type(client)(), approver)
    assert district.post(delete, {"post": "yes"}).status_code == 302
    assert not CampaignTarget.objects.exists()
