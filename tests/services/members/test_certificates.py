"""Skill certificates: uploaded once by the worker, verified by staff of their street, read by
the skill award programs without a second upload."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from services.applications.models import Application, Notification, Program
from services.members.certificates import certificate_upload
from services.members.models import SkillCertificate
from services.members.services import member_anonymise
from services.tuition.models import SkillAwardRequest
from tests.conftest import login_staff
from tests.factories import TEST_PASSWORD, street_staff
from tests.services.applications.conftest import make_eligible, pdf

URL = "/me/certificates/"


def form(**changes):
    data = {
        "level": "高级工", "occupation": "电工", "certificate_number": "s 0000 3301 0000 1234",
        "issued_on": (timezone.localdate() - timedelta(days=30)).isoformat(),
        "issuer": "钱塘区职业技能等级认定中心", "file": pdf("证书.pdf", marker="cert"),
    }  # fmt: skip
    data.update(changes)
    return data


def upload(member, number="S00003301000012", marker="c"):
    return certificate_upload(
        member=member, actor=member.user, upload=pdf("c.pdf", marker=marker),
        data={"level": "高级工", "occupation": "电工", "certificate_number": number,
              "issued_on": timezone.localdate(), "issuer": "认定中心"},
    )  # fmt: skip


@pytest.fixture
def member(staff_groups):
    return make_eligible(mobile="13700000001", real_name="钱证书")


@pytest.fixture
def worker(client, member):
    client.post("/accounts/login/", {"username": member.mobile, "password": TEST_PASSWORD})
    return client


def test_a_worker_uploads_a_certificate_and_sees_it_waiting(worker, member):
    response = worker.post(URL, form())
    assert response.status_code == 302
    certificate = SkillCertificate.objects.get()
    assert certificate.member == member and certificate.status == "submitted"
    # The number as printed, with spaces and lower case, is kept in one form.
    assert certificate.certificate_number == "S0000330100001234"
    page = worker.get(URL).content.decode()
    assert "已上传，待核验" in page and "S0000330100001234" in page
    download = worker.get(reverse("members:certificate_file", args=[certificate.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert certificate.changes.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"issued_on": "2999-01-01"}, "issued_on", "发证日期不能晚于今天"),
        ({"certificate_number": "证书123"}, "certificate_number", "6 到 50 位字母、数字"),
        ({"level": "大师"}, "level", "选择一个有效的选项"),
        ({"occupation": "电" * 101}, "occupation", "100"),
        (
            {"file": SimpleUploadedFile("证书.jpg", b"just text", content_type="image/jpeg")},
            "file",
            "实际内容不是这几种格式",
        ),
    ],
)
def test_bad_input_is_told_beside_the_field_and_nothing_is_saved(worker, changes, field, message):
    response = worker.post(URL, form(**changes))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert message in response.content.decode()
    assert not SkillCertificate.objects.exists()


def test_a_number_on_record_cannot_be_uploaded_again_until_rejected(worker, member, staff_groups):
    other = make_eligible(mobile="13700000002")
    first = upload(other, number="S0000330100001234")
    response = worker.post(URL, form())
    assert response.status_code == 400
    assert "已经登记过了" in response.content.decode()
    assert SkillCertificate.objects.count() == 1
    from services.members.certificates import certificate_decide

    reviewer = street_staff("XS")
    assert certificate_decide(certificate=first, actor=reviewer, step="reject", note="非本人")
    assert worker.post(URL, form()).status_code == 302
    assert SkillCertificate.objects.filter(member=member, status="submitted").count() == 1


def test_staff_of_the_street_verify_in_the_admin_and_others_cannot_see_it(
    client, member, staff_groups
):
    certificate = upload(member)
    elsewhere = login_staff(type(client)(), street_staff("HZ"))
    change = reverse("admin:members_skillcertificate_change", args=[certificate.pk])
    decide = reverse("admin:members_skillcertificate_decide", args=[certificate.pk])
    assert elsewhere.get(change).status_code == 404
    assert elsewhere.post(decide, {"step": "verify"}).status_code == 404
    assert (
        elsewhere.get(
            reverse("admin:members_skillcertificate_file", args=[certificate.pk])
        ).status_code
        == 404
    )

    manager = login_staff(client, street_staff("XS", groups=["课程管理员"]))
    listing = manager.get(reverse("admin:members_skillcertificate_changelist")).content.decode()
    assert "S00003301000012" in listing
    # A rejection needs a reason the worker will read.
    refused = manager.post(decide, {"step": "reject", "note": ""})
    assert "请写明原因" in refused.content.decode()
    assert manager.post(decide, {"step": "verify"}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "verified" and certificate.decided_by is not None
    note = Notification.objects.filter(user=member.user).latest("pk")
    assert "已核验" in note.text
    # Verified is final: nothing more to decide.
    assert manager.post(decide, {"step": "reject", "note": "x"}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "verified"


@pytest.fixture
def skill_program(db):
    now = timezone.now()
    return Program.objects.create(
        code="RC", name="市总新时代技能人才奖励", year=now.year, kind="skill_award",
        rule_params={"amounts": {"高级工": "1000", "技师": "2000"}},
        required_proofs=["certificate"], opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30), budget=Decimal("100000"),
        per_person_cap=Decimal("3000"),
    )  # fmt: skip


def test_the_skill_award_reads_the_verified_certificate_without_a_second_upload(
    worker, member, skill_program, staff_groups
):
    apply = reverse("tuition:apply", args=[skill_program.pk])
    page = worker.get(apply).content.decode()
    assert "请先在“我的证书”上传职业技能等级证书" in page and URL in page
    certificate = upload(member)
    assert "正在核验" in worker.get(apply).content.decode()
    from services.members.certificates import certificate_decide

    assert certificate_decide(certificate=certificate, actor=street_staff("XS"), step="verify")
    page = worker.get(apply).content.decode()
    assert "S00003301000012" in page and 'type="file"' not in page
    response = worker.post(apply, {"certificate": certificate.pk, "save": "1"})
    assert response.status_code == 302
    application = Application.objects.get(applicant=member)
    details = SkillAwardRequest.objects.get(application=application)
    assert details.certificate == certificate and details.level == "高级工"
    assert application.requested_amount == Decimal("1000")
    # The certificate is not asked for again: it is not offered for upload, and the
    # application can be submitted with no file at all.
    detail = worker.get(reverse("applications:detail", args=[application.pk]))
    kinds = dict(detail.context["form"].fields["kind"].choices)
    assert "certificate" not in kinds
    text = detail.content.decode()
    assert "已从您的档案中选用，不用再上传：职业技能等级证书" in text
    assert "必须上传：职业技能等级证书" not in text
    submit = worker.post(reverse("applications:submit", args=[application.pk]))
    assert submit.status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted" and not application.attachments.exists()
    # The reviewer sees the certificate's verification with the details, and opens its file
    # from the decision page.
    assert any("证书核验" in label for label, _ in skill_program.program_type.details(application))
    staff = login_staff(type(worker)(), street_staff("XS"))
    review = staff.get(reverse("admin:applications_application_review", args=[application.pk]))
    file_url = reverse("admin:members_skillcertificate_file", args=[certificate.pk])
    assert file_url in review.content.decode()
    assert staff.get(file_url).status_code == 200


def test_another_members_or_an_unverified_certificate_cannot_be_chosen(
    worker, member, skill_program, staff_groups
):
    mine = upload(member, number="S0000000000001", marker="m")
    theirs = upload(make_eligible(mobile="13700000003"), number="S0000000000002", marker="t")
    from services.members.certificates import certificate_decide

    reviewer = street_staff("XS")
    certificate_decide(certificate=theirs, actor=reviewer, step="verify")
    apply = reverse("tuition:apply", args=[skill_program.pk])
    for chosen in (theirs.pk, mine.pk):  # someone else's; mine but not verified
        response = worker.post(apply, {"certificate": chosen, "save": "1"})
        assert response.status_code == 200
        assert not Application.objects.filter(applicant=member).exists()


def test_closing_an_account_deletes_certificates_no_award_was_paid_on(member, staff_groups):
    certificate = upload(member)
    storage, name = certificate.file.storage, certificate.file.name
    assert storage.exists(name)
    member_anonymise(member=member, actor=street_staff(None, groups=["系统管理员"]))
    assert not SkillCertificate.objects.filter(pk=certificate.pk).exists()
    assert not storage.exists(name)


def test_a_waiting_upload_can_be_withdrawn_and_frees_its_number(worker, member):
    certificate = upload(member, number="S0000000000077")
    page = worker.get(URL).content.decode()
    assert "撤回这份证书" in page
    withdraw = reverse("members:certificate_withdraw", args=[certificate.pk])
    assert worker.post(withdraw).status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "withdrawn"
    assert "S0000000000077" not in worker.get(URL).content.decode()
    again = upload(member, number="S0000000000077", marker="again")
    assert again.status == "submitted"
    # A verified one stays on the record.
    from services.members.certificates import certificate_decide

    certificate_decide(certificate=again, actor=street_staff("XS"), step="verify")
    worker.post(reverse("members:certificate_withdraw", args=[again.pk]))
    again.refresh_from_db()
    assert again.status == "verified"


def test_only_members_upload_and_not_without_end(client, member, staff_groups):
    from services.members.models import Member
    from tests.factories import MemberFactory

    stranger = MemberFactory(mobile="13700000009")  # registered, not a union member
    client.post("/accounts/login/", {"username": stranger.mobile, "password": TEST_PASSWORD})
    page = client.get(URL).content.decode()
    assert "入会后才能登记证书" in page and 'type="file"' not in page
    assert client.post(URL, form()).status_code == 400
    assert not SkillCertificate.objects.exists()
    for index in range(5):
        upload(member, number=f"S000000000010{index}", marker=f"m{index}")
    with pytest.raises(ValidationError, match="一天最多上传 5 份证书"):
        upload(member, number="S0000000000200", marker="sixth")
    assert Member.objects.get(pk=member.pk).certificates.count() == 5


def test_full_width_numbers_are_the_same_number(worker, member):
    upload(member, number="S0000000000123")
    wide = "".join(chr(ord(c) + 0xFEE0) for c in "s0000000000123")  # ｓ０００…
    response = worker.post(URL, form(certificate_number=wide))
    assert response.status_code == 400
    assert "这个证书编号已经登记过了" in response.content.decode()
