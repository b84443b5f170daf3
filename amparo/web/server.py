"""Run the site with Granian, a production-grade HTTP server, on the embedded default."""

from __future__ import annotations

import hashlib
import ipaddress
import os
import secrets
from pathlib import Path

# Python threads per worker. Granian's WSGI default (512 for one worker) gives every open connection its
# own thread, and the threads then take turns on the GIL: with one worker and 32 connections a cached page
# cost about 1.5 times the CPU and a third more time per request than with 4 threads (wrk, as in bench/run.py).
# A few threads still let requests overlap while one waits on the database or hashes a passphrase.
BLOCKING_THREADS = 4


# Before issue 10 the local site kept a SQLite file whose auth tables recorded when the casebook was
# created and last unlocked, in plaintext. Local mode keeps no site database now; the old file goes.
LEGACY_SITE_DATABASE = "amparo.sqlite3"


def prepare() -> None:
    """Before serving: the database schema where there is one, the team store opened once, no old plaintext traces."""
    from amparo.settings.mode import choose_settings

    choose_settings()  # AMPARO_MODE: local (the default) or team
    from amparo.settings.secret import ensure_configured_key

    ensure_configured_key()  # before the settings read it: created here, once, atomically
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    if settings.DATABASES["default"]["NAME"] != ":memory:":
        call_command("migrate", interactive=False, verbosity=0)
    if getattr(settings, "AMPARO_MODE", "local") == "team":
        from amparo.casebook.team import open_team_store

        # A missing or wrong key file stops the start with its reason, rather than the first member's page.
        open_team_store().close()
    remove_legacy_site_database(Path(settings.DATA_DIR))


def remove_legacy_site_database(data_dir: Path) -> None:
    from amparo.casebook.shred import shred

    for name in (LEGACY_SITE_DATABASE, f"{LEGACY_SITE_DATABASE}-journal", f"{LEGACY_SITE_DATABASE}-wal"):
        shred(data_dir / name)


def is_loopback(host: str) -> bool:
    """Whether only this computer can reach ``host`` (a name other than localhost counts as a network)."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def expose_casebook(host: str, on_network: bool) -> str | None:
    """Tell the casebook where it is served; on a network address with opt-in, return a new setup token.

    Why: first-run setup and restore onto an empty casebook need no passphrase, so on a
    network whoever reaches the server first could claim the casebook. Without opt-in the
    casebook is switched off there; with it, those two pages ask for the token printed here.
    """
    from amparo.web.casebook import runtime

    os.environ.pop(runtime.SETUP_TOKEN_ENV, None)
    if is_loopback(host):
        os.environ[runtime.ADDRESS_ENV] = "loopback"
        return None
    os.environ[runtime.ADDRESS_ENV] = "network"
    if not on_network:
        return None
    token = secrets.token_urlsafe(18)
    os.environ[runtime.SETUP_TOKEN_ENV] = hashlib.sha256(token.encode()).hexdigest()
    return token


def run(host: str, port: int, workers: int = 1, casebook_on_network: bool = False) -> None:
    from granian.constants import Interfaces
    from granian.server import Server

    # The casebook's key may live in one process only: with several workers it is switched off.
    os.environ["AMPARO_CASEBOOK_PROCESSES"] = str(workers)
    token = expose_casebook(host, casebook_on_network)
    prepare()
    if workers == 1:  # with several workers, run `amparo publish-editions` before serving
        from amparo.web.edition.publish import start_edition_builds

        start_edition_builds()
    if not is_loopback(host):
        if token is None:
            print(f"Serving on {host}, a network address: the casebook is switched off (--casebook-on-network).")
        else:
            print(f"Casebook setup token (needed once, to create or restore the casebook): {token}", flush=True)
    Server(
        "amparo.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=BLOCKING_THREADS,
        log_access=False,  # request lines would carry paths and query strings: keep no trace
    ).serve()
