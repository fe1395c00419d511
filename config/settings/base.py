"""Settings for the Qiantang union member-services portal.

Everything comes from the environment (see the README's table). With no environment at all
the portal still runs: SQLite under ``var/``, a secret key generated once into ``var/``, DEBUG
off. ``DJANGO_ENV=production`` turns on every transport and cookie protection and refuses to
start without a real secret key and allowed hosts. The test suite runs with
``config.settings.test``, which starts from this module and changes only what tests need.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

# ---------------------------------------------------------------------------------------------
# Environment kind
# ---------------------------------------------------------------------------------------------
DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be development or production, not {DJANGO_ENV!r}")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DJANGO_DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off when DJANGO_ENV=production")


def _secret_key() -> str:
    """The secret key: from the environment, or (outside production) generated once into var/."""
    key = env.str("DJANGO_SECRET_KEY", default="")
    if key:
        if PRODUCTION and (len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure")):
            raise ImproperlyConfigured("DJANGO_SECRET_KEY is too weak for production")
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_ENV=production")
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

if PRODUCTION:
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_ENV=production")
else:
    ALLOWED_HOSTS = env.list(
        "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"]
    )
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# ---------------------------------------------------------------------------------------------
# Applications
# ---------------------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "config.apps.TotpConfig",
    "config.apps.AxesConfig",
    "config.apps.TasksConfig",
    "config.apps.PortalConfig",
    "services.members.apps.MembersConfig",
    "services.applications.apps.ApplicationsConfig",
    "services.tuition.apps.TuitionConfig",
    "services.courses.apps.CoursesConfig",
    "services.mutual_aid.apps.MutualAidConfig",
    "services.hardship.apps.HardshipConfig",
    "reports.apps.ReportsConfig",
]
AUTH_USER_MODEL = "members.User"

MIDDLEWARE = [
    "services.members.net.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages for anonymous readers, answered before sessions, CSRF and locale run.
    "config.pagecache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Before any view reads the body: an oversized upload is refused unread (413).
    "config.errors.ErrorPagesMiddleware",
    "config.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "services.members.middleware.ConsentMiddleware",
    "services.members.middleware.StaffIdleTimeoutMiddleware",
    "services.members.middleware.LanguagePreferenceMiddleware",
    # django-axes must come last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.portal",
            ],
        },
    },
]

# ---------------------------------------------------------------------------------------------
# Database and cache
# ---------------------------------------------------------------------------------------------
# An empty DATABASE_URL counts as unset.
DATABASES = {
    "default": env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"
    ),
}
# Measured: opening a connection per request halves a page's throughput (PostgreSQL), and
# costs an SQLite page 1.3 ms of its 3 (the file is opened and WAL set up again).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast when the database is away, so /healthz/ready answers 503 within seconds.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# With no CACHE_URL, a file cache under var/: shared by every gunicorn worker of `make run`,
# so lockouts, rate limits and the public pages' generations (config/pagecache.py) hold
# across workers without a Redis server.
CACHES = {"default": env.cache_url("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")}
if CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 20_000)
if PRODUCTION and (
    not env.str("CACHE_URL", default="")
    or CACHES["default"]["BACKEND"].endswith(("LocMemCache", "DummyCache"))
):
    # Per-address limits, lockout counts and the public pages' generations live in the cache:
    # every worker and every instance must share it.
    raise ImproperlyConfigured("CACHE_URL must name a shared cache (redis://...) in production")

# ---------------------------------------------------------------------------------------------
# Authentication
# ---------------------------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "services.members.hashers.PortalArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out client is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "members:profile"
LOGOUT_REDIRECT_URL = "home"

# Login throttling (django-axes): after 5 failures for one mobile number from one address,
# that pair is locked out for 15 minutes with HTTP 429 and a page that says when to retry.
AXES_FAILURE_LIMIT = env.int("PORTAL_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("PORTAL_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_STR_CALLABLE = "services.members.pii.axes_client_str"
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token", "id_number", "mobile", "code"]
# Behind PORTAL_PROXY_COUNT reverse proxies, the client's address is read from
# X-Forwarded-For by django-ipware (the library axes uses): the first proxy sets the header to
# the address it saw (nginx: proxy_set_header X-Forwarded-For $remote_addr), each further
# proxy appends its own, so the header holds exactly PORTAL_PROXY_COUNT entries and the
# left-most is the client. Lockouts, reveal logs and the access log all use that address.
PORTAL_PROXY_COUNT = env.int("PORTAL_PROXY_COUNT", default=0)
if PORTAL_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = PORTAL_PROXY_COUNT - 1
    AXES_IPWARE_PROXY_ORDER = "left-most"
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
# After this many failed passwords for one number in an hour, from any address, the password
# alone no longer logs in: the owner adds a texted code, or logs in with the code alone.
PORTAL_LOGIN_ACCOUNT_LIMIT = env.int("PORTAL_LOGIN_ACCOUNT_LIMIT", default=10)
# Requests for texted codes, registrations and password resets from one address per hour.
PORTAL_SMS_PER_ADDRESS_HOUR = env.int("PORTAL_SMS_PER_ADDRESS_HOUR", default=20)

# Staff reach the admin with a password and a TOTP code (django-otp).
OTP_TOTP_ISSUER = "钱塘区总工会"
# Demo staff get a known TOTP device (printed by `make run`); never in production.
PORTAL_DEMO_MODE = not PRODUCTION and env.bool("PORTAL_DEMO_MODE", default=True)

# ---------------------------------------------------------------------------------------------
# Language and time: Chinese first, English shipped
# ---------------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
# Each language is named in itself, so the switch reads right whatever the current language.
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------------------------------------
# Static and media files
# ---------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads (proofs, certificates, photos, rosters, exports) in S3-compatible object storage, so
# that any instance serves a file another stored (django-storages). Objects are private: the
# portal reads them and serves them through its permission checks, never by their address.
if env.str("PORTAL_MEDIA_STORAGE", default="filesystem") == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("PORTAL_S3_BUCKET"),
            "endpoint_url": env.str("PORTAL_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("PORTAL_S3_REGION", default="") or None,
            "access_key": env.str("PORTAL_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("PORTAL_S3_SECRET_ACCESS_KEY", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": "AES256"},
        },
    }
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# ---------------------------------------------------------------------------------------------
# Security headers. Pages carry no inline script or style, so the policy needs no
# 'unsafe-inline'; anything inline must carry the request's nonce.
# ---------------------------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sessions read from the shared cache (Redis in production) and written through to the
# database: any instance serves any request, and a restarted Redis logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=8 * 3600)
PORTAL_STAFF_IDLE_SECONDS = env.int("PORTAL_STAFF_IDLE_SECONDS", default=30 * 60)

if PRODUCTION:
    # TLS ends at the reverse proxy, which sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"


# ---------------------------------------------------------------------------------------------
# E-mail and logging
# ---------------------------------------------------------------------------------------------
def _mailer(url: str) -> dict:
    """A Django 6.1 MAILERS entry from an e-mail URL (smtp+tls://user:pass@host:587, consolemail://)."""
    parsed = environ.Env.email_url_config(url)
    options = {
        "host": parsed.get("EMAIL_HOST"),
        "port": parsed.get("EMAIL_PORT"),
        "username": parsed.get("EMAIL_HOST_USER"),
        "password": parsed.get("EMAIL_HOST_PASSWORD"),
        "use_tls": parsed.get("EMAIL_USE_TLS"),
        "use_ssl": parsed.get("EMAIL_USE_SSL"),
    }
    backend = parsed["EMAIL_BACKEND"]
    if not backend.endswith("smtp.EmailBackend"):
        options = {}
    return {"BACKEND": backend, "OPTIONS": {k: v for k, v in options.items() if v}}


# The console backend by default outside production: nothing leaves the machine.
MAILERS = {
    "default": _mailer(
        env.str(
            "DJANGO_EMAIL_URL", default="smtp://localhost:25" if PRODUCTION else "consolemail://"
        )
    )
}
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="noreply@qiantang-union.local")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Portal admins", a) for a in env.list("DJANGO_ADMINS", default=[])]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"client_errors": {"()": "config.logfilters.ClientErrorsInOneLine"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["client_errors"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes.apps": {"level": "WARNING"},
    },
}

# ---------------------------------------------------------------------------------------------
# Personal data (PIPL): field encryption and blind-index keys
# ---------------------------------------------------------------------------------------------


def _key(name: str, generate) -> str:
    """A key from the environment, or (outside production) generated once into var/."""
    value = env.str(name, default="")
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_ENV=production")
    key_file = VAR_DIR / name.lower()
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(generate())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


# Comma-separated Fernet keys: the first encrypts, all decrypt (see `rotate_field_keys`).
PORTAL_FIELD_KEYS = _key("PORTAL_FIELD_KEYS", _fernet_key).split(",")
# The HMAC key of the blind index that finds a member by ID number. Never the encryption key,
# never stored in the database.
PORTAL_BLIND_INDEX_KEY = _key("PORTAL_BLIND_INDEX_KEY", lambda: secrets.token_urlsafe(48))
if PORTAL_BLIND_INDEX_KEY in PORTAL_FIELD_KEYS:
    raise ImproperlyConfigured("PORTAL_BLIND_INDEX_KEY must differ from the field keys")

# Text messages: a backend class; the console backend prints, the file backend appends to
# var/sms.log. A real provider is a small class with the same send() method.
PORTAL_SMS_BACKEND = env.str("PORTAL_SMS_BACKEND", default="services.members.sms.ConsoleSmsBackend")
PORTAL_SMS_FILE = env.path("PORTAL_SMS_FILE", default=str(VAR_DIR / "sms.log"))
# The personal-information notice workers consent to; raising it asks everyone again.
# Version 2 names the bank card, proofs, texts, recipients and retention periods.
PORTAL_PRIVACY_NOTICE_VERSION = env.int("PORTAL_PRIVACY_NOTICE_VERSION", default=2)
# Who workers write to about their personal information (shown in the notice).
PORTAL_PRIVACY_CONTACT = env.str(
    "PORTAL_PRIVACY_CONTACT",
    default="区总工会办公室（个人信息保护联系人），电子邮件 privacy@qiantang-union.local",
)

# ---------------------------------------------------------------------------------------------
# Background tasks (Django's tasks framework): a database queue worked by `manage.py db_worker`,
# which `make run` starts beside gunicorn.
# ---------------------------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.str("PORTAL_TASK_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# Uploaded proofs: PDF, JPEG or PNG up to this size each, kept in private storage.
PORTAL_UPLOAD_MAX_BYTES = env.int("PORTAL_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploads stream to a temporary file
DATA_UPLOAD_MAX_NUMBER_FILES = 5

# ---------------------------------------------------------------------------------------------
# Portal
# ---------------------------------------------------------------------------------------------
PORTAL_NAME = _("杭州市钱塘区总工会")
# Public pages that show live counts (places left, a program's budget) are kept at most this
# long; edits by staff replace them at once (config/pagecache.py).
PORTAL_LIVE_PAGE_SECONDS = env.int("PORTAL_LIVE_PAGE_SECONDS", default=30)

# How long personal data is kept (services/retention.py, `manage.py apply_retention` daily).
PORTAL_KEEP_CLOSED_APPLICATION_DAYS = env.int("PORTAL_KEEP_CLOSED_APPLICATION_DAYS", default=730)
PORTAL_KEEP_DRAFT_UPLOAD_DAYS = env.int("PORTAL_KEEP_DRAFT_UPLOAD_DAYS", default=90)
PORTAL_KEEP_EXPORT_DAYS = env.int("PORTAL_KEEP_EXPORT_DAYS", default=7)
PORTAL_KEEP_NOTICE_DAYS = env.int("PORTAL_KEEP_NOTICE_DAYS", default=30)
PORTAL_KEEP_LOGIN_RECORD_DAYS = env.int("PORTAL_KEEP_LOGIN_RECORD_DAYS", default=90)
