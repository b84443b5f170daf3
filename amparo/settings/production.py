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
from amparo.settings.https import *  # noqa: E402, F403  (network observer)
