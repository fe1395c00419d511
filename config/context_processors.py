from django.conf import settings
from django.urls import translate_url


def portal(request):
    """The federation's name and a link to the current page in each language."""
    path = request.get_full_path()
    return {
        "portal_name": settings.PORTAL_NAME,
        "PORTAL_PRIVACY_NOTICE_VERSION": settings.PORTAL_PRIVACY_NOTICE_VERSION,
        "language_links": [
            {"code": code, "name": name, "url": translate_url(path, code)}
            for code, name in settings.LANGUAGES
        ],
    }
