"""The report's figures as the records give them: live readings, taking them, freezing them.

- ``live_readings(report)``: for each figure linked to a live source, the value the records
  give now, in the figure's unit, beside the typed value and the difference.
- ``figures_take_live``: staff take the live value as the figure's value (a revision is kept).
- ``freeze(snapshot)``: at publishing, every linked figure's live value and the time it was
  taken go into the published snapshot, with the program statistics for the open data, so
  a published report and its open data never change by themselves.
- ``program_statistics(year, min_group)``: people paid and money paid per program and street,
  with every group of fewer than ``min_group`` people suppressed (and, where a program has
  exactly one suppressed street, the next smallest too, so the suppressed one cannot be worked
  out from the program's total).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import AnnualReport, KeyFigure
from reports.snapshot import decimal_text
from reports.sources import live_source, reading


@dataclass(frozen=True)
class LiveReading:
    figure: KeyFigure
    source_label: str
    option_label: str
    year: int
    live: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        return None if self.live is None else self.live - self.figure.value

    @property
    def matches(self) -> bool:
        return self.live is not None and self.live == self.figure.value


def figure_reading(figure: KeyFigure, report_year: int) -> LiveReading | None:
    if not figure.source:
        return None
    source = live_source(figure.source)
    year = figure.source_year or report_year
    value = reading(key=figure.source, option=figure.source_option, year=year, unit=figure.unit)
    label = (
        str(source.label)
        if source
        else _("（已不存在的数据来源 %(key)s）") % {"key": figure.source}
    )
    option = figure.source_option
    option_label = ""
    if source and option:
        option_label = str(dict(source.options()).get(option, option.partition(":")[2]))
    return LiveReading(
        figure=figure, source_label=label, option_label=option_label, year=year, live=value
    )


def live_readings(report: AnnualReport) -> list[LiveReading]:
    """One query per linked figure (each source is one aggregate) plus one for the figures."""
    figures = report.figures.exclude(source="").select_related("section")
    return [
        figure_reading(f, report.year) for f in figures.order_by("section__order", "order", "id")
    ]


def figures_take_live(
    *, report: AnnualReport, figure_ids: list[int], actor: AbstractBaseUser
) -> int:
    """Set the chosen figures' values to their live values; returns how many changed."""
    from reports.services import report_revision_record

    with transaction.atomic():
        AnnualReport.objects.select_for_update().filter(pk=report.pk).first()
        changed = []
        for figure in report.figures.filter(pk__in=figure_ids).exclude(source=""):
            found = figure_reading(figure, report.year)
            if found and found.live is not None and found.live != figure.value:
                figure.value = found.live
                changed.append(figure)
        KeyFigure.objects.bulk_update(changed, ["value"])
        if changed:
            report_revision_record(
                report=report, user=actor, note=_("采用实时数值：%(n)d 项") % {"n": len(changed)}
            )
    return len(changed)


def program_statistics(year: int, min_group: int) -> dict:
    """People and money paid in ``year`` by program and street, small groups suppressed."""
    from services.applications.models import LedgerEntry, LedgerStatus

    paid = LedgerEntry.objects.filter(year=year, status=LedgerStatus.PAID)
    rows = (
        paid.values("program__code", "program__name", "program__kind", "member__street__name")
        .annotate(people=Count("member", distinct=True), amount=Sum("amount"))
        .order_by("program__code", "member__street__name")
    )
    totals = {
        row["program__code"]: row
        for row in paid.values("program__code").annotate(
            people=Count("member", distinct=True), amount=Sum("amount")
        )
    }
    programs: dict[str, dict] = {}
    for row in rows:
        code = row["program__code"]
        program = programs.setdefault(
            code,
            {
                "code": code,
                "name": row["program__name"],
                "kind": row["program__kind"],
                "streets": [],
            },
        )
        program["streets"].append(
            {"street": row["member__street__name"] or _("未填街道"), **_group(row, min_group)}
        )
    for code, program in programs.items():
        program.update(_group(totals[code], min_group))
        _suppress_second(program["streets"], min_group)
    return {"year": year, "min_group": min_group, "programs": list(programs.values())}


def _group(row: dict, min_group: int) -> dict:
    if row["people"] < min_group:
        return {"people": None, "amount": None, "suppressed": True}
    return {"people": row["people"], "amount": decimal_text(row["amount"]), "suppressed": False}


def _suppress_second(streets: list[dict], min_group: int) -> None:
    shown = [s for s in streets if not s["suppressed"]]
    if len(streets) - len(shown) == 1 and shown:
        smallest = min(shown, key=lambda s: (s["people"], Decimal(s["amount"])))
        smallest.update(people=None, amount=None, suppressed=True)


def freeze(snapshot: dict, report_year: int) -> dict:
    """The snapshot with the live values and statistics of this moment written into it."""
    from reports.sources import reading as read_now

    taken_at = timezone.now().isoformat()
    for section in snapshot["sections"]:
        for figure in section["figures"]:
            link = figure.get("source")
            if not link:
                continue
            value = read_now(
                key=link["key"], option=link["option"], year=link["year"], unit=figure["unit"]
            )
            figure["live"] = {
                "value": None if value is None else decimal_text(value),
                "taken_at": taken_at,
            }
    snapshot["live_taken_at"] = taken_at
    snapshot["statistics"] = program_statistics(report_year, snapshot.get("open_data_min_group", 5))
    return snapshot
