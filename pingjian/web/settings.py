"""Settings for the pingjian web platform, read from the environment in one place.

Environment variables (all optional; the defaults run a local SQLite site):

- ``PINGJIAN_SECRET_KEY``   secret key (a fixed development key otherwise; refused in production
                            when ``PINGJIAN_DEBUG`` is off and ``PINGJIAN_DEMO`` is off)
- ``PINGJIAN_DEBUG``        ``1`` for Django's debug mode
- ``PINGJIAN_DEMO``         ``1`` in demo mode: demo accounts may log in and are listed on the login page
- ``PINGJIAN_ALLOWED_HOSTS`` comma-separated (default ``127.0.0.1,localhost``)
- ``DATABASE_URL``          ``postgres://…`` for PostgreSQL; SQLite at ``var/pingjian.sqlite3`` otherwise
- ``PINGJIAN_EMAIL_BACKEND`` Django e-mail backend (console by default)
- ``PINGJIAN_VAR_DIR``      where the SQLite file, uploads and collected static files live
- ``PINGJIAN_AUDIT_KEY`` / ``PINGJIAN_AUDIT_KEY_FILE``  the key that signs the audit checkpoints
                            (never in the database; a key file is generated under the var dir
                            unless ``PINGJIAN_PRODUCTION`` is on)
- ``PINGJIAN_AUDIT_CHECKPOINT_DIR``  where the signed checkpoints are appended (``var/audit``)
- ``PINGJIAN_DENTAL_DATA_ROOT``  root of the claims folders reviewers may name (unset: upload only)
- ``PINGJIAN_DENTAL_UPLOAD_DIR``  where uploaded claims files are kept per run (``var/dental-uploads``)
- ``PINGJIAN_DENTAL_STORE``  the one quarterly claims store the reviewer pages load into and score from
  (``var/dental-store``)
- ``PINGJIAN_AUDIT_CHECKPOINT_MINUTES``  how often the checkpoint job signs the chain head (60)
- ``PINGJIAN_IDEMPOTENCY_HOURS``  how long an API POST's ``Idempotency-Key`` is honoured, its first
  answer kept (24; then the hourly job deletes it)
- ``PINGJIAN_PRODUCTION``   ``1`` for a production site (`pingjian serve` without ``--demo`` sets it):
                            no default allowed hosts, compressed manifest static files, and a refusal
                            to start with an insecure setting (``core/production.py``)
- ``PINGJIAN_DB_CONN_MAX_AGE`` seconds a database connection is kept open (0: one per request)
- ``PINGJIAN_EMAIL_HOST`` / ``_PORT`` / ``_USER`` / ``_PASSWORD`` / ``_USE_TLS``  SMTP, for the smtp backend
- ``PINGJIAN_PUBLIC_URL``   the site's public address (``https://pingjian.example.tw``): certificates'
                            QR codes and feeds link there (the request's host otherwise)
- ``PINGJIAN_HTTPS``        ``1`` behind HTTPS: Secure session and CSRF cookies, HSTS, the proxy's scheme
- ``PINGJIAN_SESSION_MINUTES``  idle minutes before a session ends (30)
- ``PINGJIAN_LOGIN_FAILURES``   failed log-ins (one account from one address) before a lockout (5)
- ``PINGJIAN_LOCKOUT_MINUTES``  how long a lockout lasts (15)
- ``PINGJIAN_PDF_CONCURRENCY``  PDFs rendered at once per web process (2)
- ``PINGJIAN_PDF_TIMEOUT_SECONDS``  a PDF render still running after this is stopped, answered 503 (30)
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from pingjian.web.core.production import insecure_settings

WEB_DIR = Path(__file__).resolve().parent
REPO_DIR = WEB_DIR.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


VAR_DIR = Path(os.environ.get("PINGJIAN_VAR_DIR", REPO_DIR / "var"))

DEBUG = env_bool("PINGJIAN_DEBUG")
DEMO = env_bool("PINGJIAN_DEMO")
PRODUCTION = env_bool("PINGJIAN_PRODUCTION")
_DEV_KEY = "pingjian-development-key-not-for-production-use-0123456789abcdef"
SECRET_KEY = os.environ.get("PINGJIAN_SECRET_KEY", _DEV_KEY)
ALLOWED_HOSTS = env_list("PINGJIAN_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
PUBLIC_URL = os.environ.get("PINGJIAN_PUBLIC_URL", "").strip().rstrip("/")

# The domain apps, layer by layer from the ground up (docs/architecture.md). An app imports only
# apps of lower layers, and the apps of one layer import none of each other; the import-linter
# contract in pyproject.toml states the same layers and CI checks it (tests/web/test_layers.py
# checks that both lists agree). Each app may provide `urls.py` (mounted at /<app>/), `api.py`
# with `router` (mounted at /api/<app>/) and `panels.py` (dashboard panels and navigation),
# found by pingjian/web/core/discovery.py; the roof app (`dashboard`) may import every app.
APP_LAYERS = [
    ["core"],
    ["audit"],
    ["accounts"],
    ["notifications"],
    ["institutions"],
    ["programs", "registry", "closures", "dentalreview"],
    ["cycles"],
    ["applications"],
    ["evidence", "bureau", "visits"],
    ["assessments"],
    ["decisions"],
    ["documents"],
    ["reminders"],
    ["dashboard"],
]
DOMAIN_APPS = [app for layer in APP_LAYERS for app in layer]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves the /api/docs Swagger UI from its own static files (no CDN)
    "template_partials",
    "rules",
    "django_tasks",
    "django_tasks_db",
    "axes",  # login throttling and lockout (accounts.views audits each attempt in words)
    "django_otp",
    "django_otp.plugins.otp_totp",  # TOTP two-factor: required for office, admin and bureau roles
    *[f"pingjian.web.{name}" for name in DOMAIN_APPS],
]

MIDDLEWARE = [
    "pingjian.web.core.bounds.BoundedRequestMiddleware",  # 413 / 400 / 404 before anything reads
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pingjian.web.core.middleware.ChineseFirstLocaleMiddleware",  # LocaleMiddleware, cookie only
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "pingjian.web.accounts.middleware.TwoFactorMiddleware",  # office/admin/bureau: enrol or verify first
    "pingjian.web.accounts.middleware.IdempotencyMiddleware",  # API POSTs with an Idempotency-Key
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the lockout page
]

ROOT_URLCONF = "pingjian.web.urls"
WSGI_APPLICATION = "pingjian.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pingjian.web.dashboard.context_processors.pingjian",
            ],
            "builtins": ["pingjian.web.core.templatetags.roc"],
        },
    }
]

# --- database: SQLite by default (WAL, busy timeout, IMMEDIATE transactions), PostgreSQL by URL --------
SQLITE_PATH = VAR_DIR / "pingjian.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}",
        conn_max_age=int(os.environ.get("PINGJIAN_DB_CONN_MAX_AGE") or 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    if not os.environ.get("DATABASE_URL"):
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out username/address
    "rules.permissions.ObjectPermissionBackend",
    "pingjian.web.accounts.backends.PingjianModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "dashboard:landing"
# Argon2id first: new and changed passwords are hashed with it, older hashes are upgraded at log-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# The password policy: at least 12 characters (8 in the demo, whose shared password is published),
# not like the username, not a common password, not only digits.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8 if DEMO else 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Two-factor (django-otp TOTP): office staff, program administrators, superusers and health bureau
# officers enrol a TOTP device and verify a code after their password, except in demo mode
# (accounts.twofactor.two_factor_required reads DEMO at each request).
OTP_TOTP_ISSUER = "pingjian 評鑑"
# Login throttling (django-axes): N failures for one username from one address lock that pair out
# for a while; a success resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("PINGJIAN_LOGIN_FAILURES") or 5)
AXES_COOLOFF_TIME = int(os.environ.get("PINGJIAN_LOCKOUT_MINUTES") or 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "pingjian.web.accounts.views.locked_out"
# The address counted is the one the log-in history shows (X-Forwarded-For only behind the HTTPS proxy).
AXES_CLIENT_IP_CALLABLE = "pingjian.web.accounts.actions.client_ip"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False  # lockouts are read in the log-in history, not in the admin

# --- language and time: Traditional Chinese first, English switchable; Taipei time ------------------
# Source strings in templates and code are Traditional Chinese; the English catalog lives in
# pingjian/web/locale/en (see docs/decisions.md, "Web platform").
LANGUAGE_CODE = "zh-hant"
LANGUAGES = [("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [WEB_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Taipei"
USE_TZ = True

# --- static files: served by the app through WhiteNoise, never from a CDN ----------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
WHITENOISE_USE_FINDERS = not PRODUCTION  # development: straight from the apps, `collectstatic` optional
MEDIA_ROOT = VAR_DIR / "media"
# Production: `pingjian serve` runs collectstatic into STATIC_ROOT; WhiteNoise serves the hashed,
# compressed copies with far-future cache headers.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- background tasks: django-tasks with the database backend (enqueue commits with the write) ------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- audit checkpoints (issue 17): the signing key and the checkpoints live outside the database ----
AUDIT_KEY = os.environ.get("PINGJIAN_AUDIT_KEY", "")
AUDIT_KEY_FILE = Path(os.environ.get("PINGJIAN_AUDIT_KEY_FILE") or VAR_DIR / "audit-checkpoint.key")
AUDIT_KEY_GENERATE = not os.environ.get("PINGJIAN_AUDIT_KEY_FILE") and not env_bool("PINGJIAN_PRODUCTION")
AUDIT_CHECKPOINT_DIR = Path(os.environ.get("PINGJIAN_AUDIT_CHECKPOINT_DIR") or VAR_DIR / "audit")
AUDIT_CHECKPOINT_MINUTES = int(os.environ.get("PINGJIAN_AUDIT_CHECKPOINT_MINUTES") or 60)
# accounts.middleware.IdempotencyMiddleware answers a repeat within this window; accounts.tasks
# deletes older records (docs/decisions.md, "Idempotency-Key retention").
IDEMPOTENCY_RETENTION = dt.timedelta(hours=int(os.environ.get("PINGJIAN_IDEMPOTENCY_HOURS") or 24))

# --- the NHI dental review (dentalreview): server folders of claims under one root; uploads kept here --
PINGJIAN_DENTAL_DATA_ROOT = (
    Path(os.environ["PINGJIAN_DENTAL_DATA_ROOT"]) if os.environ.get("PINGJIAN_DENTAL_DATA_ROOT") else None
)
PINGJIAN_DENTAL_UPLOAD_DIR = Path(os.environ.get("PINGJIAN_DENTAL_UPLOAD_DIR") or VAR_DIR / "dental-uploads")
PINGJIAN_DENTAL_STORE = Path(os.environ.get("PINGJIAN_DENTAL_STORE") or VAR_DIR / "dental-store")

# --- e-mail: console in demo and development ---------------------------------------------------------
EMAIL_BACKEND = os.environ.get("PINGJIAN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("PINGJIAN_FROM_EMAIL", "pingjian@localhost")
EMAIL_HOST = os.environ.get("PINGJIAN_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("PINGJIAN_EMAIL_PORT") or 25)
EMAIL_HOST_USER = os.environ.get("PINGJIAN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("PINGJIAN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("PINGJIAN_EMAIL_USE_TLS")

# --- security -----------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # pages carry the token in the body's hx-headers; no script reads the cookie
CSRF_COOKIE_SAMESITE = "Lax"
# Idle timeout: a session lasts SESSION_COOKIE_AGE after its latest request (saved on each one).
SESSION_COOKIE_AGE = int(os.environ.get("PINGJIAN_SESSION_MINUTES") or 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_FAILURE_VIEW = "pingjian.web.core.views.csrf_failure"  # the site's frame, zh-Hant first, a way back
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): everything from our own origin, no inline scripts or styles
# (handlers live in core/static/core/pingjian.js), no plugins, no framing, forms post only to us.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # data: for the icons inside the API docs' stylesheet
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("PINGJIAN_HTTPS"):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_SSL_REDIRECT = env_bool("PINGJIAN_SSL_REDIRECT")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# Bounded input (issue 17): a request body over PINGJIAN_MAX_REQUEST_BYTES is refused from its
# Content-Length before it is read (core.bounds); the evidence maximum is 20 MB (evidence.checks),
# plus 1 MB for the multipart envelope. Form fields (not files) together at most 2 MB; uploads over
# 2.5 MB stream to a temporary file instead of memory.
PINGJIAN_MAX_REQUEST_BYTES = 21 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
PINGJIAN_PDF_CONCURRENCY = int(
    os.environ.get("PINGJIAN_PDF_CONCURRENCY", "2")
)  # documents.render: PDFs at once per process
# documents.render: a PDF still rendering after this many seconds is stopped (its child process
# killed) and answered 503; the longest allowed documents take about a second.
PINGJIAN_PDF_TIMEOUT_SECONDS = float(os.environ.get("PINGJIAN_PDF_TIMEOUT_SECONDS") or 30)
NINJA_PAGINATION_MAX_LIMIT = 200  # core.pagination.MAX_PAGE_SIZE, for any paginate() left on the default

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PINGJIAN_LOG_LEVEL", "WARNING")},
}

# last, so that it sees every setting above
if PRODUCTION and (_problems := insecure_settings(globals(), development_key=_DEV_KEY)):
    raise ImproperlyConfigured(
        "refusing to start in production with insecure settings:\n" + "\n".join(f"  - {p}" for p in _problems)
    )
