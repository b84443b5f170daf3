"""The ``amparo`` command: serve the site, check and export the dataset.

Errors are one calm line on stderr and a non-zero exit code; never a traceback
for something a user or a data file can cause.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import click

from amparo.cli.output import EXIT_DATA, EXIT_USAGE, emit, load_or_exit, output_option

__all__ = ["EXIT_DATA", "EXIT_USAGE", "main"]


# Commands in modules of their own, imported only when named (or listed by --help): `amparo navigate` starts
# without the casebook's cryptography or the documents' Typst. Name: (module, attribute).
LAZY_COMMANDS = {
    "navigate": ("amparo.cli.navigate", "navigate"),
    "letter": ("amparo.cli.letters", "letter"),
    "sheet": ("amparo.cli.sheets", "sheet"),
    "export-site": ("amparo.cli.offline", "export_site"),
    "publish-editions": ("amparo.cli.offline", "publish_editions"),
    "casebook": ("amparo.cli.casebook", "casebook"),
    "backup": ("amparo.cli.casebook", "backup"),
    "restore": ("amparo.cli.casebook", "restore"),
    "team": ("amparo.cli.team", "team"),
}


class LazyGroup(click.Group):
    """A group whose commands in LAZY_COMMANDS are imported when first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS and cmd_name not in self.commands:
            module, attribute = LAZY_COMMANDS[cmd_name]
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="amparo")
def main() -> None:
    """Amparo: diplomatic support for human rights defenders.

    \b
    Example:
        amparo data check
        amparo serve --port 8000
    """


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Worker processes.")
@click.option(
    "--casebook-on-network",
    is_flag=True,
    help="Serve the casebook on a non-loopback address too; setup and restore then need a printed one-time token.",
)
def serve(host: str, port: int, workers: int, casebook_on_network: bool) -> None:
    """Serve the site with a production server (Granian).

    Local mode (the default) keeps no site database; with AMPARO_MODE=team the site
    runs on the PostgreSQL database of DATABASE_URL (docs/team.md), which is migrated,
    and whose key file is checked, before the first request. The dataset is checked
    first: a broken data file stops the server with file and line.
    The casebook needs a single process (its key lives in one place): with
    more than one worker it is switched off and only the public site runs. On an
    address other computers can reach it is switched off too, unless
    --casebook-on-network is given.

    \b
    Example:
        amparo serve --host 127.0.0.1 --port 8000
    """
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    from amparo.casebook.errors import CasebookError
    from amparo.web.server import run

    load_or_exit()
    try:
        run(host=host, port=port, workers=workers, casebook_on_network=casebook_on_network)
    except OSError as exc:
        raise click.ClickException(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None
    except (ImproperlyConfigured, CasebookError) as exc:  # team mode: no key file, a wrong key, a newer schema
        raise click.ClickException(str(exc)) from None
    except DatabaseError as exc:  # team mode: PostgreSQL down or refusing
        from amparo.cli.team import database_problem

        raise database_problem(exc) from None


@main.group()
def data() -> None:
    """Check and export the guidelines dataset."""


@data.command("check")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Dataset folder (default: the one shipped with Amparo).",
)
def data_check(data_dir: Path | None) -> None:
    """Validate every data file: schema, references, sources, ids, languages.

    Prints each problem as FILE:LINE: MESSAGE and exits 2 when there is any.

    \b
    Example:
        amparo data check
    """
    from amparo.guidelines.loader import record_checks
    from amparo.navigator.rules import RULES_SCHEMA, rules_problems

    dataset = load_or_exit(data_dir, full_check=True)
    problems = rules_problems(dataset)
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(problems)} problem(s) in the dataset", err=True)
        sys.exit(EXIT_DATA)
    root = dataset.root or Path(data_dir or ".")
    record_checks(root, [(root / "rules.yaml", RULES_SCHEMA)])  # later loads skip these schema checks
    explicit = sum(1 for p in dataset.provisions if p.status == "explicit")
    click.echo(
        f"ok: {len(dataset.support_types)} support types, {len(dataset.issuers)} issuers, "
        f"{len(dataset.provisions)} provisions ({explicit} explicit), {len(dataset.programmes)} programmes, "
        f"{len(dataset.guidance)} guidance items, {len(dataset.missions)} missions"
    )
    from amparo.cli.translations import report_coverage

    if not report_coverage(root):
        sys.exit(EXIT_DATA)


@data.command("catalogues")
@click.option("--language", "languages", multiple=True, help="Start the catalogues of a new language (e.g. ru).")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None, hidden=True)
def data_catalogues(languages: tuple[str, ...], data_dir: Path | None) -> None:
    """Bring the translation catalogues (locale/LANG/*.po) in step with the English of the data files.

    New texts get empty entries; a text whose English changed keeps its translation, marked fuzzy
    (stale) until a translator checks it. See docs/translating.md.

    \b
    Example:
        amparo data catalogues
        amparo data catalogues --language ru
    """
    from amparo.guidelines import DATA_DIR
    from amparo.guidelines.translations import CatalogueError, update_catalogues

    try:
        report = update_catalogues(Path(data_dir or DATA_DIR), list(languages))
    except CatalogueError as exc:
        raise click.ClickException(str(exc)) from None
    for language, counts in report.items():
        click.echo(f"{language}: {counts['added']} new, {counts['stale']} now stale, {counts['dropped']} dropped")


@data.command("export")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@output_option()
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None, hidden=True)
def data_export(fmt: str, output: Path | None, data_dir: Path | None) -> None:
    """Export the dataset as one JSON document, or the comparison matrix as CSV.

    \b
    Example:
        amparo data export --format json -o amparo.json
        amparo data export --format csv -o matrix.csv
    """
    from amparo.guidelines.export import matrix_csv, to_json

    dataset = load_or_exit(data_dir)
    text = json.dumps(to_json(dataset), ensure_ascii=False, indent=2) + "\n" if fmt == "json" else matrix_csv(dataset)
    emit(text.encode("utf-8"), output)
