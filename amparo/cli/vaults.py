"""What the casebook commands share (``amparo casebook …``, ``backup``, ``restore``, the moves): reading a
passphrase or an age identity, finding the casebook, and every failure as one calm line.

Passphrases come from a hidden prompt or from the first line of a file, never from an option or an
environment variable: those end up in shell history, in ``ps`` output and in /proc.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from amparo.casebook.backup import recover
from amparo.casebook.errors import CasebookError, CasebookMissing, StorageError, describe_os_error
from amparo.casebook.vault import Vault
from amparo.files import casebook_dir

passphrase_file_option = click.option(
    "--passphrase-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Read the casebook passphrase from the first line of FILE instead of asking for it.",
)


def identity_option(help: str) -> Callable:
    """``--identity FILE``: an age identity file (AGE-SECRET-KEY-1…) that opens what was sealed to its key."""
    return click.option(
        "--identity", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None, help=help
    )


def read_identity(path: Path) -> str:
    """An identity file's text (a secret key: never repeated in a message), or one calm line."""
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        raise click.ClickException(f"cannot read the identity file {path}") from None


def recovered_directory() -> Path:
    """The casebook directory, after putting right a restore that a crash interrupted."""
    directory = casebook_dir().absolute()  # SQLCipher opens the database by file URI, which must be absolute
    with calm(f"cannot use {directory}"):
        recover(directory)
    return directory


@contextlib.contextmanager
def calm(action: str, *, name_storage_errors: bool = False) -> Iterator[None]:
    """Turn every casebook or file-system failure into one line and exit code 1.

    A raw OSError is worded as ``action: cause``; so is a :class:`StorageError`
    with ``name_storage_errors`` (when ``action`` names the one file at stake).
    """
    try:
        yield
    except StorageError as exc:
        raise click.ClickException(f"{action}: {exc.reason}" if name_storage_errors else str(exc)) from None
    except CasebookError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"{action}: {describe_os_error(exc)}") from None


def read_passphrase(file: Path | None, *, confirm: bool, prompt: str) -> str:
    """From ``file``'s first line (only the line break is removed), else from a hidden prompt."""
    if file is None:
        return click.prompt(prompt, hide_input=True, confirmation_prompt=confirm)
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise click.ClickException(f"cannot read the passphrase file {file}: {describe_os_error(exc)}") from None
    except UnicodeDecodeError:
        raise click.ClickException(f"the passphrase file {file} is not UTF-8 text") from None
    line = text.split("\n", 1)[0].removesuffix("\r")
    if not line:
        raise click.ClickException(f"the first line of the passphrase file {file} is empty")
    return line


def existing_vault(directory: Path) -> Vault:
    vault = Vault(directory)
    if not vault.exists:
        raise CasebookMissing(f"There is no casebook in {directory}; create one with `amparo casebook init`.")
    return vault
