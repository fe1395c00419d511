"""A course's roster: as an Excel file (xlsxwriter) and as rows for the printed sign-in
sheet. Mobile numbers are masked; every text cell is neutralised against formulas."""

import io

from services.courses.models import EnrollmentStatus
from services.spreadsheets import neutralise_cell


def roster_rows(course):
    """The sessions, and one row per member enrolled, waitlisted or finished, with their
    attendance mark for each session (True, False, or None when not yet marked)."""
    sessions = list(course.sessions.all())
    enrollments = (
        course.enrollments.exclude(status=EnrollmentStatus.CANCELLED)
        .select_related("member")
        .prefetch_related("attendance")
        .order_by("queue_number")
    )
    rows = []
    for enrollment in enrollments:
        marks = {a.session_id: a.present for a in enrollment.attendance.all()}
        rows.append((enrollment, [marks.get(s.pk) for s in sessions]))
    return sessions, rows


def roster_xlsx(course) -> bytes:
    import xlsxwriter  # loaded when a file is made, not by every process

    sessions, rows = roster_rows(course)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = workbook.add_worksheet("roster")
    bold = workbook.add_format({"bold": True, "border": 1, "bg_color": "#EEEEEE"})
    cell = workbook.add_format({"border": 1})
    sheet.write(
        0,
        0,
        neutralise_cell(f"{course.title}  {course.venue}"),
        workbook.add_format({"bold": True, "font_size": 13}),
    )
    header = ["序号", "姓名", "手机号", "状态"] + [
        f"{s.date:%m-%d} {s.starts:%H:%M}" for s in sessions
    ]
    sheet.write_row(2, 0, header, bold)
    for index, (enrollment, marks) in enumerate(rows, start=3):
        member = enrollment.member
        values = [
            enrollment.queue_number, member.real_name, member.masked_mobile,
            enrollment.get_status_display(),
        ]  # fmt: skip
        values += ["✓" if m else ("✗" if m is False else "") for m in marks]
        sheet.write_row(
            index, 0, [neutralise_cell(v) if isinstance(v, str) else v for v in values], cell
        )
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 3, 14)
    sheet.set_column(4, 4 + len(sessions), 11)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(2)
    workbook.close()
    return buffer.getvalue()
