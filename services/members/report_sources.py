"""Live sources over membership and grassroots unions, for the annual report's figures.

A member counts in the year of their 入会日期 (set when the membership is verified); a
grassroots union in the year of its 成立日期.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy

from reports.sources import COUNT, LiveSource, register_source
from services.members.models import EmploymentForm, GrassrootsUnion, Member


def members_joined(year: int, option: str) -> Decimal:
    return Decimal(Member.objects.filter(joined_on__year=year).count())


def gig_members_joined(year: int, option: str) -> Decimal:
    joined = Member.objects.filter(joined_on__year=year)
    return Decimal(joined.exclude(employment_form=EmploymentForm.CONTRACT).count())


def unions_founded(year: int, option: str) -> Decimal:
    return Decimal(GrassrootsUnion.objects.filter(founded_on__year=year).count())


SOURCES = [
    LiveSource(
        key="members.joined",
        label=gettext_lazy("新入会会员人数"),
        doc=gettext_lazy("入会日期在该年度内的会员人数。"),
        measure=COUNT,
        compute=members_joined,
    ),
    LiveSource(
        key="members.joined_gig",
        label=gettext_lazy("新入会的新就业形态劳动者人数"),
        doc=gettext_lazy(
            "入会日期在该年度内、就业形态为新就业形态（快递员、外卖骑手、网约车司机、货车司机等）的会员人数。"
        ),
        measure=COUNT,
        compute=gig_members_joined,
    ),
    LiveSource(
        key="members.unions_founded",
        label=gettext_lazy("新建基层工会数"),
        doc=gettext_lazy("成立日期在该年度内的基层工会个数。"),
        measure=COUNT,
        compute=unions_founded,
    ),
]


def register() -> None:
    for source in SOURCES:
        register_source(source)
