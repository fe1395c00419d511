from django.conf import settings
from django.urls import translate_url


def _in_language(path: str, code: str) -> str:
    """The same page in another language; for an address that resolves to nothing (an error
    page), the language prefix is swapped by hand."""
    translated = translate_url(path, code)
    if translated != path or code == settings.LANGUAGE_CODE and not path.startswith("/en/"):
        return translated
    bare = path.removeprefix("/en")
    return bare if code == settings.LANGUAGE_CODE else f"/{code}{bare}"


def portal(request):
    """The federation's name and a link to the current page in each language."""
    path = request.get_full_path()
    return {
        "portal_name": settings.PORTAL_NAME,
        "PORTAL_PRIVACY_NOTICE_VERSION": settings.PORTAL_PRIVACY_NOTICE_VERSION,
        "language_links": [
            {"code": code, "name": name, "url": _in_language(path, code)}
            for code, name in settings.LANGUAGES
        ],
    }
