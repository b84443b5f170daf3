"""Test settings: the embedded default, with local state in a throw-away directory."""

import os
import tempfile

os.environ.setdefault("AMPARO_DATA_DIR", tempfile.mkdtemp(prefix="amparo-test-"))

from amparo.settings import *  # noqa: F403
from amparo.settings import ALLOWED_HOSTS

ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
