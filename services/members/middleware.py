"""Workers whose consent does not cover the current notice are asked again before anything else."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from services.members import selectors

SESSION_KEY = "consent_version"


class ConsentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_consent(request):
            return redirect(f"{reverse('members:consent_renew')}?next={request.path}")
        return self.get_response(request)

    def _must_consent(self, request) -> bool:
        user = request.user
        if not user.is_authenticated or user.is_staff:
            return False
        version = settings.PORTAL_PRIVACY_NOTICE_VERSION
        if request.session.get(SESSION_KEY) == version:
            return False
        path = request.path_info
        exempt = [reverse("members:consent_renew"), reverse("logout"), reverse("privacy_notice")]
        if any(path == url for url in exempt) or path.startswith(settings.STATIC_URL):
            return False
        if not hasattr(user, "member"):
            return False
        if selectors.current_consent(user):
            request.session[SESSION_KEY] = version
            return False
        return True


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
