"""Reads about members and the staff who may see them.

Street scoping lives here: a member of staff whose ``StaffProfile`` names a street sees only
that street's members and join requests; district staff (no street) see all.
"""

from django.conf import settings

from services.members.models import ConsentRecord, JoinRequest, Member, Street


def staff_street(user) -> Street | None:
    """The street a member of staff is limited to, or None for district-wide staff."""
    if user.is_superuser:
        return None
    profile = getattr(user, "staff_profile", None)
    return profile.street if profile else None


def is_street_limited(user) -> bool:
    return staff_street(user) is not None


def members_visible_to(user):
    queryset = Member.objects.select_related("user", "employer", "street", "grassroots_union")
    street = staff_street(user)
    return queryset.filter(street=street) if street else queryset


def join_requests_visible_to(user):
    queryset = JoinRequest.objects.select_related(
        "member", "member__user", "street", "grassroots_union"
    )
    street = staff_street(user)
    return queryset.filter(street=street) if street else queryset


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
