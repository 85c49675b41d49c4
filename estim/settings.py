"""Settings for ESTIM.

Values that differ between machines come from environment variables (see README.md and
.env.example). A malformed value stops startup with an error naming the variable.
"""

import datetime
import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("ESTIM_DEBUG", False)

_PLACEHOLDER_KEY = "insecure-development-key-change-me"
SECRET_KEY = env_str("ESTIM_SECRET_KEY", _PLACEHOLDER_KEY if DEBUG else "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == _PLACEHOLDER_KEY):
    raise ImproperlyConfigured(
        "ESTIM_SECRET_KEY must be set to a long random value when ESTIM_DEBUG is off."
    )

ALLOWED_HOSTS = env_list(
    "ESTIM_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    # No quiet loopback default: a server that answers no host name looks broken only later.
    # Tests set it in pyproject.toml.
    raise ImproperlyConfigured(
        "ESTIM_ALLOWED_HOSTS must list the host names ESTIM is served under "
        "(comma-separated, e.g. helpdesk.example.id) when ESTIM_DEBUG is off."
    )
CSRF_TRUSTED_ORIGINS = env_list("ESTIM_CSRF_TRUSTED_ORIGINS")

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
    "django_filters",
    "import_export",
    "axes",
    "csp",
    "accounts",
    "taxonomy",
    "tickets",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the database: a NUL character in the address or a parameter
    # is refused with 400 (PostgreSQL cannot store one in text).
    "estim.middleware.RefuseNullCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "estim.urls"
WSGI_APPLICATION = "estim.wsgi.application"

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
                "tickets.context_processors.helpdesk",
            ],
        },
    },
]

# SQLite is the embedded default; DATABASE_URL=postgres://... selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("ESTIM_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The pages make a few small queries each. A parallel plan's workers took longer to start
    # than they saved (a search of three common words: 17 ms with them, 8.5 ms without) and
    # take the cores other agents' requests need.
    # Empty: PostgreSQL's own setting, and no startup option (which PgBouncer may refuse).
    if env_str("ESTIM_DB_PARALLEL_WORKERS", "0").strip():
        workers = env_int("ESTIM_DB_PARALLEL_WORKERS", 0)
        if workers < 0:
            raise ImproperlyConfigured("ESTIM_DB_PARALLEL_WORKERS must be 0 or more.")
        options = DATABASES["default"].setdefault("OPTIONS", {})
        # Added to the options DATABASE_URL may give (?options=..., ?currentSchema=...).
        options["options"] = " ".join(
            filter(None, [options.get("options"), f"-c max_parallel_workers_per_gather={workers}"])
        )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock at BEGIN, so workflow actions serialise on
    # SQLite the way select_for_update makes them serialise on PostgreSQL.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not memory, so tests that use several connections at once see one database.
    # One file per test run, so parallel runs on one machine do not share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"estim-test-{os.getpid()}.sqlite3")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # Refuses logins for an account or an address after repeated failures.
    "axes.backends.AxesStandaloneBackend",
    # Django's password login; it reads the user of each request with their groups.
    "accounts.backends.MemberBackend",
]
AXES_FAILURE_LIMIT = env_int("ESTIM_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("ESTIM_LOGIN_COOLOFF_MINUTES", 15))
# Count failures per account and, separately, per address.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The address failures are counted for. Behind reverse proxies every request comes from the
# nearest one, so five failures from anyone would block everyone. ESTIM_PROXY_COUNT is how many
# proxies in front of gunicorn add to X-Forwarded-For (nginx alone: 1). django-ipware then counts
# that many from the header's right end, skipping whatever a client wrote into it itself.
# Without it, the header is ignored: a client could put any address there.
_proxy_count = env_int("ESTIM_PROXY_COUNT", 0)
if _proxy_count < 0:
    raise ImproperlyConfigured(f"ESTIM_PROXY_COUNT must be 0 or more, not {_proxy_count}.")
if _proxy_count:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR"]
    # The nearest proxy is REMOTE_ADDR, not in the header; the header ends with the others.
    AXES_IPWARE_PROXY_COUNT = _proxy_count - 1
    # Entries a client sent come first; skip them rather than give up on the header.
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Scripts only from our own static files: no inline scripts, no event handler attributes.
# Inline styles stay allowed because Django admin uses them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "tickets:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = env_str("ESTIM_LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English")), ("id", _("Bahasa Indonesia"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("ESTIM_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("ESTIM_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("ESTIM_MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media-not-served/"
# Attachments larger than this are refused with a message (tickets/forms/tabs.py).
_max_upload_mb = env_int("ESTIM_MAX_UPLOAD_MB", 10)
if _max_upload_mb < 1:
    raise ImproperlyConfigured(f"ESTIM_MAX_UPLOAD_MB must be 1 or more, not {_max_upload_mb}.")
ESTIM_MAX_UPLOAD_BYTES = _max_upload_mb * 1024 * 1024
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
if not DEBUG and not env_bool("ESTIM_STATIC_MANIFEST", (STATIC_ROOT / "staticfiles.json").exists()):
    # Without collectstatic (tests, a first run) serve the files from the source folders.
    # bin/serve sets ESTIM_STATIC_MANIFEST, so that even its first collectstatic writes the
    # manifest and the compressed copies.
    STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    WHITENOISE_USE_FINDERS = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env_str("ESTIM_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("ESTIM_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("ESTIM_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("ESTIM_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("ESTIM_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("ESTIM_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("ESTIM_DEFAULT_FROM_EMAIL", "helpdesk@estim.localhost")

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

SESSION_COOKIE_HTTPONLY = True
# A login lasts a working day, not Django's two weeks: the pages show requesters' personal data.
_session_hours = env_int("ESTIM_SESSION_HOURS", 12)
if _session_hours < 1:
    raise ImproperlyConfigured(f"ESTIM_SESSION_HOURS must be 1 or more, not {_session_hours}.")
SESSION_COOKIE_AGE = _session_hours * 60 * 60
SESSION_COOKIE_SECURE = env_bool("ESTIM_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ESTIM_LOG_LEVEL", "WARNING")},
}

# --- Production: HTTPS, usually behind a reverse proxy that terminates TLS -------------------
# Safe by default with DEBUG off; each can be switched for the proxy in front (README.md,
# "Production"). Tests talk plain http, so pyproject.toml turns the redirect off for them.
SECURE_SSL_REDIRECT = env_bool("ESTIM_SSL_REDIRECT", not DEBUG)
# Load balancers probe the health check over plain http.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env_int("ESTIM_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ESTIM_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("ESTIM_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Asking browsers to preload the domain is its owner's decision, so it is off by default
    # and check --deploy does not warn about it.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# The header by which the proxy says the request came over HTTPS, e.g. "X-Forwarded-Proto: https".
# Trust it only if every request passes the proxy (gunicorn itself already trusts the usual
# headers from FORWARDED_ALLOW_IPS, 127.0.0.1 by default).
_proxy_ssl_header = env_str("ESTIM_SECURE_PROXY_SSL_HEADER").strip()
if _proxy_ssl_header:
    _name, _colon, _value = (part.strip() for part in _proxy_ssl_header.partition(":"))
    if not (_name and _colon and _value):
        raise ImproperlyConfigured(
            "ESTIM_SECURE_PROXY_SSL_HEADER must look like 'X-Forwarded-Proto: https', "
            f"not {_proxy_ssl_header!r}."
        )
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _name.upper().replace("-", "_"), _value)
USE_X_FORWARDED_HOST = env_bool("ESTIM_USE_X_FORWARDED_HOST", False)
