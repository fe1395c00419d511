"""The worker's pages: ``accounts`` (registering, logging in, passwords, the mobile number) and
``me`` (我的: the profile, consents, joining the union, closing the account) and
``certificates`` (skill certificates on the record)."""

from services.members.views.accounts import (
    PortalLoginView,
    bank_card_change,
    login_with_code,
    mobile_change,
    password_reset_confirm,
    password_reset_request,
    register,
)
from services.members.views.certificates import (
    certificate_file,
    certificate_list,
    certificate_withdraw,
)
from services.members.views.me import (
    closure_request,
    consent_renew,
    consent_withdraw,
    consents,
    join_create,
    join_detail,
    join_withdraw,
    privacy_notice,
    profile,
)

__all__ = [
    "PortalLoginView", "bank_card_change", "certificate_file", "certificate_list",
    "certificate_withdraw",
    "closure_request", "consent_renew", "consent_withdraw", "consents", "join_create",
    "join_detail", "join_withdraw",
    "login_with_code", "mobile_change", "password_reset_confirm", "password_reset_request",
    "privacy_notice", "profile", "register",
]  # fmt: skip
