"""maeul settings: one module, chosen by the environment.

MAEUL_ENV = demo (default for `make demo`), dev, test or production. Secrets and keys come
from the environment; demo/dev/test fall back to fixed, clearly non-secret development values
so that `make demo` and `make test` need nothing but Python.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
MAEUL_ENV = os.environ.get("MAEUL_ENV", "dev")
if MAEUL_ENV not in {"demo", "dev", "test", "production"}:
    raise ImproperlyConfigured(
        f"MAEUL_ENV must be demo, dev, test or production, not {MAEUL_ENV!r}"
    )
PRODUCTION = MAEUL_ENV == "production"
TESTING = MAEUL_ENV == "test" or "pytest" in sys.modules
DEMO_MODE = MAEUL_ENV == "demo" or os.environ.get("MAEUL_DEMO") == "1"


def _env_required(name: str, dev_default: str) -> str:
    value = os.environ.get(name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when MAEUL_ENV=production")
    return dev_default


SECRET_KEY = _env_required("SECRET_KEY", "maeul-insecure-development-key-not-for-production")
# Keys for identifiers at rest: comma-separated urlsafe-base64 32-byte keys, newest first.
# The development key below only ever protects synthetic demo data.
MAEUL_FIELD_KEYS = _env_required(
    "MAEUL_FIELD_KEYS", "ZGV2LWtleS1kZXYta2V5LWRldi1rZXktZGV2LWtleTE="
).split(",")
# Key for the keyed blind index (HMAC-SHA256) used for exact look-up of registration numbers.
MAEUL_BLIND_INDEX_KEY = _env_required("MAEUL_BLIND_INDEX_KEY", "dev-blind-index-key")

DEBUG = os.environ.get("DEBUG", "1" if MAEUL_ENV == "dev" else "0") == "1"
#: Reverse proxies in front of the app (1 behind deploy/nginx-maeul.conf): how many
#: X-Forwarded-For entries, from the right, to trust for the client's address.
MAEUL_PROXY_HOPS = int(os.environ.get("MAEUL_PROXY_HOPS", "0"))
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "*" if not PRODUCTION else "").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "maeul.accounts",
    "maeul.areas",
    "maeul.tally",
    "maeul.people",
    "maeul.discovery",
    "maeul.visits",
    "maeul.cases",
    "maeul.resources",
    "maeul.indicators",
    "maeul.benefits",
    "maeul.campaigns",
    "maeul.screening",
    "maeul.routing",
    "maeul.funds",
    "maeul.councils",
    "maeul.evaluation",
    "maeul.hub",
    "maeul.offline",
    "maeul.demo",
]

MIDDLEWARE = [
    "maeul.web.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "maeul.accounts.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "maeul.accounts.middleware.RejectNulBytesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "maeul.accounts.middleware.RequireTwoFactorMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "maeul.web.DomainErrorMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend reading, with the user, their home area and whether their dong has a
    # standing sphere link (two queries fewer a page: maeul/accounts/backends.py).
    "maeul.accounts.backends.UserBackend",
    # Kept so that sessions signed in before UserBackend existed stay valid.
    "django.contrib.auth.backends.ModelBackend",
]
# Lock-out after repeated failed logins (django-axes): 5 failures for a username lock it for
# 30 minutes. Off by default in the test settings, where its own tests turn it on.
AXES_ENABLED = not TESTING
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
# A username is locked after 5 failures from one address (an office behind one NAT address is
# not locked out as a whole by one person's typos).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Two-factor login (TOTP, django-otp) for staff; off in demo mode only (and off by default in
# the test settings, where its own tests turn it on).
MAEUL_REQUIRE_2FA = (
    os.environ.get("MAEUL_REQUIRE_2FA", "0" if (DEMO_MODE or TESTING) else "1") == "1"
)
OTP_TOTP_ISSUER = "maeul"

ROOT_URLCONF = "maeul.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "maeul" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "maeul.accounts.context_processors.navigation",
            ],
        },
    },
]
WSGI_APPLICATION = "maeul.wsgi.application"

# PostgreSQL in production and CI through DATABASE_URL; embedded SQLite otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The pages' queries are short: JIT compilation, which PostgreSQL starts for any query it
    # estimates expensive, cost 17-43 ms per query on the registry of 1,000,000 residents and
    # saved nothing (docs/production.md, "Scale"). MAEUL_PG_OPTIONS replaces these settings
    # (libpq's "options"); an `options` given in DATABASE_URL wins.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", os.environ.get("MAEUL_PG_OPTIONS", "-c jit=off")
    )
# Rounds (docs/routing.md): seconds of search per dong-day (the week gets five times as much),
# and the nominal day in hours out, lunch included, past which a round costs (a hub policy:
# 8 is 9:00-17:00 on a 9:00-18:00 shift, an hour left at the centre for the records).
ROUTING_TIME_LIMIT = float(os.environ.get("MAEUL_ROUTING_TIME_LIMIT", "2"))
ROUTING_NOMINAL_DAY_HOURS = float(os.environ.get("MAEUL_ROUTING_NOMINAL_DAY_HOURS", "8"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

# Background work (STYLE.md 8): Django's tasks API through the django-tasks backport, queued in
# the database (SQLite or PostgreSQL, nothing else to run) and executed by `manage.py db_worker`
# (started by `make demo`; deploy/maeul-worker.service in production). The test settings run
# tasks in the request (ImmediateBackend) so that page tests need no worker; the tests of the
# worker itself switch back to the database backend and run `db_worker --batch`
# (maeul/benefits/tests/test_sweep_task.py).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TESTING
        else "django_tasks_db.DatabaseBackend"
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Fast hashing keeps the suite quick; production keeps Django's PBKDF2 default.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "hub:home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "maeul" / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "maeul" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "maeul",
    }
}
# django-ratelimit refuses a cache that is not shared between processes; locmem is per-process,
# which is what a single-server demo has. Production sets a shared cache (database or Redis).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
RATELIMIT_VIEW = "maeul.accounts.views.rate_limited"

# Upload limits: a 10,000-row high-risk list is ~1 MB as CSV.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAEUL_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
MAEUL_UPLOAD_MAX_ROWS = 50_000

# Idle timeout: a session ends after 30 minutes without a request. Its expiry is moved on at
# most once a minute (accounts.middleware.SessionRefreshMiddleware), not written on every page.
SESSION_COOKIE_AGE = 30 * 60
MAEUL_SESSION_REFRESH_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

# Content-Security-Policy (django-csp): no inline script anywhere; htmx is served from 'self'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    DEBUG = os.environ.get("DEBUG") == "1"
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
