"""Reads about members and the staff who may see them.

Street scoping lives here and fails closed: district staff (区总复审员, 财务, 系统管理员, or a
superuser) see every street; anyone else sees only the street named on their
``StaffProfile``, and a member of staff with no street named sees nothing at all.
"""

from dataclasses import dataclass

from django.conf import settings

from services.members.models import ConsentRecord, JoinRequest, Member, Street
from services.roles import DISTRICT_GROUPS


@dataclass(frozen=True)
class StaffScope:
    """Which streets' records a member of staff may see."""

    everything: bool
    street: Street | None = None

    def filter(self, queryset, field: str = "street"):
        if self.everything:
            return queryset
        if self.street is None:
            return queryset.none()
        return queryset.filter(**{field: self.street.pk})

    def covers(self, street_id: int | None) -> bool:
        return self.everything or (self.street is not None and self.street.pk == street_id)


NOTHING = StaffScope(everything=False)
EVERYTHING = StaffScope(everything=True)


def staff_groups(user) -> frozenset[str]:
    """The names of the user's groups, read once per user object (that is, per request)."""
    cached = getattr(user, "_portal_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True)) if user.pk else frozenset()
        user._portal_group_names = cached
    return cached


def staff_street(user) -> Street | None:
    """The street named on the staff member's profile, if any."""
    profile = getattr(user, "staff_profile", None)
    return profile.street if profile else None


def staff_scope(user) -> StaffScope:
    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return NOTHING
    if user.is_superuser or staff_groups(user) & DISTRICT_GROUPS:
        return EVERYTHING
    return StaffScope(everything=False, street=staff_street(user))


def staff_may(user, perm: str, street_id: int | None) -> bool:
    """The staff member holds the permission and works in that street (or every street)."""
    return user.has_perm(perm) and staff_scope(user).covers(street_id)


def members_visible_to(user):
    queryset = Member.objects.select_related("user", "employer", "street", "grassroots_union")
    return staff_scope(user).filter(queryset)


def join_requests_visible_to(user):
    queryset = JoinRequest.objects.select_related(
        "member", "member__user", "street", "grassroots_union"
    )
    return staff_scope(user).filter(queryset)


def members_sharing_card(member: Member):
    """Other members who gave the same payee card (flagged to staff)."""
    if not member.bank_card_index:
        return Member.objects.none()
    return Member.objects.filter(bank_card_index=member.bank_card_index).exclude(pk=member.pk)


def member_of(user) -> Member | None:
    if not user.is_authenticated:
        return None
    return Member.objects.filter(user=user).select_related("employer", "grassroots_union").first()


def current_consent(user) -> ConsentRecord | None:
    """The consent that covers the current notice version, if the worker has given it."""
    return (
        ConsentRecord.objects.filter(
            user=user,
            notice_version__gte=settings.PORTAL_PRIVACY_NOTICE_VERSION,
            withdrawn_at__isnull=True,
        )
        .order_by("-granted_at")
        .first()
    )
