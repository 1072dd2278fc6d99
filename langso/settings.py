"""Settings for Làng Số, read from the environment (and an optional `.env` file).

Every knob a deployment may turn is an environment variable documented in
`.env.example`; nothing else in the code reads the environment.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LANGSO_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _load_dotenv(path):
    """Put KEY=VALUE lines of `path` into the environment, without overriding it."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


_load_dotenv(BASE_DIR / ".env")


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _secret_key():
    """The SECRET_KEY from the environment, else one generated once and kept under var/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

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
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "langso.lib",
    "langso.places",
    "langso.accounts",
    "langso.registry",
    "langso.reports",
    "langso.party",
    "langso.poverty",
    "langso.notices",
    "langso.portal",
    "langso.campaigns",
    "langso.feedback",
    "langso.associations",
    "langso.home",
    "langso.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Cache-Control and Permissions-Policy on every response that set none (lib/middleware.py).
    "langso.lib.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A cached public page is answered here, before sessions and authentication.
    "langso.portal.caching.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "langso.lib.middleware.LanguageMiddleware",
    "langso.lib.middleware.StripControlsMiddleware",
    "langso.lib.middleware.BusyDatabaseMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "langso.portal.middleware.ResumeAfterLoginMiddleware",
    "langso.portal.middleware.CommuneHostMiddleware",
    # The second factor and idle timeouts, then a temporary password's change.
    "langso.accounts.middleware.TwoFactorMiddleware",
    "langso.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Widget templates are looked up like any other template (templates/registry/widgets/…).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "langso.urls"
WSGI_APPLICATION = "langso.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "langso.home.context_processors.navigation",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another (postgres://…).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'langso.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; IMMEDIATE transactions
    # take the write lock up front instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        # How long a write waits for the lock before the "busy, try again" page.
        "timeout": int(os.environ.get("LANGSO_DB_WAIT_SECONDS", 20)),
    }
elif os.environ.get("LANGSO_PG_RANDOM_PAGE_COST", "1.1"):
    # PostgreSQL's planner prices a random read at 4 sequential ones, as for spinning
    # disks; on SSD or memory it then prefers reading all 330,000 households to looking
    # up a commune's 5,000 by unit (a commune's first page: 140–270 ms instead of ~50,
    # measured on the benchmark province). Set per connection; empty keeps the server's.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c random_page_cost={float(os.environ.get('LANGSO_PG_RANDOM_PAGE_COST', '1.1'))}"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
# How long an e-mailed password-reset link works (Django's default is three days).
PASSWORD_RESET_TIMEOUT = int(os.environ.get("LANGSO_PASSWORD_RESET_HOURS", 2)) * 3600

# django-axes first: it refuses a login while the account is locked out from that address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout after this many failed logins (or password-reset requests) for one account from
# one address, for this many minutes; a commune administrator can unlock sooner.
AXES_FAILURE_LIMIT = int(os.environ.get("LANGSO_LOCKOUT_ATTEMPTS", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LANGSO_LOCKOUT_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "langso.accounts.lockout.lockout_response"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "langso.accounts.lockout.client_address"

# Two factors (accounts/two_factor.py): required for these roles (and superusers), optional
# for the others; a browser may be remembered for this many days; sessions of these roles
# end after this many minutes without a request. Failed codes lock out like passwords.
LANGSO_TWO_FACTOR_ROLES = env_list(
    "LANGSO_TWO_FACTOR_ROLES", ["commune_admin", "commune_official", "party_committee"]
)
if os.environ.get("LANGSO_TWO_FACTOR_ROLES", None) == "none":
    LANGSO_TWO_FACTOR_ROLES = []
LANGSO_TWO_FACTOR_REMEMBER_DAYS = int(os.environ.get("LANGSO_TWO_FACTOR_REMEMBER_DAYS", 30))
LANGSO_IDLE_MINUTES = int(os.environ.get("LANGSO_IDLE_MINUTES", 30))
OTP_TOTP_ISSUER = os.environ.get("LANGSO_TWO_FACTOR_ISSUER", "Làng Số")
# django-axes counts failed codes instead of django-otp's growing delays.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first, English complete. Dates are dd/mm/yyyy in both (domain.md §3).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["langso.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Ho_Chi_Minh")

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"

# Backups (`manage.py backup`): where archives go, and PostgreSQL's client tools if they
# are not on the PATH (e.g. /usr/lib/postgresql/15/bin).
LANGSO_BACKUP_DIR = Path(os.environ.get("LANGSO_BACKUP_DIR", VAR_DIR / "backups"))
LANGSO_PG_BIN_DIR = os.environ.get("LANGSO_PG_BIN_DIR", "")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# "default": each process's memory (the public pages, keyed by the portal's change stamp).
# "figures": the home page's unit figures (langso/home/figures.py), which every worker and
# every app server must share, because a registry change replaces a unit's token there;
# the database (table made by the home app's migration) by default. Another shared backend
# (Redis, Memcached) may replace it; a per-process one may not.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "figures": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "langso_figures_cache",
        "TIMEOUT": 24 * 3600,  # entries are keyed on the day: none is read a day after its set
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}

# Age thresholds of the lists, configurable (Law on the Elderly 2009: 60; Labour Code: work
# from 15; the retirement age rises year by year, so the end of working age is a setting).
LANGSO_ELDERLY_AGE = int(os.environ.get("LANGSO_ELDERLY_AGE", 60))
LANGSO_WORKING_AGE = (15, int(os.environ.get("LANGSO_WORKING_AGE_END", 60)))
# Temporary residents are listed as voters where they live after this many months
# (Law on Elections 85/2015, art. 29).
LANGSO_VOTER_TEMPORARY_MONTHS = 12

# Lists longer than this are exported in the background, with a progress page.
LANGSO_DIRECT_EXPORT_ROWS = int(os.environ.get("LANGSO_DIRECT_EXPORT_ROWS", 3000))

# Files of background jobs are deleted after this many days (`manage.py purge_job_files`):
# uploaded imports, then exported lists. The job rows stay.
LANGSO_FILE_RETENTION_DAYS = {
    "imports": int(os.environ.get("LANGSO_KEEP_IMPORTS_DAYS", 30)),
    "exports": int(os.environ.get("LANGSO_KEEP_EXPORTS_DAYS", 7)),
}

# Uploaded spreadsheets larger than this are refused before they are read.
LANGSO_MAX_UPLOAD_BYTES = int(os.environ.get("LANGSO_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
# Imports: SQLite holds its one write lock while an import commits (about 20 s for 100,000
# rows), so larger files are refused there; 0 takes any size. Sheets of more rows than
# LANGSO_IMPORT_STREAM_ROWS are read row by row, in bounded memory (lib/excel.py).
LANGSO_IMPORT_MAX_ROWS = int(
    os.environ.get("LANGSO_IMPORT_MAX_ROWS")
    or (100_000 if DATABASES["default"]["ENGINE"].endswith("sqlite3") else 0)
)
LANGSO_IMPORT_STREAM_ROWS = int(os.environ.get("LANGSO_IMPORT_STREAM_ROWS", 100_000))
# The "busy, try again" page (lib/middleware.py) asks browsers to retry after this long.
LANGSO_BUSY_RETRY_SECONDS = int(os.environ.get("LANGSO_BUSY_RETRY_SECONDS", 5))

# Notices (langso/notices/channels.py). The site's address, for links in SMS, Zalo and
# e-mail; an SMS brandname gateway (eSMS-style JSON protocol) and the commune's Zalo
# Official Account for ZNS template messages. A channel without its settings is off.
# Residents' feedback: anonymous reports per IP address and per phone number in an hour.
LANGSO_FEEDBACK_REPORTS_PER_HOUR = int(os.environ.get("LANGSO_FEEDBACK_REPORTS_PER_HOUR", 5))

LANGSO_SITE_URL = os.environ.get("LANGSO_SITE_URL", "")
LANGSO_SMS_URL = os.environ.get("LANGSO_SMS_URL", "")
LANGSO_SMS_API_KEY = os.environ.get("LANGSO_SMS_API_KEY", "")
LANGSO_SMS_SECRET_KEY = os.environ.get("LANGSO_SMS_SECRET_KEY", "")
LANGSO_SMS_BRANDNAME = os.environ.get("LANGSO_SMS_BRANDNAME", "")
LANGSO_ZALO_APP_ID = os.environ.get("LANGSO_ZALO_APP_ID", "")
LANGSO_ZALO_SECRET_KEY = os.environ.get("LANGSO_ZALO_SECRET_KEY", "")
LANGSO_ZALO_TEMPLATE_ID = os.environ.get("LANGSO_ZALO_TEMPLATE_ID", "")
LANGSO_ZALO_REFRESH_TOKEN = os.environ.get("LANGSO_ZALO_REFRESH_TOKEN", "")
LANGSO_ZALO_API_URL = os.environ.get("LANGSO_ZALO_API_URL", "")
LANGSO_ZALO_OAUTH_URL = os.environ.get("LANGSO_ZALO_OAUTH_URL", "")
# Delivery reports: the token the SMS gateway's callback must carry, and the Official
# Account's secret that signs Zalo's webhook events.
LANGSO_SMS_CALLBACK_TOKEN = os.environ.get("LANGSO_SMS_CALLBACK_TOKEN", "")
LANGSO_ZALO_OA_SECRET = os.environ.get("LANGSO_ZALO_OA_SECRET", "")
LANGSO_NOTICE_MAX_ATTEMPTS = int(os.environ.get("LANGSO_NOTICE_MAX_ATTEMPTS", 5))
LANGSO_NOTICE_RETRY_SECONDS = int(os.environ.get("LANGSO_NOTICE_RETRY_SECONDS", 30))

EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Làng Số <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_BACKEND"):
    EMAIL_BACKEND = os.environ["EMAIL_BACKEND"]
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# The site's own page when a form's CSRF check fails (an expired page), in its layout.
CSRF_FAILURE_VIEW = "langso.portal.errors.csrf_failure"
# Public pages kept this many seconds for readers without a session (portal/caching.py).
LANGSO_PUBLIC_CACHE_SECONDS = int(os.environ.get("LANGSO_PUBLIC_CACHE_SECONDS", 60))
# Host names that open a commune's public site at "/": "xa-tanlap.example.vn=04000,…"
# (a commune's administrator may also set one on its site; portal/middleware.py).
LANGSO_COMMUNE_HOSTS = dict(
    item.split("=", 1) for item in env_list("LANGSO_COMMUNE_HOSTS", []) if "=" in item
)

# Behind a proxy that terminates TLS (production, README "Deploying"): the proxy tells the
# scheme, every request is redirected to HTTPS, browsers are told to come back only over
# HTTPS (HSTS) and cookies are sent only over HTTPS.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY")
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Lockouts take the client's address from the last X-Forwarded-For entry, the one
    # the proxy appended (langso/accounts/lockout.py).
    LANGSO_BEHIND_PROXY = True
SECURE_SSL_REDIRECT = env_bool("LANGSO_SSL_REDIRECT", BEHIND_TLS_PROXY)
SECURE_HSTS_SECONDS = int(
    os.environ.get("LANGSO_HSTS_SECONDS") or (365 * 24 * 3600 if BEHIND_TLS_PROXY else 0)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("LANGSO_HSTS_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("LANGSO_HSTS_PRELOAD", True)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", BEHIND_TLS_PROXY)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The browser features a page may use: the microphone (recording a notice for the
# loudspeakers) and the location (a resident's feedback) on the site's own pages only.
LANGSO_PERMISSIONS_POLICY = (
    "camera=(), microphone=(self), geolocation=(self), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=()"
)

# Content-Security-Policy (django-csp): scripts, styles, images, media and connections from
# the site itself only; a per-request nonce for the staff pages' own <script> tags; no
# inline script, event handler or style attribute. Tiles, fonts or scripts from elsewhere
# need a line here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
