"""Retention (services/retention.py) with the clock moved on (time-machine): what is due goes,
what is not stays, a second run changes nothing, and a run stopped half way is finished by
the next one."""

import contextlib
from datetime import timedelta

import time_machine
from axes.models import AccessAttempt
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from services import retention
from services.applications.models import Application, Attachment, ExportJob, NoticeEntry
from services.applications.notices import notice_create
from services.members.models import AuditEvent, Member, SmsCode
from tests.factories import street_staff
from tests.services.applications.conftest import (
    approved,
    draft,
    make_eligible,
    program,
    submitted,
    take,
    with_proofs,
)

__all__ = ["program"]


def files_of(*applications) -> list[str]:
    return list(
        Attachment.objects.filter(application__in=applications).values_list("file", flat=True)
    )


def test_what_is_due_goes_and_nothing_else(
    program, staff_groups, django_capture_on_commit_callbacks
):
    reviewer, approver = street_staff("XS"), street_staff(None, groups=["区总复审员"])
    program.requires_notice = True
    program.save()
    rejected = submitted(program, make_eligible(mobile="13922220001"))
    assert take(rejected, reviewer, "reject", note="不符合条件")
    paid = approved(program, make_eligible(mobile="13922220002", real_name="张保留"), reviewer,
                    approver)  # fmt: skip
    abandoned = with_proofs(draft(program, make_eligible(mobile="13922220003")))
    kept_files = files_of(paid)
    gone_files = files_of(rejected, abandoned)
    notice = notice_create(
        program=program, title="公示", starts_at=timezone.now(),
        ends_at=timezone.now() + timedelta(days=7), objection_contact="区总工会", actor=approver,
    )  # fmt: skip
    export = ExportJob.objects.create(
        list_name="members.member", title="导出", requested_by=approver
    )
    export.file.save("x.xlsx", ContentFile(b"xlsx"))
    AccessAttempt.objects.create(
        username="13900000000", ip_address="10.0.0.9", failures_since_start=1
    )
    SmsCode.objects.create(
        mobile="13900000000", purpose="login", code_hash="x",
        expires_at=timezone.now() + timedelta(minutes=10),
    )  # fmt: skip
    stray = default_storage.save("private/applications/left-behind", ContentFile(b"%PDF"))
    audit_rows = AuditEvent.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        assert sum(retention.apply_retention().values()) == 0  # nothing is due today

    with time_machine.travel(timezone.now() + timedelta(days=800)):
        with django_capture_on_commit_callbacks(execute=True):
            done = retention.apply_retention()
        assert done["closed applications"] >= 2 and done["unused uploads"] == 2
        assert done["exports"] == 1 and done["public notices"] == 1
        # (inside the test's transaction the files of deleted rows wait for its end, so the
        # stray-file rule meets them too; in a real run only the file left behind)
        assert done["login records"] >= 2 and done["stray files"] >= 1
        with django_capture_on_commit_callbacks(execute=True):
            assert sum(retention.apply_retention().values()) == 0  # idempotent

    assert all(default_storage.exists(name) for name in kept_files)
    assert not any(default_storage.exists(name) for name in [*gone_files, stray])
    assert Application.objects.filter(pk=rejected.pk, amount_reason="").exists()  # counted
    assert not NoticeEntry.objects.filter(notice=notice).exists()
    assert not ExportJob.objects.exists() and not SmsCode.objects.exists()
    assert not AccessAttempt.objects.exists()
    assert Member.objects.get(pk=paid.applicant_id).real_name == "张保留"  # accounting record
    assert AuditEvent.objects.count() >= audit_rows  # the log is never purged


def test_a_run_stopped_half_way_is_finished_by_the_next(
    program, staff_groups, django_capture_on_commit_callbacks, monkeypatch
):
    reviewer = street_staff("XS")
    applications = []
    for index in range(3):
        application = submitted(program, make_eligible(mobile=f"1392222010{index}"))
        assert take(application, reviewer, "reject", note="不符合条件")
        applications.append(application)
    names = files_of(*applications)
    later = timezone.now() + timedelta(days=800)
    monkeypatch.setattr(retention, "BATCH", 1)
    monkeypatch.setattr(retention, "_remove_files", lambda names: None)  # killed after commit
    calls = []
    real_delete = retention._delete_attachments

    def dies_in_the_second_batch(batch):
        calls.append(batch)
        if len(calls) == 2:
            raise SystemExit  # the process stops half way through the second batch
        real_delete(batch)

    monkeypatch.setattr(retention, "_delete_attachments", dies_in_the_second_batch)
    with (
        time_machine.travel(later),
        django_capture_on_commit_callbacks(execute=True),
        contextlib.suppress(SystemExit),
    ):
        retention.apply_retention()
    assert Attachment.objects.filter(file__in=names).count() == len(names) - 1
    assert all(default_storage.exists(name) for name in names)  # files not removed yet
    monkeypatch.undo()
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        retention.apply_retention()
    assert not Attachment.objects.filter(file__in=names).exists()
    assert not any(default_storage.exists(name) for name in names)


def test_a_closed_account_that_was_paid_is_forgotten_after_thirty_years(
    program, staff_groups, django_capture_on_commit_callbacks
):
    from services.members.services import closure_request_submit

    reviewer, approver = street_staff("XS"), street_staff(None, groups=["区总复审员"])
    sysadmin = street_staff(None, groups=["系统管理员"])
    from services.applications.ledger import payment_batch_build, payment_line_record

    finance = street_staff(None, groups=["财务"])
    member = make_eligible(mobile="13922220301", real_name="王三十")
    approved(program, member, reviewer, approver)
    batch = payment_batch_build(program=program, actor=finance)
    batch.exported_at = batch.created_at
    batch.save()
    payment_line_record(line=batch.lines.get(), paid=True, actor=finance)
    closure = closure_request_submit(member=member, actor=member.user, reason="")
    assert take(closure, sysadmin, "close")
    assert Member.objects.get(pk=member.pk).real_name == "王三十"  # kept with the payment
    later = timezone.now() + timedelta(days=365 * 31)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        assert retention.apply_retention()["closed accounts"] == 1
    forgotten = Member.objects.get(pk=member.pk)
    assert forgotten.real_name == "已注销" and forgotten.id_number == ""


def test_a_withdrawn_application_is_kept_730_days_from_its_withdrawal(
    program, staff_groups, django_capture_on_commit_callbacks
):
    application = submitted(program, make_eligible(mobile="13922220401"))
    submitted_on = timezone.now()
    with time_machine.travel(submitted_on + timedelta(days=100)):
        assert take(application, application.applicant.user, "withdraw")
    names = files_of(application)
    with time_machine.travel(submitted_on + timedelta(days=760)):  # 660 after the withdrawal
        with django_capture_on_commit_callbacks(execute=True):
            retention.apply_retention()
        assert all(default_storage.exists(name) for name in names)
    later = submitted_on + timedelta(days=840)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        retention.apply_retention()
    assert not any(default_storage.exists(name) for name in names)
