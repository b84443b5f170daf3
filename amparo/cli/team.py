"""``amparo team``: team mode on PostgreSQL. ``init`` and ``user add`` against DATABASE_URL; ``demo`` to try it.

No password is ever taken on the command line: a new member gets a one-time enrolment link, where
they choose their password and set up two-factor login themselves (docs/team.md).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

ROLES = ("admin", "coordinator", "officer", "read-only")
LANGUAGES = ("en", "es", "fr", "pt", "ar")


def setup_team() -> None:
    """Django in team mode (amparo.settings.team unless DJANGO_SETTINGS_MODULE says otherwise), or a calm exit."""
    from django.core.exceptions import ImproperlyConfigured

    os.environ.setdefault("AMPARO_MODE", "team")
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        os.environ["DJANGO_SETTINGS_MODULE"] = "amparo.settings.team"
    from amparo.settings.secret import ensure_configured_key

    ensure_configured_key()
    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        raise click.ClickException(str(exc)) from None
    from django.conf import settings

    if getattr(settings, "AMPARO_MODE", "") != "team":
        raise click.ClickException("these commands need team mode (AMPARO_MODE=team and DATABASE_URL)")


def migrate() -> None:
    from django.core.management import call_command
    from django.db import DatabaseError

    try:
        call_command("migrate", interactive=False, verbosity=0)
    except DatabaseError as exc:
        raise database_problem(exc) from None


def database_problem(exc: Exception) -> click.ClickException:
    """The error a command stops with when the team database fails: the first line of PostgreSQL's reason."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return click.ClickException(f"cannot prepare the database in DATABASE_URL: {first}")


def ensure_age_identity() -> None:
    """The team's age identity for case transfers (beside the team key file), made once; print its public key."""
    from amparo.casebook.errors import TeamKeyError
    from amparo.casebook.team.keys import (
        ENV_KEY_FILE,
        age_identity_path,
        create_age_identity_file,
        read_age_identity_file,
    )

    path = age_identity_path()
    if path is None:
        click.echo(f"{ENV_KEY_FILE} is not set: no age key for case transfers was made.", err=True)
        return
    try:
        public = read_age_identity_file(path)[1] if path.exists() else create_age_identity_file(path)
    except TeamKeyError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"The team's public key for case transfers: {public}")
    click.echo(f"Its secret key is in {path}: back it up with the team key file, away from the database.")


def print_link(username: str, token: str, language: str) -> None:
    from amparo.web.team.accounts import enrolment_link
    from amparo.web.team.models import Enrolment

    enrolment = Enrolment.objects.filter(user__username=username, used__isnull=True).order_by("-pk").first()
    click.echo(f"Enrolment link for {username} (works once; give it by a safe channel):")
    click.echo(f"  {enrolment_link(token, language)}")
    if enrolment is not None:
        click.echo(f"It expires at {enrolment.expires:%Y-%m-%d %H:%M} UTC.")


@click.group()
def team() -> None:
    """Team mode: one casebook for an NGO's protection team on PostgreSQL (docs/team.md)."""


@team.command("init")
@click.option("--admin", "username", default="admin", show_default=True, help="Username of the first admin.")
@click.option("--language", type=click.Choice(LANGUAGES), default="en", show_default=True, help="Language of the link.")
def init(username: str, language: str) -> None:
    """Create the schema in DATABASE_URL and the first admin, and print the admin's enrolment link.

    \b
    Example:
        AMPARO_MODE=team DATABASE_URL=postgres://amparo@/amparo?host=/run/postgresql amparo team init
    """
    setup_team()
    migrate()
    from amparo.web.team.accounts import AccountError, active_admins, add_member

    if active_admins():
        raise click.ClickException("the team has an admin already: add members with `amparo team user add`")
    try:
        _user, token = add_member(username, "admin")
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo("The schema is ready.")
    ensure_age_identity()
    print_link(username, token, language)


@team.command("transfer-key")
def transfer_key() -> None:
    """Print the team's public key for case transfers, making its age key first if there is none.

    The age key sits beside the team key file (AMPARO_TEAM_KEY_FILE), or where
    AMPARO_TEAM_AGE_IDENTITY_FILE says; an existing one is never replaced. For a
    team set up before case transfers, and to give a defender the public key.

    \b
    Example:
        AMPARO_TEAM_KEY_FILE=/etc/amparo/team.key amparo team transfer-key
    """
    from amparo.casebook.team.keys import ENV_KEY_FILE, age_identity_path

    if age_identity_path() is None:
        raise click.ClickException(f"{ENV_KEY_FILE} is not set: the age key is kept beside the team key file")
    ensure_age_identity()


@team.group("user")
def user() -> None:
    """Team members."""


@user.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the member may do (docs/team.md).")
@click.option("--language", type=click.Choice(LANGUAGES), default="en", show_default=True, help="Language of the link.")
def user_add(username: str, role: str, language: str) -> None:
    """Add a member and print their one-time enrolment link (no password here: they choose it).

    \b
    Example:
        amparo team user add maria --role officer
    """
    setup_team()
    from amparo.web.team.accounts import AccountError, add_member

    try:
        _user, token = add_member(username, role)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    except Exception as exc:  # the database unreachable or without its schema: say so, never a traceback
        from django.db import DatabaseError

        if not isinstance(exc, DatabaseError):
            raise
        raise click.ClickException(
            "cannot add the member: is DATABASE_URL right, and did `amparo team init` run?"
        ) from None
    print_link(username, token, language)


# --- amparo team demo --------------------------------------------------------------------------------


def postgres_bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise click.ClickException("PostgreSQL is not installed: apt-get install postgresql (make team-demo does it)")
    return Path(found[-1]).parent


def as_postgres(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, its server runs as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def default_cluster_dir() -> Path:
    """In the data directory; as root, under /var/lib/amparo (the postgres user cannot enter /root)."""
    from amparo.files import data_dir

    return Path("/var/lib/amparo/team-postgres") if os.geteuid() == 0 else data_dir() / "team-postgres"


@contextmanager
def local_cluster(root: Path) -> Iterator[str]:
    """A PostgreSQL cluster in ``root`` on a Unix socket only (no TCP), created once, stopped on exit.

    Yields the DATABASE_URL of its ``amparo`` database. The socket sits in ``root`` (mode 0700), so
    only its owner (and root) can connect; that is why the cluster may trust local connections.
    """
    bindir = postgres_bindir()
    data = root / "data"
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(root, 0o700)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    run = {"check": True, "capture_output": True, "text": True}
    if not (data / "PG_VERSION").exists():
        click.echo(f"Creating a PostgreSQL cluster in {data}")
        subprocess.run(  # noqa: S603
            as_postgres([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]),
            **run,
        )
    try:
        pg_ctl(root, "start", **run)
    except subprocess.CalledProcessError:
        raise click.ClickException(f"PostgreSQL did not start: see {root / 'log'}") from None
    try:
        import psycopg

        with psycopg.connect(host=str(root), user="postgres", dbname="postgres", autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = 'amparo'").fetchone() is None:
                conn.execute("CREATE DATABASE amparo")
        yield f"postgres://postgres@/amparo?host={root}"
    finally:
        pg_ctl(root, "stop", "-m", "fast", capture_output=True)


def pg_ctl(root: Path, action: str, *args: str, **run: Any) -> subprocess.CompletedProcess[Any]:
    """``pg_ctl action`` on the cluster of :func:`local_cluster` in ``root``, with the options it starts with.

    ``start`` and ``restart`` wait until the server accepts connections; its output goes to ``root/log``.
    """
    options = f"-k {root} -c listen_addresses='' -c unix_socket_permissions=0700"
    command = [str(postgres_bindir() / "pg_ctl"), "-D", str(root / "data"), "-w", "-l", str(root / "log")]
    if action in ("start", "restart"):
        command += ["-o", options]
    return subprocess.run(as_postgres([*command, action, *args]), **run)  # noqa: S603


def demo_key_file(cluster: Path) -> None:
    """The demo's own team key file, made once beside its cluster (not inside: the postgres user owns that),
    unless AMPARO_TEAM_KEY_FILE names one already."""
    from amparo.casebook.errors import TeamKeyError
    from amparo.casebook.team.keys import ENV_KEY_FILE, create_key_file

    if os.environ.get(ENV_KEY_FILE):
        return
    path = cluster.parent / "team-demo.key"
    os.environ[ENV_KEY_FILE] = str(path)
    if not path.exists():
        cluster.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            create_key_file(path)
        except TeamKeyError as exc:
            raise click.ClickException(str(exc)) from None


@team.command("demo")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port on 127.0.0.1.")
@click.option(
    "--pgdata",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the PostgreSQL cluster (default: team-postgres in the data directory; /var/lib/amparo as root).",
)
def demo(port: int, pgdata: Path | None) -> None:
    """Try team mode on this computer: a local PostgreSQL cluster, the schema, the first admin, the server.

    Serves on 127.0.0.1 only, as http://localhost (no HTTPS: nothing leaves this computer). The cluster stops
    when the server does (Ctrl-C); its data stays for the next run.

    \b
    Example:
        amparo team demo --port 8000
    """
    from amparo.cli.output import load_or_exit

    load_or_exit()
    root = (pgdata or default_cluster_dir()).resolve()
    demo_key_file(root)
    with local_cluster(root) as url:
        os.environ.update(
            {
                "AMPARO_MODE": "team",
                "DATABASE_URL": url,
                "DJANGO_SETTINGS_MODULE": "amparo.settings.team",
                "AMPARO_TEAM_TLS": "0",
                "AMPARO_ALLOWED_HOSTS": "127.0.0.1,localhost,[::1]",
                # localhost, not 127.0.0.1: browsers allow passkeys on http://localhost, never on an IP address
                "AMPARO_TEAM_URL": f"http://localhost:{port}",
            }
        )
        setup_team()
        migrate()
        ensure_age_identity()
        from django.db import connections

        from amparo.web.team.accounts import add_member, issue_enrolment
        from amparo.web.team.models import Member

        admin = Member.objects.select_related("user").filter(role="admin", user__is_active=True).first()
        if admin is None:
            _user, token = add_member("admin", "admin")
            print_link("admin", token, "en")
        elif not admin.user.has_usable_password():  # not enrolled yet: a fresh link (the old one stops working)
            print_link(admin.user.get_username(), issue_enrolment(admin.user), "en")
        connections.close_all()
        from amparo.web.server import run

        click.echo(f"Team mode on http://localhost:{port}/en/team/login/ (Ctrl-C stops the server and the database)")
        try:
            run(host="127.0.0.1", port=port)
        except OSError as exc:
            raise click.ClickException(f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc}") from None


@team.command("import-case")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--owner", "username", required=True, help="The member who takes the case in and becomes its owner.")
@click.option("--received-by", default=None, help="Who received it, as recorded with the case (default: the owner).")
def import_case(archive: Path, username: str, received_by: str | None) -> None:
    """Import a case from a transfer file made for the team's public key, against DATABASE_URL.

    The file is opened with the team's age identity (AMPARO_TEAM_AGE_IDENTITY_FILE, or beside the
    team key file) and checked whole before anything is written; the owner must be an admin,
    coordinator or officer. A file imported once is refused the second time.

    \b
    Example:
        amparo team import-case heron.age --owner maria
    """
    setup_team()
    from amparo.casebook import transfer
    from amparo.casebook.errors import CasebookError
    from amparo.casebook.repository import Casebook
    from amparo.casebook.team import open_team_store
    from amparo.cli.transfers import read_transfer_file
    from amparo.web.casebook.transfers import team_identity
    from amparo.web.team.models import Member
    from amparo.web.team.permissions import IMPORTING

    member = Member.objects.select_related("user").filter(user__username=username, user__is_active=True).first()
    if member is None:
        raise click.ClickException(f"there is no active member {username}")
    if member.role not in IMPORTING:
        raise click.ClickException(
            f"{username} is a {member.role} member: only admins, coordinators and officers import"
        )
    try:
        moved = transfer.open_sealed(read_transfer_file(archive), identity=team_identity()[0])
        store = open_team_store()
        try:
            receipt = transfer.receipt(received_by or username, "officer", transfer.utc_today())
            case = Casebook(store).import_case(str(member.principal), moved, receipt)
        finally:
            store.close()
    except CasebookError as exc:
        raise click.ClickException(str(exc)) from None
    counts = ", ".join(f"{kind} {n}" for kind, n in moved.counts().items())
    click.echo(f"imported the case as {case.id} ({counts}); {username} owns it")
