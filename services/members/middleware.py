"""Consent, staff idle time and the worker's language, checked on every request."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from services.members import selectors

# The pages a worker can use without a current consent: to give it again, read the notice,
# log out, or close the account.
CONSENT_FREE = {
    "members:consent_renew", "members:consents", "members:consent_withdraw", "members:closure",
    "privacy_notice", "logout",
}  # fmt: skip


class ConsentMiddleware:
    """A worker whose consent does not cover the current notice version (withdrawn, or never
    given for this version) is asked again before using any service page: the pages that need
    a login. Public pages (the report, the program list, the notice) are never blocked. It is
    read from the database on each request, so a withdrawal takes effect in every session of
    the worker at once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_staff:
            return None
        if not getattr(view_func, "login_required", True):
            return None  # a public page
        match = request.resolver_match
        if match is None or match.view_name in CONSENT_FREE or match.app_name == "admin":
            return None
        if not hasattr(user, "member") or selectors.current_consent(user):
            return None
        return redirect(f"{reverse('members:consent_renew')}?next={request.path}")


class StaffIdleTimeoutMiddleware:
    """Staff sessions end after PORTAL_STAFF_IDLE_SECONDS without a request (30 minutes by
    default); every request starts the clock again. Workers keep the normal session length."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and request.user.is_staff:
            request.session.set_expiry(settings.PORTAL_STAFF_IDLE_SECONDS)
        return self.get_response(request)


class LanguagePreferenceMiddleware:
    """Remembers the language a worker uses the portal in, so the text messages and e-mails
    sent to them later are in that language (one UPDATE, only when it changes)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_staff:
            from services.members.services import member_set_language

            member_set_language(user=user, language=getattr(request, "LANGUAGE_CODE", ""))
        return response
