"""Team mode: an NGO's protection team on one PostgreSQL database, with accounts and two-factor login.

Chosen by ``AMPARO_MODE=team`` (amparo.settings.mode) and needs ``DATABASE_URL``, a PostgreSQL
address; anything else is refused with a sentence that says what to set. HTTPS by default (secure
cookies, HSTS, redirect): ``AMPARO_TEAM_TLS=0`` is accepted on loopback addresses only, for the
demo (``amparo team demo``). Every choice below says which threat it answers (THREAT-MODEL.md);
docs/team.md explains them to the people who run the server.
"""

from __future__ import annotations

import ipaddress
import os
from datetime import timedelta
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from amparo.settings.base import *  # noqa: F403
from amparo.settings.base import ALLOWED_HOSTS, INSTALLED_APPS, LOGGING, MIDDLEWARE, TEMPLATES
from amparo.settings.local import CASEBOOK_IDLE_MINUTES  # noqa: F401  the casebook's pages read it in both modes

AMPARO_MODE = "team"


def _database() -> dict:
    """DATABASE_URL, which must name PostgreSQL; the address itself (it may hold a password) is never repeated."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        raise ImproperlyConfigured(
            "Team mode (AMPARO_MODE=team) needs DATABASE_URL, the address of its PostgreSQL database, "
            "for example postgres://amparo@/amparo?host=/run/postgresql"
        )
    scheme = url.split(":", 1)[0].lower()
    try:
        config = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    except ValueError:
        config = {}
    if config.get("ENGINE") != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            f"Team mode needs PostgreSQL: DATABASE_URL starts with '{scheme[:20]}:', not postgres:// or postgresql://."
        )
    return config


DATABASES = {"default": _database()}


def _positive(name: str, default: float, largest: float) -> float:
    raw = os.environ.get(name, str(default))
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value <= largest:
        raise ImproperlyConfigured(f"{name} must be a number from 0 to {largest:g}.")
    return value


def _is_loopback(host: str) -> bool:
    name = host.strip("[]").lower()
    if name == "localhost" or name == "testserver":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


INSTALLED_APPS = [
    *INSTALLED_APPS,
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # only for migration team.0002, which hashes its clear recovery codes
    "django_otp_webauthn",  # passkeys and security keys: a django-otp device (amparo.web.team.passkeys)
    "axes",
    "rules",
    "amparo.web.team",  # accounts, roles, enrolment, sessions (amparo.web.team)
]

# The team pages read the logged-in user and their permissions (``user``, ``perms``).
TEMPLATES = [
    {
        **TEMPLATES[0],
        "OPTIONS": {
            **TEMPLATES[0]["OPTIONS"],
            "context_processors": [
                *TEMPLATES[0]["OPTIONS"]["context_processors"],
                "django.contrib.auth.context_processors.auth",
            ],
        },
    }
]

# Web attacker: the lockout backend first, so that a locked-out login never reaches the password check;
# the roles' rules (amparo.web.team.permissions) after Django's accounts.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

_auth = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
MIDDLEWARE = [
    *MIDDLEWARE[: _auth + 1],
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second factor of this session
    "amparo.web.team.middleware.SessionLimitsMiddleware",  # absolute session lifetime, last-seen time
    *MIDDLEWARE[_auth + 1 :],
    "axes.middleware.AxesMiddleware",
]

# Sessions in the database, one row per browser with its account, so that a person can see and end them.
# Idle expiry: the cookie and the row live SESSION_COOKIE_AGE after the last request (saved on every
# request); absolute expiry: AMPARO_TEAM_SESSION_HOURS after login, whatever the activity.
SESSION_ENGINE = "amparo.web.team.sessions"
SESSION_COOKIE_NAME = "amparo_team"
SESSION_COOKIE_AGE = int(_positive("AMPARO_TEAM_IDLE_MINUTES", 30, 24 * 60) * 60)
SESSION_SAVE_EVERY_REQUEST = True
AMPARO_TEAM_SESSION_HOURS = _positive("AMPARO_TEAM_SESSION_HOURS", 12, 24 * 7)

LOGIN_URL = "team:login"
LOGIN_REDIRECT_URL = "team:account"

# Web attacker: long passwords, not common ones, not the username. Argon2 hashes them (base.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Two factors for every account (django-otp): TOTP apps, passkeys (below) and one-time recovery codes.
OTP_TOTP_ISSUER = "Amparo"
AMPARO_TEAM_RECOVERY_CODES = 10
# An enrolment link (amparo team user add) works once, for this many hours.
AMPARO_TEAM_ENROL_HOURS = _positive("AMPARO_TEAM_ENROL_HOURS", 72, 24 * 30)

# Lockout (django-axes): after AXES_FAILURE_LIMIT failed logins from one address for one username
# (known or not: the answer is the same), that pair waits AXES_COOLOFF_TIME. Nothing typed is kept:
# the password, the code and the CSRF token are masked in what axes records; no access log of
# successful logins (who logged in from where is for the audit, not a second table of addresses).
AXES_FAILURE_LIMIT = int(_positive("AMPARO_TEAM_LOCKOUT_FAILURES", 5, 100))
AXES_COOLOFF_TIME = timedelta(minutes=_positive("AMPARO_TEAM_LOCKOUT_MINUTES", 15, 24 * 60))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "amparo.web.team.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_SENSITIVE_PARAMETERS = ["password", "code", "passkey", "csrfmiddlewaretoken"]
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# axes writes each failure as a WARNING naming the username and the address: none of that reaches a log.
LOGGING = {
    **LOGGING,
    "loggers": {**LOGGING["loggers"], "axes": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}
AXES_ENABLE_ADMIN = False

# Network observer: HTTPS only, remembered by browsers for a year. AMPARO_TEAM_TLS=0 is for trying team mode
# on this computer (amparo team demo) and is refused for any other address.
AMPARO_TEAM_TLS = os.environ.get("AMPARO_TEAM_TLS", "1") != "0"
if AMPARO_TEAM_TLS:
    from amparo.settings.https import *  # noqa: F403
elif not all(_is_loopback(host) for host in ALLOWED_HOSTS):
    raise ImproperlyConfigured(
        "AMPARO_TEAM_TLS=0 sends passwords without HTTPS: it is allowed only when AMPARO_ALLOWED_HOSTS "
        "lists this computer's own addresses (127.0.0.1, localhost, [::1])."
    )

# The address enrolment links start with (amparo team user add): where the team reaches this server.
AMPARO_TEAM_URL = os.environ.get("AMPARO_TEAM_URL", "").rstrip("/") or (
    f"https://{ALLOWED_HOSTS[0]}" if AMPARO_TEAM_TLS and ALLOWED_HOSTS else "http://127.0.0.1:8000"
)

# Passkeys and security keys (django-otp-webauthn, docs/team.md): the relying party is the server named by
# AMPARO_TEAM_URL; a passkey works on that origin only (a look-alike site cannot ask for it). Browsers
# allow WebAuthn on https:// and on http://localhost, never on an IP address: elsewhere passkeys are off
# (the app and the recovery codes still work), and the library's checks, which would refuse to start, are silenced.
_team_url = urlsplit(AMPARO_TEAM_URL)
OTP_WEBAUTHN_RP_ID = (_team_url.hostname or "").lower()
OTP_WEBAUTHN_RP_NAME = "Amparo"
OTP_WEBAUTHN_ALLOWED_ORIGINS = [f"{_team_url.scheme}://{_team_url.netloc}".lower()]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False  # a passkey is the second factor, after the password
OTP_WEBAUTHN_HELPER_CLASS = "amparo.web.team.passkeys.TeamWebAuthnHelper"
OTP_WEBAUTHN_EXCEPTION_LOGGER_NAME = ""
OTP_WEBAUTHN_TIMEOUT_SECONDS = 5 * 60


def _passkeys_possible(scheme: str, host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return bool(host) and (scheme == "https" or host == "localhost")
    return False


AMPARO_TEAM_PASSKEYS = _passkeys_possible(_team_url.scheme, OTP_WEBAUTHN_RP_ID)
if not AMPARO_TEAM_PASSKEYS:
    SILENCED_SYSTEM_CHECKS = ["otp_webauthn.E031"]
