"""Settings for every environment, read from environment variables.

Without any variable set the project runs "embedded": SQLite, tasks run eagerly in the
request's process, e-mail goes to the console. Production sets DEBUG=0, SECRET_KEY,
ALLOWED_HOSTS, DATABASE_URL, REDIS_URL and EMAIL_URL (see README, "Running in production").
"""

import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-local-development-only-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    # Project apps first so that their templates override those of the libraries.
    "foundation",
    "consultations",
    "consultations.review",
    "consultations.results",
    "forums",
    "surveys",
    "cms",
    "demo",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "foundation.admin.apps.AccountsAdminConfig",  # wagtail.users with our account screens
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts
    "axes",
    "allauth",
    "allauth.account",
    # Libraries
    "django_celery_beat",
    "django_filters",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    # Django (no django.contrib.admin: the Wagtail admin at /admin/ is the one admin, see README)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
]

MIDDLEWARE = [
    # First: REMOTE_ADDR becomes the client's address when a trusted proxy forwarded the
    # request, and forwarded headers of anybody else are dropped (foundation.client_ip).
    "foundation.client_ip.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "foundation.middleware.BlockedUserMiddleware",
    # Before the framing middlewares: it sees their X-Frame-Options and says the same.
    "foundation.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "foundation.middleware.AdminPreviewFramingMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last (django-axes' rule): turns a lockout during authentication into the 429 page.
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
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "foundation.context_processors.site",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", default=60, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server, a worker and tests share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery ------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# Redis is a helper, not a dependency of a page: with it gone, a cache read is a miss and a
# write is dropped (logged), sessions fall back to the database (cached_db), rate limits let
# requests through (RATELIMIT_FAIL_OPEN) and side effects wait in the outbox.
REDIS_CACHE_BACKEND = "foundation.cache.DegradingRedisCache"
REDIS_CACHE_OPTIONS = {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2, "IGNORE_EXCEPTIONS": True}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": REDIS_CACHE_BACKEND,
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="mitreden"),
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or "cache+memory://")
# Without a broker every task runs at once in the calling process (embedded mode).
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Berlin"
# A request never waits long for a broker that is down: the outbox keeps the message.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Socket timeouts matter as much as retries: a broker that accepts the connection but never
# answers would otherwise block a request forever (celery issues #4296, #6046).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "socket_connect_timeout": 2,
    "socket_timeout": 2,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE: dict = {
    "foundation-outbox-relay": {"task": "foundation.tasks.relay_outbox", "schedule": 60.0},
}
# Following: the daily digests at this hour (Europe/Berlin), the weekly ones on Mondays.
DIGEST_HOUR = env.int("DIGEST_HOUR", default=6)
CELERY_BEAT_SCHEDULE["foundation-daily-digests"] = {
    "task": "foundation.tasks.send_digests",
    "schedule": crontab(hour=DIGEST_HOUR, minute=15),
    "kwargs": {"frequency": "daily"},
}
CELERY_BEAT_SCHEDULE["foundation-weekly-digests"] = {
    "task": "foundation.tasks.send_digests",
    "schedule": crontab(hour=DIGEST_HOUR, minute=45, day_of_week=1),
    "kwargs": {"frequency": "weekly"},
}
# Review queue: daily reminders of overdue assessments at this hour (Europe/Berlin).
REVIEW_REMINDER_HOUR = env_int("REVIEW_REMINDER_HOUR", default=7, minimum=0, maximum=23)
CELERY_BEAT_SCHEDULE["review-overdue-reminders"] = {
    "task": "review.tasks.send_overdue_reminders",
    "schedule": crontab(hour=REVIEW_REMINDER_HOUR, minute=0),
}
# Half-yearly report (Halbjahresbericht): a crontab "minute hour day-of-month month day-of-week";
# by default at 06:00 on 1 January and 1 July, for the half-year just ended.
HALF_YEARLY_REPORT_CRONTAB = env.str("HALF_YEARLY_REPORT_CRONTAB", default="0 6 1 1,7 *")
_report_minute, _report_hour, _report_day, _report_month, _report_weekday = (
    HALF_YEARLY_REPORT_CRONTAB.split()
)
CELERY_BEAT_SCHEDULE["results-half-yearly-report"] = {
    "task": "results.tasks.schedule_half_yearly_reports",
    "schedule": crontab(
        minute=_report_minute,
        hour=_report_hour,
        day_of_month=_report_day,
        month_of_year=_report_month,
        day_of_week=_report_weekday,
    ),
}
# Surveys: invitation reminders once a day at this hour (Europe/Berlin).
SURVEY_REMINDER_HOUR = env_int("SURVEY_REMINDER_HOUR", default=9, minimum=0, maximum=23)
CELERY_BEAT_SCHEDULE["surveys-reminders"] = {
    "task": "surveys.invitations.tasks.send_due_reminders",
    "schedule": crontab(hour=SURVEY_REMINDER_HOUR, minute=30),
}
# Forum events: the reminder to each confirmed participant the day before, at this hour.
EVENT_REMINDER_HOUR = env_int("EVENT_REMINDER_HOUR", default=10, minimum=0, maximum=23)
CELERY_BEAT_SCHEDULE["forums-event-reminders"] = {
    "task": "forums.tasks.send_event_reminders",
    "schedule": crontab(hour=EVENT_REMINDER_HOUR, minute=15),
}
# Surveys: responses past their retention period are deleted or anonymised, daily at 03:30.
CELERY_BEAT_SCHEDULE["surveys-retention"] = {
    "task": "surveys.tasks.apply_retention",
    "schedule": crontab(hour=3, minute=30),
}

# --- Auth and accounts --------------------------------------------------------------------
AUTH_USER_MODEL = "foundation.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses every sign-in of a locked-out account or client before a password is
    # checked (the allauth forms and the Wagtail admin login alike).
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "foundation:profile"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str(
    "ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http" if DEBUG else "https"
)
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key", "signup": "20/h/ip"}

# Login lockout (django-axes) on every form that signs in: allauth's and the Wagtail admin's.
# An account is locked after LOGIN_FAILURE_LIMIT failed sign-ins from anywhere, a client
# address after as many failures for any accounts, each for LOGIN_LOCKOUT_MINUTES after its
# last failure; a correct password of an account that is not locked resets its count.
# allauth's own limits above answer earlier on its forms (5 per account in 5 minutes).
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", default=10, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", default=15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "foundation.lockout.attempted_login"
AXES_CLIENT_IP_CALLABLE = "foundation.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "foundation.lockout.locked_out"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_VERBOSE = False
# Only failures are kept (and only until their cool-off ends): no history of every sign-in.
AXES_DISABLE_ACCESS_LOG = True

# --- Client address behind a reverse proxy ----------------------------------------------------
# The addresses (or networks) of the reverse proxies in front of the app server. Only a
# connection from one of them may name the client (X-Forwarded-For) or the scheme
# (X-Forwarded-Proto). gunicorn.conf.py gives the same list to gunicorn (forwarded_allow_ips),
# docker-compose.yml sets it for its network. Default: a proxy on this machine.
TRUSTED_PROXIES = [
    entry.strip() for entry in env.str("TRUSTED_PROXIES", default="").split(",") if entry.strip()
] or ["127.0.0.1", "::1"]
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy)
    except ValueError as _error:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network ({_error})."
        ) from None
RATELIMIT_IP_META_KEY = "foundation.client_ip.client_ip"
ACCOUNT_SIGNUP_FORM_CLASS = "foundation.forms.SignupExtraForm"
ACCOUNT_ADAPTER = "foundation.adapters.AccountAdapter"
# Sign-up asks to agree to the privacy notice and records the version agreed to; change the
# version whenever the text of the notice changes (foundation.models.PrivacyConsent).
PRIVACY_NOTICE_URL = env.str("PRIVACY_NOTICE_URL", default="/datenschutz/")
PRIVACY_NOTICE_VERSION = env.str("PRIVACY_NOTICE_VERSION", default="2026-12-01")
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{env.str('SITE_NAME', default='Beteiligung Region Hannover')}] "

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Beteiligung Region <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "de"
# A further language needs its catalogue in locale/ first; right-to-left scripts (e.g. "ar")
# work as they are: the layout sets dir="rtl" and the CSS uses logical properties.
LANGUAGES = [
    ("de", _("German")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
WAGTAIL_CONTENT_LANGUAGES = [("de", "Deutsch")]

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = env.str("SITE_NAME", default="Beteiligung Region Hannover")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Uploads: only these document types, each checked for content that matches its name, and
# no larger than DOCUMENT_MAX_UPLOAD_SIZE (foundation.uploads). Images: Wagtail checks the
# picture against its name; no SVG (it can carry scripts). The reverse proxy should allow
# request bodies of the largest upload (nginx: client_max_body_size).
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "foundation.uploads.DocumentForm"
DOCUMENT_MAX_UPLOAD_SIZE = env_int("DOCUMENT_MAX_UPLOAD_MB", default=20, minimum=1) * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("IMAGE_MAX_UPLOAD_MB", default=10, minimum=1) * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Form fields (not files) of one request, and the size up to which an upload stays in
# memory before it goes to a temporary file (Django's defaults, stated).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
WAGTAILADMIN_PERMITTED_LANGUAGES = [("de", "Deutsch"), ("en", "English")]
# No update check: the admin's dashboard would ask releases.wagtail.org for the latest version
# from every editor's browser (a request the admin's CSP refuses anyway).
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar: the admin would send a hash of every listed e-mail address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Security -------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the cache (Redis in production) and written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Health checks of load balancers and containers speak plain HTTP to the app server.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)

# Content Security Policy (django-csp 4). Public pages: nothing inline unless it carries the
# request's nonce (nonce="{{ request.csp_nonce }}"), nothing from elsewhere, never framed.
# The Wagtail admin runs inline scripts and styles of its own, so /admin/ gets a looser
# policy of its own (foundation.middleware.ContentSecurityPolicyMiddleware), still 'self' only.
# Framing agrees with X-Frame-Options: 'none' with DENY; the admin frames its own previews
# (SAMEORIGIN there, foundation.middleware.AdminPreviewFramingMiddleware), so 'self'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "media-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
ADMIN_URL_PREFIX = "/admin/"

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail logs every page save and django-tasks every background task at INFO.
        "wagtail": {"level": env.str("WAGTAIL_LOG_LEVEL", default="WARNING")},
        "django_tasks": {"level": "WARNING"},
        # django-axes logs every failed sign-in at INFO; lockouts come at WARNING.
        "axes": {"level": env.str("AXES_LOG_LEVEL", default="WARNING")},
    },
}

# --- Platform -------------------------------------------------------------------------------
# Read on nearly every request, changed rarely; cleared by signals on change. 0 = no cache.
PHASES_CACHE_SECONDS = env_int("PHASES_CACHE_SECONDS", default=300, minimum=0)
VERIFIED_EMAIL_CACHE_SECONDS = env_int("VERIFIED_EMAIL_CACHE_SECONDS", default=600, minimum=0)
# Main and footer menus are cached (cms.navigation); 0 switches the cache off.
CMS_NAVIGATION_CACHE_SECONDS = env_int("CMS_NAVIGATION_CACHE_SECONDS", default=60 * 60, minimum=0)
RATELIMIT_VIEW = "foundation.views.ratelimited"
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", default=True)
# With the cache unreachable a limit cannot be counted: let the request through rather than
# refuse everybody (the outage is visible in /healthz and the logs).
RATELIMIT_FAIL_OPEN = True
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# Surveys: invitations and reminders leave in batches with a pause between them, so that the
# mail server (and its limits per minute) is not flooded; embedded runs do not wait.
#: How long the public results pages (a survey's, the Handlungsfelder's findings) are kept
#: before they are counted again; publishing or withdrawing shows at once.
SURVEY_PUBLIC_RESULTS_SECONDS = env_int("SURVEY_PUBLIC_RESULTS_SECONDS", default=300, minimum=0)
SURVEY_MAIL_BATCH_SIZE = env_int("SURVEY_MAIL_BATCH_SIZE", default=200, minimum=1)
SURVEY_MAIL_BATCH_PAUSE_SECONDS = env_int(
    "SURVEY_MAIL_BATCH_PAUSE_SECONDS", default=0 if CELERY_TASK_ALWAYS_EAGER else 10, minimum=0
)
# A recipient gets at most one reminder within this many hours (beat and "send now" alike).
SURVEY_REMINDER_MIN_GAP_HOURS = env_int("SURVEY_REMINDER_MIN_GAP_HOURS", default=24, minimum=0)
# Recipient files: size and row limits; files up to SURVEY_IMPORT_INLINE_BYTES are imported
# in the request, larger ones by the worker.
SURVEY_IMPORT_MAX_BYTES = env_int("SURVEY_IMPORT_MAX_BYTES", default=5_000_000, minimum=1)
SURVEY_IMPORT_MAX_ROWS = env_int("SURVEY_IMPORT_MAX_ROWS", default=20_000, minimum=1)
SURVEY_IMPORT_INLINE_BYTES = env_int("SURVEY_IMPORT_INLINE_BYTES", default=50_000, minimum=0)
