import io

import pytest
import xlsxwriter

from services.mutual_aid.models import Plan, PlanKind
from services.mutual_aid.roster import coverage_add
from services.mutual_aid.seed import seed_plans
from tests.factories import EnterpriseFactory, make_id_number, street_staff
from tests.services.applications.conftest import make_eligible


def roster_file(rows, name="名单.xlsx", header=("序号", "姓名", "身份证号", "手机号")):
    """An employer's roster as Excel: a title line, the header, then the rows."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["2026年职工医疗互助参保名单"])
    sheet.write_row(1, 0, header)
    for index, row in enumerate(rows, start=2):
        sheet.write_row(index, 0, [index - 1, *row])
    book.close()
    buffer.seek(0)
    buffer.name = name
    return buffer


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


def chinese_name(index: int) -> str:
    """A distinct two- or three-character name for each index."""
    name = SURNAMES[index % len(SURNAMES)]
    index //= len(SURNAMES)
    while True:
        name += GIVEN[index % len(GIVEN)]
        index //= len(GIVEN)
        if not index:
            return name


def person(index, *, female=False):
    """A valid name, ID number and mobile for roster row ``index``."""
    sequence = (index % 500) * 2 + (0 if female else 1)
    birth = f"{1970 + index // 500}0101"
    return (chinese_name(index), make_id_number("330114", birth, sequence), f"1370{index:07d}")


@pytest.fixture
def plans(staff_groups):
    seed_plans()
    return {plan.kind: plan for plan in Plan.objects.select_related("program")}


@pytest.fixture
def plan(plans):
    return plans[PlanKind.INPATIENT]


@pytest.fixture
def enterprise(db):
    return EnterpriseFactory(name="钱塘精密制造有限公司")


@pytest.fixture
def reviewer(staff_groups):
    return street_staff("XS")


@pytest.fixture
def approver(staff_groups):
    return street_staff(None, groups=["区总复审员"])


@pytest.fixture
def covered(plan, enterprise, approver):
    member = make_eligible(mobile="13600000001", real_name="住院甲", employer=enterprise)
    coverage_add(
        plan=plan, member=member, enterprise=enterprise, actor=approver,
        starts_on=plan.cover_starts,
    )  # fmt: skip
    return member
