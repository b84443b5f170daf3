"""Run the site with Granian, a production-grade HTTP server, on the embedded default."""

from __future__ import annotations

import os

# Python threads per worker. Granian's WSGI default (512 for one worker) gives every open connection its
# own thread, and the threads then take turns on the GIL: with one worker and 32 connections a cached page
# cost about 1.5 times the CPU and a third more time per request than with 4 threads (wrk, as in bench/run.py).
# A few threads still let requests overlap while one waits on the database or hashes a passphrase.
BLOCKING_THREADS = 4


def prepare() -> None:
    """Create the local database schema (idempotent) before serving."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def run(host: str, port: int, workers: int = 1) -> None:
    from granian.constants import Interfaces
    from granian.server import Server

    # The casebook's key may live in one process only: with several workers it is switched off.
    os.environ["AMPARO_CASEBOOK_PROCESSES"] = str(workers)
    prepare()
    Server(
        "amparo.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=BLOCKING_THREADS,
        log_access=False,  # request lines would carry paths and query strings: keep no trace
    ).serve()
