"""The tuition and skill programs of the annual report, as data staff can then edit.

The figures (shares, caps, award amounts, budgets) are starting values for a new year; staff
set the real ones in the admin.
"""

from datetime import datetime, time

from django.utils import timezone

from services.applications.models import Program

SKILL_AMOUNTS = {"高级工": "1000", "技师": "2000", "高级技师": "3000"}

PROGRAMS = [
    {
        "code": "CMK",
        "name": "厂门口上大学",
        "kind": "tuition",
        "description": "资助会员在家门口、厂门口读专科：按实际缴纳学费的一定比例补助，有年度上限。",
        "eligibility_text": "已核实的工会会员，入会满6个月，年满18周岁，本年度未获本项目补助。",
        "rule_params": {"share": "0.6", "cap": "4000"},
        "required_proofs": ["admission", "receipt"],
        "budget": "1840000",
        "per_person_cap": "4000",
    },
    {
        "code": "QXYM",
        "name": "全总“求学圆梦行动”学历补助",
        "kind": "tuition",
        "description": "全国总工会“求学圆梦行动”，补助会员提升学历的学费。",
        "eligibility_text": "已核实的工会会员，入会满6个月，年满18周岁。",
        "rule_params": {"share": "0.5", "cap": "3000"},
        "required_proofs": ["admission", "receipt"],
        "budget": "200000",
        "per_person_cap": "3000",
    },
    {
        "code": "XL",
        "name": "省总“双提升”学历补助",
        "kind": "tuition",
        "description": "浙江省总工会“双提升”行动学历提升补助。",
        "eligibility_text": "已核实的工会会员，入会满6个月，年满18周岁。",
        "rule_params": {"share": "0.5", "cap": "2000"},
        "required_proofs": ["admission", "receipt"],
        "budget": "900000",
        "per_person_cap": "2000",
    },
    {
        "code": "JN",
        "name": "省总“双提升”技能补助",
        "kind": "skill_award",
        "description": "浙江省总工会“双提升”行动技能提升补助，按新取得的职业技能等级证书定额补助。",
        "eligibility_text": "已核实的工会会员，本年度取得职业技能等级证书。",
        "rule_params": {
            "amounts": {"中级工": "500", "高级工": "800", "技师": "1200", "高级技师": "1500"}
        },
        "required_proofs": ["certificate"],
        "budget": "300000",
        "per_person_cap": "1500",
    },
    {
        "code": "RC",
        "name": "市总新时代技能人才奖励",
        "kind": "skill_award",
        "description": "杭州市总工会新时代技能人才奖励，按证书上的最高等级每年奖励一次。",
        "eligibility_text": "已核实的工会会员，持有高级工及以上职业技能等级证书。",
        "rule_params": {"amounts": SKILL_AMOUNTS},
        "required_proofs": ["certificate"],
        "budget": "800000",
        "per_person_cap": "3000",
    },
]


def seed_programs(year: int | None = None) -> list[Program]:
    """Create this year's programs if they are not there; never touches existing ones."""
    year = year or timezone.localdate().year
    tz = timezone.get_current_timezone()
    opens = timezone.make_aware(datetime(year, 1, 1), tz)
    closes = timezone.make_aware(datetime.combine(datetime(year, 12, 31), time(23, 59, 59)), tz)
    created = []
    for data in PROGRAMS:
        program, was_created = Program.objects.get_or_create(
            code=data["code"],
            year=year,
            batch=1,
            defaults={**data, "opens_at": opens, "closes_at": closes},
        )
        if was_created:
            created.append(program)
    return created
