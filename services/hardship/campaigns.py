"""Visiting campaigns (春节送温暖, 夏送清凉, 金秋助学, ...): targets drawn from the register, visits
to households (cash handed over is a ledger row against the campaign's budget) and batch
visits to enterprises, and the campaign's totals for staff.

The totals are a handful of aggregate queries whatever the number of visits, so the campaign
page answers as fast for 50,000 enterprise visits as for 50 (``bench/campaign_page.py``)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from services.applications.ledger import budget_used, ledger_hand_over
from services.applications.models import Program
from services.decisions import Decision
from services.hardship.models import (
    Campaign,
    CampaignTarget,
    EnterpriseVisit,
    FileStatus,
    HardshipFile,
    HouseholdVisit,
)
from services.members.models import Street, User
from services.members.selectors import EVERYTHING, staff_may, staff_scope

ZERO = Decimal("0.00")


def _check(actor: User, perm: str, street_id: int | None) -> None:
    if not staff_may(actor, perm, street_id):
        raise PermissionDenied(_("您没有办理这一街道慰问的权限。"))


def campaign_create(
    *, kind: str, name: str, year: int, budget: Decimal, standard_amount: Decimal, actor: User
) -> Campaign:
    """A campaign and its money side: a program of kind ``campaign`` for the year, whose
    budget the cash handed over is held against (at most twice the standard per household)."""
    if not actor.has_perm("hardship.add_campaign"):
        raise PermissionDenied(_("您没有创建慰问活动的权限。"))
    tz = timezone.get_current_timezone()
    from datetime import datetime

    with transaction.atomic():
        # A code of its own: the ledger's cap per household (the standard) is per campaign.
        seq = Program.objects.filter(kind="campaign", year=year).count() + 1
        program = Program.objects.create(
            code=f"WW-{kind[:2]}{seq}"[:10], year=year, batch=1, name=name, kind="campaign",
            description="", rule_params={}, budget=budget,
            per_person_cap=max(standard_amount, Decimal("0.01")),
            opens_at=timezone.make_aware(datetime(year, 1, 1), tz),
            closes_at=timezone.make_aware(datetime(year, 12, 31, 23, 59, 59), tz),
        )  # fmt: skip
        return Campaign.objects.create(program=program, kind=kind, standard_amount=standard_amount)


def campaign_update(*, campaign: Campaign, actor: User) -> Campaign:
    """Staff change a campaign's type or standard; the standard is also the ledger's cap per
    household for its program."""
    if not actor.has_perm("hardship.change_campaign"):
        raise PermissionDenied(_("您没有修改慰问活动的权限。"))
    with transaction.atomic():
        campaign.save(update_fields=["kind", "standard_amount"])
        Program.objects.filter(pk=campaign.program_id).update(
            per_person_cap=max(campaign.standard_amount, Decimal("0.01"))
        )
    return campaign


def targets_add_street(*, campaign: Campaign, street: Street, actor: User) -> int:
    """Every active file of a street becomes a target (those already targeted are kept)."""
    _check(actor, "hardship.add_campaigntarget", street.pk)
    files = HardshipFile.objects.filter(street=street, status=FileStatus.ACTIVE)
    have = set(campaign.targets.values_list("file_id", flat=True))
    new = [
        CampaignTarget(campaign=campaign, file=file, street=street)
        for file in files
        if file.pk not in have
    ]
    CampaignTarget.objects.bulk_create(new)
    return len(new)


def visit_record(*, campaign: Campaign, file: HardshipFile, data: dict, actor: User, photo=None):
    """A household visit. Cash handed over goes to the ledger (budget checked under its
    locks). A household visited before in this campaign is recorded and flagged."""
    _check(actor, "hardship.add_householdvisit", file.street_id)
    _check_date(campaign, data["visited_on"])
    facts = None
    if photo is not None:
        from services.applications.uploads import inspect_upload

        facts = inspect_upload(photo)
    with transaction.atomic():
        HardshipFile.objects.select_for_update().filter(pk=file.pk).exists()
        earlier = HouseholdVisit.objects.filter(campaign=campaign, file=file)
        repeat = earlier.exists()
        given = earlier.aggregate(s=Sum("cash"))["s"] or ZERO
        if data["cash"] and given + data["cash"] > campaign.standard_amount:
            words = {"standard": f"{campaign.standard_amount:,.2f}", "given": f"{given:,.2f}"}
            raise ValidationError({"cash": _(
                "超过每户慰问金标准 %(standard)s 元（本活动已给这户 %(given)s 元）。"
            ) % words})  # fmt: skip
        visit = HouseholdVisit.objects.create(
            campaign=campaign, file=file, street_id=file.street_id,
            visited_on=data["visited_on"], visitors=data["visitors"], cash=data["cash"],
            goods=data.get("goods", ""), goods_value=data.get("goods_value") or ZERO,
            notes=data.get("notes", ""), photo=photo or "",
            photo_type=facts.content_type if facts else "", repeat=repeat, recorded_by=actor,
        )  # fmt: skip
        if data["cash"] > 0:
            try:
                ledger_hand_over(
                    member=file.member, program=campaign.program, source=visit,
                    amount=data["cash"], purpose=f"{campaign.program.name} {file.reference}",
                    actor=actor, rule_check=lambda: _room(campaign, data["cash"]),
                )  # fmt: skip
            except ValidationError as error:
                raise ValidationError({"cash": error.messages[0]}) from error
    return visit


def enterprise_visit_record(*, campaign: Campaign, enterprise, data: dict, actor: User):
    _check(actor, "hardship.add_enterprisevisit", enterprise.street_id)
    _check_date(campaign, data["visited_on"])
    with transaction.atomic():
        Program.objects.select_for_update().filter(pk=campaign.program_id).exists()
        room = _room(campaign, data["cash_total"])
        if not room:
            raise ValidationError({"cash_total": room.reason})
        return EnterpriseVisit.objects.create(
            campaign=campaign, enterprise=enterprise, street_id=enterprise.street_id,
            visited_on=data["visited_on"], workers_reached=data["workers_reached"],
            cash_total=data["cash_total"], goods_value=data.get("goods_value") or ZERO,
            notes=data.get("notes", ""), recorded_by=actor,
        )  # fmt: skip


def _check_date(campaign: Campaign, day) -> None:
    """A visit is dated in the campaign's year and not in the future."""
    if day > timezone.localdate():
        raise ValidationError({"visited_on": _("走访日期不能晚于今天。")})
    if day.year != campaign.program.year:
        raise ValidationError(
            {
                "visited_on": _("走访日期应在活动年度（%(year)s 年）内。")
                % {"year": campaign.program.year}
            }
        )


def _room(campaign: Campaign, amount: Decimal) -> Decision:
    """Cash handed over at households (the ledger) and at enterprises together stay within
    the campaign's budget; run under the lock on the campaign's program row."""
    used = budget_used(campaign.program) + (
        campaign.enterprise_visits.aggregate(s=Sum("cash_total"))["s"] or ZERO
    )
    if used + amount > campaign.program.budget:
        return Decision.deny(
            _("超过活动预算：还剩 %(left)s 元。")
            % {"left": f"{max(campaign.program.budget - used, ZERO):,.2f}"},
            code="budget",
        )
    return Decision.allow()


@dataclass
class StreetLine:
    street: str
    targets: int = 0
    visited: int = 0
    household_cash: Decimal = ZERO
    enterprise_visits: int = 0
    workers_reached: int = 0
    enterprise_cash: Decimal = ZERO

    @property
    def not_visited(self) -> int:
        return self.targets - self.visited


@dataclass
class Totals:
    budget: Decimal
    money: Decimal  # the whole campaign's, whatever streets the reader sees
    lines: list[StreetLine] = field(default_factory=list)
    repeats: int = 0

    @property
    def left(self) -> Decimal:
        return self.budget - self.money

    @property
    def total(self) -> StreetLine:
        """The sum of the lines shown."""
        line = StreetLine(_("合计"))
        for each in self.lines:
            for name in ("targets", "visited", "household_cash", "enterprise_visits",
                         "workers_reached", "enterprise_cash"):  # fmt: skip
                setattr(line, name, getattr(line, name) + getattr(each, name))
        return line


def totals(campaign: Campaign, user: User | None = None) -> Totals:
    """Targets, visited or not, money against budget, by street: four aggregate queries
    and one for the streets, whatever the number of visits. Street staff see their street."""
    scope = staff_scope(user) if user is not None else EVERYTHING
    streets = {
        street.pk: StreetLine(street.name)
        for street in scope.filter(Street.objects.order_by("pk"), "pk")
    }
    targets = (
        scope.filter(campaign.targets.all())
        .values("street")
        .annotate(
            n=Count("id", distinct=True),
            visited=Count("file", filter=Q(file__visits__campaign=campaign), distinct=True),
        )
    )
    for row in targets:
        if row["street"] in streets:
            line = streets[row["street"]]
            line.targets, line.visited = row["n"], row["visited"]
    households = scope.filter(campaign.household_visits.all()).values("street")
    for row in households.annotate(cash=Sum("cash")):
        if row["street"] in streets:
            streets[row["street"]].household_cash = row["cash"] or ZERO
    enterprises = scope.filter(campaign.enterprise_visits.all()).values("street")
    for row in enterprises.annotate(n=Count("id"), workers=Sum("workers_reached"),
                                    cash=Sum("cash_total")):  # fmt: skip
        if row["street"] in streets:
            line = streets[row["street"]]
            line.enterprise_visits, line.workers_reached = row["n"], row["workers"] or 0
            line.enterprise_cash = row["cash"] or ZERO
    repeats = scope.filter(campaign.household_visits.filter(repeat=True)).count()
    money = budget_used(campaign.program) + (
        campaign.enterprise_visits.aggregate(s=Sum("cash_total"))["s"] or ZERO
    )
    return Totals(budget=campaign.program.budget, money=money, lines=list(streets.values()),
                  repeats=repeats)  # fmt: skip
