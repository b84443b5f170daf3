"""Team settings for the team tests, run on a real PostgreSQL by tests/web/test_team.py (DATABASE_URL).

Team mode as served, but over plain HTTP on the test client's loopback host, with the data directory,
secret key and team key file of this run only (the casebook's tables go to a schema of each test's own,
see conftest.py), and without the TOTP throttle's growing waits between wrong codes
(the tests type wrong codes on purpose; django-axes' lockout is what they check).
"""

import os
import secrets
import tempfile
from pathlib import Path

os.environ.setdefault("AMPARO_DATA_DIR", tempfile.mkdtemp(prefix="amparo-team-test-"))
os.environ.setdefault("AMPARO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ["AMPARO_TEAM_TLS"] = "0"
os.environ["AMPARO_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
os.environ.setdefault("AMPARO_TEAM_URL", "http://localhost:8000")  # a name, not an address: passkeys are on
if "AMPARO_TEAM_KEY_FILE" not in os.environ:
    from amparo.casebook.team import create_key_file

    os.environ["AMPARO_TEAM_KEY_FILE"] = os.path.join(tempfile.mkdtemp(prefix="amparo-team-key-"), "team.key")
    create_key_file(Path(os.environ["AMPARO_TEAM_KEY_FILE"]))
    from amparo.casebook.team.keys import age_identity_path, create_age_identity_file

    create_age_identity_file(age_identity_path())  # beside the key file: the team's key for case transfers

from amparo.settings.team import *  # noqa: F403

OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
