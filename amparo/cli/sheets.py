"""``amparo sheet``: write printable action sheets (PDF) to files.

For people who hand out paper: one issuer's sheet, the general sheet, the matrix, or
all of them into a folder. Files are written atomically (a reader never sees half a
PDF) and every error is one line and a non-zero exit code.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from amparo.cli.output import EXIT_DATA, language_option, load_or_exit, write_or_fail
from amparo.documents import sheets
from amparo.guidelines import Dataset


def _unknown_issuer(error: sheets.UnknownIssuerError) -> click.ClickException:
    exc = click.ClickException(
        f"unknown issuer {error.issuer_id!r}; the ids are {', '.join(error.known)} "
        "(also on the site's Issuers page and in `amparo data export`)"
    )
    exc.exit_code = EXIT_DATA  # like any bad argument value in click
    return exc


@click.command("sheet", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("issuer", required=False)
@language_option(
    "Language of the sheet (ar is set right to left; a text not yet translated is shown in English, marked)."
)
@click.option("--general", is_flag=True, help="The general sheet: what support exists and how to ask safely.")
@click.option("--matrix", is_flag=True, help="The matrix of issuers and support types (A4 landscape).")
@click.option("--all", "everything", is_flag=True, help="Every issuer's sheet, the general sheet and the matrix.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="PDF file to write (a folder with --all). Default: sheet-ID-LANG.pdf and the like, here.",
)
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None, hidden=True)
def sheet(
    issuer: str | None,
    language: str,
    general: bool,
    matrix: bool,
    everything: bool,
    output: Path | None,
    data_dir: Path | None,
) -> None:
    """Write a printable action sheet (PDF, A4) for an issuer, or the general sheet or matrix.

    An issuer's sheet says what its guidelines foresee, with a source for each
    line, how to approach its missions, and what to be careful about.

    \b
    Example:
        amparo sheet CA --lang en -o canada.pdf
        amparo sheet --general --lang es -o general.pdf
        amparo sheet --matrix -o matrix.pdf
        amparo sheet --all -o sheets/
    """

    chosen = [name for name, on in (("ISSUER", issuer), ("--general", general), ("--matrix", matrix)) if on]
    if everything:
        chosen.append("--all")
    if len(chosen) != 1:
        raise click.UsageError("give one of ISSUER, --general, --matrix or --all")
    if everything and output is None:
        raise click.UsageError("--all needs -o FOLDER")
    dataset = load_or_exit(data_dir)
    if everything:
        _write_all(dataset, language, output)
        return
    if issuer is not None:
        try:
            found = sheets.find_issuer(dataset, issuer)
        except sheets.UnknownIssuerError as error:
            raise _unknown_issuer(error) from None
        content = sheets.issuer_sheet_pdf(dataset, found.id, language)
        name = sheets.filename("issuer", language, found.id)
    elif general:
        content, name = sheets.general_sheet_pdf(dataset, language), sheets.filename("general", language)
    else:
        content, name = sheets.matrix_pdf(dataset, language), sheets.filename("matrix", language)
    target = output or Path(name)
    if target.is_dir():
        target = target / name
    write_or_fail(target, content)
    click.echo(f"wrote {target}", err=True)


def _write_all(dataset: Dataset, language: str, folder: Path) -> None:
    """Every sheet into ``folder``; the progress bar draws on a terminal, elsewhere click prints its label once."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.ClickException(f"cannot create {folder}: {exc.strerror or exc}") from None
    jobs: list[tuple[str, Callable[[], bytes]]] = [
        (sheets.filename("issuer", language, i.id), lambda i=i: sheets.issuer_sheet_pdf(dataset, i.id, language))
        for i in dataset.issuers_sorted()
    ]
    jobs.append((sheets.filename("general", language), lambda: sheets.general_sheet_pdf(dataset, language)))
    jobs.append((sheets.filename("matrix", language), lambda: sheets.matrix_pdf(dataset, language)))
    with click.progressbar(jobs, label="Writing sheets", file=sys.stderr) as bar:
        for name, make in bar:
            write_or_fail(folder / name, make())
    click.echo(f"wrote {len(jobs)} PDF files to {folder}", err=True)
