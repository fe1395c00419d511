"""Reads about programs and applications: availability, budget, who sees what."""

from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, DecimalField, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from services.applications.ledger import budget_used
from services.applications.models import Application, Attachment, LedgerEntry, Program
from services.applications.models.ledger import LIVE
from services.decisions import Decision
from services.members.selectors import staff_scope

# Applications that hold a place in a program with a limited number of places.
NOT_HOLDING_A_PLACE = ("draft", "withdrawn", "rejected")


def places_taken(program: Program) -> int:
    if hasattr(program, "places_used"):
        return program.places_used
    return program.applications.exclude(status__in=NOT_HOLDING_A_PLACE).count()


def _money_used(program: Program) -> Decimal:
    return program.money_used if hasattr(program, "money_used") else budget_used(program)


def with_usage(programs):
    """Each program with the money its live ledger entries hold (``money_used``) and the
    places its applications take (``places_used``), in the query that reads the programs: a
    list of programs costs one query whatever the number of programs and applications."""
    money = (
        LedgerEntry.objects.filter(program=OuterRef("pk"), status__in=LIVE)
        .order_by()
        .values("program")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    places = (
        Application.objects.filter(program=OuterRef("pk"))
        .exclude(status__in=NOT_HOLDING_A_PLACE)
        .order_by()
        .values("program")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return programs.annotate(
        money_used=Coalesce(
            Subquery(money, output_field=DecimalField(max_digits=14, decimal_places=2)),
            Decimal("0.00"),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        ),
        places_used=Coalesce(Subquery(places, output_field=IntegerField()), 0),
    )


def program_availability(*, program: Program, now=None) -> Decision:
    """Whether a worker can apply now, and if not, why in words."""
    now = now or timezone.now()
    if program.program_type is None:
        return Decision.deny(_("本项目暂不受理在线申请。"), code="unknown_type")
    if now < program.opens_at:
        when = timezone.localtime(program.opens_at).strftime("%Y-%m-%d %H:%M")
        return Decision.deny(
            _("尚未开始受理，%(when)s 开始申请。") % {"when": when}, code="not_open"
        )
    if now > program.closes_at:
        when = timezone.localtime(program.closes_at).strftime("%Y-%m-%d %H:%M")
        return Decision.deny(
            _("本批次已截止申请（截止时间 %(when)s）。") % {"when": when}, code="closed"
        )
    if _money_used(program) >= program.budget:
        return Decision.deny(_("本批次预算已经用完。"), code="budget")
    if program.max_applications is not None and places_taken(program) >= program.max_applications:
        return Decision.deny(_("本批次名额已满。"), code="full")
    return Decision.allow()


def open_programs():
    """The programs workers apply to, each with its money used and places taken as they
    were at most ``PORTAL_LIVE_PAGE_SECONDS`` ago: every signed-in worker who opens the
    services pages would otherwise sum a program's ledger and count its applications (tens of
    thousands of rows at district scale). Applying checks both again, live, under locks."""
    from services.applications.registry import public_kinds

    programs = list(Program.objects.filter(kind__in=public_kinds()).order_by("closes_at"))
    usage = program_usage([program.pk for program in programs])
    for program in programs:
        program.money_used, program.places_used = usage[program.pk]
    return programs


def listed_programs(now=None) -> list[Program]:
    """The services page's order: the batches open now (the one closing first first), then
    those about to open, then this year's closed ones (the latest first); earlier years'
    closed batches are no longer listed (their pages stay)."""
    now = now or timezone.now()
    this_year = timezone.localtime(now).year
    programs = open_programs()
    open_now = [p for p in programs if p.opens_at <= now <= p.closes_at]
    coming = sorted((p for p in programs if p.opens_at > now), key=lambda p: p.opens_at)
    closed = sorted(
        (p for p in programs if p.closes_at < now and p.year >= this_year),
        key=lambda p: p.closes_at, reverse=True,
    )  # fmt: skip
    return [*open_now, *coming, *closed]


USAGE_KEY = "programs:usage"


def program_usage(ids: list[int]) -> dict[int, tuple[Decimal, int]]:
    """Money used and places taken per program, from the shared cache while it is fresh."""
    usage = cache.get(USAGE_KEY) or {}
    if not set(ids) <= usage.keys():
        counted = with_usage(Program.objects.filter(pk__in=ids)).values_list(
            "pk", "money_used", "places_used"
        )
        usage = {pk: (money, places) for pk, money, places in counted}
        cache.set(USAGE_KEY, usage, settings.PORTAL_LIVE_PAGE_SECONDS)
    return usage


def applications_visible_to(user):
    queryset = Application.objects.select_related(
        "program", "applicant", "applicant__user", "street"
    )
    return staff_scope(user).filter(queryset)


def attachments_visible_to(user):
    return Attachment.objects.filter(application__in=applications_visible_to(user))


def earlier_application(*, member, program: Program) -> Application | None:
    """The worker's application in this batch that stops another (not a withdrawn one)."""
    return (
        Application.objects.filter(applicant=member, program=program, single_slot=True)
        .exclude(status="withdrawn")
        .first()
    )


def same_file_elsewhere(attachment: Attachment, viewer) -> tuple[list[Application], int]:
    """Other applications that carry the same file: those the viewer may see, and how many
    more there are in streets the viewer may not see (counted, never named)."""
    others = (
        Application.objects.filter(attachments__sha256=attachment.sha256)
        .exclude(pk=attachment.application_id)
        .select_related("applicant")
        .distinct()
    )
    visible = list(staff_scope(viewer).filter(others))
    return visible, others.count() - len(visible)
