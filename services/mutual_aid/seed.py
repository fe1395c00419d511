"""The year's mutual-aid plans as data staff then edit: the figures below are starting values
(staff enter the official premium, caps and ratios in the admin; the rules are checked when
they save). Claims for a year's cover are taken until 31 March of the next year."""

from datetime import date, datetime, time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from services.applications.models import Program
from services.mutual_aid.models import Plan, PlanKind

PLANS = [
    {
        "code": "HZ-ZY", "kind": PlanKind.INPATIENT, "name": "职工住院医疗互助",
        "description": "二级及以上医院住院，基本医保报销后个人自付的合规费用，"
        "以及特殊病种门诊费用，超过起付线的部分按医院级别比例给付。",
        "rule_params": {"deductible": "500", "ratios": {"二级": "0.5", "三级": "0.4"},
                        "per_claim_cap": "20000"},
        "per_person_cap": "30000", "budget": "500000", "premium": "30", "district_share": "0.5",
    },
    {
        "code": "HZ-ZB", "kind": PlanKind.MAJOR_ILLNESS, "name": "职工重大疾病互助",
        "description": "确诊所列重大疾病的定额给付，另加住院津贴。",
        "rule_params": {"daily_allowance": "50", "max_days": 30,
                        "lump_sums": {"恶性肿瘤": "10000", "急性心肌梗塞": "8000",
                                      "脑中风后遗症": "8000", "尿毒症": "10000"}},
        "per_person_cap": "20000", "budget": "150000", "premium": "20", "district_share": "0.5",
    },
    {
        "code": "HZ-NZ", "kind": PlanKind.FEMALE_CANCER, "name": "女职工特定癌症互助",
        "description": "女职工确诊乳腺癌、宫颈癌、卵巢癌或子宫内膜癌的定额给付。",
        "rule_params": {"lump_sums": {"乳腺癌": "10000", "宫颈癌": "10000", "卵巢癌": "10000",
                                      "子宫内膜癌": "10000"}},
        "per_person_cap": "10000", "budget": "80000", "premium": "10", "district_share": "1",
    },
]  # fmt: skip


def seed_plans(year: int | None = None) -> list[Plan]:
    """This year's plans, if they are not there; existing ones are never touched."""
    year = year or timezone.localdate().year
    tz = timezone.get_current_timezone()
    created = []
    with transaction.atomic():
        for data in PLANS:
            program, _new = Program.objects.get_or_create(
                code=data["code"], year=year, batch=1,
                defaults={
                    "name": data["name"], "kind": "mutual_aid",
                    "description": data["description"],
                    "eligibility_text": "由单位工会统一参保的职工；女职工特定癌症互助限女职工。",
                    "rule_params": data["rule_params"],
                    "required_proofs": ["settlement", "discharge", "invoice"],
                    "budget": Decimal(data["budget"]),
                    "per_person_cap": Decimal(data["per_person_cap"]),
                    "opens_at": timezone.make_aware(datetime(year, 1, 1), tz),
                    "closes_at": timezone.make_aware(
                        datetime.combine(date(year + 1, 3, 31), time(23, 59, 59)), tz
                    ),
                },
            )  # fmt: skip
            plan, new = Plan.objects.get_or_create(
                program=program,
                defaults={
                    "kind": data["kind"], "premium": Decimal(data["premium"]),
                    "district_share": Decimal(data["district_share"]),
                    "cover_starts": date(year, 1, 1), "cover_ends": date(year, 12, 31),
                },
            )  # fmt: skip
            if new:
                created.append(plan)
    return created
