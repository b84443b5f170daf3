"""``amparo export-site``: the offline edition as a folder of files, and optionally one ZIP archive.

Registered on the ``amparo`` group by amparo/cli/__init__.py. Errors are one line on stderr.
"""

from __future__ import annotations

from pathlib import Path

import click

from amparo.cli.output import data_problems_exit, setup_django


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


@click.command("export-site")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--zip", "make_zip", is_flag=True, help="Also write DIRECTORY.zip beside it (deterministic archive).")
@click.option(
    "--lang",
    "languages",
    multiple=True,
    metavar="CODE",
    help="A language to export (repeat for several; default: all of the site's languages).",
)
@click.option(
    "--issuer-sheets",
    is_flag=True,
    help="Also carry every issuer's PDF action sheet (about 3 MB per language; the general sheet and the "
    "matrix are always included).",
)
def export_site(directory: Path, make_zip: bool, languages: tuple[str, ...], issuer_sheets: bool) -> None:
    """Export the whole public site as static files that work offline (from file:// or any static host).

    DIRECTORY must be new or empty. Every page is rendered by the site itself; links
    become relative, and the navigator works out plans in the browser, with no server
    and no network. Open DIRECTORY/index.html to start.

    \b
    Example:
        amparo export-site amparo-offline --zip
        amparo export-site amparo-offline-es --lang es --zip
    """
    setup_django()
    from amparo.guidelines import DataError, get_dataset
    from amparo.web.edition import ExportError
    from amparo.web.edition import export_site as export

    try:
        get_dataset()
    except DataError as exc:
        data_problems_exit(exc)
    try:
        result = export(directory, list(languages) or None, zip=make_zip, issuer_sheets=issuer_sheets)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"exported {result.pages} pages in {len(result.languages)} language(s) ({', '.join(result.languages)}) "
        f"to {result.dest}: {result.files} files, {_megabytes(result.total_bytes)}, in {result.seconds:.1f} s"
    )
    if result.zip_path is not None and result.zip_bytes is not None:
        click.echo(f"zip: {result.zip_path}, {_megabytes(result.zip_bytes)}")


@click.command("publish-editions")
@click.option("--lang", "languages", multiple=True, metavar="CODE", help="A language (default: all).")
def publish_editions(languages: tuple[str, ...]) -> None:
    """Build the offline editions the site offers for download, into the data directory.

    `amparo serve` builds them in the background when it starts; run this when several
    workers serve the site, or to have them ready before the first visitor.
    """
    setup_django()
    from amparo.web.edition.publish import build_editions

    for path in build_editions(list(languages) or None):
        click.echo(f"wrote {path}")
