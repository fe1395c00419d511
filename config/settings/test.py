"""The test suite's settings: ``base`` with only what tests need changed.

Tests run on SQLite (a temporary file) unless ``DATABASE_URL`` names another database (CI runs
PostgreSQL and SQLite). Nothing here is read by a server.
"""

import os

os.environ.setdefault("DJANGO_ENV", "development")
if os.environ["DJANGO_ENV"] == "production":
    raise RuntimeError("the tests never run with DJANGO_ENV=production")

from config.settings.base import *  # noqa: E402, F403
from config.settings.base import PASSWORD_HASHERS, STATIC_ROOT  # noqa: E402

TESTING = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: the browser tests' live server answers requests in threads, and an
    # in-memory database shared between threads reports "table is locked" at once instead of
    # waiting its turn as a file in WAL mode does.
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"portal-test-{os.getpid()}.sqlite3")
    }

# Hashing cost is not under test; Argon2 stays first everywhere else.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}}
# Static files come from the finders; no manifest to build first.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing one
# Text messages land in a list the tests read; tasks run at once, after the commit.
PORTAL_SMS_BACKEND = "services.members.sms.LocmemSmsBackend"
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
