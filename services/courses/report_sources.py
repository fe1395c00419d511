"""Live sources over the skills courses, for the annual report's figures.

The year is the year of the course's program (家门口学技能 2026). The training-fee subsidies
paid are a ledger source (``ledger.paid_amount`` with the course program type).
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy

from reports.sources import COUNT, LiveSource, register_source
from services.courses.models import Course, CourseStatus, Enrollment, EnrollmentStatus


def courses_run(year: int, option: str) -> Decimal:
    held = Course.objects.filter(program__year=year).exclude(
        status__in=(CourseStatus.DRAFT, CourseStatus.CANCELLED)
    )
    return Decimal(held.count())


def completions(year: int, option: str) -> Decimal:
    done = Enrollment.objects.filter(course__program__year=year, status=EnrollmentStatus.COMPLETED)
    return Decimal(done.count())


SOURCES = [
    LiveSource(
        key="courses.held",
        label=gettext_lazy("开设的技能课程门数"),
        doc=gettext_lazy("该年度课程项目中已公开的课程门数（草稿和已取消的不算）。"),
        measure=COUNT,
        compute=courses_run,
    ),
    LiveSource(
        key="courses.completions",
        label=gettext_lazy("技能课程结业人次"),
        doc=gettext_lazy("该年度课程项目中结业的报名人次（一人结业两门课算两次）。"),
        measure=COUNT,
        compute=completions,
    ),
]


def register() -> None:
    for source in SOURCES:
        register_source(source)
