"""Local mode behind TLS: ``DJANGO_SETTINGS_MODULE=amparo.settings.production``.

Refuses to start without an explicit secret key and host list.
"""

from __future__ import annotations

import os

from amparo.settings.local import *  # noqa: F403

if not os.environ.get("AMPARO_SECRET_KEY"):
    raise RuntimeError("AMPARO_SECRET_KEY must be set in production")
if not os.environ.get("AMPARO_ALLOWED_HOSTS"):
    raise RuntimeError("AMPARO_ALLOWED_HOSTS must be set in production")

DEBUG = False
# Network observer: HTTPS only, and browsers remember it for a year.
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
