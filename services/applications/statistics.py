"""Statistics for staff: for one year's programs, the applications by status and the money
approved and paid against the budget, by program, by street and by month.

Every number is counted or summed by the database, in two ``GROUP BY`` queries whatever the
number of applications; Python only adds the grouped rows (one per program, status, street
and month) into the tables. What the numbers mean:

- **Year** is the program's year (``Program.year``), not the calendar: money of a 2026
  program paid in January 2027 counts for 2026 and shows in the month table as 2027年1月.
- **已提交申请** (submitted): applications submitted at least once (``submitted_at`` is set),
  whatever happened to them since (a withdrawn or rejected one still counts). Drafts, and
  drafts withdrawn before they were submitted, do not.
- **申请状态**: every application by its current status, drafts included, with the labels
  of the program's own workflow.
- **批准金额** (approved): the program's live ledger entries (待发放, 发放中, 已发放), that is
  money decided and not reversed. Course subsidies and hardship cash handed over are ledger
  entries with no application behind them, so a program can have money and no applications.
- **已发放金额** (paid): the part of it the bank has paid, or that was handed over in person.
- **预算使用**: approved money as a share of the program's budget. With a street chosen, it
  is that street's share of the (district-wide) budget.
- **By street**: applications by the application's street (the street that reviews it); money
  by the worker's street (``Member.street``). A ledger entry may pay for an application, a
  course completion or a hardship visit, and only the worker is common to all three, so the
  worker's street is the one street every entry has. Records with no street are counted
  under 未指定街道.
- **By month** (Asia/Shanghai): applications by the month they were last submitted (a
  resubmission after 需补充材料 moves it); approved money by the month it was decided (the
  entry's ``created_at``); paid money by the month it was paid (``paid_at``; cash handed over
  in person without a ``paid_at``, by the month it was decided).
- **A month chosen** keeps applications submitted in that month, approved money decided in
  that month and paid money paid in that month; every table then covers that month only.

Street scoping is the same as everywhere (``staff_scope``): district staff see every street,
street staff their own, and staff with no street nothing.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.applications.models import LIVE, Application, LedgerEntry, LedgerStatus, Program
from services.members.models import Street
from services.members.selectors import StaffScope

SHANGHAI = ZoneInfo("Asia/Shanghai")
ZERO = Decimal("0.00")

# What the numbers mean, in short: shown under the tables and written into the Excel file.
NOTES = (
    gettext_lazy("年度指项目的年度：某年度项目次年才发放的款项仍计入该年度，按实际月份列出。"),
    gettext_lazy(
        "已提交申请：至少提交过一次的申请（之后撤回、未通过的也计入），不含草稿。"
        "申请状态按当前状态计，含草稿。"
    ),
    gettext_lazy(
        "批准金额：资金台账中未冲销的款项（待发放、发放中、已发放），含课程补贴和"
        "入户慰问金；已发放金额是其中银行已发放或当面发放的部分。预算使用＝批准金额÷预算；"
        "选了街道时为该街道占全区预算的比例。"
    ),
    gettext_lazy(
        "按街道：申请按申请所属街道计；金额按职工所属街道计（课程补贴、慰问金没有申请，"
        "职工是每笔款项都有的），没有街道的计入“未指定街道”。"
    ),
    gettext_lazy(
        "按月份（北京时间）：申请按最近一次提交的月份，批准金额按核定的月份，已发放金额按"
        "发放的月份。选了月份时，各表只计该月提交的申请、该月核定和该月发放的金额。"
    ),
)


def this_year() -> int:
    return datetime.now(SHANGHAI).year


@dataclass(frozen=True)
class Filters:
    """What the reader asked for. ``street`` is the chosen street, or the street staff
    member's own street (street staff never choose)."""

    year: int
    program: Program | None = None
    street: Street | None = None
    month: int | None = None

    def month_range(self) -> tuple[datetime, datetime] | None:
        if self.month is None:
            return None
        start = datetime(self.year, self.month, 1, tzinfo=SHANGHAI)
        end = datetime(self.year + self.month // 12, self.month % 12 + 1, 1, tzinfo=SHANGHAI)
        return start, end


@dataclass
class Line:
    """One row of a table: a program, a street or a month."""

    label: str
    submitted: int = 0
    approved: Decimal = ZERO
    paid: Decimal = ZERO
    budget: Decimal | None = None  # programs only
    # programs only: the count of each of ``Statistics.status_columns`` (None where the
    # program's workflow has no such status)
    statuses: list[int | None] = field(default_factory=list)

    @property
    def share(self) -> Decimal | None:
        """Approved money over the budget (0.25 is 25 %); None without a budget."""
        if not self.budget:
            return None
        return self.approved / self.budget

    @property
    def status_total(self) -> int:
        """Every application of the program, drafts included."""
        return sum(count or 0 for count in self.statuses)

    @property
    def share_text(self) -> str:
        return "—" if self.share is None else f"{self.share * 100:.1f}%"


def total(lines: list[Line], label: str, *, with_budget: bool = False) -> Line:
    return Line(
        label,
        submitted=sum(line.submitted for line in lines),
        approved=sum((line.approved for line in lines), ZERO),
        paid=sum((line.paid for line in lines), ZERO),
        budget=sum((line.budget or ZERO for line in lines), ZERO) if with_budget else None,
    )


@dataclass
class Statistics:
    filters: Filters
    programs: list[Line]
    streets: list[Line]
    months: list[Line]
    # The status labels some application holds, in the order of the workflows.
    status_columns: list[str] = field(default_factory=list)

    @property
    def applications_total(self) -> int:
        return sum(line.status_total for line in self.programs)

    @property
    def status_totals(self) -> list[int]:
        return [sum(line.statuses[i] or 0 for line in self.programs)
                for i in range(len(self.status_columns))]  # fmt: skip

    @property
    def programs_total(self) -> Line:
        return total(self.programs, _("合计"), with_budget=True)

    @property
    def streets_total(self) -> Line:
        return total(self.streets, _("合计"))

    @property
    def months_total(self) -> Line:
        return total(self.months, _("合计"))


def month_label(year: int, month: int) -> str:
    return _("%(year)s年%(month)s月") % {"year": year, "month": month}


def describe_filters(filters: Filters) -> list[tuple[str, str]]:
    """The filters in words, for the page and the top of every sheet of the Excel file."""
    return [
        (_("年度"), str(filters.year)),
        (_("项目"), str(filters.program) if filters.program else _("全部项目")),
        (_("街道"), filters.street.name if filters.street else _("全部街道")),
        (_("月份"), month_label(filters.year, filters.month) if filters.month else _("全年")),
    ]


def _applications(filters: Filters, scope: StaffScope, program_ids: list[int]):
    queryset = scope.filter(Application.objects.filter(program_id__in=program_ids)).order_by()
    if filters.street is not None:
        queryset = queryset.filter(street=filters.street.pk)
    if window := filters.month_range():
        queryset = queryset.filter(submitted_at__gte=window[0], submitted_at__lt=window[1])
    return queryset


def _money(filters: Filters, scope: StaffScope, program_ids: list[int]):
    """The live entries, with the conditions for 'approved' and 'paid' in the filters."""
    queryset = LedgerEntry.objects.filter(program_id__in=program_ids, status__in=LIVE)
    queryset = scope.filter(queryset, "member__street").order_by()
    if filters.street is not None:
        queryset = queryset.filter(member__street=filters.street.pk)
    approved, paid = Q(), Q(status=LedgerStatus.PAID)
    if window := filters.month_range():
        start, end = window
        approved = Q(created_at__gte=start, created_at__lt=end)
        paid &= Q(paid_at__gte=start, paid_at__lt=end) | Q(
            paid_at__isnull=True, created_at__gte=start, created_at__lt=end
        )
        queryset = queryset.filter(approved | paid)
    return queryset, approved, paid


class _Tables:
    """The three tables, filled from grouped rows (one per program, status, street and month:
    as many as there are such combinations, however many applications there are)."""

    def __init__(self, filters: Filters, programs: list[Program], streets: list[Street]):
        self.programs = {p.pk: Line(str(p), budget=p.budget) for p in programs}
        shown = [filters.street] if filters.street is not None else streets
        self.streets: dict[int | None, Line] = {street.pk: Line(street.name) for street in shown}
        months = [filters.month] if filters.month is not None else range(1, 13)
        self.months = {(filters.year, m): Line(month_label(filters.year, m)) for m in months}
        self.statuses: dict[int, dict[str, int]] = {}

    def street(self, pk: int | None) -> Line:
        return self.streets.setdefault(pk, Line(_("未指定街道")))

    def month(self, value: datetime) -> Line:
        local = value.astimezone(SHANGHAI)
        key = (local.year, local.month)
        return self.months.setdefault(key, Line(month_label(*key)))

    def count_applications(self, applications) -> None:
        """One query: applications by program, status, street and month submitted."""
        rows = (
            applications.annotate(month=TruncMonth("submitted_at", tzinfo=SHANGHAI))
            .values("program", "status", "street", "month")
            .annotate(n=Count("id"))
        )
        for row in rows:
            counts = self.statuses.setdefault(row["program"], {})
            counts[row["status"]] = counts.get(row["status"], 0) + row["n"]
            if row["month"] is not None:  # submitted at least once
                for line in (
                    self.programs[row["program"]], self.street(row["street"]),
                    self.month(row["month"]),
                ):  # fmt: skip
                    line.submitted += row["n"]

    def add_money(self, money, approved: Q, paid: Q) -> None:
        """One query: money by program, worker's street, month decided and month paid."""
        rows = (
            money.annotate(
                decided=TruncMonth("created_at", tzinfo=SHANGHAI),
                paid_month=TruncMonth(Coalesce("paid_at", "created_at"), tzinfo=SHANGHAI),
            )
            .values("program", "member__street", "decided", "paid_month")
            .annotate(
                approved=Sum("amount", filter=approved or None), paid=Sum("amount", filter=paid)
            )
        )
        for row in rows:
            approved_sum, paid_sum = row["approved"] or ZERO, row["paid"] or ZERO
            for line in (self.programs[row["program"]], self.street(row["member__street"])):
                line.approved += approved_sum
                line.paid += paid_sum
            if approved_sum:
                self.month(row["decided"]).approved += approved_sum
            if paid_sum:
                self.month(row["paid_month"]).paid += paid_sum

    def statistics(self, filters: Filters, programs: list[Program]) -> Statistics:
        columns = self.status_columns(programs)
        for program in programs:
            by_label = self.status_counts(program)
            self.programs[program.pk].statuses = [by_label.get(label) for label in columns]
        unnamed = self.streets.pop(None, None)
        return Statistics(
            filters=filters,
            programs=list(self.programs.values()),
            streets=[*self.streets.values(), *([unnamed] if unnamed else [])],
            months=[self.months[key] for key in sorted(self.months)],
            status_columns=columns,
        )

    def status_counts(self, program: Program) -> dict[str, int]:
        """Label -> count for every status of the program's workflow (0 when none holds it),
        in the workflow's order, and any status the workflow no longer knows."""
        counts = self.statuses.get(program.pk, {})
        program_type = program.program_type
        order = list(program_type.workflow.statuses.values) if program_type else []
        by_label: dict[str, int] = {}
        for status in order + sorted(status for status in counts if status not in order):
            label = program_type.workflow.status_label(status) if program_type else status
            by_label[label] = by_label.get(label, 0) + counts.get(status, 0)
        return by_label

    def status_columns(self, programs: list[Program]) -> list[str]:
        """The labels some application holds, in the order the workflows give them."""
        ordered: dict[str, bool] = {}
        for program in programs:
            for label, count in self.status_counts(program).items():
                ordered[label] = ordered.get(label, False) or count > 0
        return [label for label, held in ordered.items() if held]


def statistics(
    *, filters: Filters, scope: StaffScope, programs: list[Program], streets: list[Street]
) -> Statistics:
    """The dashboard's tables for ``programs`` (those of ``filters.year``, or the one chosen)
    and ``streets`` (those the reader may see).

    Two queries whatever the data: one over the applications, one over the ledger, each
    grouped by every dimension the tables need at once, so each table is read in one pass
    over the rows (measured with 200,000 applications on PostgreSQL, twice as fast as a
    query per table; see ``bench/dashboard.py``)."""
    if filters.program is not None:
        programs = [p for p in programs if p.pk == filters.program.pk]
    program_ids = [program.pk for program in programs]
    tables = _Tables(filters, programs, streets)
    tables.count_applications(_applications(filters, scope, program_ids))
    tables.add_money(*_money(filters, scope, program_ids))
    return tables.statistics(filters, programs)


def programs_by_year() -> dict[int, list[Program]]:
    """Every program, by year (newest first): the choices of the year and program filters."""
    years: dict[int, list[Program]] = {}
    for program in Program.objects.order_by("-year", "code", "batch"):
        years.setdefault(program.year, []).append(program)
    return years
