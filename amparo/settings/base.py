"""Settings every Amparo deployment shares: apps, middleware, templates, languages, security, logs.

Not a settings module on its own: ``local`` (the embedded default), ``production`` (behind TLS)
and ``test`` build on it. Every non-default security setting says which threat it answers
(shared/design/THREAT-MODEL.md). Importing it reads the environment and writes nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

from amparo.files import casebook_dir, data_dir
from amparo.settings.secret import read_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent


DATA_DIR = data_dir()
CASEBOOK_DIR = casebook_dir()


def _secret_key() -> str:
    """AMPARO_SECRET_KEY, else the key file the starting command created; no file is written here.

    Every entry point (``amparo serve`` and the commands that render, manage.py, amparo.wsgi)
    calls :func:`amparo.settings.secret.ensure_secret_key` first. Without a key Django refuses
    to run (an empty SECRET_KEY), and production.py says which variable to set.
    """
    return os.environ.get("AMPARO_SECRET_KEY") or read_secret_key(DATA_DIR) or ""


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("AMPARO_DEBUG") == "1"
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("AMPARO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "amparo.web",  # the public site: knowledge base, navigator, documents
    "amparo.web.casebook",  # the private casebook: its own URLs, templates and views
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "amparo.web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "amparo.web.middleware.MinifyHTMLMiddleware",  # last: it sees the page before anything measures it
]

ROOT_URLCONF = "amparo.urls"
WSGI_APPLICATION = "amparo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "amparo.web.context.site",
            ],
        },
    }
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Uploads (casebook backups to restore) stay in memory: no temporary file, even of ciphertext.
FILE_UPLOAD_HANDLERS = ["amparo.web.casebook.uploads.BoundedMemoryUploadHandler"]
# The backup of a 100,000-record casebook is about 191 MiB; larger ones restore with `amparo restore`.
AMPARO_RESTORE_MAX_BYTES = 256 * 1024 * 1024


PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Languages of the interface. The language is in the URL (/en/...), so pages are cacheable,
# exportable and need no cookie. A language is listed when its interface is fully translated;
# dataset texts not yet translated are shown in English, marked with lang="en".
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español"), ("fr", "Français"), ("pt", "Português"), ("ar", "العربية")]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = None  # nothing is collected: WhiteNoise serves from the package (below)
WHITENOISE_USE_FINDERS = True  # serve straight from the package: nothing to collect on a fresh machine
WHITENOISE_MAX_AGE = 3600

# --- Security (THREAT-MODEL.md) ------------------------------------------------
# Web attacker / network observer: a strict policy; nothing inline, nothing from another origin.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
# A defender's clicks on a citation must not tell the cited site where they came from.
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "amparo.web.views.csrf_failure"
# Public pages never touch the session, so they never set a cookie (tested).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# Nothing a person typed reaches the logs (amparo.web.logs): a rejected request is one short
# WARNING line naming its kind, a server error one ERROR line naming the exception; 4xx are dropped.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"requests": {"()": "amparo.web.logs.RequestLogFilter"}},
    # On the handler: a logger's own filters never see its children's records (django.security.*).
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["requests"]}},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "amparo": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
