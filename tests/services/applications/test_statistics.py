"""The statistics page (/admin/statistics/) and its Excel file, through HTTP and the database.

The records are made up in two streets (下沙 XS, 白杨 BY) and two months (March and April of
this year), with their money in the ledger, and the page's figures are compared with the
counts and sums worked out by hand below.
"""

import io
from datetime import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from python_calamine import CalamineWorkbook

from services.applications.ledger import ledger_hand_over, payment_batch_build, payment_line_record
from services.applications.models import Application, LedgerEntry, Program
from services.applications.statistics import SHANGHAI, Filters, this_year
from services.members.models import Street
from tests.factories import street_staff
from tests.services.applications.conftest import (
    approved,
    draft,
    make_eligible,
    submitted,
    take,
)

URL = "/admin/statistics/"
EXPORT = "/admin/statistics/export.xlsx"
YEAR = this_year()
MARCH = datetime(YEAR, 3, 10, 9, 0, tzinfo=SHANGHAI)
# Early on 1 April in Shanghai is still 31 March in UTC: months are cut in Asia/Shanghai.
APRIL = datetime(YEAR, 4, 1, 5, 0, tzinfo=SHANGHAI)


def at(obj, **times):
    type(obj).objects.filter(pk=obj.pk).update(**times)


def entry_of(application):
    return LedgerEntry.objects.get(
        source_type=ContentType.objects.get_for_model(Application), source_id=application.pk
    )


@pytest.fixture
def world(program, approver, finance, staff_groups):
    """In this year's 厂门口上大学 (budget 100,000.00):

    下沙 XS  a1 submitted in March, approved 3,000 (decided March), paid by the bank in April
             a2 submitted in March, waiting for review
             a3 a draft, never submitted
    白杨 BY  b1 submitted in April, approved 2,000 (decided April), waiting for a batch
             b2 submitted in April, rejected
             cash of 500 handed over in March to a BY worker, with no application
    Last year's program: one approved application in XS, never counted.
    """
    xs_reviewer, by_reviewer = street_staff("XS"), street_staff("BY")
    xs = [make_eligible(mobile=f"1320000010{i}", real_name="下沙人") for i in range(3)]
    by_street = Street.objects.get(code="BY")
    by = [make_eligible(mobile=f"1320000020{i}", real_name="白杨人", street=by_street)
          for i in range(3)]  # fmt: skip

    a1 = approved(program, xs[0], xs_reviewer, approver, "3000")
    a2 = submitted(program, xs[1], "1500")
    draft(program, xs[2], "1000")
    b1 = approved(program, by[0], by_reviewer, approver, "2000")
    b2 = submitted(program, by[1], "800")
    assert take(b2, by_reviewer, "reject", note="不符合条件")
    cash = ledger_hand_over(
        member=by[2], program=program, source=by[2], amount=Decimal("500"), purpose="慰问金",
        actor=approver,
    )  # fmt: skip
    assert cash.paid_at is not None
    batch = payment_batch_build(program=program, actor=finance, entry_ids=[entry_of(a1).pk])
    batch.exported_at = batch.created_at
    batch.save()
    payment_line_record(line=batch.lines.get(), paid=True, actor=finance)

    for application in (a1, a2):
        at(application, submitted_at=MARCH)
    for application in (b1, b2):
        at(application, submitted_at=APRIL)
    at(entry_of(a1), created_at=MARCH, paid_at=APRIL)
    at(entry_of(b1), created_at=APRIL)
    at(cash, created_at=MARCH, paid_at=MARCH)

    last_year = Program.objects.create(
        code="CMK", name="厂门口上大学", year=YEAR - 1, batch=1, kind="tuition",
        rule_params=program.rule_params, required_proofs=[], opens_at=program.opens_at,
        closes_at=program.closes_at, budget=Decimal("50000"), per_person_cap=Decimal("4000"),
    )  # fmt: skip
    old = approved(last_year, make_eligible(mobile="13200000301"), xs_reviewer, approver, "900")
    at(old, submitted_at=MARCH)
    return {"program": program, "xs_reviewer": xs_reviewer, "by": by_street,
            "xs": Street.objects.get(code="XS"), "last_year": last_year}  # fmt: skip


def figures(line):
    return (line.submitted, line.approved, line.paid)


def by_label(lines):
    return {line.label: figures(line) for line in lines}


def get(client, url=URL, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def test_the_figures_equal_what_was_recorded(world, approver, staff_client):
    response = get(staff_client(approver))
    stats = response.context["stats"]
    assert stats.filters.year == YEAR
    [line] = stats.programs  # last year's program is not this year's
    assert figures(line) == (4, Decimal("5500.00"), Decimal("3500.00"))
    assert line.budget == Decimal("100000.00") and line.share_text == "5.5%"
    assert dict(zip(stats.status_columns, line.statuses, strict=True)) == {
        "草稿": 1, "已提交，待初审": 1, "已批准，待发放": 1, "未通过": 1, "已发放": 1,
    }  # fmt: skip
    streets = by_label(stats.streets)
    assert streets["下沙街道"] == (2, Decimal("3000.00"), Decimal("3000.00"))
    assert streets["白杨街道"] == (2, Decimal("2500.00"), Decimal("500.00"))
    assert streets["河庄街道"] == (0, Decimal("0.00"), Decimal("0.00"))
    assert len(stats.streets) == 7
    months = by_label(stats.months)
    assert list(months)[:3] == [f"{YEAR}年1月", f"{YEAR}年2月", f"{YEAR}年3月"]
    assert len(months) == 12
    assert months[f"{YEAR}年3月"] == (2, Decimal("3500.00"), Decimal("500.00"))
    assert months[f"{YEAR}年4月"] == (2, Decimal("2000.00"), Decimal("3000.00"))
    assert months[f"{YEAR}年5月"] == (0, Decimal("0.00"), Decimal("0.00"))
    # every table adds up to the same totals
    for total in (stats.programs_total, stats.streets_total, stats.months_total):
        assert figures(total) == (4, Decimal("5500.00"), Decimal("3500.00"))
    html = response.content.decode()
    assert html.count('role="img"') == 3
    assert "下沙街道 3,000.00 元；白杨街道 500.00 元" in html  # the chart reads its numbers out


def test_a_month_and_a_street(world, approver, staff_client):
    client = staff_client(approver)
    march = get(client, month=3).context["stats"]
    assert figures(march.programs[0]) == (2, Decimal("3500.00"), Decimal("500.00"))
    assert dict(zip(march.status_columns, march.programs[0].statuses, strict=True)) == {
        "已提交，待初审": 1, "已发放": 1,
    }  # fmt: skip
    assert [line.label for line in march.months] == [f"{YEAR}年3月"]
    by_april = get(client, month=4, street=world["by"].pk).context["stats"]
    assert figures(by_april.programs[0]) == (2, Decimal("2000.00"), Decimal("0.00"))
    assert by_label(by_april.streets) == {"白杨街道": (2, Decimal("2000.00"), Decimal("0.00"))}
    xs_april = get(client, month=4, street=world["xs"].pk).context["stats"]
    assert figures(xs_april.programs_total) == (0, Decimal("0.00"), Decimal("3000.00"))
    assert get(client, year="", month="").context["stats"].filters == Filters(year=YEAR)
    last_year = get(client, year=YEAR - 1, program=world["last_year"].pk).context["stats"]
    assert figures(last_year.programs_total) == (1, Decimal("900.00"), Decimal("0.00"))


def test_street_staff_see_their_street_whatever_they_ask(world, staff_client):
    client = staff_client(world["xs_reviewer"])
    for params in ({}, {"street": world["by"].pk}, {"street": "999999"}):
        response = get(client, **params)
        stats = response.context["stats"]
        assert "street" not in response.context["form"].fields
        assert by_label(stats.streets) == {"下沙街道": (2, Decimal("3000.00"), Decimal("3000.00"))}
        assert figures(stats.programs_total) == (2, Decimal("3000.00"), Decimal("3000.00"))
        assert "白杨" not in response.content.decode()
    export = client.get(EXPORT, {"street": world["by"].pk})
    assert "白杨" not in str(sheets(export.content))


def test_staff_with_no_street_see_nothing(world, staff_client):
    nobody = street_staff(None)  # a street reviewer whose street was never set
    client = staff_client(nobody)
    response = get(client)
    assert response.context["sees_nothing"] and "stats" not in response.context
    assert "没有指定所属街道" in response.content.decode()
    export = get(client, EXPORT)
    assert export["Content-Type"].startswith("text/html")


def test_only_staff_who_see_applications(world, staff_client, editor):
    course_manager = street_staff("XS", groups=["课程管理员"])
    for user in (editor, course_manager):
        assert staff_client(user).get(URL).status_code == 403
        assert staff_client(user).get(EXPORT).status_code == 403
    finance_without_street = street_staff(None, groups=["财务"])
    assert staff_client(finance_without_street).get(URL).status_code == 200


def sheets(content: bytes) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def statuses_header_row(rows: list[list]) -> int:
    return next(i for i, row in enumerate(rows) if not any(row)) + 1


def table(rows: list[list]) -> list[list]:
    """The rows under the header row (the filters, a blank row, then the header)."""
    blank = next(i for i, row in enumerate(rows) if not any(row))
    return [row for row in rows[blank + 2 :] if any(row)]


def test_the_excel_file_holds_the_page_numbers(world, approver, staff_client):
    client = staff_client(approver)
    params = {"street": world["by"].pk, "month": 4}
    page = get(client, **params).context["stats"]
    link = get(client, **params).context["export_query"]
    response = client.get(f"{EXPORT}?{link}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = sheets(response.content)
    assert list(book) == ["项目概览", "申请状态", "按街道", "按月份", "说明"]
    for name in ("项目概览", "按街道", "按月份"):
        filters = {row[0]: row[1] for row in book[name][1:6]}
        assert filters["年度"] == str(YEAR) and filters["街道"] == "白杨街道"
        assert filters["月份"] == f"{YEAR}年4月" and filters["项目"] == "全部项目"

    programs = table(book["项目概览"])
    expected = [*page.programs, page.programs_total]
    assert [row[0] for row in programs] == [line.label for line in expected]
    for row, line in zip(programs, expected, strict=True):
        assert money(row[1]) == line.budget
        assert (int(row[2]), money(row[3]), money(row[4])) == figures(line)
        assert round(row[5], 6) == round(float(line.share), 6)
    for name, lines, total in (("按街道", page.streets, page.streets_total),
                               ("按月份", page.months, page.months_total)):  # fmt: skip
        rows = table(book[name])
        assert [(r[0], int(r[1]), money(r[2]), money(r[3])) for r in rows] == [
            (line.label, *figures(line)) for line in [*lines, total]
        ]
    statuses = table(book["申请状态"])
    header = book["申请状态"][statuses_header_row(book["申请状态"])]
    assert header == ["项目", *page.status_columns, "合计"]
    assert statuses == [
        [line.label, *[float(n) for n in line.statuses], float(line.status_total)]
        for line in page.programs
    ] + [["合计", *[float(n) for n in page.status_totals], float(page.applications_total)]]
    text = str(book)
    assert "白杨人" not in text and "13200000200" not in text  # aggregates only


def test_a_program_name_that_looks_like_a_formula_stays_text(world, approver, staff_client):
    Program.objects.filter(pk=world["program"].pk).update(name="=HYPERLINK(1)")
    book = sheets(staff_client(approver).get(EXPORT).content)
    assert table(book["项目概览"])[0][0] == f"'=HYPERLINK(1) {YEAR}"


BAD = [
    {"year": "abc"}, {"year": "99999"}, {"year": "2026\x00"}, {"year": "1" * 5000},
    {"program": "abc"}, {"program": "999999"}, {"program": "\x00"}, {"street": "999999"},
    {"street": "x"}, {"month": "13"}, {"month": "0"}, {"month": "-1"}, {"month": "\x00"},
]  # fmt: skip


@pytest.mark.parametrize("params", BAD)
def test_bad_parameters_get_a_message(world, approver, staff_client, params):
    client = staff_client(approver)
    for url in (URL, EXPORT):
        response = client.get(url, params)
        assert response["Content-Type"].startswith("text/html")
        if any("\x00" in value for value in params.values()):
            assert response.status_code == 400  # the portal refuses NUL bytes everywhere
            continue
        assert response.status_code == 200
        assert "stats" not in response.context
        assert "筛选条件有误" in response.content.decode()


def test_another_years_program_is_refused(world, approver, staff_client):
    response = get(staff_client(approver), year=YEAR, program=world["last_year"].pk)
    assert "program" in response.context["form"].errors


def add_applications(program, count, start):
    street = Street.objects.get(code="BY")
    for index in range(start, start + count):
        member = make_eligible(mobile=f"1330000{index:04d}", street=street)
        draft(program, member, "100")
    Application.objects.filter(status="draft").update(status="submitted", submitted_at=APRIL)


def test_a_fixed_number_of_queries(program, approver, staff_client, django_assert_num_queries):
    client = staff_client(approver)
    filtered = {"month": 4, "street": Street.objects.get(code="BY").pk}
    add_applications(program, 3, 0)
    with django_assert_num_queries(QUERIES):
        client.get(URL)
    with django_assert_num_queries(QUERIES):
        client.get(URL, filtered)
    add_applications(program, 27, 3)
    assert Application.objects.count() == 30
    with django_assert_num_queries(QUERIES):
        client.get(URL)
    with django_assert_num_queries(QUERIES):
        client.get(URL, filtered)


# User, TOTP device, the user's and the groups' permissions, the group names (5; the session
# comes from the cache, cached_db);
# streets and programs (2); the statistics (2: the applications grouped by program, status,
# street and month submitted; the money by program, street, month decided and month paid); the
# session saved, as every staff request restarts the idle clock (3, with the test's savepoint).
QUERIES = 12
