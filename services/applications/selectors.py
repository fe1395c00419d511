"""Reads about programs and applications: availability, budget, who sees what."""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from services.applications.models import Application, Program
from services.applications.workflow import COMMITTED, ROLE_GROUPS, Role, Status
from services.decisions import Decision
from services.members.selectors import staff_street


def budget_committed(program: Program) -> Decimal:
    total = program.applications.filter(status__in=COMMITTED).aggregate(s=Sum("approved_amount"))
    return total["s"] or Decimal("0.00")


def program_availability(*, program: Program, now=None) -> Decision:
    """Whether a worker can apply now, and if not, why in words."""
    now = now or timezone.now()
    if now < program.opens_at:
        when = timezone.localtime(program.opens_at).strftime("%Y-%m-%d %H:%M")
        return Decision.deny(_("尚未开始受理，%(when)s 开始申请。") % {"when": when})
    if now > program.closes_at:
        return Decision.deny(_("本批次已截止申请。"))
    if budget_committed(program) >= program.budget:
        return Decision.deny(_("本批次预算已经用完。"))
    if program.max_applications is not None:
        taken = program.applications.exclude(
            status__in=[Status.WITHDRAWN, Status.REJECTED, Status.DRAFT]
        ).count()
        if taken >= program.max_applications:
            return Decision.deny(_("本批次名额已满。"))
    return Decision.allow()


def open_programs():
    return Program.objects.order_by("closes_at").annotate(
        application_count=Count("applications", filter=~Q(applications__status="withdrawn"))
    )


def roles_of(user, application: Application) -> set[str]:
    """Every role the user holds towards this application."""
    roles = set()
    if application.applicant.user_id == user.pk:
        roles.add(Role.APPLICANT)
    if not user.is_staff:
        return roles
    groups = set(user.groups.values_list("name", flat=True))
    street = staff_street(user)
    if ROLE_GROUPS[Role.STREET_REVIEWER] in groups and (
        street is None or street.pk == application.street_id
    ):
        roles.add(Role.STREET_REVIEWER)
    if ROLE_GROUPS[Role.DISTRICT_APPROVER] in groups or user.is_superuser:
        roles.add(Role.DISTRICT_APPROVER)
    if ROLE_GROUPS[Role.FINANCE] in groups or user.is_superuser:
        roles.add(Role.FINANCE)
    return roles


def applications_visible_to(user):
    queryset = Application.objects.select_related(
        "program", "applicant", "applicant__user", "street"
    )
    street = staff_street(user)
    return queryset.filter(street=street) if street else queryset


def subsidised_this_year(*, member, program: Program) -> bool:
    return Application.objects.filter(
        applicant=member,
        program__code=program.code,
        program__year=program.year,
        status__in=COMMITTED,
    ).exists()
