"""``amparo casebook move-out`` and ``move-in``: a case to a team, or from one, as an age-sealed transfer file.

The consent is recorded in the case first, then the file is written atomically (mode 0600); nothing
unencrypted touches the disk. See docs/casebook.md, "Moving a case".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from amparo.casebook import transfer
from amparo.casebook.archive import parse_recipients
from amparo.casebook.errors import StorageError, TransferInvalid
from amparo.casebook.permissions import LOCAL_PRINCIPAL
from amparo.casebook.records import CONSENT_MEANS, CONSENT_RELATIONS, Consent
from amparo.cli.casebook import casebook
from amparo.cli.vaults import (
    calm,
    existing_vault,
    identity_option,
    passphrase_file_option,
    read_identity,
    read_passphrase,
    recovered_directory,
)
from amparo.files import write_atomic

MEANS = [code for code in CONSENT_MEANS if code != "transfer-file"]


def read_transfer_file(path: Path) -> bytes:
    """A transfer file's bytes, refused before reading when it is larger than any transfer."""
    try:
        with path.open("rb") as stream:
            sealed = stream.read(transfer.MAX_SEALED_BYTES + 1)
    except OSError as exc:
        raise StorageError(f"The transfer file could not be read: {exc.strerror or exc}.") from None
    if len(sealed) > transfer.MAX_SEALED_BYTES:
        raise TransferInvalid(
            "This file is too large to be a case transfer (the limit is 16 MiB); nothing was imported."
        )
    return sealed


@casebook.command("move-out")
@click.option("--case", "case_id", required=True, metavar="ID", help="The case to move, with all its records.")
@click.option("--to", "recipient", required=True, metavar="AGE_PUBKEY", help="The team's age public key (age1…).")
@click.option("--team", "team_name", required=True, help="The team's name, as the defender knows it (recorded).")
@click.option("--agreed-by", required=True, help="Who agreed, e.g. the defender's pseudonym (recorded).")
@click.option(
    "--relation",
    type=click.Choice(list(CONSENT_RELATIONS)),
    default="defender",
    show_default=True,
    help="Who they are.",
)
@click.option("--how", "means", type=click.Choice(MEANS), required=True, help="How they agreed.")
@click.option("--on", "given_on", type=click.DateTime(["%Y-%m-%d"]), default=None, help="When (default: today).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="File to write.")
@passphrase_file_option
def move_out(
    case_id: str,
    recipient: str,
    team_name: str,
    agreed_by: str,
    relation: str,
    means: str,
    given_on: dt.datetime | None,
    output: Path,
    passphrase_file: Path | None,
) -> None:
    """Record the consent in the case, then write it as a transfer file only the team's key opens.

    The case stays in this casebook; delete it yourself once the team has confirmed the import.

    \b
    Example:
        amparo casebook move-out --case 3f2a9c0d1b4e5f60 --team "Protection team" \\
            --to age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p \\
            --agreed-by "Heron" --how in-person -o heron.age
    """
    from amparo.casebook.repository import Casebook

    directory = recovered_directory()
    with calm(f"cannot write the transfer file {output}", name_storage_errors=True):
        parse_recipients([recipient])
        if not output.parent.is_dir():
            raise click.ClickException(f"cannot write the transfer file {output}: no such folder")
        vault = existing_vault(directory)
        vault.unlock(read_passphrase(passphrase_file, confirm=False, prompt="Casebook passphrase"))
        try:
            on = given_on.date() if given_on else transfer.utc_today()
            consent = Consent(
                case_id,
                on,
                agreed_by,
                relation,
                "move-to-team",
                team_name,
                means,
                transfer_id=transfer.new_transfer_id(),
            )
            moved = Casebook(vault).move_out(LOCAL_PRINCIPAL, case_id, consent)
            sealed = transfer.seal(moved, recipients=[recipient])
        finally:
            vault.lock()
        try:
            write_atomic(output, sealed, mode=0o600)
        except OSError as exc:
            raise click.ClickException(f"cannot write the transfer file {output}: {exc.strerror or exc}") from None
    click.echo(f"recorded the consent and wrote {output}; the case is still in this casebook")


@casebook.command("move-in")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@identity_option("Your age identity file (AGE-SECRET-KEY-1…), for a file made for your public key.")
@click.option("--file-passphrase", is_flag=True, help="The file was sealed to a passphrase: ask for it.")
@click.option("--received-by", required=True, help="Who received the case (recorded with it).")
@passphrase_file_option
def move_in(
    archive: Path, identity: Path | None, file_passphrase: bool, received_by: str, passphrase_file: Path | None
) -> None:
    """Import a case from a transfer file into this casebook, with a record of its receipt.

    The whole file is checked first; if anything is wrong, nothing is imported. A file
    imported once is refused the second time.

    \b
    Example:
        amparo casebook move-in heron.age --identity key.txt --received-by "Heron"
        amparo casebook move-in heron.age --file-passphrase --received-by "Heron"
    """
    from amparo.casebook.repository import Casebook

    if (identity is None) == (not file_passphrase):
        raise click.UsageError("give --identity or --file-passphrase, one of the two")
    directory = recovered_directory()
    with calm(f"cannot import {archive}"):
        vault = existing_vault(directory)
        sealed = read_transfer_file(archive)
        if identity is not None:
            moved = transfer.open_sealed(sealed, identity=read_identity(identity))
        else:
            moved = transfer.open_sealed(sealed, passphrase=click.prompt("Passphrase of the file", hide_input=True))
        vault.unlock(read_passphrase(passphrase_file, confirm=False, prompt="Casebook passphrase"))
        try:
            receipt = transfer.receipt(received_by, "defender", transfer.utc_today())
            case = Casebook(vault).import_case(LOCAL_PRINCIPAL, moved, receipt)
        finally:
            vault.lock()
    counts = ", ".join(f"{kind} {n}" for kind, n in moved.counts().items())
    click.echo(f"imported the case as {case.id} ({counts}), with its receipt recorded")
