"""Run the site with Granian, a production-grade HTTP server, on the embedded default."""

from __future__ import annotations

import os

# Python threads per worker. Granian's WSGI default (backpressure / 2, i.e. 512 for one worker) lets every
# open connection get its own thread; they then queue for the GIL, and a cached page cost about twice the
# CPU (docs/benchmarks.md). A few threads still let requests overlap while one waits on the database.
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
