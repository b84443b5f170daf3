"""Which settings module a command runs with: AMPARO_MODE chooses, local mode by default.

Pure: no Django import at module level, so every entry point (manage.py, amparo.wsgi, ``amparo
serve`` and the commands that render) can call :func:`choose_settings` before Django starts.
An explicit DJANGO_SETTINGS_MODULE always wins (the test suite sets its own).
"""

from __future__ import annotations

import os

MODULES = {"local": "amparo.settings.local", "team": "amparo.settings.team"}


def settings_module() -> str:
    """The module for AMPARO_MODE: ``local`` (the default, one machine) or ``team`` (PostgreSQL, accounts)."""
    mode = os.environ.get("AMPARO_MODE", "").strip().lower() or "local"
    if mode not in MODULES:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("AMPARO_MODE must be 'local' (the default) or 'team'.")
    return MODULES[mode]


def choose_settings() -> None:
    """Set DJANGO_SETTINGS_MODULE from AMPARO_MODE unless it is set already."""
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        os.environ["DJANGO_SETTINGS_MODULE"] = settings_module()
