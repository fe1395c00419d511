"""Staff lists exported to Excel (by the task worker, with progress) and CSV (streamed): the
rows of the author's own list as filtered and searched, masked, never formulas."""

import csv
import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from services.applications.models import ExportJob
from services.members.models import Member, Street
from tests.factories import street_staff
from tests.services.applications.conftest import draft, make_eligible, submitted

CHANGELIST = reverse("admin:applications_application_changelist")
CSV = reverse("admin:applications_application_export_csv")
XLSX = reverse("admin:applications_application_export_xlsx")


@pytest.fixture
def listed(program, staff_groups):
    """Three applications in 下沙 (one by a name that looks like a formula), one in 白杨."""
    xs = [
        submitted(program, make_eligible(mobile=f"1390000000{i}", real_name=name))
        for i, name in enumerate(["王一", "李二"])
    ]
    formula = draft(program, make_eligible(mobile="13900000009", real_name="张三"))
    Member.objects.filter(pk=formula.applicant_id).update(real_name="=HYPERLINK(1)")
    elsewhere = submitted(
        program,
        make_eligible(mobile="13900000008", real_name="赵四", street=Street.objects.get(code="BY")),
    )
    return {"xs": [*xs, formula], "by": elsewhere}


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_is_the_reviewers_list_as_filtered(listed, staff_client):
    client = staff_client(street_staff("XS"))
    rows = csv_rows(client.get(CSV))
    assert rows[0][:3] == ["申请编号", "项目", "申请人"]
    references = {row[0] for row in rows[1:]}
    assert references == {a.reference for a in listed["xs"]}  # their street only
    # The formula-looking name stays text; ID numbers are masked.
    assert any(row[2] == "'=HYPERLINK(1)" for row in rows)
    for application in listed["xs"]:
        assert application.applicant.id_number not in str(rows)
    only_submitted = csv_rows(client.get(CSV + "?status=submitted"))
    assert len(only_submitted) == 3 and all(
        row[5] == "已提交，待初审" for row in only_submitted[1:]
    )


def test_excel_export_runs_as_a_task_with_its_page_and_file(
    listed, staff_client, django_capture_on_commit_callbacks
):
    approver = street_staff(None, groups=["区总复审员"])
    client = staff_client(approver)
    assert "导出 Excel" in client.get(CHANGELIST).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(XLSX + "?q=王")
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("admin:applications_exportjob_change", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "已导出 1 行" in page and "下载 Excel 文件" in page
    download = client.get(reverse("admin:applications_exportjob_file", args=[job.pk]))
    body = b"".join(download.streaming_content)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(body)).get_sheet_by_index(0).to_python()
    assert sheet[0][:3] == ["申请编号", "项目", "申请人"] and len(sheet) == 2
    assert sheet[1][2] == "王一" and sheet[1][6] == 3000.0
    # Nobody else gets the file, or sees the job.
    other = staff_client(street_staff(None, groups=["区总复审员"]))
    assert other.get(reverse("admin:applications_exportjob_file", args=[job.pk])).status_code == 404


def test_a_queued_export_shows_that_it_waits(listed, staff_client):
    client = staff_client(street_staff("XS"))
    response = client.post(XLSX)  # the commit's task is not run here: the queue is away
    page = client.get(response["Location"]).content.decode()
    assert "排队等待导出" in page and 'http-equiv="refresh"' in page


def test_an_export_cannot_carry_a_search_by_a_full_number(listed, staff_client):
    client = staff_client(street_staff(None, groups=["区总复审员"]))
    response = client.post(XLSX + "?pii=token", follow=True)
    assert "不能导出" in response.content.decode() and not ExportJob.objects.exists()
    response = client.get(CSV + "?pii=token", follow=True)
    assert "不能导出" in response.content.decode()


def test_staff_who_do_not_see_applications_cannot_export(listed, staff_client, editor):
    from django.test import Client

    from tests.conftest import login_staff

    client = login_staff(Client(), editor)
    assert client.get(CSV).status_code == 403
    assert client.post(XLSX).status_code == 403


def test_exports_refuse_filters_the_list_refuses_and_searches_by_a_full_number(
    listed, staff_client
):
    client = staff_client(street_staff("XS"))
    member = listed["xs"][0].applicant
    for query in ("?foo=1", "?street__id__exact=abc", "?applicant__street__id__exact=3",
                  f"?q={member.id_number}", f"?q={member.mobile}"):  # fmt: skip
        response = client.get(CSV + query, follow=True)
        assert response.status_code in (200, 400), query
        if response.status_code == 200:
            assert "导出" in response.content.decode() and not response.streaming, query
        response = client.post(XLSX + query, follow=True)
        assert response.status_code in (200, 400), query
    assert not ExportJob.objects.exists()


def test_a_double_click_makes_one_export(listed, staff_client):
    client = staff_client(street_staff("XS"))
    first, second = client.post(XLSX), client.post(XLSX)
    assert first["Location"] == second["Location"] and ExportJob.objects.count() == 1
