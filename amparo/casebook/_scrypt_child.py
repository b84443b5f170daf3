"""The child process that runs age's passphrase encryption or decryption (scrypt) for the server.

Why a process: pyrage keeps Python's interpreter lock for the whole scrypt (a
quarter of a second to a second, or more on a loaded machine), so in a thread it
froze every other thread of the server, the public site included. Started by
:func:`amparo.casebook.archive.passphrase_in_child` as a script (not ``-m``): it
imports pyrage and the standard library only, so it starts in a few milliseconds.

Protocol, all through pipes (nothing touches the disk, the passphrase is never
on the command line or in the environment): the argument is ``encrypt`` or
``decrypt``; stdin holds the passphrase's length (4 bytes, big-endian), the
passphrase in UTF-8, then the data up to the end. stdout holds one status byte
and then the result (``0``) or pyrage's error message (``D`` decryption,
``E`` encryption). Anything else, or a non-zero exit, is a child that died.
"""

from __future__ import annotations

import os
import sys
from typing import BinaryIO

import pyrage

OK, DECRYPT_ERROR, ENCRYPT_ERROR = b"0", b"D", b"E"
LENGTH_BYTES = 4


def run(operation: str, stdin: BinaryIO, stdout: BinaryIO) -> None:
    """Read the passphrase and the data from ``stdin``; write the status byte and the result to ``stdout``."""
    size = int.from_bytes(stdin.read(LENGTH_BYTES), "big")
    passphrase = stdin.read(size).decode("utf-8")
    data = stdin.read()  # read after the passphrase, not sliced from one buffer: a backup may be 1 GiB
    try:
        if operation == "decrypt":
            result = pyrage.passphrase.decrypt(data, passphrase)
        elif operation == "encrypt":
            result = pyrage.passphrase.encrypt(data, passphrase)
        else:
            raise SystemExit(2)
    except pyrage.DecryptError as exc:
        stdout.write(DECRYPT_ERROR + str(exc).encode("utf-8", "replace"))
    except pyrage.EncryptError as exc:
        stdout.write(ENCRYPT_ERROR + str(exc).encode("utf-8", "replace"))
    else:
        del data
        stdout.write(OK)
        stdout.write(result)
    stdout.flush()


def main(argv: list[str], stdin: BinaryIO, stdout: BinaryIO) -> int:
    operation = argv[1] if len(argv) == 2 else ""
    if operation == "decrypt":
        # Anyone's upload can start a decryption: the public site comes first. Not for encryption:
        # pyrage calibrates its work factor on this process's speed, and a low priority on a busy
        # machine would make the backup cheaper to attack.
        os.nice(10)
    run(operation, stdin, stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv, sys.stdin.buffer, sys.stdout.buffer))
