"""Which app runs which kind of program. Each program app registers its kinds in its
``AppConfig.ready()``, so the shared pages can link to the right application form."""

_APPLY_URLS: dict[str, str] = {}


def register_kind(kind: str, apply_url_name: str) -> None:
    _APPLY_URLS[kind] = apply_url_name


def apply_url_name(kind: str) -> str | None:
    return _APPLY_URLS.get(kind)
