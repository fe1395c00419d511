"""Keeping personal data no longer than the privacy notice says (PIPL art. 19, 47).

`manage.py apply_retention` (run it daily: cron or a systemd timer) applies each rule below.
A rule takes what is due in batches, each in its own transaction, files removed after the
commit; stopped half way (a restart, a crash), the next run takes what is left, and a file
whose row went but which was not removed is found by the last rule. Running it twice changes
nothing the second time. The periods are settings (README, Configuration):

- closed applications: the proofs of rejected and withdrawn applications and what the worker
  wrote (the row stays, for the counts), ``PORTAL_KEEP_CLOSED_APPLICATION_DAYS`` (730) after
  the last step (the decision, or the withdrawal);
- unused uploads: proofs on drafts nobody submitted, ``PORTAL_KEEP_DRAFT_UPLOAD_DAYS`` (90)
  after the upload;
- exports: the staff's Excel exports, ``PORTAL_KEEP_EXPORT_DAYS`` (7);
- public notices: the names, employers and amounts of a notice (公示),
  ``PORTAL_KEEP_NOTICE_DAYS`` (30) after its end;
- login records: django-axes' attempts and logs ``PORTAL_KEEP_LOGIN_RECORD_DAYS`` (90),
  text-message codes a day after they expired, expired sessions;
- closed accounts: the name, ID number and birth date of a closed account that was paid,
  30 years after its last payment record (会计档案管理办法);
- stray files: private files no row refers to, a day old.

The audit log is never purged by the application (it is append-only); the payment records
of a paid application are accounting records and stay with their proofs for 30 years.
"""

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

logger = logging.getLogger(__name__)

BATCH = 500
ACCOUNTING_YEARS = 30


@dataclass(frozen=True)
class Rule:
    name: str
    run: Callable[[object], int]


def _days(name: str) -> timedelta:
    return timedelta(days=getattr(settings, name))


def _in_batches(queryset, apply: Callable[[list], None], *, lock: bool = True) -> int:
    """Apply to what is due, a batch per transaction, until nothing is due. Rows another run
    holds are skipped (two runs at once do each row once)."""
    done = 0
    while True:
        with transaction.atomic():
            if lock:
                queryset = queryset.select_for_update(skip_locked=True, of=("self",))
            batch = list(queryset[:BATCH])
            if not batch:
                return done
            apply(batch)
        done += len(batch)


def _remove_files(names: list[str]) -> None:
    def remove():
        for name in names:
            if name:
                default_storage.delete(name)

    transaction.on_commit(remove)


def _delete_attachments(attachments: list) -> None:
    from services.applications.models import Attachment

    _remove_files([attachment.file.name for attachment in attachments])
    Attachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).delete()


def closed_applications(now) -> int:
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import OuterRef, Subquery

    from services.applications.models import Application, Attachment, StatusChange

    # Closed when it reached its last status (a withdrawal has no decision time).
    last_step = (
        StatusChange.objects.filter(
            content_type=ContentType.objects.get_for_model(Application), object_id=OuterRef("pk")
        )
        .order_by("-at", "-id")
        .values("at")[:1]
    )
    closed = Application.objects.alias(
        closed_at=Coalesce(Subquery(last_step), "decided_at", "submitted_at", "created_at")
    ).filter(
        status__in=("rejected", "withdrawn"),
        closed_at__lt=now - _days("PORTAL_KEEP_CLOSED_APPLICATION_DAYS"),
    )
    files = _in_batches(
        Attachment.objects.filter(application__in=closed).order_by("pk"), _delete_attachments
    )
    return files + _in_batches(
        closed.exclude(amount_reason="").order_by("pk"),
        lambda batch: Application.objects.filter(pk__in=[a.pk for a in batch]).update(
            amount_reason=""
        ),
    )


def draft_uploads(now) -> int:
    from services.applications.models import Attachment

    stale = Attachment.objects.filter(
        application__status="draft",
        uploaded_at__lt=now - _days("PORTAL_KEEP_DRAFT_UPLOAD_DAYS"),
    ).order_by("pk")
    return _in_batches(stale, _delete_attachments)


def exports(now) -> int:
    from services.applications.models import ExportJob

    def remove(jobs):
        _remove_files([job.file.name for job in jobs])
        ExportJob.objects.filter(pk__in=[job.pk for job in jobs]).delete()

    old = ExportJob.objects.filter(created_at__lt=now - _days("PORTAL_KEEP_EXPORT_DAYS"))
    return _in_batches(old.order_by("pk"), remove)


def notices(now) -> int:
    from services.applications.models import NoticeEntry

    ended = NoticeEntry.objects.filter(
        notice__ends_at__lt=now - _days("PORTAL_KEEP_NOTICE_DAYS")
    ).order_by("pk")
    return _in_batches(
        ended, lambda batch: NoticeEntry.objects.filter(pk__in=[e.pk for e in batch]).delete()
    )


def login_records(now) -> int:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.sessions.models import Session

    from services.members.models import SmsCode

    before = now - _days("PORTAL_KEEP_LOGIN_RECORD_DAYS")
    removed = 0
    for model, field in ((AccessAttempt, "attempt_time"), (AccessFailureLog, "attempt_time"),
                         (AccessLog, "attempt_time")):  # fmt: skip
        old = model.objects.filter(**{f"{field}__lt": before}).order_by("pk")
        removed += _in_batches(
            old, lambda batch, model=model: model.objects.filter(
                pk__in=[row.pk for row in batch]
            ).delete()
        )  # fmt: skip
    spent = SmsCode.objects.filter(expires_at__lt=now - timedelta(days=1)).order_by("pk")
    removed += _in_batches(
        spent, lambda batch: SmsCode.objects.filter(pk__in=[c.pk for c in batch]).delete()
    )
    return removed + Session.objects.filter(expire_date__lt=now).delete()[0]


def closed_accounts(now) -> int:
    from django.db.models import Max

    from services.members.models import Member
    from services.members.services import forget_identity

    over = now - timedelta(days=365 * ACCOUNTING_YEARS + ACCOUNTING_YEARS // 4)
    due = (
        Member.objects.filter(closed_at__isnull=False)
        .exclude(real_name=str(_forgotten_name()))
        .annotate(last_paid=Max("ledger_entries__created_at"))
        .filter(last_paid__lt=over)
        .order_by("pk")
    )

    def forget(members):
        for member in Member.objects.select_for_update().filter(pk__in=[m.pk for m in members]):
            forget_identity(member)
            member.save()

    return _in_batches(due, forget, lock=False)


def _forgotten_name():
    from django.utils.translation import gettext

    return gettext("已注销")


def stray_files(now) -> int:
    """Private files no row refers to (their row went and the run stopped before the file)."""
    from services.applications.models import Attachment, ExportJob
    from services.hardship.models import HouseholdVisit
    from services.members.models import SkillCertificate
    from services.mutual_aid.models import RosterImport

    known = set()
    for model, field in ((Attachment, "file"), (ExportJob, "file"), (HouseholdVisit, "photo"),
                         (SkillCertificate, "file"), (RosterImport, "file")):  # fmt: skip
        known.update(model.objects.exclude(**{field: ""}).values_list(field, flat=True))
    removed = 0
    day_ago = now - timedelta(days=1)
    for name in _private_files("private"):
        if name in known:
            continue
        if default_storage.get_modified_time(name) < day_ago:
            default_storage.delete(name)
            removed += 1
    return removed


def _private_files(folder: str):
    try:
        folders, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _private_files(os.path.join(folder, sub))


RULES = [
    Rule("closed applications", closed_applications),
    Rule("unused uploads", draft_uploads),
    Rule("exports", exports),
    Rule("public notices", notices),
    Rule("login records", login_records),
    Rule("closed accounts", closed_accounts),
    Rule("stray files", stray_files),
]


def apply_retention(now=None) -> dict[str, int]:
    """Every rule once; what each removed or made anonymous."""
    now = now or timezone.now()
    done = {}
    for rule in RULES:
        done[rule.name] = rule.run(now)
        logger.info("retention: %s, %s", rule.name, done[rule.name])
    return done
