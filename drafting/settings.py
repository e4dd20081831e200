"""Settings for the drafting tool, read from the environment.

Every setting that differs between a laptop, CI and production comes from an
environment variable; a bad value stops the process with a message instead of
being guessed at.
"""

from __future__ import annotations

import os
import shutil
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import to_locale
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


DEBUG = envbool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is not set. Set it, or set DEBUG=1 for local development.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"
elif not DEBUG and (len(SECRET_KEY) < 32 or SECRET_KEY.startswith(("change-me", "django-insecure"))):
    # A short or placeholder key signs sessions anyone could forge: refuse to start with it.
    raise ImproperlyConfigured(
        "SECRET_KEY is a placeholder or shorter than 32 characters. Make one with "
        '`python3 -c "import secrets; print(secrets.token_urlsafe(50))"`.'
    )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" + (",*" if DEBUG else ""))
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "drafting.static_storage.StaticFilesConfig",
    "django_htmx",
    "ninja",
    "simple_history",
    "django_tasks_db",
    "drafting",
]

# Long exports run in a worker (``manage.py db_worker``) fed through the database;
# TASKS_BACKEND=immediate runs them inside the request instead (tests, a single process).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
_task_backend = os.environ.get("TASKS_BACKEND", "database")
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {_task_backend!r}"
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_task_backend]}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "drafting.middleware.StaticFiles",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The person's language (their profile's, kept in the session at login), else the language
    # cookie, else the browser's Accept-Language: before CommonMiddleware, as Django's is.
    "drafting.languages.PreferredLanguage",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "drafting.urls"
WSGI_APPLICATION = "drafting.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # LANGUAGE_CODE, which every fragment cache key carries: a fragment holds interface words.
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "drafting.context_processors.roles",
                "drafting.context_processors.language",
            ],
        },
    },
]

DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "var"))
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'drafting.sqlite3'}"
if DATABASE_URL.split(":", 1)[0] not in {"sqlite", "postgres", "postgresql", "pgsql"}:
    raise ImproperlyConfigured(
        f"DATABASE_URL must be sqlite:///path or postgres://user:pass@host:port/name, not {DATABASE_URL!r}"
    )
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    # Long imports write many rows; WAL keeps readers unblocked meanwhile.
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_SQLITE_NAME", "")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # Validates nothing: told of every password change, it ends the person's API tokens.
    {"NAME": "drafting.services.tokens.EndTokensOnPasswordChange"},
]

# The ITU's six official languages, each named in itself (the switch in the header lists them so).
# Resolution texts stay in the language they were imported in; only the interface is translated.
LANGUAGE_CODE = "en"
ITU_LANGUAGES = [
    ("ar", "العربية"),
    ("zh-hans", "中文"),
    ("en", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# A language is offered once its catalogue is compiled (locale/<ll>/LC_MESSAGES/django.mo):
# never a page half in another language. tests/test_translations.py requires all six.
LANGUAGES = [
    (code, name)
    for code, name in ITU_LANGUAGES
    if code == LANGUAGE_CODE or (LOCALE_PATHS[0] / to_locale(code) / "LC_MESSAGES" / "django.mo").exists()
]
# Dates and numbers as each language writes them; English keeps the British forms ("7 Dec 2026").
FORMAT_MODULE_PATH = ["drafting.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", "") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Static files as a browser should get them: `collectstatic` (in the image, in `./dev run`, in the
# load test) writes each file under a name carrying its content's hash, with gzip and Brotli copies,
# and whitenoise serves those names cached for a year as immutable (drafting.middleware.StaticFiles):
# a page opened again costs no request for them, and a new deployment's files have new names.
# Only the hashed names are kept, so no page can load a file a browser might keep stale. With DEBUG
# on (`./dev run`) the pages name the plain files, served from the apps' folders as they are edited.
# The suite's settings keep the plain storage: no collectstatic needed (tests/settings.py).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "drafting.static_storage.StaticStorage"},
}
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
# Source maps are opened by developer tools only: not worth compressing at every build.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"  # routes by role (drafting.views.home)
LOGOUT_REDIRECT_URL = "resolution_list"

# Uploads: a resolution is tens of kilobytes; anything past this limit is refused
# before it is read into memory.
MAX_UPLOAD_BYTES = envint("MAX_UPLOAD_BYTES", 5 * 1024 * 1024)

# LibreOffice's program, which turns the Word exports into PDF (the export worker runs it); found on
# the PATH by default (the Docker image installs it). Empty: PDF export is not offered.
LIBREOFFICE = os.environ.get("LIBREOFFICE", shutil.which("soffice") or shutil.which("libreoffice") or "")
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # The nonce: a page's print header (@page rules cannot read the page's content) and the base
    # template's one style element (the words screen readers say around marks).
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Conference day on one box (issue 12): password hashing, sessions, caches, live updates ---

# Argon2id with OWASP's parameters first (about 30 ms a check here, against about 1 s for
# PBKDF2): hashes made with the others still verify and are rewritten at the next login.
PASSWORD_HASHERS = [
    "drafting.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# A delegate logs in once for the whole conference (three weeks by default), and a
# session is read from the cache, falling back to the database, not queried every request.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 21 * 24 * 3600)

# The cache holds sessions and rendered pages keyed by what they show (a proposal's or a
# consolidation's version). The default needs no server: each process keeps its own, and
# a miss only means rendering once more. CACHE_URL shares one cache between processes and
# machines: redis://host:6379/0 (needs the `redis` package) or db:// (the table made by
# `manage.py createcachetable`).
CACHE_URL = os.environ.get("CACHE_URL", "locmem://")
if CACHE_URL.startswith("locmem://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "drafting",
            "OPTIONS": {"MAX_ENTRIES": envint("CACHE_MAX_ENTRIES", 5000)},
        }
    }
elif CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL == "db://":
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "drafting_cache"}
    }
else:
    raise ImproperlyConfigured(
        f"CACHE_URL must be locmem://, db:// or redis://host:port/n, not {CACHE_URL!r}"
    )

# How often an open page asks the live channel whether anything changed (milliseconds),
# and how long the page's channel pass stays valid (a reload renews it).
LIVE_POLL_MS = envint("LIVE_POLL_MS", 1500)
LIVE_TOKEN_MAX_AGE = envint("LIVE_TOKEN_MAX_AGE", 12 * 3600)
# Seconds a process keeps its answer to "may this pass still be used?" (logout, deactivation, leaving
# the group end a pass within this, plus a poll's interval): drafting.live.access.
LIVE_ACCESS_RECHECK_S = envint("LIVE_ACCESS_RECHECK_S", 30)
# Live copies rendered (not found in the cache) per minute for one person (or one pass given to no one)
# and for one address, in each process; past either, 429 and the page asks again at the next change.
LIVE_COPY_RENDERS_PER_HOLDER = envint("LIVE_COPY_RENDERS_PER_HOLDER", 120)
LIVE_COPY_RENDERS_PER_ADDRESS = envint("LIVE_COPY_RENDERS_PER_ADDRESS", 3000)
# Pages hold a server-sent event stream instead of polling when this is set: the URL of
# drafting.live.stream (uvicorn), e.g. /live/stream routed to it by the load balancer, or
# https://live.example.org/live/stream. Empty: pages poll /live/events.
LIVE_STREAM_URL = os.environ.get("LIVE_STREAM_URL", "")
# The stream server: connections it holds at most (more are answered 503 and the page polls),
# seconds between heartbeats, events waiting for a slow client before it is dropped (it
# reconnects and catches up), and the app's origins when the stream is on another origin.
LIVE_STREAM_MAX_CONNECTIONS = envint("LIVE_STREAM_MAX_CONNECTIONS", 2000)
# Streams one person (the user a page's pass was given to; a pass naming no one counts alone) and one
# address may hold: past either, 429 and the page polls, so that one pass cannot take every slot.
LIVE_STREAM_MAX_PER_HOLDER = envint("LIVE_STREAM_MAX_PER_HOLDER", 20)
LIVE_STREAM_MAX_PER_ADDRESS = envint("LIVE_STREAM_MAX_PER_ADDRESS", 500)
LIVE_STREAM_HEARTBEAT_S = envint("LIVE_STREAM_HEARTBEAT_S", 20)
# Seconds between checks of a running stream's holder (active, and may still read the channel).
LIVE_STREAM_RECHECK_S = envint("LIVE_STREAM_RECHECK_S", 60)
LIVE_STREAM_QUEUE = envint("LIVE_STREAM_QUEUE", 64)
LIVE_STREAM_ORIGINS = envlist("LIVE_STREAM_ORIGINS", "")


def csp_connect_src(stream_url: str) -> list[str]:
    """connect-src of the pages: their own origin, and the stream's when it is elsewhere."""
    if "://" not in stream_url:
        return [CSP.SELF]
    scheme, rest = stream_url.split("://", 1)
    return [CSP.SELF, f"{scheme}://{rest.split('/', 1)[0]}"]


SECURE_CSP["connect-src"] = csp_connect_src(LIVE_STREAM_URL)


# --- Hostile input and a safe deployment (issue 11): login throttling, HTTPS behind a proxy ---

# HTTPS=1: the app runs behind a TLS-terminating proxy that sets X-Forwarded-Proto (and
# X-Forwarded-For). Cookies are sent over HTTPS only, browsers are told to use nothing
# else (HSTS), plain HTTP is redirected; `manage.py check --deploy` is clean in this mode.
HTTPS = envbool("HTTPS", False)
# Behind a proxy (docker-compose.yml's, or HTTPS=1): a client's address is the last one the proxy
# added to X-Forwarded-For, not the proxy's own (login throttling counts by address).
BEHIND_PROXY = envbool("BEHIND_PROXY", HTTPS)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container's own health check speaks plain HTTP
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("HSTS_PRELOAD", True)

# Failed logins (the login page and the API's HTTP Basic) slow down (drafting.throttling): past
# LOGIN_FAILURE_LIMIT failures for a username, each further attempt waits 1 s, 2 s, 4 s ... at most
# LOGIN_COOLOFF_MINUTES after the last failure (429 saying when); a browser that logged in as that
# person before is counted apart, so no one can hold another person back; past
# LOGIN_ADDRESS_FAILURE_LIMIT failures from one address, the same for that address. Counted in the
# database (every process and machine alike). The throttling backend must stay first.
AUTHENTICATION_BACKENDS = [
    "drafting.throttling.ThrottledLogins",
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE += ["drafting.throttling.LoginThrottleMiddleware"]
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 10)
LOGIN_ADDRESS_FAILURE_LIMIT = envint("LOGIN_ADDRESS_FAILURE_LIMIT", 100)
LOGIN_COOLOFF = timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", 15))
# The proxies whose X-Forwarded-For is believed (addresses or networks), with HTTPS=1: a client
# reaching the app without them cannot choose the address its logins and resets are counted under.
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", "127.0.0.1,::1")
# Password-reset mails: requests an hour from one address (429 past it), mails an hour to one address
# (not sent past it, and the page does not say so).
PASSWORD_RESET_PER_ADDRESS = envint("PASSWORD_RESET_PER_ADDRESS", 5)
PASSWORD_RESET_PER_TARGET = envint("PASSWORD_RESET_PER_TARGET", 3)
# Characters no text can hold are a 400 at the door, whatever the Content-Type says (PostgreSQL would
# answer a 500 to a NUL, both databases to a lone surrogate).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.common.CommonMiddleware") + 1,
    "drafting.middleware.RequestCheckMiddleware",
)

# Password reset by e-mail is routed only with an e-mail server to send through (EMAIL_HOST).
_email_host = os.environ.get("EMAIL_HOST", "")
PASSWORD_RESET_BY_EMAIL = bool(_email_host)
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": envint("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": envbool("EMAIL_USE_TLS", True),
            },
        }
    }
    DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "") or "drafting@localhost"
# Mail for people (invitations, notifications) goes out only with an e-mail server; without one
# the tool keeps notifications in the app and the secretariat hands out accounts itself.
SEND_EMAIL = bool(_email_host)


# --- Accounts (issue 19): single sign-on, the registration list, invitations, notifications ---

# The tool's own address, for the links in e-mails (invitations, notifications, unsubscribe).
SITE_URL = (os.environ.get("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")
INVITATION_DAYS = envint("INVITATION_DAYS", 14)

# Single sign-on with OpenID Connect (Authlib): on when an issuer (or its discovery document)
# is given. The code flow with PKCE (S256), state and nonce checked, the ID token's signature,
# issuer, audience and expiry checked; logout ends the provider's session when it announces
# an end_session_endpoint. The local password login stays.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
OIDC_DISCOVERY_URL = os.environ.get("OIDC_DISCOVERY_URL", "") or (
    f"{OIDC_ISSUER}/.well-known/openid-configuration" if OIDC_ISSUER else ""
)
SSO_ENABLED = bool(OIDC_DISCOVERY_URL)
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_SCOPES = os.environ.get("OIDC_SCOPES") or "openid email profile"
if SSO_ENABLED and not OIDC_CLIENT_ID:
    raise ImproperlyConfigured(
        "OIDC_ISSUER is set but OIDC_CLIENT_ID is not: set the client id the provider gave."
    )
if SSO_ENABLED and "openid" not in OIDC_SCOPES.split():
    raise ImproperlyConfigured(f"OIDC_SCOPES must include openid, not {OIDC_SCOPES!r}")
# The claims that carry each thing (empty: not read; what is not read stays as the registration
# list or the group's coordinator left it).
OIDC_CLAIM_EMAIL = os.environ.get("OIDC_CLAIM_EMAIL") or "email"
OIDC_CLAIM_NAME = os.environ.get("OIDC_CLAIM_NAME") or "name"
OIDC_CLAIM_ADMINISTRATION = os.environ.get("OIDC_CLAIM_ADMINISTRATION", "")
OIDC_CLAIM_GROUP = os.environ.get("OIDC_CLAIM_GROUP", "")
OIDC_CLAIM_ROLE = os.environ.get("OIDC_CLAIM_ROLE", "")
# Someone in no regional group (none sent, none matching, none from the list) and with no
# other role: let in as an observer, or refused.
OIDC_UNMATCHED_GROUP = os.environ.get("OIDC_UNMATCHED_GROUP") or "observer"
if OIDC_UNMATCHED_GROUP not in {"observer", "refuse"}:
    raise ImproperlyConfigured(
        f"OIDC_UNMATCHED_GROUP must be observer or refuse, not {OIDC_UNMATCHED_GROUP!r}"
    )
# Empty: "your organisation's account" in the reader's language (drafting.oidc.provider_name).
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "")
OIDC_TIMEOUT_S = envint("OIDC_TIMEOUT_S", 10)
# Seconds of clock difference tolerated on the ID token's times (iat, exp).
OIDC_LEEWAY_S = envint("OIDC_LEEWAY_S", 60)

# Registration lists: what one upload may hold.
REGISTRATION_MAX_ROWS = envint("REGISTRATION_MAX_ROWS", 5000)
REGISTRATION_MAX_BYTES = envint("REGISTRATION_MAX_BYTES", 2 * 1024 * 1024)

# Notifications: a gathering kind (draft changes, settlements) is mailed once quiet this long; the
# daily digest goes from this hour (UTC) on; deadline reminders this many days before a
# conference's proposal deadline; the bell asks its live channel this often (it polls: a second
# stream per page would double the stream server's connections).
NOTIFY_QUIET_MINUTES = envint("NOTIFY_QUIET_MINUTES", 10)
NOTIFY_DIGEST_HOUR = envint("NOTIFY_DIGEST_HOUR", 7)
try:
    NOTIFY_DEADLINE_DAYS = sorted({int(d) for d in envlist("NOTIFY_DEADLINE_DAYS", "7,1")})
except ValueError:
    raise ImproperlyConfigured("NOTIFY_DEADLINE_DAYS must be whole numbers of days, e.g. 7,1") from None
NOTIFY_POLL_MS = envint("NOTIFY_POLL_MS", 60000)
