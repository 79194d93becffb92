"""Settings shared by every environment.

Everything deployment-specific comes from environment variables; the defaults give the embedded
set-up (SQLite and a Whoosh index under ``var/``, email to the console, tasks in the database).
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.utils.translation import pgettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-embedded-default-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Which face this process serves: "intranet" (employees) or "extranet" (retailers).
# Each face has its own WSGI entry point, URL configuration and cookies.
PORTAL_FACE = os.environ.get("PORTAL_FACE", "intranet")
PORTAL_URLCONFS = {
    "intranet": "portal.urls_intranet",
    "extranet": "portal.urls_extranet",
}
ROOT_URLCONF = PORTAL_URLCONFS[PORTAL_FACE]
WSGI_APPLICATION = f"portal.wsgi_{PORTAL_FACE}.application"
# Where each face is reached, for links from one to the other (login messages, emails).
INTRANET_BASE_URL = os.environ.get("INTRANET_BASE_URL", "http://localhost:8000")
EXTRANET_BASE_URL = os.environ.get("EXTRANET_BASE_URL", "http://localhost:8001")

INSTALLED_APPS = [
    "portal",
    "portal.directory",
    "portal.notices",
    "extranet",
    "bulletins",
    "forum",
    "knowledge",
    "documents",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "portal.apps.PortalUsersConfig",  # wagtail.users with the portal's user form
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "haystack",
    "guardian",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.csp.PortalCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.FaceMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "portal.actors.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.refusals.RefusalMiddleware",
    "portal.middleware.AccountGuardMiddleware",
    "portal.admin_access.AdminAccessMiddleware",
    "portal.second_factor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

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
                "portal.context_processors.face",
                # The page's one CSRF token, masked without a system call per character; it
                # replaces the value of Django's built-in `csrf` processor.
                "portal.context_processors.csrf",
                "extranet.shop.context_processors.cart",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, without the health check's round trip on a connection that answered a
    # moment ago (portal/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "portal.postgresql"
    if os.environ.get("DATABASE_SERVER_SIDE_BINDING", "1") == "1":
        # Parameters bound by the server, and a statement run five times on a connection
        # prepared there: PostgreSQL then skips parsing and planning it. The order path's
        # statements repeat on every order: PostgreSQL's CPU per order over HTTP fell from
        # 5.5-6.5 ms to 3.6-3.9 ms. Caveats: a query with a parameter inside a GROUP BY
        # expression fails with server-side binding (Django ticket #34255); a migration that
        # changes a table while workers hold prepared statements can make them fail with "cached
        # plan must not change result type" until restarted, so a deploy restarts the processes
        # after migrating (it does); behind PgBouncer in transaction mode, set
        # DATABASE_SERVER_SIDE_BINDING=0 (or use its prepared-statement support).
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=5
        )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Let the web processes and the task worker share the file without "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith("redis"):
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.PortalRedisCache",
            "LOCATION": CACHE_URL,
            # Two installations (or two databases) sharing one Redis database must not read
            # each other's cached users, sessions and fragments: give each its own prefix.
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    # allauth's, reading the user with their employee or retailer in one query.
    "portal.accounts.PortalAuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "account_login"
WAGTAILADMIN_LOGIN_URL = "account_login"

# django-allauth: accounts are issued by administrators, never self-registered.
ACCOUNT_ADAPTER = "portal.accounts.PortalAccountAdapter"
ACCOUNT_FORMS = {
    "reset_password": "portal.accounts.FaceResetPasswordForm",
    "user_token": "portal.accounts.FaceUserTokenForm",
}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# No "someone asked for a reset of an unknown account" mails: they would invite a sign-up.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_RATE_LIMITS = {
    # allauth's default for all sign-ins is 30 a minute per address: the factory's staff reach
    # the intranet through one proxy address at the start of a shift, and retailers share
    # carriers' NAT addresses on order day. Failed sign-ins stay tightly limited below.
    "login": os.environ.get("LOGIN_RATE", "600/m/ip"),
    # Failed sign-ins (README, "Security"): per address; per account AND address ("key", see
    # portal.accounts); per account from all addresses together (the ceiling).
    "login_failed": os.environ.get("LOGIN_FAILED_RATE", "10/m/ip,5/5m/key"),
    "login_failed_account": os.environ.get("LOGIN_FAILED_ACCOUNT_RATE", "50/h/key"),
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
ACCOUNT_USER_DISPLAY = "portal.accounts.user_display"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Factory Portal] "
# A second factor for identity auditors and administrators (portal/second_factor.py): an
# authenticator app's code, with recovery codes. Addresses are issued, not verified by mail.
MFA_ADAPTER = "portal.second_factor.PortalMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_TOTP_ISSUER = "Factory Portal"

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# One catalogue per app, so that each app's strings live next to its code; strings of the
# project-wide templates/ fall to the first, portal's (see `make messages`).
TRANSLATED_APPS = ["portal", "bulletins", "forum", "knowledge", "documents", "extranet"]
LOCALE_PATHS = [BASE_DIR / app / "locale" for app in TRANSLATED_APPS]
# Wagtail admin strings its own Chinese catalogue lacks, kept by hand (not extracted by
# `make messages`, only compiled); last, so the project's catalogues win on a shared msgid.
LOCALE_PATHS.append(BASE_DIR / "portal" / "locale_wagtail")
# Figures grouped by thousands in Chinese too (portal/formats/zh_Hans, portal/figures.py).
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "portal.static_storage.PortalStaticFilesStorage"},
}
# Uploaded files live outside every URL: they are only ever served by permission-checking views.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media-not-served/"
# With a web server in front (nginx), the prefix of its `internal` location aliased to
# MEDIA_ROOT: permission-checking views then answer with X-Accel-Redirect (portal/files.py).
PRIVATE_FILES_ACCEL_PREFIX = os.environ.get("PRIVATE_FILES_ACCEL_PREFIX", "")
# The largest file any form accepts unless it sets its own limit.
FILE_UPLOAD_LIMIT_BYTES = int(os.environ.get("FILE_UPLOAD_LIMIT_MB", "20")) * 1024 * 1024

# Email: SMTP when EMAIL_HOST is set, otherwise files under var/mail for the embedded set-up.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
    EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@factory.example.com")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: Django tasks in the database, run by `manage db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "search"],
    }
}
# A worker renews the lease of the task it runs every quarter of TASK_LEASE_SECONDS; the
# scheduler sweeps every TASK_SWEEP_INTERVAL_SECONDS for RUNNING tasks whose lease expired (their
# worker died), fails them and resumes them, at most TASK_RESUME_LIMIT times for the same
# arguments (portal/tasks_lease.py).
TASK_LEASE_SECONDS = float(os.environ.get("TASK_LEASE_SECONDS", "120"))
TASK_SWEEP_INTERVAL_SECONDS = float(os.environ.get("TASK_SWEEP_INTERVAL_SECONDS", "60"))
TASK_RESUME_LIMIT = int(os.environ.get("TASK_RESUME_LIMIT", "3"))

# Search: one index per face. Whoosh on disk by default; set SEARCH_URL to an Elasticsearch
# server for more than one machine (configuration only, no code change).
SEARCH_DIR = Path(os.environ.get("SEARCH_DIR", VAR_DIR / "search"))
SEARCH_URL = os.environ.get("SEARCH_URL", "")
# The haystack connection holding each face's index.
SEARCH_CONNECTIONS = {"intranet": "default", "extranet": "extranet"}
if SEARCH_URL.startswith("http"):
    HAYSTACK_CONNECTIONS = {
        alias: {
            "ENGINE": "haystack.backends.elasticsearch7_backend.Elasticsearch7SearchEngine",
            "URL": SEARCH_URL,
            "INDEX_NAME": f"portal_{face}",
            "SILENTLY_FAIL": False,
        }
        for face, alias in SEARCH_CONNECTIONS.items()
    }
else:
    HAYSTACK_CONNECTIONS = {
        alias: {
            "ENGINE": "portal.search.backend.ChineseWhooshEngine",
            "PATH": str(SEARCH_DIR / face),
            "SILENTLY_FAIL": False,
            # `rebuild_index` commits every BATCH_SIZE objects, so memory stays bounded.
            "BATCH_SIZE": int(os.environ.get("SEARCH_BATCH_SIZE", "500")),
        }
        for face, alias in SEARCH_CONNECTIONS.items()
    }
# Index writes go through the task queue; a failure must raise, never pass silently.
HAYSTACK_SIGNAL_PROCESSOR = "portal.search.signals.QueuedSignalProcessor"
# Off only for bulk loads (benchmark data) that run `rebuild_index` afterwards anyway.
SEARCH_QUEUE_UPDATES = env_bool("SEARCH_QUEUE_UPDATES", True)
HAYSTACK_ITERATOR_LOAD_PER_QUERY = 500
# Each face's index holds only its own kinds, so searches need not be narrowed by model.
HAYSTACK_LIMIT_TO_REGISTERED_MODELS = False
# Seconds a writer waits for Whoosh's write lock before the task retries later, how many
# times it retries, and the first delay (doubling each time: 5, 10, 20, 40, 80 s).
SEARCH_INDEX_LOCK_TIMEOUT = float(os.environ.get("SEARCH_INDEX_LOCK_TIMEOUT", "10"))
SEARCH_INDEX_RETRIES = int(os.environ.get("SEARCH_INDEX_RETRIES", "5"))
SEARCH_INDEX_RETRY_DELAY = float(os.environ.get("SEARCH_INDEX_RETRY_DELAY", "5"))
# How many of the index's best matches a search considers before asking the database which
# of them the user may see (15 pages of results). Whoosh's scoring is what a broad search
# spends its time on; more candidates cost more.
SEARCH_MAX_CANDIDATES = int(os.environ.get("SEARCH_MAX_CANDIDATES", "300"))
# Domain dictionaries for jieba (its user-dictionary format: word [frequency] [tag] per line),
# loaded by the Chinese analyzer so that terms such as 烟叶含水率 are one word.
SEARCH_DICTIONARIES = [BASE_DIR / "knowledge" / "dictionary" / "tobacco.txt"]

# The admin names the factory in the reader's language (the sign-in page, the dashboard).
WAGTAIL_SITE_NAME = pgettext_lazy("portal", "Factory Portal")
WAGTAILADMIN_BASE_URL = INTRANET_BASE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Pictures' renditions get the URL of a view that checks who may see them (portal/file_access.py);
# Wagtail's own image-serving view is not routed.
WAGTAILIMAGES_RENDITION_STORAGE = "portal.files.RenditionStorage"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = True
WAGTAIL_PASSWORD_RESET_ENABLED = False

SESSION_COOKIE_NAME = f"{PORTAL_FACE}_sessionid"
CSRF_COOKIE_NAME = f"{PORTAL_FACE}_csrftoken"
LANGUAGE_COOKIE_NAME = "portal_language"
SESSION_COOKIE_HTTPONLY = True
# Sessions are read on every page: with a shared cache, keep them there (backed by the
# database). A per-process cache would let a signed-out session live on in other processes.
if CACHE_URL.startswith("redis"):
    SESSION_ENGINE = "portal.sessions"
X_FRAME_OPTIONS = "SAMEORIGIN"
# The signed-in user, with their employee or store and their roles, is cached between requests
# and forgotten whenever any of it changes (portal/user_cache.py); this bounds its life anyway.
USER_CACHE_SECONDS = int(os.environ.get("USER_CACHE_SECONDS", "600"))
# Content-Security-Policy of every HTML page (django-csp, portal/csp.py: Wagtail admin's own).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # A nonce only where a page asks for one (the notice editor's Trix injects <style>).
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# No avatars fetched from gravatar.com (a request naming the user to the outside; CSP blocks it).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"jieba": {"level": "WARNING"}},
}

# Wagtail Site records (host and port as a browser sees them); the face decides the site anyway.
INTRANET_SITE_HOSTNAME = os.environ.get("INTRANET_SITE_HOSTNAME", "localhost")
INTRANET_SITE_PORT = int(os.environ.get("INTRANET_SITE_PORT", "8000"))
EXTRANET_SITE_HOSTNAME = os.environ.get("EXTRANET_SITE_HOSTNAME", "localhost")
EXTRANET_SITE_PORT = int(os.environ.get("EXTRANET_SITE_PORT", "8001"))
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"

# Directory and mass notices (portal/directory, portal/notices).
DIRECTORY_ORGANISATION_NAME = os.environ.get("DIRECTORY_ORGANISATION_NAME", "卷烟厂")
# Mass notices: the largest attachment, how many mails one task sends before handing over to
# the next, how often a temporary failure (SMTP 4xx, connection lost) is retried, and after how
# long a delivery claimed by a worker that died is given up as failed.
NOTICE_ATTACHMENT_MAX_BYTES = int(os.environ.get("NOTICE_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))
NOTICE_ATTACHMENTS_MAX_COUNT = 5
NOTICE_BATCH_SIZE = int(os.environ.get("NOTICE_BATCH_SIZE", "50"))
NOTICE_MAX_ATTEMPTS = 5
NOTICE_RETRY_BASE_SECONDS = 60
NOTICE_STALE_CLAIM_SECONDS = 15 * 60
# The largest directory whose every member is listed on the directory page itself; above it the
# page lists departments with head counts, and each department page lists its members, a page at
# a time. One page's worth (directory PAGE_SIZE): a longer list is endless on a phone.
DIRECTORY_INLINE_MEMBERS_LIMIT = int(os.environ.get("DIRECTORY_INLINE_MEMBERS_LIMIT", "50"))
# Employee import: the largest sheet accepted.
DIRECTORY_IMPORT_MAX_BYTES = 5 * 1024 * 1024
DIRECTORY_IMPORT_MAX_ROWS = 5000
