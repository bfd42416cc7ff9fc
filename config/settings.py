"""Cercles settings: one module, driven by environment variables, with embedded defaults.

Without any variable set, Cercles runs on SQLite, local-memory cache, a SQLite job queue and
console email, so that `make run` needs no other server. Production sets DATABASE_URL,
REDIS_URL, EMAIL_URL, SECRET_KEY, ALLOWED_HOSTS and HTTPS (see README.md).
"""

import os
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CERCLES_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env(
    "SECRET_KEY",
    default="django-insecure-development-key-only-never-use-it-in-production-cercles",
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Links in emails: `make run` serves on PORT (8000 by default), so the default follows it.
PORT = env.int("PORT", default=8000)
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{PORT}")
# The network the platform serves: named on the quarterly report and its PDF.
NETWORK_NAME = env("NETWORK_NAME", default="RAFOD")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_htmx",
    "django_countries",
    "huey.contrib.djhuey",
    "ninja",
    "cercles.core",
    "cercles.accounts",
    "cercles.taxonomy",
    "cercles.communities",
    "cercles.discussions",
    "cercles.meetings",
    "cercles.library",
    "cercles.mentoring",
    "cercles.coordination",
    "cercles.surveys",
    "cercles.seasons",
    "cercles.reporting",
    "cercles.search",
    "cercles.notifications",
    "cercles.api",
    "cercles.home",
]

MIDDLEWARE = [
    # Pages compressed (text only; static files come compressed from WhiteNoise).
    "cercles.core.middleware.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "cercles.core.middleware.SentMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session, locale and CSRF layers, so that a 304 keeps their cookies and Vary.
    "cercles.core.middleware.RepeatViewMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cercles.core.middleware.LoginRequiredMiddleware",
    "cercles.core.headers.SecurityHeadersMiddleware",
    "cercles.core.ratelimit.RateLimitMiddleware",
    "cercles.coordination.middleware.CoordinationOnlyMiddleware",
    "cercles.accounts.middleware.PersonalPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "cercles.accounts.second_factor.SecondFactorRequiredMiddleware",
    "cercles.core.audit.AuditAddressMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

# Form widgets are rendered with the project's templates, so that cercles/templates can lighten
# the costly ones (django/forms/widgets/select.html).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cercles" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cercles.core.context_processors.navigation",
                "cercles.notifications.context_processors.unread_notifications",
                "cercles.coordination.context_processors.leads_circle",
            ],
            # `date` with "1er" for the first of the month in French (cercles/core/words.py).
            "builtins": ["cercles.core.templatetags.cercles_dates"],
        },
    },
]

# --- Data ------------------------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'cercles.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the job consumer writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # A database that does not answer fails the request within seconds (a 503 page, see
    # core/views.server_error) rather than holding it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
# Parallel test workers share one Redis database: give each its own key space.
_cache_prefix = "cercles" + os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis rather than Django's own backend: with IGNORE_EXCEPTIONS a Redis outage
            # reads as an empty cache (pages served uncached, sessions read from the database)
            # instead of an error page; the short timeouts keep a lost Redis from hanging requests.
            "BACKEND": "cercles.core.cache.OutageTolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": _cache_prefix,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "cercles",
            "KEY_PREFIX": _cache_prefix,
        }
    }

# Sessions are read from the cache (Redis in production) and kept in the database too. Without
# Redis the cache is each process's own memory, where a session ended in one process (log out)
# would live on in the others: sessions are then read from the database alone.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

# --- Job queue (huey) -------------------------------------------------------------------------
# huey runs jobs inline when `immediate` is true; it would default to DEBUG, which would make
# `make run` skip its consumer, so it is set explicitly.
HUEY_IMMEDIATE = env.bool("HUEY_IMMEDIATE", default=False)
if REDIS_URL:
    HUEY = {
        "huey_class": "cercles.core.jobs.LedgerPriorityRedisHuey",
        "name": "cercles" + os.environ.get("PYTEST_XDIST_WORKER", ""),
        "immediate": HUEY_IMMEDIATE,
        "immediate_use_memory": False,
        # A Redis that does not answer fails the enqueue within a second (the job waits in the
        # ledger) rather than holding the page.
        "connection": {
            "url": REDIS_URL
            + ("&" if "?" in REDIS_URL else "?")
            + "socket_connect_timeout=1&socket_timeout=10"
        },
        "consumer": {"workers": env.int("HUEY_WORKERS", default=2), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "cercles.core.jobs.LedgerSqliteHuey",
        "name": "cercles",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": env.int("HUEY_WORKERS", default=2), "worker_type": "thread"},
    }

# The job ledger (cercles/core/jobs.py): every job is also written in the database, so that
# none is lost when Redis is away or restarted, or when a consumer dies mid-job. A job running
# longer than the lease is handed over again (jobs are idempotent); one queued that long and
# never taken too (Redis lost it). The consumer's scheduler looks every JOB_SWEEP_SECONDS; a job
# that finds the database away is tried again JOB_RETRY_SECONDS later.
JOB_LEASE_SECONDS = env.int("JOB_LEASE_SECONDS", default=900)
JOB_REQUEUE_AFTER_SECONDS = env.int("JOB_REQUEUE_AFTER_SECONDS", default=900)
JOB_SWEEP_SECONDS = env.int("JOB_SWEEP_SECONDS", default=15)
JOB_RETRY_SECONDS = env.int("JOB_RETRY_SECONDS", default=10)

# --- Accounts ---------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "cercles.accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "cercles.accounts.password_validation.GuessablePasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "cercles.accounts.forms.SignupForm"
ACCOUNT_ADAPTER = "cercles.accounts.adapter.AccountAdapter"
ACCOUNT_USER_DISPLAY = "cercles.accounts.adapter.user_display"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# Sign-up and password reset answer the same whether an address has an account or not; the
# email tells the owner (issue 19: enumeration-safe by default).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Cercles] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if env.bool("HTTPS", default=False) else "http"
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, stated here so that they are visible and tunable.
    "login": "30/m/ip",
    # Wrong passwords: per source, per address *and* source (the key, see accounts/adapter.py),
    # and a wide ceiling per address alone against guessing from many sources.
    "login_failed": "10/m/ip,5/5m/key",
    "login_failed_address": "50/h/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}

# Limits on what people can repeat, beyond the accounts' above and the API's below
# (cercles/core/ratelimit.py): by route name ("namespace:*" for a whole app), per person when
# signed in, per address otherwise; "N/period" parts separated by commas. Over it: the 429 page.
RATE_LIMITS = {
    "posting": {
        "rate": env("RATE_LIMIT_POSTING", default="30/m,300/h"),
        "views": [
            "discussions:thread_create", "discussions:codev_create", "discussions:reply",
            "discussions:edit_post", "discussions:report_post", "library:add_note",
            "library:add_file", "library:add_link", "library:edit_item",
            "library:add_production", "meetings:create", "surveys:create", "surveys:answer",
            "communities:propose", "communities:join",
        ],
    },
    "invitations": {
        "rate": env("RATE_LIMIT_INVITATIONS", default="20/h,100/d"),
        "views": ["communities:invite", "communities:import_members"],
    },
    "search": {
        "rate": env("RATE_LIMIT_SEARCH", default="60/m,600/h"),
        "methods": ["GET"],
        "when_param": "q",
        "views": ["search:*", "communities:catalogue", "people:directory", "library:*"],
    },
}  # fmt: skip

# Two-factor authentication (allauth MFA): an authenticator app (TOTP) and recovery codes,
# offered to everyone; coordinators and staff must set it up before anything else when
# MFA_REQUIRED_FOR_COORDINATORS is on (the default with DEBUG off; see
# cercles/accounts/second_factor.py). The admin's log-in is the site's, so it asks for it too.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Cercles"
MFA_REQUIRED_FOR_COORDINATORS = env.bool("MFA_REQUIRED_FOR_COORDINATORS", default=not DEBUG)

AVATAR_MAX_BYTES = env.int("AVATAR_MAX_BYTES", default=2 * 1024 * 1024)
AVATAR_SIZE_PX = 256

# --- Email ------------------------------------------------------------------------------------

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Cercles <no-reply@cercles.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# What the mail server accepts, in messages per second across every job consumer (0: no limit).
EMAIL_RATE_LIMIT = env.int("EMAIL_RATE_LIMIT", default=20)
# Jobs that send one mailing (a newsletter) side by side, and how long a consumer keeps the
# chunk it works on before another may take it over (when the first one died).
MAILING_WORKERS = env.int("MAILING_WORKERS", default=2)
MAILING_LEASE_SECONDS = env.int("MAILING_LEASE_SECONDS", default=30)

# --- Internationalisation ---------------------------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "cercles_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Paris"

# --- Static and media files -------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [
    BASE_DIR / "cercles" / "static",
    ("vendor/pico", BASE_DIR / "node_modules" / "@picocss" / "pico" / "css"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In development whitenoise serves files straight from the finders; elsewhere from collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Media are never served as public static files: views check permissions first.
MEDIA_URL = "/media/"
# Where `manage.py backup` writes its archives unless told otherwise.
BACKUP_DIR = env("BACKUP_DIR", default=str(VAR_DIR / "backups"))

# --- Security ---------------------------------------------------------------------------------

HTTPS = env.bool("HTTPS", default=False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env.bool("BEHIND_PROXY", default=HTTPS):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Rate limits (allauth) count per address the proxy saw, like the audit log.
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if env.bool("BEHIND_PROXY", default=HTTPS) else 0
# The audit log records the address the proxy saw (the last of X-Forwarded-For) behind one.
AUDIT_TRUST_FORWARDED_FOR = env.bool("BEHIND_PROXY", default=HTTPS)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Logging ----------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Secrets that travel in URLs (feed tokens, reset keys…) are blanked in every log line.
    "filters": {"redact_secrets": {"()": "cercles.core.logging.RedactSecretsFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "huey": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

ADMINS = [("Admin", a) for a in env.list("ADMIN_EMAILS", default=[])]
CSRF_FAILURE_VIEW = "cercles.core.views.csrf_failure"
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)

# --- API ----------------------------------------------------------------------------------------
# Requests allowed per personal token, per signed-in person (session) and per visitor's address.
API_RATE_TOKEN = env("API_RATE_TOKEN", default="600/m")
API_RATE_SESSION = env("API_RATE_SESSION", default="600/m")
API_RATE_VISITOR = env("API_RATE_VISITOR", default="120/m")

# The benchmarks' bare view (see bench/run.py); never on in production.
BENCH_BARE_VIEW = env.bool("BENCH_BARE_VIEW", default=False)
