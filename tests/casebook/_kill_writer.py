"""Helper process for the kill -9 test: unlock, then write forever in transactions.

Each transaction inserts ROWS_PER_TX rows and adds one to the counter, so a
consistent database always has rows == counter × ROWS_PER_TX. The passphrase
arrives on stdin, never on the command line.
"""

import sys
from pathlib import Path

from amparo.casebook import KDF, Vault

ROWS_PER_TX = 7

vault = Vault(Path(sys.argv[1]), kdf=KDF(time_cost=1, memory_kib=8, parallelism=1))
vault.unlock(sys.stdin.readline().rstrip("\n"))
first = True
while True:
    with vault.connection() as conn:
        conn.executemany("INSERT INTO items (body) VALUES (?)", [("x" * 200,)] * ROWS_PER_TX)
        conn.execute("UPDATE counter SET n = n + 1")
    if first:
        print("ready", flush=True)
        first = False
