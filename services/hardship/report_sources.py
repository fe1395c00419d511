"""Live sources over the visiting campaigns, for the annual report's figures.

"走访慰问困难职工、春节留守职工 1520 人" counts the households visited at home and the workers
reached through their employers; "发放慰问金 30.89 万元" adds the cash handed over at homes
and through employers. The year is the campaign's year; a range picks one kind of campaign
(春节送温暖, 夏送清凉 …) or, left blank, all of them.
"""

from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.sources import COUNT, MONEY, LiveSource, register_source
from services.hardship.models import CampaignKind, EnterpriseVisit, HouseholdVisit


def campaign_options() -> list[tuple[str, str]]:
    return [
        (f"campaign:{k.value}", _("慰问活动：%(kind)s") % {"kind": k.label}) for k in CampaignKind
    ]


def _visits(model, year: int, option: str):
    visits = model.objects.filter(campaign__program__year=year)
    kind = option.partition(":")[2] if option.startswith("campaign:") else ""
    return visits.filter(campaign__kind=kind) if kind else visits


def people_visited(year: int, option: str) -> Decimal:
    homes = _visits(HouseholdVisit, year, option).filter(repeat=False).count()
    reached = _visits(EnterpriseVisit, year, option).aggregate(n=Sum("workers_reached"))["n"]
    return Decimal(homes or 0) + Decimal(reached or 0)


def money_given(year: int, option: str) -> Decimal:
    homes = _visits(HouseholdVisit, year, option).aggregate(s=Sum("cash"))["s"]
    firms = _visits(EnterpriseVisit, year, option).aggregate(s=Sum("cash_total"))["s"]
    return (homes or Decimal(0)) + (firms or Decimal(0))


SOURCES = [
    LiveSource(
        key="hardship.people_visited",
        label=gettext_lazy("走访慰问职工人数"),
        doc=gettext_lazy(
            "该年度慰问活动中入户走访的家庭数（同一活动重复走访只算一次）加上企业慰问的职工人数。"
        ),
        measure=COUNT,
        compute=people_visited,
        options=campaign_options,
    ),
    LiveSource(
        key="hardship.money_given",
        label=gettext_lazy("发放慰问金"),
        doc=gettext_lazy(
            "该年度慰问活动中入户发放的慰问金加上企业慰问的慰问金合计（不含慰问品）。"
        ),
        measure=MONEY,
        compute=money_given,
        options=campaign_options,
    ),
]


def register() -> None:
    for source in SOURCES:
        register_source(source)
