"""An employer's roster for a mutual-aid plan: read, checked row by row, reported, then saved
in one transaction.

The roster is an Excel sheet with the columns 姓名, 身份证号 and 手机号 (read with
python-calamine: fast, and no formula ever runs). Every row is checked before anything is
saved: the name and the ID number are valid (the ID by GB 11643), the mobile is valid, the
person appears once in the file, is not already covered by the plan, and, when already a
member of the portal, works for this employer (or has no employer on record). A person not
yet on the portal is created as a pending member (尚未入会) with no password: registering
later with the same ID number and mobile takes the record over.

The checks are done in bulk (a query per thousand ID numbers, not one per row), so a roster
of 40,000 rows is checked and saved in seconds; ``bench/roster_import.py`` measures it.
Rosters of more than ``SYNC_ROWS`` rows are checked and saved by the task worker, with the
progress kept on the ``RosterImport`` row for the page to show.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from python_calamine import CalamineError, CalamineWorkbook

from services.members.models import Member
from services.members.pii import blind_index, mask_id_number, mask_name
from services.members.selectors import staff_may
from services.members.validators import (
    birth_date_of,
    sex_of,
    validate_id_number,
    validate_mobile,
    validate_real_name,
)
from services.mutual_aid.models import Coverage, PlanKind, RosterImport

MAX_ROWS = 60_000
SYNC_ROWS = 2_000  # larger rosters go to the task worker
CHUNK = 1_000
REPORT_ROWS = 1_000  # refused rows kept for the page; the counts are always complete
COLUMNS = {"name": "姓名", "id_number": "身份证号", "mobile": "手机号"}
NUMBER_CELL_HINT = gettext_lazy(
    "身份证号被 Excel 存成了数字，末几位已经丢失：请把这一列设为文本，重新填写后上传"
)


@dataclass
class Row:
    number: int  # the row number in the sheet, as Excel shows it
    name: str
    id_number: str
    mobile: str
    id_was_number: bool = False  # Excel kept the ID as a number: its last digits are lost


@dataclass
class Checked:
    accepted: list[tuple[Row, int | None]] = field(default_factory=list)  # row, member id
    refused: list[dict] = field(default_factory=list)
    total: int = 0


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_roster(upload) -> list[Row]:
    """The rows of the first sheet under its header; ``ValidationError`` when it cannot be
    read or the header is missing."""
    try:
        upload.seek(0)
        sheet = CalamineWorkbook.from_filelike(upload).get_sheet_by_index(0).to_python()
    except (CalamineError, ValueError, OSError, IndexError) as error:
        raise ValidationError(
            _("无法读取这个文件；请上传 Excel 文件（.xlsx 或 .xls）。"), code="unreadable"
        ) from error
    header_at = next(
        (i for i, row in enumerate(sheet[:20]) if set(COLUMNS.values()) <= {_text(c) for c in row}),
        None,
    )
    if header_at is None:
        raise ValidationError(
            _("文件中找不到表头：需要“姓名”“身份证号”“手机号”三列。"), code="header"
        )
    header = [_text(c) for c in sheet[header_at]]
    at = {key: header.index(title) for key, title in COLUMNS.items()}
    rows = []
    for number, cells in enumerate(sheet[header_at + 1 :], start=header_at + 2):
        values = {key: _text(cells[i]) if i < len(cells) else "" for key, i in at.items()}
        if not any(values.values()):
            continue  # blank lines
        raw_id = cells[at["id_number"]] if at["id_number"] < len(cells) else ""
        rows.append(Row(number, **values, id_was_number=isinstance(raw_id, int | float)))
        if len(rows) > MAX_ROWS:
            raise ValidationError(
                _("一份名单最多 %(n)s 行，请分成几份上传。") % {"n": f"{MAX_ROWS:,}"},
                code="too_many",
            )
    if not rows:
        raise ValidationError(_("名单里没有数据行。"), code="empty")
    return rows


def check_rows(*, plan, enterprise, rows: list[Row], progress=None) -> Checked:
    """Every row accepted (with the member it is, or None for a new one) or refused with its
    reasons. ``progress(done)`` is called every thousand rows."""
    result = Checked(total=len(rows))
    female_only = plan.kind == PlanKind.FEMALE_CANCER
    valid: list[tuple[Row, str]] = []
    seen_ids: dict[str, int] = {}
    seen_mobiles: dict[str, int] = {}
    for row in rows:
        reasons = []
        try:
            row.name = validate_real_name(row.name)
        except ValidationError as error:
            reasons.append(_("姓名：%(why)s") % {"why": error.messages[0]})
        try:
            row.id_number = validate_id_number(row.id_number)
        except ValidationError as error:
            if row.id_was_number:
                reasons.append(str(NUMBER_CELL_HINT))
            else:
                reasons.append(_("身份证号：%(why)s") % {"why": error.messages[0]})
        else:
            if row.id_number in seen_ids:
                reasons.append(_("身份证号与第 %(row)s 行重复") % {"row": seen_ids[row.id_number]})
            seen_ids.setdefault(row.id_number, row.number)
        try:
            row.mobile = validate_mobile(row.mobile)
        except ValidationError as error:
            reasons.append(_("手机号：%(why)s") % {"why": error.messages[0]})
        else:
            if row.mobile in seen_mobiles:
                reasons.append(_("手机号与第 %(row)s 行重复") % {"row": seen_mobiles[row.mobile]})
            seen_mobiles.setdefault(row.mobile, row.number)
        if not reasons and female_only and sex_of(row.id_number) != "F":
            reasons.append(_("本计划只接受女职工"))
        if reasons:
            _refuse(result, row, reasons)
        else:
            valid.append((row, blind_index(row.id_number)))
    for start in range(0, len(valid), CHUNK):
        chunk = valid[start : start + CHUNK]
        known = {
            m["id_number_index"]: m
            for m in Member.objects.filter(
                id_number_index__in=[index for _row, index in chunk]
            ).values("id", "id_number_index", "employer_id", "mobile", "real_name")
        }
        covered = set(
            Coverage.objects.filter(
                plan=plan, member_id__in=[m["id"] for m in known.values()]
            ).values_list("member_id", flat=True)
        )
        new_mobiles = [row.mobile for row, index in chunk if index not in known]
        mobiles_taken = set(
            Member.objects.filter(mobile__in=new_mobiles).values_list("mobile", flat=True)
        )
        for row, index in chunk:
            member = known.get(index)
            if member is None:
                if row.mobile in mobiles_taken:
                    _refuse(result, row, [_("手机号已被另一位职工使用，请核对")])
                else:
                    result.accepted.append((row, None))
            elif member["id"] in covered:
                _refuse(result, row, [_("已在本计划的参保名单中")])
            elif member["real_name"] != row.name:
                _refuse(result, row, [
                    _("姓名与门户登记的不一致（门户登记为 %(name)s），请核对")
                    % {"name": mask_name(member["real_name"])}
                ])  # fmt: skip
            elif member["employer_id"] not in (None, enterprise.pk):
                _refuse(result, row, [_("该职工在门户登记的工作单位不是本单位，请核对")])
            else:
                result.accepted.append((row, member["id"]))
        if progress is not None:
            progress(min(start + CHUNK, len(valid)))
    return result


def _refuse(result: Checked, row: Row, reasons: list[str]) -> None:
    if len(result.refused) < REPORT_ROWS:
        result.refused.append({
            "row": row.number, "name": mask_name(row.name),
            "id_number": mask_id_number(row.id_number) if len(row.id_number) == 18 else "",
            "reasons": reasons,
        })  # fmt: skip
    else:
        result.refused.append({})  # counted, not kept


def _check_staff(plan, enterprise, actor) -> None:
    if not staff_may(actor, "mutual_aid.add_rosterimport", enterprise.street_id):
        raise PermissionDenied(_("您没有为这家单位导入参保名单的权限。"))


def cover_start(plan, starts_on=None):
    """The first day of cover: the day given (by default today), never outside the plan's
    cover period."""
    day = starts_on or timezone.localdate()
    return min(max(day, plan.cover_starts), plan.cover_ends)


def roster_upload(*, plan, enterprise, upload, actor, starts_on=None) -> RosterImport:
    """Keep the file and check it: at once for a small roster, by the task worker for a big
    one. Nothing is covered until ``roster_save``."""
    _check_staff(plan, enterprise, actor)
    rows = read_roster(upload)
    roster = RosterImport.objects.create(
        plan=plan, enterprise=enterprise, file=upload, original_name=upload.name[:120],
        rows_total=len(rows), created_by=actor, starts_on=starts_on,
    )  # fmt: skip
    if len(rows) > SYNC_ROWS:
        from services.mutual_aid.tasks import check_roster_task

        transaction.on_commit(lambda: check_roster_task.enqueue(roster.pk))
    else:
        roster_check(roster=roster, rows=rows)
    return roster


def roster_check(*, roster: RosterImport, rows: list[Row] | None = None) -> RosterImport:
    if rows is None:
        with roster.file.open("rb") as handle:
            rows = read_roster(handle)

    def progress(done):
        RosterImport.objects.filter(pk=roster.pk).update(rows_done=done)

    checked = check_rows(
        plan=roster.plan, enterprise=roster.enterprise, rows=rows, progress=progress
    )
    roster.rows_total, roster.rows_done = checked.total, checked.total
    roster.accepted, roster.refused = len(checked.accepted), len(checked.refused)
    roster.report = {"refused": sorted((r for r in checked.refused if r), key=lambda r: r["row"])}
    roster.status = RosterImport.Status.CHECKED
    roster.save(
        update_fields=["rows_total", "rows_done", "accepted", "refused", "report", "status"]
    )
    return roster


def roster_failed(*, roster_id: int, reason: str) -> None:
    """The task worker could not read or save the roster: the page says why."""
    RosterImport.objects.filter(pk=roster_id).update(
        status=RosterImport.Status.FAILED, report={"error": reason}
    )


def roster_confirm(*, roster: RosterImport, actor) -> int | None:
    """Staff confirm a checked roster: a small one is saved at once (the number covered is
    returned), a big one by the task worker (``None``; the page shows 正在导入)."""
    _check_staff(roster.plan, roster.enterprise, actor)
    if roster.rows_total <= SYNC_ROWS:
        return roster_save(roster=roster, actor=actor)
    claimed = RosterImport.objects.filter(pk=roster.pk, status=RosterImport.Status.CHECKED).update(
        status=RosterImport.Status.SAVING
    )
    if not claimed:
        raise ValidationError(_("这份名单已经导入或正在导入。"), code="saved")
    from services.mutual_aid.tasks import save_roster_task

    transaction.on_commit(lambda: save_roster_task.enqueue(roster.pk, actor.pk))
    return None


def roster_save(*, roster: RosterImport, actor) -> int:
    """Cover every accepted row, in one transaction: the file is checked again under a lock
    on the roster, so a roster is saved once and nothing is half-saved."""
    _check_staff(roster.plan, roster.enterprise, actor)
    User = get_user_model()
    with transaction.atomic():
        roster = RosterImport.objects.select_for_update().get(pk=roster.pk)
        if roster.status == RosterImport.Status.SAVED:
            raise ValidationError(_("这份名单已经导入。"), code="saved")
        if roster.status not in (RosterImport.Status.CHECKED, RosterImport.Status.SAVING):
            raise ValidationError(_("这份名单还没检查完，不能导入。"), code="not_checked")
        with roster.file.open("rb") as handle:
            rows = read_roster(handle)
        checked = check_rows(plan=roster.plan, enterprise=roster.enterprise, rows=rows)
        new = [row for row, member_id in checked.accepted if member_id is None]
        try:
            users = User.objects.bulk_create(
                User(username=row.mobile, password=make_password(None)) for row in new
            )
        except IntegrityError as error:
            raise ValidationError(
                _("名单中有手机号已被其他账号使用，请重新检查名单。"), code="taken"
            ) from error
        members = Member.objects.bulk_create(
            Member(
                user=user, real_name=row.name, id_number=row.id_number,
                id_number_index=blind_index(row.id_number),
                id_number_masked=mask_id_number(row.id_number),
                birth_date=birth_date_of(row.id_number), sex=sex_of(row.id_number),
                mobile=row.mobile, employer=roster.enterprise, street=roster.enterprise.street,
                registered_by=actor,
            )
            for user, row in zip(users, new, strict=True)
        )  # fmt: skip
        created = iter(members)
        starts = cover_start(roster.plan, roster.starts_on)
        Coverage.objects.bulk_create(
            Coverage(
                plan=roster.plan, enterprise=roster.enterprise, roster=roster, starts_on=starts,
                member_id=member_id if member_id is not None else next(created).pk,
            )
            for _row, member_id in checked.accepted
        )  # fmt: skip
        roster.status = RosterImport.Status.SAVED
        roster.saved_at = timezone.now()
        roster.accepted, roster.refused = len(checked.accepted), len(checked.refused)
        roster.save(update_fields=["status", "saved_at", "accepted", "refused"])
    return len(checked.accepted)


def coverage_add(*, plan, member, enterprise, actor, starts_on=None) -> Coverage:
    """One member covered by hand (a late joiner of a roster already saved); the same checks
    as a roster row."""
    _check_staff(plan, enterprise, actor)
    if Coverage.objects.filter(plan=plan, member=member).exists():
        raise ValidationError(_("已在本计划的参保名单中。"), code="covered")
    if member.employer_id not in (None, enterprise.pk):
        raise ValidationError(_("该职工在门户登记的工作单位不是本单位，请核对。"), code="employer")
    if plan.kind == PlanKind.FEMALE_CANCER and member.sex != "F":
        raise ValidationError(_("本计划只接受女职工。"), code="female_only")
    return Coverage.objects.create(
        plan=plan, member=member, enterprise=enterprise, starts_on=cover_start(plan, starts_on)
    )
