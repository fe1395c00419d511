"""Employer rosters: every row checked and reported before anything is saved, then saved in
one transaction; big rosters through the task worker; a listed worker registering later takes
the record over."""

from django.contrib.auth.hashers import make_password
from django.urls import reverse

from services.members.models import Member
from services.mutual_aid.models import Coverage, PlanKind, RosterImport
from services.mutual_aid.roster import SYNC_ROWS
from tests.conftest import login_staff
from tests.factories import EnterpriseFactory, make_id_number, street_staff
from tests.services.applications.conftest import make_eligible
from tests.services.mutual_aid.conftest import person, roster_file

UPLOAD = "admin:mutual_aid_rosterimport_upload"


def upload(client, plan, enterprise, rows, **kwargs):
    return client.post(
        reverse(UPLOAD),
        {"plan": plan.pk, "enterprise": enterprise.pk, "file": roster_file(rows, **kwargs)},
        follow=True,
    )


def test_every_row_is_checked_and_reported_before_anything_is_saved(
    client, plan, enterprise, reviewer, approver
):
    other_employer = make_eligible(
        mobile="13600000009", employer=EnterpriseFactory(name="别家公司")
    )
    already = make_eligible(mobile="13600000008", employer=enterprise)
    from services.mutual_aid.roster import coverage_add

    coverage_add(plan=plan, member=already, enterprise=enterprise, actor=approver)
    good = [person(i) for i in range(6)]
    bad_id = ("坏号码", "330114199001011230", "13711111111")
    duplicate = (good[0][0], good[0][1], "13722222222")
    bad_mobile = ("错手机", make_id_number("330114", "19850101", 5), "1234")
    elsewhere = (other_employer.real_name, other_employer.id_number, other_employer.mobile)
    listed = (already.real_name, already.id_number, already.mobile)
    rows = [*good, bad_id, duplicate, bad_mobile, elsewhere, listed]
    staff = login_staff(client, reviewer)
    page = upload(staff, plan, enterprise, rows)
    text = page.content.decode()
    roster = RosterImport.objects.get()
    assert roster.status == "checked" and roster.accepted == 6 and roster.refused == 5
    assert "共 11 行：可导入 6 行，不能导入 5 行" in text
    for words in ("身份证号校验位不正确", "身份证号与第 3 行重复", "手机号：", "不是本单位",
                  "已在本计划的参保名单中"):  # fmt: skip
        assert words in text, words
    # Masked in the report: no full ID number of anyone.
    assert other_employer.id_number not in text and good[0][1] not in text
    assert Coverage.objects.filter(roster=roster).count() == 0
    assert not Member.objects.filter(mobile=good[1][2]).exists()
    # Confirmed: the six are covered at once, the new people as pending members.
    staff.post(reverse("admin:mutual_aid_rosterimport_report", args=[roster.pk]))
    roster.refresh_from_db()
    assert roster.status == "saved"
    assert Coverage.objects.filter(roster=roster).count() == 6
    created = Member.objects.get(mobile=good[1][2])
    assert created.verification_status == "pending" and created.employer == enterprise
    assert not created.user.has_usable_password() and created.id_number == good[1][1]
    # Saving again changes nothing.
    again = staff.post(
        reverse("admin:mutual_aid_rosterimport_report", args=[roster.pk]), follow=True
    )
    assert "已经导入" in again.content.decode()
    assert Coverage.objects.filter(roster=roster).count() == 6


def test_the_female_plan_takes_women_only(client, plans, enterprise, reviewer):
    plan = plans[PlanKind.FEMALE_CANCER]
    staff = login_staff(client, reviewer)
    upload(staff, plan, enterprise, [person(1, female=True), person(2)])
    roster = RosterImport.objects.get()
    assert roster.accepted == 1 and roster.refused == 1
    assert "本计划只接受女职工" in str(roster.report)


def test_unreadable_files_and_missing_headers_are_told_beside_the_field(
    client, plan, enterprise, reviewer
):
    staff = login_staff(client, reviewer)
    page = upload(staff, plan, enterprise, [person(1)], header=("名字", "证件", "电话"))
    assert "需要“姓名”“身份证号”“手机号”三列" in page.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("名单.xlsx", b"not really excel", "application/vnd.ms-excel")
    page = staff.post(reverse(UPLOAD), {"plan": plan.pk, "enterprise": enterprise.pk, "file": fake})
    assert "无法读取这个文件" in page.content.decode()
    assert not RosterImport.objects.exists()


def test_staff_of_another_street_cannot_upload_for_this_employer(client, plan, enterprise):
    elsewhere = street_staff("BY")
    staff = login_staff(client, elsewhere)
    page = upload(staff, plan, enterprise, [person(1)])
    assert page.status_code == 200 and "选择一个有效的选项" in page.content.decode()
    assert not RosterImport.objects.exists()
    finance = login_staff(type(client)(), street_staff(None, groups=["财务"]))
    assert finance.get(reverse(UPLOAD)).status_code == 403


def test_a_big_roster_goes_through_the_task_worker_with_its_progress(
    client, plan, enterprise, reviewer, django_capture_on_commit_callbacks
):
    rows = [person(i) for i in range(SYNC_ROWS + 50)]
    staff = login_staff(client, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        upload(staff, plan, enterprise, rows)
    roster = RosterImport.objects.get()
    assert roster.status == "checked" and roster.accepted == SYNC_ROWS + 50
    assert roster.rows_done == roster.rows_total == SYNC_ROWS + 50
    report = reverse("admin:mutual_aid_rosterimport_report", args=[roster.pk])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        page = staff.post(report, follow=True)
    assert "正在后台导入" in page.content.decode() and "正在导入" in page.content.decode()
    assert RosterImport.objects.get().status == "saving"
    assert not Coverage.objects.filter(roster=roster).exists()
    for callback in queued:  # the task worker's turn
        callback()
    assert Coverage.objects.filter(roster=roster).count() == SYNC_ROWS + 50
    assert RosterImport.objects.get().status == "saved"


def test_a_listed_worker_registering_later_takes_the_record_over(
    client, plan, enterprise, reviewer
):
    from services.members.services import member_register

    name, id_number, mobile = person(7)
    staff = login_staff(client, reviewer)
    upload(staff, plan, enterprise, [(name, id_number, mobile)])
    staff.post(
        reverse("admin:mutual_aid_rosterimport_report", args=[RosterImport.objects.get().pk])
    )
    listed = Member.objects.get(mobile=mobile)
    member = member_register(
        mobile=mobile, password="Str0ng-pass-2026", real_name=name, id_number=id_number,
        employer=None, consent=True,
    )  # fmt: skip
    assert member.pk == listed.pk and member.user.check_password("Str0ng-pass-2026")
    assert member.coverages.filter(plan=plan).exists()
    # Someone else with the number but another mobile is still refused.
    other = Member.objects.get(pk=listed.pk)
    other.user.password = make_password(None)
    other.user.save()
    from services.members.services import AlreadyRegistered

    try:
        member_register(
            mobile="13999999999", password="x-Str0ng-2026", real_name=name,
            id_number=id_number, employer=None, consent=True,
        )  # fmt: skip
    except AlreadyRegistered:
        pass
    else:  # pragma: no cover
        raise AssertionError("another mobile took over a listed record")


def test_names_must_match_the_record_and_numbers_stored_as_numbers_are_explained(
    client, plan, enterprise, reviewer
):
    import io

    import xlsxwriter

    known = make_eligible(mobile="13600000031", real_name="钱多多", employer=enterprise)
    good = person(1)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["姓名", "身份证号", "手机号"])
    sheet.write_row(1, 0, [good[0], good[1], good[2]])
    sheet.write_row(2, 0, ["钱少少", known.id_number, known.mobile])  # another name
    sheet.write_row(3, 0, ["孙数字", 330114198001010000, "13755555555"])  # typed as a number
    book.close()
    buffer.seek(0)
    buffer.name = "名单.xlsx"
    staff = login_staff(client, reviewer)
    staff.post(reverse(UPLOAD), {"plan": plan.pk, "enterprise": enterprise.pk, "file": buffer})
    roster = RosterImport.objects.get()
    refused = roster.report["refused"]
    assert [r["row"] for r in refused] == [3, 4]
    assert "姓名与门户登记的不一致" in refused[0]["reasons"][0]
    assert "钱多多" not in str(refused)  # the record's name is masked too
    assert "请把这一列设为文本" in refused[1]["reasons"][0]
    # The list links each roster's report, where it is confirmed.
    listing = staff.get(reverse("admin:mutual_aid_rosterimport_changelist")).content.decode()
    assert reverse("admin:mutual_aid_rosterimport_report", args=[roster.pk]) in listing
    report = reverse("admin:mutual_aid_rosterimport_report", args=[roster.pk])
    staff.post(report)
    again = staff.post(report, follow=True).content.decode()
    assert "这份名单已经导入。" in again


def test_a_full_id_number_in_the_coverage_search_is_not_kept(client, plan, covered, reviewer):
    staff = login_staff(client, reviewer)
    response = staff.get(
        reverse("admin:mutual_aid_coverage_changelist"), {"q": covered.id_number}, follow=True
    )
    assert covered.id_number not in response.redirect_chain[-1][0]
    assert "需要“查看完整身份证号”权限" in response.content.decode()
