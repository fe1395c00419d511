"""Report figures from the records: live sources, taking the live value, freezing at publish,
open-data statistics with small groups suppressed, next year's draft, year over year."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports.live import program_statistics
from reports.models import AnnualReport, KeyFigure
from reports.services import report_draft_next_year, report_publish
from reports.sources import reading
from services.applications.ledger import payment_batch_build, payment_line_record
from services.applications.models import LedgerEntry
from services.members.models import EmploymentForm, Street
from tests.factories import (
    AnnualReportFactory,
    GrassrootsUnionFactory,
    KeyFigureFactory,
    MemberFactory,
    ReportSectionFactory,
    street_staff,
)
from tests.services.applications.conftest import approved, make_eligible, program

__all__ = ["program"]


def pay_everything(program, finance):
    batch = payment_batch_build(program=program, actor=finance)
    batch.exported_at = batch.created_at
    batch.save()
    for line in batch.lines.all():
        payment_line_record(line=line, paid=True, actor=finance)


@pytest.fixture
def paid_world(db, program, staff_groups):
    """Five members paid by CMK (two streets), one approved but not yet paid."""
    reviewer = street_staff("XS")
    approver = street_staff(None, groups=["区总复审员"])
    finance = street_staff(None, groups=["财务"])
    amounts = ["3000", "2500", "4000", "1200", "3300"]
    for i, amount in enumerate(amounts):
        member = make_eligible(mobile=f"1391000000{i}", real_name=f"职工{i}")
        approved(program, member, reviewer, approver, amount=amount)
    pay_everything(program, finance)
    later = make_eligible(mobile="13910000009", real_name="待发放")
    approved(program, later, reviewer, approver, amount="1000")
    return program


def linked_report(year, figures):
    report = AnnualReportFactory(year=year, title=f"{year}年报告")
    section = ReportSectionFactory(report=report)
    for label, value, unit, source, option in figures:
        KeyFigureFactory(
            report=report, section=section, label=label, value=Decimal(value), unit=unit,
            source=source, source_option=option, source_year=year,
        )  # fmt: skip
    return report


def test_ledger_sources_equal_the_records_counted_independently(paid_world):
    year = paid_world.year
    paid = LedgerEntry.objects.filter(program=paid_world, status="paid")
    people = len({e.member_id for e in paid})
    total = sum(e.amount for e in paid)
    assert (people, total) == (5, Decimal("14000"))  # the 1,000 not yet paid does not count
    assert reading(key="ledger.paid_people", option="program:CMK", year=year, unit="名") == 5
    assert reading(key="ledger.paid_amount", option="program:CMK", year=year, unit="万元") == (
        total / 10000
    )
    assert reading(key="ledger.paid_amount", option="kind:tuition", year=year, unit="元") == total
    assert reading(key="ledger.granted_people", option="", year=year, unit="人") == 6
    assert reading(key="ledger.paid_people", option="program:CMK", year=year - 1, unit="名") == 0
    assert reading(key="ledger.paid_amount", option="program:XL", year=year, unit="元") == 0


def test_member_and_union_sources(db):
    year = 2031
    MemberFactory(joined_on=date(year, 3, 1), employment_form=EmploymentForm.RIDER)
    MemberFactory(joined_on=date(year, 5, 1), employment_form=EmploymentForm.CONTRACT)
    MemberFactory(joined_on=date(year - 1, 12, 31), employment_form=EmploymentForm.COURIER)
    GrassrootsUnionFactory(founded_on=date(year, 1, 1))
    GrassrootsUnionFactory(founded_on=None)
    assert reading(key="members.joined", option="", year=year, unit="人") == 2
    assert reading(key="members.joined_gig", option="", year=year, unit="人") == 1
    assert reading(key="members.unions_founded", option="", year=year, unit="家") == 1


def test_a_link_that_cannot_work_is_refused_beside_its_field(editor_client, db):
    report = linked_report(2031, [])
    section = report.sections.get()
    cases = [
        ({"source": "ledger.paid_amount", "unit": "人"}, "unit", "金额"),
        ({"source": "members.joined", "unit": "万元"}, "unit", "人数"),
        ({"source": "ledger.paid_people", "source_option": "kind:nope"}, "source_option", "范围"),
        ({"source": "nope"}, "source", ""),
        ({"source": "ledger.paid_people", "source_option": "program:\x00X"}, "source_option", ""),
    ]
    for fields, field, words in cases:
        figure = KeyFigure(report=report, section=section, label="数", value=1, unit="人")
        for name, value in fields.items():
            setattr(figure, name, value)
        with pytest.raises(ValidationError) as caught:
            figure.full_clean()
        assert field in caught.value.message_dict, fields
        assert words in " ".join(caught.value.message_dict[field])


def test_admin_shows_typed_live_and_difference_and_staff_take_the_live_value(
    paid_world, editor_client
):
    year = paid_world.year
    report = linked_report(
        year,
        [
            ("资助职工", "4", "名", "ledger.paid_people", "program:CMK"),
            ("资助学费", "1.4", "万元", "ledger.paid_amount", "program:CMK"),
            ("没有来源", "9", "场", "", ""),
        ],
    )
    page = editor_client.get(reverse("admin:reports_annualreport_live", args=[report.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "资助职工" in html and "没有来源" not in html
    readings = {r.figure.label: r for r in page.context["readings"]}
    assert readings["资助职工"].live == 5 and readings["资助职工"].difference == 1
    assert readings["资助学费"].matches  # 14,000 元 = 1.4 万元
    change = editor_client.get(reverse("admin:reports_annualreport_change", args=[report.pk]))
    assert "5 <strong>(+1)</strong>" in change.content.decode()

    figure = report.figures.get(label="资助职工")
    response = editor_client.post(
        reverse("admin:reports_annualreport_live", args=[report.pk]), {"figures": [figure.pk]}
    )
    assert response.status_code == 302
    figure.refresh_from_db()
    assert figure.value == 5
    assert report.revisions.first().note.startswith("采用实时数值")
    # nothing ticked: a message, nothing changed
    response = editor_client.post(reverse("admin:reports_annualreport_live", args=[report.pk]))
    assert "请至少勾选一个数字" in response.content.decode()


def test_publishing_freezes_the_live_values_and_later_records_change_nothing(
    paid_world, client, staff_groups
):
    year = paid_world.year
    report = linked_report(year, [("资助职工", "5", "名", "ledger.paid_people", "program:CMK")])
    report.open_data_min_group = 2
    report.save()
    report_publish(report=report, user=None)
    before = {
        url: client.get(url).content
        for url in (
            f"/reports/{year}/",
            f"/reports/{year}/figures.json",
            f"/reports/{year}/figures.csv",
            f"/reports/{year}/statistics.json",
            f"/reports/{year}/statistics.csv",
        )
    }
    figure = client.get(f"/reports/{year}/figures.json").json()["figures"][0]
    assert figure["live_value"] == "5" and figure["source"] == "ledger.paid_people"
    assert "据服务记录统计" in before[f"/reports/{year}/"].decode()

    # more money is paid after publishing
    finance = street_staff(None, groups=["财务"])
    pay_everything(paid_world, finance)
    assert reading(key="ledger.paid_people", option="program:CMK", year=year, unit="名") == 6
    from django.core.cache import cache

    cache.clear()
    for url, content in before.items():
        assert client.get(url).content == content, url


def test_open_data_statistics_hide_small_groups(paid_world, client):
    year = paid_world.year
    # make the five paid members: three in 下沙, two in 白杨 (the streets' names)
    xs, by = Street.objects.get(code="XS"), Street.objects.get(code="BY")
    members = [e.member for e in LedgerEntry.objects.filter(status="paid").order_by("id")]
    for i, member in enumerate(members):
        member.street = xs if i < 3 else by
        member.save()
    stats = program_statistics(year, 3)
    (cmk,) = stats["programs"]
    assert cmk["people"] == 5 and cmk["amount"] == "14000"
    streets = {s["street"]: s for s in cmk["streets"]}
    # 白杨 has 2 < 3 people: hidden; 下沙 would give it away by subtraction, so it is hidden too
    assert streets[by.name]["suppressed"] and streets[by.name]["people"] is None
    assert streets[xs.name]["suppressed"]
    stats = program_statistics(year, 2)
    assert not any(s["suppressed"] for s in stats["programs"][0]["streets"])
    assert program_statistics(year, 6)["programs"][0]["people"] is None

    report = linked_report(year, [])
    report.open_data_min_group = 3
    report.save()
    report_publish(report=report, user=None)
    body = client.get(f"/reports/{year}/statistics.json").json()
    assert body["min_group"] == 3
    assert all(row["people"] is None for row in body["rows"] if row["street"])
    csv = client.get(f"/reports/{year}/statistics.csv").content.decode("utf-8-sig")
    assert "CMK" in csv and "13910000000" not in csv


def test_next_years_draft_keeps_structure_and_links(editor_client, db):
    report = linked_report(2030, [("资助职工", "371", "名", "ledger.paid_people", "program:CMK")])
    KeyFigureFactory(report=report, section=report.sections.get(), label="宣讲", unit="场")
    report.subtitle = "钱塘区总工会2030年度报告"
    report.save()
    response = editor_client.post(
        reverse("admin:reports_annualreport_changelist"),
        {"action": "draft_next_year", "_selected_action": [report.pk]},
        follow=True,
    )
    assert "已新建 2031 年度报告草稿" in response.content.decode()
    draft = AnnualReport.objects.get(year=2031)
    assert draft.status == "draft" and draft.subtitle == "钱塘区总工会2031年度报告"
    assert [s.heading for s in draft.sections.all()] == [s.heading for s in report.sections.all()]
    linked = draft.figures.get(label="资助职工")
    assert (linked.source, linked.source_option, linked.source_year, linked.value) == (
        "ledger.paid_people", "program:CMK", 2031, 0,
    )  # fmt: skip
    assert draft.figures.get(label="宣讲").source == ""
    assert draft.revisions.count() == 1
    # again: refused with a reason, nothing made
    response = editor_client.post(
        reverse("admin:reports_annualreport_changelist"),
        {"action": "draft_next_year", "_selected_action": [report.pk]},
        follow=True,
    )
    assert "2031 年度报告已经存在" in response.content.decode()
    with pytest.raises(ValidationError):
        report_draft_next_year(report=report, actor=None)
    assert AnnualReport.objects.filter(year=2031).count() == 1


def test_the_report_page_shows_last_years_value_and_the_change(client, db):
    last = linked_report(
        2030,
        [
            ("资助职工", "340", "名", "ledger.paid_people", "program:CMK"),
            ("资助学费", "200", "万元", "ledger.paid_amount", "program:CMK"),
            ("宣讲", "40", "场", "", ""),
        ],
    )
    this = linked_report(
        2031,
        [
            ("资助职工（今年改了说法）", "371", "名", "ledger.paid_people", "program:CMK"),
            ("资助学费", "184", "万元", "ledger.paid_amount", "program:CMK"),
            ("宣讲", "45", "场", "", ""),
        ],
    )
    report_publish(report=this, user=None)
    html = client.get("/reports/2031/").content.decode()
    assert "2030年" not in html  # last year's report is not published yet
    report_publish(report=last, user=None)
    html = client.get("/reports/2031/").content.decode()
    assert "2030年 340名，增加 31（+9.1%）" in html
    assert "2030年 200万元，减少 16（−8.0%）" in html
    assert html.count("2030年") == 2  # the unlinked figure is not compared
    english = client.get("/en/reports/2031/").content.decode()
    assert "9.1%" in english


def test_program_codes_with_a_hyphen_can_be_linked(db):
    from reports.sources import live_source

    assert live_source("ledger.paid_people").accepts_option("program:HZ-ZY")
    assert not live_source("ledger.paid_people").accepts_option("program:HZ ZY")


def test_a_published_reports_year_cannot_be_edited(editor_client, report_2023):
    page = editor_client.get(reverse("admin:reports_annualreport_change", args=[report_2023.pk]))
    assert 'name="year"' not in page.content.decode()


def test_the_archive_shows_the_published_title_not_an_unpublished_edit(client, report_2023):
    published = report_2023.title
    report_2023.title = "草稿标题，尚未发布"
    report_2023.save()
    html = client.get("/reports/").content.decode()
    assert published in html and "草稿标题" not in html
