"""Live sources over the money ledger, for the annual report's figures (``reports.sources``).

The ledger holds every amount owed to a worker by every program (an approved application, a
completed course, cash handed over at a visit), so "how many workers did 厂门口上大学 pay in
2026, and how much" is one query here for every program. The year is the program's year (the
ledger row's ``year``), the year the report speaks of, whenever the bank paid.
"""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.sources import COUNT, MONEY, LiveSource, register_source
from services.applications.models import LedgerEntry, LedgerStatus, Program
from services.applications.models.ledger import LIVE
from services.applications.registry import program_types


def program_options() -> list[tuple[str, str]]:
    """Every program type ("all programs of the kind") and every program code."""
    kinds = [(f"kind:{t.kind}", _("全部%(label)s") % {"label": t.label}) for t in program_types()]
    names: dict[str, str] = {}
    for code, name in Program.objects.order_by("code", "-year").values_list("code", "name"):
        names.setdefault(code, name)
    programs = [(f"program:{code}", f"{name}（{code}）") for code, name in names.items()]
    return kinds + programs


def accepts(option: str) -> bool:
    kind, _sep, value = option.partition(":")
    if kind == "kind":
        return value in {t.kind for t in program_types()}
    code = value.replace("-", "")
    return kind == "program" and code.isascii() and code.isalnum() and len(value) <= 10


def _scope(option: str) -> Q:
    kind, _sep, value = option.partition(":")
    if kind == "kind":
        return Q(program__kind=value)
    if kind == "program":
        return Q(program__code=value)
    return Q()


def _entries(year: int, option: str, statuses):
    return LedgerEntry.objects.filter(_scope(option), year=year, status__in=statuses)


def _people(statuses):
    def compute(year: int, option: str) -> Decimal:
        found = _entries(year, option, statuses).aggregate(n=Count("member", distinct=True))
        return Decimal(found["n"])

    return compute


def _amount(statuses):
    def compute(year: int, option: str) -> Decimal:
        return _entries(year, option, statuses).aggregate(s=Sum("amount"))["s"] or Decimal(0)

    return compute


PAID = (LedgerStatus.PAID,)

SOURCES = [
    LiveSource(
        key="ledger.paid_people",
        label=gettext_lazy("资金已发放的职工人数"),
        doc=gettext_lazy(
            "该年度项目中，银行已确认发放成功的职工人数（一人多笔只算一人）；"
            "已冲销的不算。可选某一项目或某类项目。"
        ),
        measure=COUNT,
        compute=_people(PAID),
        options=program_options,
        accepts=accepts,
    ),
    LiveSource(
        key="ledger.paid_amount",
        label=gettext_lazy("已发放金额"),
        doc=gettext_lazy("该年度项目中，银行已确认发放成功的金额合计；已冲销的不算。"),
        measure=MONEY,
        compute=_amount(PAID),
        options=program_options,
        accepts=accepts,
    ),
    LiveSource(
        key="ledger.granted_people",
        label=gettext_lazy("已批准资助的职工人数"),
        doc=gettext_lazy("该年度项目中，已批准（含待发放、发放中、已发放）的职工人数。"),
        measure=COUNT,
        compute=_people(LIVE),
        options=program_options,
        accepts=accepts,
    ),
    LiveSource(
        key="ledger.granted_amount",
        label=gettext_lazy("已批准金额"),
        doc=gettext_lazy("该年度项目中，已批准（含待发放、发放中、已发放）的金额合计。"),
        measure=MONEY,
        compute=_amount(LIVE),
        options=program_options,
        accepts=accepts,
    ),
]


def register() -> None:
    for source in SOURCES:
        register_source(source)
