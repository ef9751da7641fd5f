"""Settings shared by every environment.

Everything that differs between a newcomer's laptop, CI and production comes from the environment.
With nothing set, the app runs embedded: SQLite under var/, Celery tasks in-process.
"""

import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import fontpkg_sarabun
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("APP_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "axes",
    "audit",
    "provinces",
    "readiness",
    "strategies",
    "briefings",
    "notifications",
    "search",
    "dashboards",
    "devdata",
    "accounts",
    # After provinces: its admin extends the users' admin that provinces registers.
    "privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Anonymous users see nothing but the login page (views opt out with @login_not_required).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns lock-outs into a response.
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
                "provinces.context_processors.scope",
            ],
            "builtins": ["provinces.templatetags.thai", "readiness.templatetags.readiness_tags"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default behaves like PostgreSQL under concurrent writes: every transaction takes the write
    # lock when it begins (BEGIN IMMEDIATE), so two simultaneous saves of one answer run one after the other
    # and the second sees the first (a conflict message) instead of failing with "database is locked"; a
    # writer waits up to the timeout (seconds) for the lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out user is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    # Refuses every password when LOCAL_PASSWORDS is off (before the password is checked).
    "accounts.backends.LocalPasswordsSwitch",
    "django.contrib.auth.backends.ModelBackend",
    # Government accounts (OpenID Connect, below); it takes no password.
    "accounts.backends.GovernmentAccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Content-Security-Policy (django-csp 4). Everything the pages load comes from our own origin: no inline
# script, no eval (htmx runs with allowEval off and without its injected indicator <style>, see base.html),
# no inline style (no style="" in templates: dynamic widths are <progress> values, dynamic colours SVG fill
# attributes, which CSP does not govern), no framing.
# The API docs page (Swagger UI) fits this policy too: its init script is a separate file (split view).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The reverse proxies in front of gunicorn (addresses or networks, comma-separated): only a request from one
# of them may say, in X-Forwarded-For, which client it comes from (config/proxy.py), and gunicorn believes
# X-Forwarded-Proto only from them (scripts/serve.sh passes the same list as --forwarded-allow-ips).
# Empty, the default, trusts nothing: every client is its own connection's address. docs/operations.md.
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"DJANGO_TRUSTED_PROXIES: {_proxy!r} is not an address or a network."
        ) from None

# Login throttling: five failures per username and address lock the pair out for an hour. The address is the
# client's, not the proxy's (AXES_CLIENT_IP_CALLABLE), so that no one can lock an account for everyone.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "config.proxy.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# Thai first: Thai is the default, English a switch on every page.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
# APP_LOCALE_DIR lets the translation-completeness test extract messages into a scratch folder.
LOCALE_PATHS = [Path(os.environ.get("APP_LOCALE_DIR", BASE_DIR / "locale"))]
LANGUAGE_COOKIE_NAME = "lang"
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Vendor assets come from packages, never a CDN: Bootstrap from npm (package-lock.json),
    # the Thai font from the fontpkg-sarabun wheel; htmx ships inside django-htmx.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/sarabun", fontpkg_sarabun.ROOT / "files"),
]
STORAGES = {
    # Uploads live under var/ (outside the web root) and are served only through views that check access.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "media"},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# The Thai font file that PDFs embed (WeasyPrint); never a system font.
THAI_FONT_DIR = fontpkg_sarabun.ROOT / "files"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Celery: Redis when REDIS_URL is set. Without it, `make run` starts a worker on kombu's filesystem
# transport (CELERY_BROKER_URL=filesystem://, messages as files under var/celery/): a newcomer needs no
# server, and a briefing still renders in the background with the same progress display. With neither
# (tests, one-off commands) tasks run in-process.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or os.environ.get("CELERY_BROKER_URL", "") or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == "memory://"
if CELERY_BROKER_URL.startswith("filesystem://"):
    _QUEUE_DIR = VAR_DIR / "celery" / "queue"
    _QUEUE_DIR.mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "celery" / "control").mkdir(exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_QUEUE_DIR),
        "data_folder_out": str(_QUEUE_DIR),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE

# The apps whose tables the database watches for the cache keyed by data versions (provinces.dataversion):
# every write to one of them makes the cached figures computed from it unreachable.
DATA_VERSION_APPS = ["provinces", "readiness", "strategies"]

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}


def mailers_from_environment(
    default_backend: str = "django.core.mail.backends.filebased.EmailBackend",
) -> dict:
    """Django's MAILERS from the usual EMAIL_* variables. The embedded default writes each mail as a file
    under var/mail/ (nothing leaves the machine); EMAIL_BACKEND=...smtp.EmailBackend with EMAIL_HOST etc.
    sends for real."""
    backend = os.environ.get("EMAIL_BACKEND", default_backend)
    if backend.endswith("filebased.EmailBackend"):
        options = {"file_path": os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))}
    elif backend.endswith("smtp.EmailBackend"):
        options = {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "timeout": int(os.environ.get("EMAIL_TIMEOUT", "30")),
        }
    else:
        options = {}
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


MAILERS = mailers_from_environment()
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "no-reply@example.org")
)
# Notifications (notifications app): the absolute address of the site for links in mails, and how far back
# the daily digest reaches for notifications not yet mailed.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
NOTIFICATIONS_DIGEST_MAX_AGE_DAYS = int(os.environ.get("NOTIFICATIONS_DIGEST_MAX_AGE_DAYS", "7"))
NOTIFICATIONS_MAIL_MAX_RETRIES = int(os.environ.get("NOTIFICATIONS_MAIL_MAX_RETRIES", "5"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# The demo password of the seeded demo logins (embedded default only; never in production).
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "asean2570")

# Evidence attached to readiness answers: at most this many bytes per file.
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_MB", "10")) * 1024 * 1024
# Files uploaded to the assessment and strategies imports (Excel workbooks, CSV): at most this many bytes.
WORKBOOK_MAX_BYTES = int(os.environ.get("WORKBOOK_MAX_MB", "5")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# PDF briefings (briefings app). One render's time limits (Celery kills the render at the hard limit); the
# sweep fails or re-queues a job left "running" past the hard limit plus a margin (its worker died), and,
# with a broker, one that no worker took up within the queue timeout.
BRIEFING_SOFT_TIME_LIMIT = int(os.environ.get("BRIEFING_SOFT_TIME_LIMIT", "90"))
BRIEFING_TIME_LIMIT = int(os.environ.get("BRIEFING_TIME_LIMIT", "120"))
BRIEFING_SWEEP_MARGIN = 30
BRIEFING_MAX_ATTEMPTS = 2
BRIEFING_QUEUE_TIMEOUT = int(os.environ.get("BRIEFING_QUEUE_TIMEOUT", "1800"))
CELERY_BEAT_SCHEDULE = {
    "briefings-sweep": {"task": "briefings.sweep", "schedule": 60.0},
    "privacy-purge-expired": {"task": "privacy.purge_expired", "schedule": 24 * 60 * 60.0},
    # Deadline reminders each morning in Bangkok (CELERY_TIMEZONE); idempotent, so a second beat is harmless.
    "notifications-send-reminders": {
        "task": "notifications.tasks.send_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "notifications-send-digests": {
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(hour=7, minute=30),
    },
}
# Deadlines (readiness/deadlines.py, strategies/deadlines.py): calendar days an advisor has to review a
# submitted assessment or a proposed strategy before reminders start.
REVIEW_DUE_DAYS = int(os.environ.get("REVIEW_DUE_DAYS", "14"))
STRATEGY_REVIEW_DUE_DAYS = int(os.environ.get("STRATEGY_REVIEW_DUE_DAYS", "14"))
# Overdue reminders (to planners, and to advisors of reviews) stop after this many working days overdue.
REMINDER_OVERDUE_CAP = int(os.environ.get("REMINDER_OVERDUE_CAP", "10"))
LOGGING["loggers"]["weasyprint.progress"] = {"level": "WARNING"}  # one INFO line per page otherwise

# Decision support (strategies/decision, docs/decision-support.md). The overlap threshold was tuned on the
# labelled set in tests/strategies/data/overlap_set.py (README: precision and recall per threshold).
OVERLAP_THRESHOLD = float(os.environ.get("OVERLAP_THRESHOLD", "0.30"))  # 0–1 similarity of two strategies
BUDGET_REACH_SHARE = float(os.environ.get("BUDGET_REACH_SHARE", "0.5"))  # of the owner's annual envelope
BUDGET_REACH_ABSOLUTE = int(os.environ.get("BUDGET_REACH_ABSOLUTE", "0")) or None  # baht; unset: share only
PPP_THRESHOLD = 5_000_000_000  # baht: the project size from which Thailand's PPP Act applies
GAP_THRESHOLD = float(os.environ.get("GAP_THRESHOLD", "50"))  # readiness below this (0–100) is a gap

# JSON API (api app, issue 8): Django REST framework, read-only, token or session; OpenAPI 3 by drf-spectacular,
# its Swagger UI served from drf-spectacular-sidecar's static files (no CDN at run time).
INSTALLED_APPS += [  # noqa: F405 (appended, so that the list above stays as it is)
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]
REST_FRAMEWORK = {
    # Token first: an anonymous request gets 401 with "WWW-Authenticate: Token". Tokens are made by an
    # administrator (admin → Auth Token → Tokens, or `manage.py drf_create_token <username>`).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 50,
    # drf-spectacular's, documenting the 400/401/403/404 answers of every operation too.
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ASEAN Readiness Planner API",
    "DESCRIPTION": (
        "Read-only JSON for other ministry systems. Authenticate with `Authorization: Token <key>`; a token "
        "sees what its user sees on the web. Assessments not yet approved only for users who may open them."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["api.permissions.HasScope"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AssessmentStatusEnum": "readiness.choices.AssessmentStatus",
        "RoundStatusEnum": "readiness.choices.RoundStatus",
        "StrategyStatusEnum": "strategies.choices.StrategyStatus",
        "ProjectStatusEnum": "strategies.choices.ProjectStatus",
        "QuadrantEnum": "strategies.matrix.QUADRANT_CHOICES",
    },
}

# Personal data (PDPA B.E. 2562; privacy app, docs/privacy-record-of-processing.md). The data protection
# officer named on the privacy notice, and how long the access log and notifications are kept (days; the
# daily purge, privacy.purge_expired, deletes older rows).
PRIVACY_DPO_NAME = os.environ.get("PRIVACY_DPO_NAME", "")
PRIVACY_DPO_EMAIL = os.environ.get("PRIVACY_DPO_EMAIL", "")
PRIVACY_DPO_PHONE = os.environ.get("PRIVACY_DPO_PHONE", "")
PRIVACY_DPO_ADDRESS = os.environ.get("PRIVACY_DPO_ADDRESS", "")
PRIVACY_ACCESS_LOG_RETENTION_DAYS = int(os.environ.get("PRIVACY_ACCESS_LOG_RETENTION_DAYS", "730"))
NOTIFICATION_RETENTION_DAYS = int(os.environ.get("NOTIFICATION_RETENTION_DAYS", "365"))

# Sign-in with government accounts (OpenID Connect; accounts app, README "Sign-in with OpenID Connect"). Off
# unless OIDC_ISSUER_URL is set; the provider's endpoints come from its discovery document, read when someone
# first clicks the button (with a timeout) and cached. mozilla-django-oidc's names for the client settings.
OIDC_ISSUER_URL = os.environ.get("OIDC_ISSUER_URL", "").strip().rstrip("/")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "").strip()
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "").strip()
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # the id_token_hint of the provider's log-out
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", "5"))  # seconds, each call to the provider
# Off: only government accounts sign in (the login page shows only their button; passwords are refused).
LOCAL_PASSWORDS = env_bool("LOCAL_PASSWORDS", True)
if OIDC_ISSUER_URL:
    # Log-out is a form whose answer redirects to the provider's end_session_endpoint: CSP's form-action
    # governs that redirect too.
    _oidc = urlsplit(OIDC_ISSUER_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(f"{_oidc.scheme}://{_oidc.netloc}")
