"""``amparo casebook init|status``, ``amparo backup`` and ``amparo restore``: the casebook from a terminal.

Passphrases come from a hidden prompt or from the first line of a file, never
from an option or an environment variable: those end up in shell history, in
``ps`` output and in /proc. Every failure is one calm line on stderr and a
non-zero exit code; nothing printed ever holds a passphrase or a key.
"""

from __future__ import annotations

from pathlib import Path

import click

from amparo.casebook.archive import parse_recipients
from amparo.casebook.backup import restore_backup, write_backup
from amparo.casebook.database import check_sqlcipher
from amparo.casebook.errors import CasebookError, CasebookExists, CasebookMissing, UnsupportedSQLCipher
from amparo.casebook.header import read_header
from amparo.casebook.keys import KDF, MIN_CHARS
from amparo.casebook.vault import HEADER_NAME, Vault
from amparo.cli.output import emit, output_option
from amparo.cli.vaults import (
    calm,
    existing_vault,
    identity_option,
    passphrase_file_option,
    read_identity,
    read_passphrase,
    recovered_directory,
)

NEW_KDF = KDF()  # for new casebooks only (unlocking reads the header's parameters); tests swap in a fast one
_SETTINGS = {"help_option_names": ["-h", "--help"]}


@click.group("casebook", context_settings=_SETTINGS)
def casebook() -> None:
    """Create the encrypted casebook and see its state.

    The casebook lives in AMPARO_DATA_DIR/casebook (by default
    ~/.local/share/amparo/casebook).

    \b
    Example:
        amparo casebook init
        amparo casebook status
    """


@casebook.command("init")
@passphrase_file_option
def init(passphrase_file: Path | None) -> None:
    """Create the casebook, protected by a passphrase, and leave it locked.

    The passphrase needs at least 12 characters; a few unrelated words are
    easy to remember and hard to guess. Nobody can recover a forgotten
    passphrase: without it the casebook cannot be read, by design.

    \b
    Example:
        amparo casebook init
        amparo casebook init --passphrase-file /media/usb/passphrase.txt
    """
    directory = recovered_directory()
    with calm(f"cannot create the casebook in {directory}"):
        vault = Vault(directory, kdf=NEW_KDF)
        if vault.exists:
            raise CasebookExists(f"A casebook already exists in {directory}.")
        secret = read_passphrase(
            passphrase_file, confirm=True, prompt=f"New casebook passphrase (at least {MIN_CHARS} characters)"
        )
        try:
            vault.create(secret)
        finally:
            vault.lock()
    click.echo(f"created the casebook in {directory}; it is locked")


@casebook.command("status")
def status() -> None:
    """Say where the casebook is, whether it exists, and which SQLCipher is in use.

    Never prints anything secret: no passphrase, key or content.

    \b
    Example:
        amparo casebook status
    """
    directory = recovered_directory()
    with calm(f"cannot read the casebook in {directory}"):
        try:
            read_header(directory / HEADER_NAME)
            state = "locked (a passphrase opens it)"
        except CasebookMissing:
            state = "missing (create it with `amparo casebook init`)"
        except CasebookError as exc:
            state = f"damaged: {exc}"
    try:
        version = check_sqlcipher()
    except UnsupportedSQLCipher as exc:
        version = f"unusable: {exc}"
    click.echo(f"casebook: {directory}")
    click.echo(f"state: {state}")
    click.echo(f"SQLCipher: {version}")


@click.command("backup", context_settings=_SETTINGS)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The backup file to write (an existing one is replaced).",
)
@click.option(
    "--recipient",
    "recipients",
    multiple=True,
    metavar="AGE_PUBKEY",
    help="Encrypt to this age public key (age1…) instead of the passphrase. Repeatable.",
)
@passphrase_file_option
def backup(output: Path, recipients: tuple[str, ...], passphrase_file: Path | None) -> None:
    """Write an encrypted backup of the casebook (an age file).

    Without --recipient the backup is encrypted to the casebook passphrase.
    With --recipient it is encrypted to those age keys, and restoring needs
    one of their identity files as well as the casebook passphrase. Either
    way, `age -d` and `tar -x` can open it without Amparo.

    \b
    Example:
        amparo backup -o /media/usb/casebook.age
        amparo backup -o casebook.age --recipient age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
    """
    directory = recovered_directory()
    with calm(f"cannot write the backup {output}", name_storage_errors=True):
        if recipients:
            parse_recipients(list(recipients))
        if not output.parent.is_dir():
            raise click.ClickException(f"cannot write the backup {output}: no such folder")
        vault = existing_vault(directory)
        secret = read_passphrase(passphrase_file, confirm=False, prompt="Casebook passphrase")
        try:
            vault.unlock(secret)
            if recipients:
                write_backup(vault, output, recipients=list(recipients))
            else:
                write_backup(vault, output, passphrase=secret)
        finally:
            vault.lock()
    click.echo(f"wrote {output}")


@click.command("restore", context_settings=_SETTINGS)
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@identity_option("age identity file (AGE-SECRET-KEY-1…) for a backup made with --recipient.")
@passphrase_file_option
@click.option("--replace", is_flag=True, help="Replace the casebook that is already here.")
def restore(archive: Path, identity: Path | None, passphrase_file: Path | None, replace: bool) -> None:
    """Restore the casebook from a backup; it is left locked.

    The passphrase asked for is the one of the backed-up casebook. The backup
    is decrypted, checked and opened aside first: if anything is wrong, the
    casebook already here stays exactly as it was. Replacing it needs
    --replace, and the replaced casebook is destroyed.

    \b
    Example:
        amparo restore /media/usb/casebook.age
        amparo restore casebook.age --identity key.txt --replace
    """
    directory = recovered_directory()
    with calm(f"cannot restore the casebook in {directory}"):
        if not replace and Vault(directory).exists:
            raise CasebookExists(f"A casebook already exists in {directory}; add --replace to replace it.")
        identity_text = read_identity(identity) if identity is not None else None
        secret = read_passphrase(passphrase_file, confirm=False, prompt="Passphrase of the backed-up casebook")
        restore_backup(directory, archive, passphrase=secret, identity=identity_text, replace=replace)
    click.echo(f"restored the casebook in {directory} from {archive}; it is locked")


@casebook.command("export")
@click.option("--case", "case_id", metavar="ID", help="Export this case with all its records.")
@click.option("--engagements", is_flag=True, help="Export every engagement with missions, over all cases.")
@click.option("--follow-ups", "follow_ups", is_flag=True, help="Export open follow-ups as a calendar (ICS).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
    help="Format of a case or engagements export (follow-ups are always ICS).",
)
@output_option()
@passphrase_file_option
def export(
    case_id: str | None,
    engagements: bool,
    follow_ups: bool,
    fmt: str,
    output: Path | None,
    passphrase_file: Path | None,
) -> None:
    """Export records for a report or a calendar. The export is NOT encrypted: keep it safe.

    \b
    Example:
        amparo casebook export --case 3f2a9c0d1b4e5f60 --format json -o case.json
        amparo casebook export --engagements -o engagements.csv
        amparo casebook export --follow-ups -o follow-ups.ics
    """
    import datetime as dt

    from amparo.casebook import exports
    from amparo.casebook.permissions import LOCAL_PRINCIPAL
    from amparo.casebook.repository import Casebook

    if sum([case_id is not None, engagements, follow_ups]) != 1:
        raise click.UsageError("choose exactly one of --case, --engagements, --follow-ups")
    directory = recovered_directory()
    with calm("cannot export"):
        vault = existing_vault(directory)
        vault.unlock(read_passphrase(passphrase_file, confirm=False, prompt="Casebook passphrase"))
        try:
            book = Casebook(vault)
            if case_id is not None:
                data = book.export_case(LOCAL_PRINCIPAL, case_id)
                content = exports.to_json(data) if fmt == "json" else exports.case_csv(data)
            elif engagements:
                rows = book.engagements(LOCAL_PRINCIPAL)
                content = exports.engagements_json(rows) if fmt == "json" else exports.engagements_csv(rows)
            else:
                content = exports.follow_ups_ics(book.follow_ups(LOCAL_PRINCIPAL).items, dt.datetime.now(dt.UTC))
        finally:
            vault.lock()
    emit(content, output)


from amparo.cli import transfers as _transfers  # noqa: E402,F401  move-out and move-in, on the casebook group
