"""What every command shares: exit codes, writing a result, loading the dataset or exiting.

One place, so that every command fails the same calm way: one line on stderr and a
documented exit code, never a traceback for something a user or a data file can cause.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import click

from amparo.files import write_atomic
from amparo.guidelines import DATA_DIR, DataError, Dataset, load_dataset

EXIT_DATA = 2  # the dataset or an input file is wrong: the message says where
EXIT_USAGE = 64


def data_problems_exit(exc: DataError) -> NoReturn:
    """Print each dataset problem as FILE:LINE: MESSAGE and exit with EXIT_DATA."""
    for problem in exc.problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(exc.problems)} problem(s) in the dataset", err=True)
    sys.exit(EXIT_DATA)


def load_or_exit(data_dir: Path | None = None, *, full_check: bool = False) -> Dataset:
    try:
        return load_dataset(data_dir or DATA_DIR, full_check=full_check)
    except DataError as exc:
        data_problems_exit(exc)


def setup_django() -> None:
    """For commands that render with the site's templates (exports, editions)."""
    from amparo.settings.mode import choose_settings

    choose_settings()  # AMPARO_MODE: local (the default) or team
    from amparo.settings.secret import ensure_configured_key

    ensure_configured_key()  # before the settings read it: created here, once, atomically
    import django

    django.setup()


def write_or_fail(path: Path, content: bytes) -> None:
    """For commands: :func:`write_atomic`, with a one-line error instead of a traceback."""
    try:
        write_atomic(path, content)
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}") from None


def output_option(help: str = "File to write (default: standard output).") -> Callable:
    """The ``-o/--output FILE`` option every exporting command takes."""
    return click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help=help)


def language_option(help: str) -> Callable:
    """The ``--lang CODE`` option of every command that writes in a language: one Amparo has the words of."""
    from amparo.guidelines.words import LANGUAGES

    return click.option("--lang", "language", type=click.Choice(LANGUAGES), default="en", show_default=True, help=help)


def emit(content: bytes, output: Path | None) -> None:
    """For commands: ``content`` to ``output`` (atomically, saying so on stderr), or as text to standard output."""
    if output is None:
        click.echo(content.decode("utf-8-sig"), nl=False)  # a spreadsheet's byte-order mark means nothing here
        return
    write_or_fail(output, content)
    click.echo(f"wrote {output}", err=True)
