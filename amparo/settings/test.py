"""The test suite's settings: local mode, with local state in a throw-away directory.

Chosen by pyproject.toml (``DJANGO_SETTINGS_MODULE``) and by the tests that start a real
server. The data and cache directories and the secret key are this run's only.
"""

import os
import secrets
import tempfile

os.environ.setdefault("AMPARO_DATA_DIR", tempfile.mkdtemp(prefix="amparo-test-"))
os.environ.setdefault("AMPARO_CACHE_DIR", tempfile.mkdtemp(prefix="amparo-test-cache-"))  # the prepared dataset
os.environ.setdefault("AMPARO_SECRET_KEY", secrets.token_urlsafe(50))

from amparo.settings.local import *  # noqa: F403
from amparo.settings.local import ALLOWED_HOSTS

ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
