"""The test suite's settings: local mode, with local state in a throw-away directory.

Chosen by pyproject.toml (``DJANGO_SETTINGS_MODULE``) and by the tests that start a real
server. The data and cache directories and the secret key are this run's only.
"""

import atexit
import os
import secrets
import shutil
import tempfile

os.environ.setdefault("AMPARO_DATA_DIR", tempfile.mkdtemp(prefix="amparo-test-"))
if "AMPARO_CACHE_DIR" not in os.environ:  # the prepared datasets of every data folder a test loads: removed at exit
    os.environ["AMPARO_CACHE_DIR"] = tempfile.mkdtemp(prefix="amparo-test-cache-")
    atexit.register(shutil.rmtree, os.environ["AMPARO_CACHE_DIR"], ignore_errors=True)
os.environ.setdefault("AMPARO_SECRET_KEY", secrets.token_urlsafe(50))

from amparo.settings.local import *  # noqa: F403
from amparo.settings.local import ALLOWED_HOSTS

ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
