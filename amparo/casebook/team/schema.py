"""The team store's PostgreSQL schema: versioned migrations applied in order, and the check CI runs.

The migrations' texts live in their own modules (:mod:`~amparo.casebook.team.migrations` for 1 to 3,
:mod:`~amparo.casebook.team.search_migration` for 4, :mod:`~amparo.casebook.team.activity_migration` for 5,
:mod:`~amparo.casebook.team.postings_migration` for 6).

The tables are the local casebook's (:mod:`amparo.casebook.schema`), column for column,
with two differences: the sealed columns (:data:`~amparo.casebook.team.sealing.SEALED`) are
``bytea``, and search is the blind index (``search_docs``, ``search_terms``) instead of
FTS5. Clear text uses the ``C`` collation (the domain ``amparo_text``), so PostgreSQL sorts
ids, dates and codes byte by byte as SQLite does, whatever the server's locale.

``amparo_schema`` records each applied migration with the SHA-256 of its text.
:func:`check` is the equivalent of ``makemigrations --check``: it fails when a migration
is pending, when an applied one was edited afterwards, or when the tables differ from
what the record classes need. Run it with ``python -m amparo.casebook.team.schema``.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import typing

from amparo.casebook.database import Connection
from amparo.casebook.errors import TeamSchemaMismatch
from amparo.casebook.records import KINDS, columns
from amparo.casebook.team.activity_migration import ACTIVITY, ACTIVITY_TRIGGERS
from amparo.casebook.team.migrations import AUDIT, AUDIT_TRIGGERS, CONSENTS, TABLES
from amparo.casebook.team.postings_migration import POSTINGS
from amparo.casebook.team.sealing import SEALED
from amparo.casebook.team.search_migration import SEARCH_STATS, SEARCH_TRIGGERS

MIGRATIONS = {1: TABLES, 2: AUDIT, 3: CONSENTS, 4: SEARCH_STATS, 5: ACTIVITY, 6: POSTINGS}
VERSION = max(MIGRATIONS)
_DOLLAR_OR_END = re.compile(r"\$[A-Za-z_]*\$|;")
_LOCK = 0x616D7061726F  # "amparo": the advisory lock that lets one process at a time migrate

_BOOTSTRAP = """CREATE TABLE IF NOT EXISTS amparo_schema (
    version integer PRIMARY KEY, digest text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"""

# Tables the record classes do not describe, with their columns and types.
_OTHER_TABLES = {
    "meta": {"name": "text", "value": "bytea"},
    "access": {"case_id": "text", "principal": "text", "role": "text"},
    "audit": dict(
        seq="bigint",
        at="text",
        principal="text",
        action="text",
        kind="text",
        record_id="text",
        case_id="text",
        detail="text",
        db_role="text",
        source="text",
        xact="bigint",
        prev_hash="bytea",
        hash="bytea",
    ),
    "search_docs": {"record_id": "text", "kind": "text", "case_id": "text", "length": "integer", "body": "bytea"},
    "search_terms": {"token": "bytea", "record_id": "text", "hits": "integer", "length": "integer", "case_id": "text"},
    "search_stats": {"docs": "bigint", "total": "bigint", "one": "boolean"},
    "case_activity": {"case_id": "text", "last_on": "text", "open_requests": "integer"},
    "mission_activity": {"issuer": "text", "mission": "text", "case_id": "text", "last_on": "text"},
}


def digest(version: int) -> str:
    return hashlib.sha256(MIGRATIONS[version].encode("utf-8")).hexdigest()


def expected_tables() -> dict[str, dict[str, str]]:
    """Every table's columns and their types, as the code needs them: the record classes and the rest."""
    tables: dict[str, dict[str, str]] = {}
    for cls, table, _date in KINDS.values():
        hints = typing.get_type_hints(cls)
        tables[table] = {
            name: "bytea" if name in SEALED[cls] else ("integer" if hints[name] in (int, bool) else "text")
            for name in columns(cls)
        }
    return {**tables, **_OTHER_TABLES}


def _applied(conn: Connection) -> dict[int, str]:
    conn.execute(_BOOTSTRAP)
    return {int(v): str(d) for v, d in conn.execute("SELECT version, digest FROM amparo_schema").fetchall()}


def statements(script: str) -> list[str]:
    """A migration's statements: split at each ``;`` outside a dollar-quoted body (``$body$ ... $body$``).

    Migration 1 has no dollar quotes, so it splits as it always did; migration 2's functions keep their
    inner semicolons.
    """
    found, start, quote = [], 0, ""
    for match in _DOLLAR_OR_END.finditer(script):
        piece = match.group()
        if quote:
            if piece == quote:
                quote = ""
        elif piece == ";":
            found.append(script[start : match.start()])
            start = match.end()
        else:
            quote = piece
    found.append(script[start:])
    return [s for s in found if s.strip()]


def migrate(conn: Connection) -> None:
    """Apply the pending migrations, in the caller's transaction; refuse a database newer than the code."""
    conn.execute("SELECT pg_advisory_xact_lock(?)", (_LOCK,))
    applied = _applied(conn)
    if applied and max(applied) > VERSION:
        raise TeamSchemaMismatch("The team database was written by a newer Amparo; update Amparo to open it.")
    for version in range(1, VERSION + 1):
        if version in applied:
            continue
        for statement in statements(MIGRATIONS[version]):
            conn.execute(statement)
        conn.execute("INSERT INTO amparo_schema (version, digest) VALUES (?, ?)", (version, digest(version)))


def check(conn: Connection) -> list[str]:
    """What differs between the code's schema and the database's; empty when they agree."""
    problems = []
    applied = _applied(conn)
    for version in range(1, VERSION + 1):
        if version not in applied:
            problems.append(f"migration {version} is not applied")
        elif applied[version] != digest(version):
            problems.append(f"migration {version} was changed after it was applied: add a new migration instead")
    problems += [f"migration {v} is unknown to this code" for v in sorted(applied) if v > VERSION]
    if problems:
        return problems
    found: dict[str, dict[str, str]] = {}
    rows = conn.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns"
        " WHERE table_schema = current_schema()"
    ).fetchall()
    for table, column, data_type in rows:
        found.setdefault(str(table), {})[str(column)] = str(data_type)
    for table, wanted in expected_tables().items():
        have = found.get(table)
        if have is None:
            problems.append(f"table {table} is missing")
            continue
        for column, data_type in wanted.items():
            if column not in have:
                problems.append(f"column {table}.{column} is missing: the code has a field with no migration")
            elif have[column] != data_type:
                problems.append(f"column {table}.{column} is {have[column]}, the code needs {data_type}")
        problems += [f"column {table}.{c} is not in the code" for c in sorted(set(have) - set(wanted))]
    return problems + _trigger_problems(conn)


def _trigger_problems(conn: Connection) -> list[str]:
    """The database's triggers that are missing or switched off (``ALTER TABLE ... DISABLE TRIGGER``)."""
    rows = conn.execute(
        "SELECT c.relname, t.tgname, t.tgenabled FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
        " WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal"
    ).fetchall()
    enabled = {(str(table), str(name)): str(state) for table, name, state in rows}
    problems = []
    for triggers, harm in (
        (AUDIT_TRIGGERS, "changes would escape the audit"),
        (ACTIVITY_TRIGGERS, "the case list and the per-mission view would fall behind the records"),
        (SEARCH_TRIGGERS, "the search would rank and filter records by stale copies"),
    ):
        for table, names in triggers.items():
            for name in names:
                state = enabled.get((table, name))
                if state is None:
                    problems.append(f"trigger {name} on {table} is missing: {harm}")
                elif state not in ("O", "A"):
                    problems.append(f"trigger {name} on {table} is disabled: {harm}")
    return problems


def main(argv: list[str] | None = None) -> int:
    """``python -m amparo.casebook.team.schema [migrate]`` against ``DATABASE_URL``: check (default) or migrate."""
    import psycopg

    from amparo.casebook.team.store import TeamConnection

    args = sys.argv[1:] if argv is None else argv
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        print("DATABASE_URL is not set.", file=sys.stderr)
        return 2
    with psycopg.connect(url) as raw:
        conn = TeamConnection(raw, None)
        if args[:1] == ["migrate"]:
            migrate(conn)
        problems = check(conn)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
