"""authsite settings, read from the environment.

With nothing set, the site runs on the embedded development profile: SQLite and a file cache
beside it under ``var/``, DEBUG on. ``DJANGO_ENV=production`` turns DEBUG off and makes every
secret and every external service a required variable, so a missing one stops the boot.
"""

from datetime import timedelta
from pathlib import Path

import environ

from authsite.settings import redis
from authsite.settings.secrets import development_secret

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in ("development", "production"):
    raise environ.ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = DJANGO_ENV == "production"


def _required_in_production(name, development_default, cast=str):
    """Production secrets and services have no default: a missing one stops the boot.

    ``development_default`` may be a callable, so that production never makes a dev secret.
    """
    if PRODUCTION:
        return env.get_value(name, cast=cast)
    if name in env.ENVIRON:
        return env.get_value(name, cast=cast)
    return development_default() if callable(development_default) else development_default


# --- Core -----------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=not PRODUCTION)
SECRET_KEY = _required_in_production(
    "DJANGO_SECRET_KEY", development_default=lambda: development_secret(VAR_DIR, "secret_key")
)
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = _required_in_production(
    "DJANGO_ALLOWED_HOSTS", development_default=["127.0.0.1", "localhost", "[::1]"], cast=list
)

INSTALLED_APPS = [
    # First, so that its changepassword and createsuperuser replace django.contrib.auth's, which
    # would bypass the services and the audit log.
    "accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "moderation",
    "adminlogs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Dates and numbers in the reader's format, from Accept-Language among LANGUAGES.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Deny by default: every page needs a login unless its view opts out.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "authsite.sessions.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "authsite.middleware.DomainErrorPageMiddleware",
]

ROOT_URLCONF = "authsite.urls"
WSGI_APPLICATION = "authsite.wsgi.application"
APPEND_SLASH = False  # every route answers with and without the slash; see authsite.urls

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
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
if not PRODUCTION:
    VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL",
        default=env.NOTSET if PRODUCTION else f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
    )
}
# Persistent connections, checked before reuse, so the TLS handshake is not paid per request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Writers take the lock when their transaction begins and wait for it, instead of failing
    # with "database is locked" when two of them race (two refreshes of one token, say).
    # Five seconds a wait: with the retries of authsite.db, a request gives up within half a minute.
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=5)
# Local experiments only: lets production settings start without verified TLS to the database
# and Redis. The name says what it does so that nobody sets it by accident.
ALLOW_PLAINTEXT_SERVICES_FOR_LOCAL_EXPERIMENTS = env.bool(
    "ALLOW_PLAINTEXT_SERVICES_FOR_LOCAL_EXPERIMENTS", default=False
)
DISABLE_COCKROACHDB_TELEMETRY = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Retries of a write transaction that the database aborted as a serialization conflict.
DATABASE_RETRY_ATTEMPTS = env.int("DATABASE_RETRY_ATTEMPTS", default=5)
DATABASE_RETRY_BASE_DELAY = env.float("DATABASE_RETRY_BASE_DELAY", default=0.02)

# --- Cache ----------------------------------------------------------------------------------


def _embedded_cache_dir() -> Path:
    """Beside the SQLite file, so each database has its own cache, shared by all its processes."""
    database = DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and str(database["NAME"]) not in ("", ":memory:"):
        return Path(f"{database['NAME']}-cache")
    return VAR_DIR / "cache"


CACHES = redis.caches(
    _required_in_production("REDIS_URL", development_default=None),
    ca_cert=env.str("REDIS_CA_CERT", default=None),
    client_cert=env.str("REDIS_CLIENT_CERT", default=None),
    client_key=env.str("REDIS_CLIENT_KEY", default=None),
    embedded_dir=_embedded_cache_dir(),
)
# Redis errors that the default alias ignores still reach the log, so an outage shows.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# --- Sessions -------------------------------------------------------------------------------
# cached_db: Redis answers the reads, the database keeps every session, so a Redis outage or
# restart logs nobody out (the plain cache engine would lose them all).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=int(timedelta(minutes=30).total_seconds()))
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=int(timedelta(hours=12).total_seconds()))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_HTTPONLY = True
# __Host- cookies are bound to this exact host over HTTPS: no Domain, Path=/, Secure only.
SESSION_COOKIE_NAME = "__Host-sessionid" if PRODUCTION else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if PRODUCTION else "csrftoken"

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# ``username`` keeps the spelling people chose; the unique column is its normalised form,
# ``username_key``, which every look-up (including PolicyBackend's) goes through.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
AUTHENTICATION_BACKENDS = ["accounts.backends.PolicyBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "welcome"
PASSWORD_HASHERS = [
    "accounts.hashers.TunedArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# A moderator may suspend plain users for this many days at least and at most.
MODERATOR_SUSPENSION_MIN_DAYS = env.int("MODERATOR_SUSPENSION_MIN_DAYS", default=1)
MODERATOR_SUSPENSION_MAX_DAYS = env.int("MODERATOR_SUSPENSION_MAX_DAYS", default=7)
# No admin suspension may name a date past this many days; longer means indefinite.
SUSPENSION_MAX_DAYS = env.int("SUSPENSION_MAX_DAYS", default=3650)

# --- Rate limits (django-ratelimit counters in the default cache) --------------------------
RATE_LIMITS = {
    "login_ip": env.str("RATE_LIMIT_LOGIN_IP", default="30/m"),
    "login_account": env.str("RATE_LIMIT_LOGIN_ACCOUNT", default="10/5m"),
    "register_ip": env.str("RATE_LIMIT_REGISTER_IP", default="10/h"),
    "refresh_ip": env.str("RATE_LIMIT_REFRESH_IP", default="60/m"),
    "password_account": env.str("RATE_LIMIT_PASSWORD_ACCOUNT", default="5/15m"),
}
RATELIMIT_USE_CACHE = "ratelimit"

# --- API and JWT ----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.api.authentication.VersionedJWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.api.permissions.DenyAll"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["authsite.api.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "authsite.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=5)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=1)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    "ALGORITHM": "HS256",
    "SIGNING_KEY": _required_in_production(
        "JWT_SIGNING_KEY", development_default=lambda: development_secret(VAR_DIR, "jwt_signing_key")
    ),
    "AUDIENCE": env.str("JWT_AUDIENCE", default="authsite-api"),
    "ISSUER": env.str("JWT_ISSUER", default="authsite"),
    "LEEWAY": timedelta(seconds=env.int("JWT_LEEWAY_SECONDS", default=10)),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "sub",
    "AUTH_HEADER_TYPES": ("Bearer",),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "authsite API",
    "DESCRIPTION": (
        "Registration, login and role-based access over JSON with JWT. To try it: call "
        "POST /api/login, copy the `access` value, click Authorize and paste it."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False) else None
)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
# How many reverse proxies we trust to append to X-Forwarded-For (0: use REMOTE_ADDR only).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# No inline script or style anywhere: every page, the admin and the API docs load files only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=64 * 1024)

# --- Static files, i18n ---------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
LANGUAGE_CODE = "en-us"
# The pages are written in English and ready for translation; these differ in date formats.
LANGUAGES = [("en", "English (US)"), ("en-gb", "English (UK)"), ("en-au", "English (Australia)")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
