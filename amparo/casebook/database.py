"""The encrypted database file itself: SQLCipher, the connection's settings, the check record.

What the vault (:mod:`amparo.casebook.vault`) needs from SQLCipher, kept apart from the
vault's state: refusing a SQLCipher too old to protect the file, opening the file with a
raw key (a wrong key is told apart from a damaged file) with the settings every
connection needs (WAL, ``synchronous=FULL``, no temporary files), and the check record
that tells our casebook from an empty or foreign database.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeAlias

import sqlcipher3

from amparo.casebook.errors import CasebookDamaged, UnsupportedSQLCipher
from amparo.casebook.keys import raw_key_pragma

CHECK_VALUE = "amparo casebook v1"

Connection: TypeAlias = sqlcipher3.dbapi2.Connection


def check_sqlcipher(connect: Callable[[str], object] = sqlcipher3.connect) -> str:
    """Return SQLCipher's version; raise :class:`UnsupportedSQLCipher` unless it is 4 or newer.

    A plain SQLite (or SQLCipher 3, with weaker defaults) would silently write a
    readable or weakly protected file, so the casebook refuses to open at all.
    ``connect`` is injectable so tests can hand in the stdlib ``sqlite3``.
    """
    conn = connect(":memory:")
    try:
        rows = conn.execute("PRAGMA cipher_version").fetchall()  # type: ignore[attr-defined]
    finally:
        conn.close()  # type: ignore[attr-defined]
    version = str(rows[0][0]) if rows and rows[0] else ""
    major = version.split(".", 1)[0]
    if not major.isdigit():
        raise UnsupportedSQLCipher("SQLCipher is not available: the casebook cannot be opened safely.")
    if int(major) < 4:
        raise UnsupportedSQLCipher(f"SQLCipher {version} is too old (4 or newer is required).")
    return version


def open_database(db_path: Path, key: bytearray) -> Connection | None:
    """Open the existing database file ``db_path`` with ``key``; ``None`` if the key is wrong."""
    conn = sqlcipher3.connect(db_path.as_uri() + "?mode=rw", uri=True, check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # SQLCipher would print decryption failures to stderr
        conn.execute(raw_key_pragma("key", key))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # first real read: checks the key
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        if "not a database" in str(exc):
            return None
        raise CasebookDamaged("The casebook database cannot be read.") from None
    try:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()
        if not mode or str(mode[0]).lower() != "wal":
            raise CasebookDamaged("The casebook database cannot use its write-ahead log.")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")  # no temporary files, even encrypted ones
        # Decrypted pages are kept (64 MiB at most) while unlocked and freed on lock. SQLCipher's
        # cipher_memory_security (wiping every freed buffer) stays off, as is its default since 4.5:
        # it made reads 10-20 times slower (docs/benchmarks.md), and the records it would protect
        # also live in Python objects that nothing can wipe (see the limits in keys.py).
        conn.execute("PRAGMA cache_size = -65536")
    except BaseException:
        conn.close()
        raise
    return conn


def write_check_record(conn: Connection) -> None:
    """Mark a new, empty database as our casebook (what :func:`verify_database` looks for), and commit."""
    conn.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("INSERT INTO meta (name, value) VALUES ('check', ?)", (CHECK_VALUE,))
    conn.commit()


def verify_database(conn: Connection) -> None:
    """The key decrypted the file; make sure it is our casebook and not an empty or foreign database."""
    try:
        row = conn.execute("SELECT value FROM meta WHERE name = 'check'").fetchone()
    except sqlcipher3.DatabaseError:
        row = None
    if row is None or row[0] != CHECK_VALUE:
        raise CasebookDamaged("The casebook database is damaged (its check record is missing).")
