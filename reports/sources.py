"""Live sources: named, documented queries that give a report figure its value from the records.

A union used to count "371 名职工, 184 万元" by hand at year end. Every program now keeps its
records and payments in the portal, so a ``KeyFigure`` can name a *live source* and a year
(and, where the source asks for one, an *option* such as which program), and staff see the
typed value beside the value the records give today. Publishing freezes the live values with
the time they were taken (``reports.live``), so a published report never changes by itself.

The report CMS names no program: each app registers the sources over its own records in its
``AppConfig.ready()``, as program types are registered. A source measures either people or
things counted (``COUNT``) or money in 元 (``MONEY``); the figure's unit says how the value is
shown (万元 divides by 10,000, 万人 too).
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

COUNT = "count"
MONEY = "money"

MONEY_UNITS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
FIGURE_PLACES = Decimal("0.0001")  # KeyFigure.value keeps 4 decimal places


def _no_options() -> list[tuple[str, str]]:
    return []


@dataclass(frozen=True)
class LiveSource:
    """One named query.

    - ``key``: stable name stored on figures and in published snapshots; never rename it.
    - ``label`` and ``doc``: what staff read when they pick it (what is counted, which records,
      how the year is decided).
    - ``measure``: ``COUNT`` or ``MONEY`` (元).
    - ``compute(year, option) -> Decimal``: the value in people/things or 元.
    - ``options() -> [(value, label)]``: the choices a figure picks from (programs, campaign
      kinds); an empty list means the source takes none. ``option_required``: whether a
      figure must pick one (otherwise blank means "all"). ``accepts(option) -> bool``: see
      ``accepts_option``.
    """

    key: str
    label: str
    doc: str
    measure: str
    compute: Callable[[int, str], Decimal]
    options: Callable[[], list[tuple[str, str]]] = _no_options
    option_required: bool = False
    accepts: Callable[[str], bool] | None = None

    def accepts_option(self, option: str) -> bool:
        """An option this source understands: by default one it offers now; a source whose
        options come from records (program codes) also keeps a link to a program that is
        not in the database yet (a report imported before its programs)."""
        if self.accepts is not None:
            return self.accepts(option)
        return option in dict(self.options())


_SOURCES: dict[str, LiveSource] = {}


def register_source(source: LiveSource) -> LiveSource:
    _SOURCES[source.key] = source
    return source


def live_source(key: str) -> LiveSource | None:
    return _SOURCES.get(key)


def all_sources() -> list[LiveSource]:
    return sorted(_SOURCES.values(), key=lambda s: s.key)


def source_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(s.key, str(s.label)) for s in all_sources()]


def option_choices() -> list[tuple[str, str]]:
    """Every option any source offers, for the one select a figure row has."""
    seen: dict[str, str] = {}
    for source in all_sources():
        for value, label in source.options():
            seen.setdefault(value, str(label))
    return [("", "—")] + sorted(seen.items())


def unit_scale(measure: str, unit: str) -> Decimal | None:
    """How many of the source's units make one of the figure's: None if they cannot match."""
    unit = unit.strip()
    if measure == MONEY:
        return MONEY_UNITS.get(unit)
    if unit in MONEY_UNITS or unit in ("%", "％"):
        return None
    if unit.startswith("亿"):
        return Decimal(100_000_000)
    return Decimal(10_000) if unit.startswith("万") else Decimal(1)


def check_link(*, key: str, option: str, unit: str) -> None:
    """Raise ``ValidationError`` (by field) when a figure's link cannot work."""
    if not key:
        if option:
            raise ValidationError({"source_option": _("请先选择数据来源，再选择范围。")})
        return
    source = live_source(key)
    if source is None:
        raise ValidationError({"source": _("没有这个数据来源。")}, code="unknown_source")
    if option and not source.accepts_option(option):
        raise ValidationError(
            {"source_option": _("“%(source)s”没有这个范围。") % {"source": source.label}},
            code="bad_option",
        )
    if not option and source.option_required:
        raise ValidationError(
            {"source_option": _("“%(source)s”需要选择范围。") % {"source": source.label}},
            code="option_required",
        )
    if unit_scale(source.measure, unit) is None:
        message = (
            _("这个数据来源是金额，单位应为元、万元或亿元。")
            if source.measure == MONEY
            else _("这个数据来源是人数或个数，单位不能是金额或百分比。")
        )
        raise ValidationError({"unit": message}, code="unit_mismatch")


def reading(*, key: str, option: str, year: int, unit: str) -> Decimal | None:
    """The source's value now, in the figure's unit (4 places); None when it cannot be read."""
    source = live_source(key)
    if source is None or year is None:
        return None
    scale = unit_scale(source.measure, unit)
    if scale is None:
        return None
    raw = Decimal(source.compute(year, option) or 0)
    return (raw / scale).quantize(FIGURE_PLACES, rounding=ROUND_HALF_UP)
