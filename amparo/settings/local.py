"""Local mode, the embedded default: one person's machine, nothing to configure.

``DJANGO_SETTINGS_MODULE=amparo.settings.local`` (what ``amparo serve``, manage.py and
amparo.wsgi choose when nothing is set). The public site needs no database; the casebook is
its own encrypted file, unlocked in this process; sessions live in this process's memory.
"""

from __future__ import annotations

import os

import dj_database_url

from amparo.settings.base import *  # noqa: F403

AMPARO_MODE = "local"


# Minutes of inactivity after which the unlocked casebook locks itself (THREAT-MODEL: seizure while unlocked).
def _idle_minutes() -> float:
    raw = os.environ.get("AMPARO_CASEBOOK_IDLE_MINUTES", "15")
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value <= 24 * 60:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("AMPARO_CASEBOOK_IDLE_MINUTES must be a number of minutes from 0 to 1440.")
    return value


CASEBOOK_IDLE_MINUTES = _idle_minutes()

# DATABASE_URL selects PostgreSQL (team mode, coming). Local mode keeps nothing in a site database:
# the public site needs none and the casebook has its own encrypted one, so the default is an
# in-memory SQLite that never becomes a file (no account row, no timestamp of any unlock on disk).
DATABASES = {"default": dj_database_url.config(default="sqlite://:memory:", conn_max_age=60, conn_health_checks=True)}

# Local mode: unlocking the casebook is the login (amparo.web.casebook.access), with no account
# and no Django login. Sessions live in this process's memory only: nothing about who unlocked when
# is written to disk, and a restart (which locks the casebook) ends them.
SESSION_ENGINE = "amparo.web.sessions"  # cache sessions that never look up a malformed cookie
SESSION_CACHE_ALIAS = "sessions"  # their own cache, so that an unlock can end every earlier session at once
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "sessions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sessions"},
}
