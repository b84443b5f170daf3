"""Test settings: the embedded default, with local state in a throw-away directory."""

import os
import secrets
import tempfile

os.environ.setdefault("AMPARO_DATA_DIR", tempfile.mkdtemp(prefix="amparo-test-"))
os.environ.setdefault("AMPARO_SECRET_KEY", secrets.token_urlsafe(50))  # this test run's only

from amparo.settings import *  # noqa: F403
from amparo.settings import ALLOWED_HOSTS

ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
