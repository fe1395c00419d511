"""The 35 doorstep courses of the 2023 report (家门口学技能: 35 offline courses, training fees
paid for 2,010 workers, 100 万元), as this year's starting data: spread over the seven
streets and over the months around today, so some are finished, some open. The figures
(capacity, fee, subsidy) are starting values staff edit in the admin."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from services.applications.models import Program
from services.courses.models import Category, Course, CourseStatus, Session
from services.members.models import Street

CATEGORIES = [
    Category.ELECTRICIAN, Category.WELDER, Category.CHILDCARE, Category.COOKING,
    Category.ECOMMERCE, Category.CNC, Category.PHARMA, Category.ELDERCARE,
    Category.HAIRDRESSING,
]  # fmt: skip
PROVIDERS = ["钱塘区职业技能培训中心", "浙江省技师学院钱塘教学点", "钱塘区社区学院", "下沙职工学校"]
LEVELS = ["初级", "中级", "高级"]
COUNT = 35


def course_program(year: int) -> Program:
    tz = timezone.get_current_timezone()
    program, _created = Program.objects.get_or_create(
        code="JMK", year=year, batch=1,
        defaults={
            "name": "家门口学技能培训补贴", "kind": "course",
            "description": "在家门口、厂门口参加技能培训，结业后补贴培训费。",
            "eligibility_text": "已核实的工会会员，课程出勤达到结业要求。",
            "opens_at": timezone.make_aware(datetime(year, 1, 1), tz),
            "closes_at": timezone.make_aware(datetime(year, 12, 31, 23, 59, 59), tz),
            "budget": Decimal("1000000"), "per_person_cap": Decimal("3000"),
            "min_membership_months": 0,
        },
    )  # fmt: skip
    return program


def seed_courses(today: date | None = None) -> list[Course]:
    """Create this year's 35 courses if the year has none; never touches existing ones."""
    today = today or timezone.localdate()
    program = course_program(today.year)
    if program.courses.exists():
        return []
    streets = list(Street.objects.order_by("order"))
    tz = timezone.get_current_timezone()
    created = []
    with transaction.atomic():
        for index in range(COUNT):
            street = streets[index % len(streets)]
            category = CATEGORIES[index % len(CATEGORIES)]
            # From about six months ago to five months ahead, a course every five days.
            first = today + timedelta(days=5 * (index - 17))
            saturday = first + timedelta(days=(5 - first.weekday()) % 7)
            fee = Decimal(1200 + 100 * (index % 8))
            finished = saturday + timedelta(weeks=3) < today
            course = Course.objects.create(
                program=program,
                title=f"{category.label}（{LEVELS[index % 3]}）培训班 第{index // 9 + 1}期",
                category=category,
                provider=PROVIDERS[index % len(PROVIDERS)],
                description=f"{category.label}技能培训，共四次课，理论与实操结合。",
                street=street,
                venue=f"{street.name}职工服务中心",
                address=f"杭州市钱塘区{street.name}职工服务中心二楼培训室",
                capacity=20 + 5 * (index % 5),
                fee=fee,
                subsidy=(fee / 2).quantize(Decimal("1")),
                enrol_opens_at=timezone.make_aware(
                    datetime.combine(saturday - timedelta(days=40), time(9)), tz
                ),
                enrol_closes_at=timezone.make_aware(
                    datetime.combine(saturday - timedelta(days=2), time(18)), tz
                ),
                status=CourseStatus.FINISHED if finished else CourseStatus.OPEN,
                certificate_exam=index % 3 == 1,
            )
            evening = index % 2
            for week in range(4):
                Session.objects.create(
                    course=course,
                    date=saturday + timedelta(weeks=week),
                    starts=time(19) if evening else time(9),
                    ends=time(21) if evening else time(11, 30),
                )
            created.append(course)
    return created
