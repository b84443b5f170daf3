"""Run the site with Granian, a production-grade HTTP server, on the embedded default."""

from __future__ import annotations

import os


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
        log_access=False,  # request lines would carry paths and query strings: keep no trace
    ).serve()
