"""Django settings for wushe. Every deployment value comes from the environment (README lists
them all); nothing secret lives in the repository."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

from wushe.core.crypto import load_keys
from wushe.core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("WUSHE_DATA_DIR", os.getcwd()))


def _secret_key() -> str:
    """WUSHE_SECRET_KEY, or a key generated once and kept beside the data (never in the repo)."""
    key = os.environ.get("WUSHE_SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / ".wushe-secret-key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# Keys of the personal fields encrypted at rest and of their keyed-hash lookups (wushe.core.crypto):
# from WUSHE_FIELD_KEYS / WUSHE_LOOKUP_KEY, else generated once beside the data like the secret key.
WUSHE_FIELD_KEYS, WUSHE_LOOKUP_KEY = load_keys(DATA_DIR)
DEBUG = env_bool("WUSHE_DEBUG", False)
ALLOWED_HOSTS = env_list("WUSHE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("WUSHE_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "axes",
    "wushe.core",
    "wushe.regions",
    "wushe.accounts",
    "wushe.audit",
    "wushe.people",
    "wushe.casework",
    "wushe.groups",
    "wushe.activities",
    "wushe.referrals",
    "wushe.imports",
    "wushe.statistics",
    "wushe.organisations",
    "wushe.workers",
    "wushe.volunteers",
    "wushe.charity",
    "wushe.matching",
    "wushe.indicators",
    "wushe.dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "wushe.core.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wushe.audit.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
    "wushe.accounts.middleware.VolunteerConfinementMiddleware",
]

# The only paths a signed-in volunteer may open (accounts/middleware.py); the rest answer 404.
WUSHE_VOLUNTEER_PATHS = (
    "/volunteer/",
    "/api/volunteer/",
    "/login/",
    "/logout/",
    "/i18n/",
    "/static/",
)
WUSHE_VOLUNTEER_HOME = "portal:home"

ROOT_URLCONF = "wushe.urls"
WSGI_APPLICATION = "wushe.wsgi.application"

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
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'wushe.sqlite3'}"),
        conn_max_age=env_int("WUSHE_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the served pages read while a load or import writes.
    # IMMEDIATE transactions take the write lock up front, so two writers cannot both read the
    # audit chain's head and append after it.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        transaction_mode="IMMEDIATE",
        timeout=20,
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after WUSHE_SESSION_SECONDS of inactivity (sliding) and when the browser closes.
SESSION_COOKIE_AGE = env_int("WUSHE_SESSION_SECONDS", 8 * 3600, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("WUSHE_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Repeated failed logins lock the account (by username) for a while.
AXES_FAILURE_LIMIT = env_int("WUSHE_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("WUSHE_LOCKOUT_MINUTES", 15, minimum=1) / 60  # hours
# By account, as the foundation issue asks: a station office shares one address behind NAT, and
# locking by address would lock every colleague out with one forgetful user (hence W006 off).
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]  # the site's own CSS and vendored htmx
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve straight from the package; collectstatic is optional

REST_FRAMEWORK = {
    # Token first: a request without credentials is then answered 401 (with WWW-Authenticate),
    # not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "wushe.accounts.authentication.ConfinedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "wushe.core.parsers.JSONParser",  # refuses lone UTF-16 surrogates (400, not 500)
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "wushe.core.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "wushe.core.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "wushe API",
    "DESCRIPTION": (
        "五社联动 platform: regions, service sites, coverage, accounts, audit. "
        "Authenticate with `Authorization: Token <key>` (POST /api/auth/token/) or a session."
    ),
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs page describe the API, not its data: readable without logging in.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": "/api/",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set used by several fields or apps (else drf-spectacular warns).
    "ENUM_NAME_OVERRIDES": {
        "CategoryEnum": "wushe.people.choices.Category",
        "CaseStageEnum": "wushe.casework.cases.Stage",
        "CaseServiceMethodEnum": "wushe.casework.cases.Method",
        "ConsentMethodEnum": "wushe.people.choices.ConsentMethod",
        "ReferralStatusEnum": "wushe.referrals.choices.ReferralStatus",
        "ReferralDecisionEnum": "wushe.referrals.choices.ReferralDecision",
        "TransferStatusEnum": "wushe.referrals.choices.TransferStatus",
        "TransferDecisionEnum": "wushe.referrals.choices.TransferDecision",
        "GroupStatusEnum": "wushe.groups.choices.GroupStatus",
        "ImportJobStatusEnum": "wushe.imports.choices.JobStatus",
        "DonorKindEnum": "wushe.charity.choices.DonorKind",
        "DonationKindEnum": "wushe.charity.choices.DonationKind",
        "FundStatusEnum": "wushe.charity.choices.FundStatus",
        "LedgerDirectionEnum": "wushe.charity.choices.Direction",
        "IdNumberOrPhoneEnum": [("id_number", "id_number"), ("phone", "phone")],
        "ServiceAreaEnum": "wushe.core.service_areas.ServiceArea",
        "UrgencyEnum": "wushe.matching.choices.Urgency",
        "NeedSourceEnum": "wushe.matching.choices.NeedSource",
        "NeedStatusEnum": "wushe.matching.choices.NeedStatus",
        "ServiceProjectStatusEnum": "wushe.matching.choices.ProjectStatus",
        "ProposalStatusEnum": "wushe.matching.choices.ProposalStatus",
        "TaskStatusEnum": "wushe.matching.choices.TaskStatus",
        "VolunteerStatusEnum": "wushe.volunteers.choices.Status",
        "VolunteerEntryKindEnum": "wushe.volunteers.choices.EntryKind",
        "VolunteerTaskTierEnum": "wushe.volunteers.choices.Tier",
        "OrganisationTypeEnum": "wushe.organisations.choices.OrganisationType",
        "OrganisationStatusEnum": "wushe.organisations.choices.OrganisationStatus",
        "SocialWorkerStatusEnum": "wushe.workers.choices.WorkerStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("WUSHE_LOG_LEVEL", "WARNING")},
}
