"""Helper process for the kill -9 test: restore two backups over the casebook in turn, forever.

argv: the casebook directory, backup A, backup B, and "exchange" or "fallback"
(the second pretends renameat2 is missing, so the two-rename path and its
recovery are exercised). The casebook passphrases of A and B and the age
identity arrive on stdin, never on the command line.
"""

import sys
from pathlib import Path

from amparo.casebook import backup, restore_backup

directory, archives, mode = Path(sys.argv[1]), [Path(sys.argv[2]), Path(sys.argv[3])], sys.argv[4]
passphrases = [sys.stdin.readline().rstrip("\n"), sys.stdin.readline().rstrip("\n")]
identity = sys.stdin.readline()
if mode == "fallback":
    backup._renameat2 = None
print("ready", flush=True)
turn = 0
while True:
    restore_backup(directory, archives[turn], passphrase=passphrases[turn], identity=identity, replace=True)
    turn = 1 - turn
