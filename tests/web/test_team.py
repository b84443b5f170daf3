"""Team mode (issue 13): chosen by configuration, refused half-configured, clean deploy checks and migrations,
the command line, and the account tests of tests/web/team run on a real PostgreSQL cluster."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest

from tests.conftest import REPO

PRODUCTION_LIKE = {
    "AMPARO_SECRET_KEY": "x9" * 40 + "-Kq7!vZ3#pL0@wR8",
    "AMPARO_ALLOWED_HOSTS": "amparo.example",
}


def clean_env(**extra: str) -> dict[str, str]:
    drop = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "AMPARO_MODE", "AMPARO_SECRET_KEY", "AMPARO_ALLOWED_HOSTS")
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("AMPARO_TEAM")}
    return {**env, **extra}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=180
    )


def fresh_database(postgres: str) -> str:
    """A new, empty database on the test cluster: each test's own."""
    import psycopg

    name = "t" + secrets.token_hex(6)
    host = postgres.split("host=", 1)[1]
    with psycopg.connect(host=host, user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return postgres.replace("/postgres?", f"/{name}?")


def test_local_mode_stays_the_default(tmp_path):
    from amparo.settings import mode

    code = "from amparo.settings.mode import settings_module as s; print(s())"
    for extra in ({}, {"AMPARO_MODE": "local"}, {"AMPARO_MODE": "team"}, {"AMPARO_MODE": "cloud"}):
        run = subprocess.run(
            [sys.executable, "-c", code], cwd=REPO, env=clean_env(**extra), capture_output=True, text=True
        )
        if extra.get("AMPARO_MODE") == "cloud":
            assert run.returncode != 0 and "AMPARO_MODE must be 'local'" in run.stderr
        else:
            assert run.stdout.strip() == mode.MODULES[extra.get("AMPARO_MODE", "local")]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (None, "Team mode (AMPARO_MODE=team) needs DATABASE_URL"),
        ("sqlite:///secret-name.db", "Team mode needs PostgreSQL: DATABASE_URL starts with 'sqlite:'"),
        ("mysql://user:hunter2@db/amparo", "Team mode needs PostgreSQL: DATABASE_URL starts with 'mysql:'"),
    ],
)
def test_team_mode_refuses_to_start_without_postgresql(tmp_path, url, message):
    env = clean_env(AMPARO_MODE="team", AMPARO_DATA_DIR=str(tmp_path), **PRODUCTION_LIKE)
    if url:
        env["DATABASE_URL"] = url
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr
    assert "hunter2" not in result.stderr and "secret-name" not in result.stderr
    cli = subprocess.run(
        [sys.executable, "-m", "amparo", "team", "user", "add", "maria", "--role", "officer"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli.returncode == 1 and message in cli.stderr and "Traceback" not in cli.stderr


def test_plain_http_is_refused_for_a_network_address(tmp_path):
    env = clean_env(
        AMPARO_MODE="team",
        AMPARO_DATA_DIR=str(tmp_path),
        DATABASE_URL="postgres://amparo@/amparo",
        AMPARO_TEAM_TLS="0",
        **PRODUCTION_LIKE,
    )
    result = manage("check", env=env)
    assert result.returncode != 0 and "AMPARO_TEAM_TLS=0 sends passwords without HTTPS" in result.stderr


def serve(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "amparo", "serve", "--port", "8791"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_serve_stops_at_the_start_with_the_reason_when_the_team_store_cannot_open(postgres, tmp_path):
    """An operator learns at once that the key file is missing or PostgreSQL is down, not from a member's page."""
    base = clean_env(
        AMPARO_MODE="team",
        AMPARO_DATA_DIR=str(tmp_path),
        AMPARO_TEAM_TLS="0",
        AMPARO_SECRET_KEY=PRODUCTION_LIKE["AMPARO_SECRET_KEY"],
        AMPARO_ALLOWED_HOSTS="127.0.0.1",
    )
    missing = serve(
        {**base, "DATABASE_URL": fresh_database(postgres), "AMPARO_TEAM_KEY_FILE": str(tmp_path / "no.key")}
    )
    assert missing.returncode == 1 and "There is no team key file at" in missing.stderr
    down = serve({**base, "DATABASE_URL": "postgres://amparo:hunter2@/amparo?host=" + str(tmp_path / "nowhere")})
    assert down.returncode == 1 and "cannot prepare the database in DATABASE_URL" in down.stderr
    for result in (missing, down):
        assert "Traceback" not in result.stderr and "hunter2" not in result.stderr


def test_check_deploy_is_clean_in_team_mode(postgres, tmp_path):
    env = clean_env(AMPARO_MODE="team", AMPARO_DATA_DIR=str(tmp_path), DATABASE_URL=postgres, **PRODUCTION_LIKE)
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_migrations_are_complete_in_team_mode(postgres, tmp_path):
    env = clean_env(
        AMPARO_MODE="team", AMPARO_DATA_DIR=str(tmp_path), DATABASE_URL=fresh_database(postgres), **PRODUCTION_LIKE
    )
    result = manage("makemigrations", "--check", "--dry-run", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert manage("migrate", env=env).returncode == 0


def test_team_init_and_user_add_print_one_time_links(postgres, tmp_path):
    env = clean_env(
        AMPARO_MODE="team", AMPARO_DATA_DIR=str(tmp_path), DATABASE_URL=fresh_database(postgres), **PRODUCTION_LIKE
    )

    def amparo(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "amparo", "team", *args], cwd=REPO, env=env, capture_output=True, text=True
        )

    before = amparo("user", "add", "maria", "--role", "officer")
    assert before.returncode == 1 and "amparo team init" in before.stderr and "Traceback" not in before.stderr
    init = amparo("init", "--admin", "chief")
    assert init.returncode == 0, init.stderr
    assert "https://amparo.example/en/team/enrol/" in init.stdout
    assert amparo("init").returncode == 1  # one first admin
    added = amparo("user", "add", "maria", "--role", "officer", "--language", "es")
    assert added.returncode == 0, added.stderr
    assert "https://amparo.example/es/team/enrol/" in added.stdout
    token = added.stdout.split("/team/enrol/", 1)[1].split("/", 1)[0]
    assert amparo("user", "add", "maria", "--role", "officer").returncode == 1
    assert amparo("user", "add", "ana", "--role", "officer", "--password", "x").returncode == 2  # no such option
    code = (
        "from amparo.settings.mode import choose_settings; choose_settings()\n"
        "import django; django.setup()\n"
        "from amparo.web.team.accounts import token_sha256\n"
        "from amparo.web.team.models import Enrolment, Member\n"
        f"assert Enrolment.objects.filter(token_sha256=token_sha256({token!r}), used=None).count() == 1\n"
        f"assert not Enrolment.objects.filter(token_sha256__contains={token!r}).exists()\n"
        "print(sorted(Member.objects.values_list('user__username', 'role')))\n"
    )
    check = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert check.stdout.strip() == "[('chief', 'admin'), ('maria', 'officer')]"


def test_the_account_tests_pass_on_postgresql(postgres, tmp_path):
    """tests/web/team, in a process of its own with team settings on the real cluster (pytest-django
    makes its test database there)."""
    env = clean_env(
        DJANGO_SETTINGS_MODULE="tests.web.team.settings",
        DATABASE_URL=fresh_database(postgres),
        AMPARO_DATA_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/web/team", "-n", "0", "-q", "-p", "no:cacheprovider"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and " failed" not in result.stdout


@pytest.mark.parametrize(
    ("url", "tls", "rp_id", "origin", "on"),
    [
        ("https://amparo.example", "1", "amparo.example", "https://amparo.example", True),
        ("https://Team.NGO.example:8443/", "1", "team.ngo.example", "https://team.ngo.example:8443", True),
        ("http://localhost:8000", "0", "localhost", "http://localhost:8000", True),
        ("https://10.0.0.5", "1", "10.0.0.5", "https://10.0.0.5", False),  # browsers refuse WebAuthn on an address
        ("http://127.0.0.1:8000", "0", "127.0.0.1", "http://127.0.0.1:8000", False),
    ],
)
def test_passkeys_are_bound_to_the_team_url_and_off_where_browsers_refuse_them(
    postgres, tmp_path, url, tls, rp_id, origin, on
):
    hosts = "127.0.0.1,localhost" if tls == "0" else "amparo.example"
    env = clean_env(
        AMPARO_MODE="team",
        AMPARO_DATA_DIR=str(tmp_path),
        DATABASE_URL=postgres,
        AMPARO_SECRET_KEY=PRODUCTION_LIKE["AMPARO_SECRET_KEY"],
        AMPARO_ALLOWED_HOSTS=hosts,
        AMPARO_TEAM_TLS=tls,
        AMPARO_TEAM_URL=url,
    )
    code = (
        "from amparo.settings.mode import choose_settings; choose_settings()\n"
        "from django.conf import settings as s\n"
        "print(s.OTP_WEBAUTHN_RP_ID, s.OTP_WEBAUTHN_ALLOWED_ORIGINS[0], s.AMPARO_TEAM_PASSKEYS)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True)
    assert run.stdout.split() == [rp_id, origin, str(on)], run.stderr
    assert manage("check", env=env).returncode == 0  # the library's checks do not stop a server without passkeys


def test_team_init_makes_the_age_key_and_import_case_takes_a_file_in(postgres, tmp_path):
    """`amparo team init` makes the team's age identity beside the key file (0600, never replaced) and prints
    its public key; `amparo team import-case` imports a file made for it, once, for an officer."""
    import dataclasses
    import re
    import stat

    from amparo.casebook import transfer
    from amparo.casebook.team import create_key_file
    from tests.casebook.test_transfer import DEFENDER, consent_to, full_case, local_book

    key = tmp_path / "team.key"
    create_key_file(key)
    env = clean_env(
        AMPARO_MODE="team",
        AMPARO_DATA_DIR=str(tmp_path),
        DATABASE_URL=fresh_database(postgres),
        AMPARO_TEAM_KEY_FILE=str(key),
        **PRODUCTION_LIKE,
    )

    def amparo(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "amparo", "team", *args], cwd=REPO, env=env, capture_output=True, text=True
        )

    init = amparo("init")
    assert init.returncode == 0, init.stderr
    public = re.search(r"public key for case transfers: (age1[0-9a-z]+)", init.stdout).group(1)
    identity = tmp_path / "team-age-identity.txt"
    assert stat.S_IMODE(identity.stat().st_mode) == 0o600 and public in identity.read_text()
    assert "AGE-SECRET-KEY" not in init.stdout + init.stderr
    for username, role in (("maria", "officer"), ("rita", "read-only")):
        assert amparo("user", "add", username, "--role", role).returncode == 0

    source = local_book(tmp_path, "laptop")
    case = full_case(source, pseudonym="Heron")
    consent = dataclasses.replace(consent_to("move-to-team"), transfer_id=transfer.new_transfer_id())
    sealed = tmp_path / "heron.age"
    sealed.write_bytes(transfer.seal(source.move_out(DEFENDER, case.id, consent), recipients=[public]))

    refused = amparo("import-case", str(sealed), "--owner", "rita")
    assert refused.returncode == 1 and "only admins, coordinators and officers" in refused.stderr
    assert amparo("import-case", str(sealed), "--owner", "nobody").returncode == 1
    done = amparo("import-case", str(sealed), "--owner", "maria")
    assert done.returncode == 0, done.stderr
    assert "imported the case as" in done.stdout and "maria owns it" in done.stdout and "Heron" not in done.stdout
    again = amparo("import-case", str(sealed), "--owner", "maria")
    assert again.returncode == 1 and "imported here already" in again.stderr and "Traceback" not in again.stderr
    junk = tmp_path / "junk.age"
    junk.write_bytes(b"not a transfer file")
    bad = amparo("import-case", str(junk), "--owner", "maria")
    assert bad.returncode == 1 and "not an Amparo case transfer" in bad.stderr


def test_transfer_key_makes_the_age_key_once_and_prints_the_same_public_key(tmp_path):
    """A team set up before case transfers gets its age key; running it again never replaces the key."""
    import re
    import stat

    env = clean_env(AMPARO_TEAM_KEY_FILE=str(tmp_path / "team.key"), AMPARO_DATA_DIR=str(tmp_path))

    def transfer_key(environment: dict[str, str]) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "amparo", "team", "transfer-key"],
            cwd=REPO,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )

    first, again = transfer_key(env), transfer_key(env)
    assert first.returncode == 0 and again.returncode == 0, first.stderr + again.stderr
    keys = [re.search(r"(age1[0-9a-z]{58})", run.stdout).group(1) for run in (first, again)]
    assert keys[0] == keys[1]
    identity = tmp_path / "team-age-identity.txt"
    assert stat.S_IMODE(identity.stat().st_mode) == 0o600 and "AGE-SECRET-KEY" not in first.stdout
    unset = transfer_key(clean_env(AMPARO_DATA_DIR=str(tmp_path)))
    assert unset.returncode == 1 and "AMPARO_TEAM_KEY_FILE is not set" in unset.stderr
