"""The team store's PostgreSQL schema: versioned migrations, and the check CI runs.

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
import sys
import typing

from amparo.casebook.database import Connection
from amparo.casebook.errors import TeamSchemaMismatch
from amparo.casebook.records import KINDS, columns
from amparo.casebook.team.sealing import SEALED

_V1 = """
CREATE DOMAIN amparo_text AS text COLLATE "C";
CREATE TABLE meta (name amparo_text PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE cases (
    id amparo_text PRIMARY KEY,
    pseudonym bytea NOT NULL,
    subject bytea NOT NULL,
    country bytea NOT NULL,
    field bytea NOT NULL,
    notes bytea NOT NULL,
    closed integer NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
    created_at amparo_text NOT NULL,
    updated_at amparo_text NOT NULL
);
CREATE TABLE access (
    case_id amparo_text NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    principal amparo_text NOT NULL,
    role amparo_text NOT NULL CHECK (role IN ('owner', 'editor', 'reader')),
    PRIMARY KEY (principal, case_id)
);
CREATE INDEX access_case ON access (case_id);
CREATE TABLE incidents (
    id amparo_text PRIMARY KEY,
    case_id amparo_text NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    occurred_on amparo_text NOT NULL,
    threat bytea NOT NULL,
    actor_kind bytea NOT NULL,
    place bytea NOT NULL,
    description bytea NOT NULL,
    evidence bytea NOT NULL,
    created_at amparo_text NOT NULL,
    updated_at amparo_text NOT NULL
);
CREATE INDEX incidents_case ON incidents (case_id, occurred_on);
CREATE TABLE engagements (
    id amparo_text PRIMARY KEY,
    case_id amparo_text NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    occurred_on amparo_text NOT NULL,
    issuer amparo_text NOT NULL,
    mission amparo_text NOT NULL DEFAULT '',
    channel bytea NOT NULL,
    roles bytea NOT NULL,
    discussed bytea NOT NULL,
    support_types bytea NOT NULL,
    outcome bytea NOT NULL,
    created_at amparo_text NOT NULL,
    updated_at amparo_text NOT NULL
);
CREATE INDEX engagements_case ON engagements (case_id, occurred_on);
CREATE INDEX engagements_mission ON engagements (issuer, mission, occurred_on, created_at, case_id);
CREATE TABLE requests (
    id amparo_text PRIMARY KEY,
    case_id amparo_text NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    issuer amparo_text NOT NULL,
    mission amparo_text NOT NULL DEFAULT '',
    support_types bytea NOT NULL,
    status amparo_text NOT NULL
        CHECK (status IN ('draft', 'sent', 'acknowledged', 'support-given', 'declined', 'no-answer')),
    drafted_on amparo_text,
    sent_on amparo_text,
    answered_on amparo_text,
    notes bytea NOT NULL,
    created_at amparo_text NOT NULL,
    updated_at amparo_text NOT NULL
);
CREATE INDEX requests_case ON requests (case_id, status);
CREATE INDEX requests_mission ON requests (issuer, mission, status);
CREATE TABLE follow_ups (
    id amparo_text PRIMARY KEY,
    case_id amparo_text NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    due_on amparo_text NOT NULL,
    what bytea NOT NULL,
    request_id bytea NOT NULL,
    done_on amparo_text,
    created_at amparo_text NOT NULL,
    updated_at amparo_text NOT NULL
);
CREATE INDEX follow_ups_due ON follow_ups (done_on, due_on);
CREATE INDEX follow_ups_case ON follow_ups (case_id, done_on, due_on);
CREATE TABLE risk_assessments (
    id amparo_text PRIMARY KEY,
    case_id amparo_text NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    assessed_on amparo_text NOT NULL,
    threats bytea NOT NULL,
    vulnerabilities bytea NOT NULL,
    capacities bytea NOT NULL,
    notes bytea NOT NULL,
    created_at amparo_text NOT NULL,
    updated_at amparo_text NOT NULL
);
CREATE INDEX risk_case ON risk_assessments (case_id, assessed_on);
CREATE TABLE audit (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at amparo_text NOT NULL,
    principal amparo_text NOT NULL,
    action amparo_text NOT NULL,
    kind amparo_text NOT NULL,
    record_id amparo_text NOT NULL DEFAULT '',
    case_id amparo_text NOT NULL DEFAULT ''
);
CREATE INDEX audit_principal ON audit (principal, seq);
CREATE TABLE search_docs (
    record_id amparo_text PRIMARY KEY,
    kind amparo_text NOT NULL,
    case_id amparo_text NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    length integer NOT NULL,
    body bytea NOT NULL
);
CREATE INDEX search_docs_case ON search_docs (case_id);
CREATE TABLE search_terms (
    token bytea NOT NULL,
    record_id amparo_text NOT NULL REFERENCES search_docs(record_id) ON DELETE CASCADE,
    hits integer NOT NULL,
    PRIMARY KEY (token, record_id)
);
CREATE INDEX search_terms_record ON search_terms (record_id);
"""

MIGRATIONS = {1: _V1}
VERSION = max(MIGRATIONS)
_LOCK = 0x616D7061726F  # "amparo": the advisory lock that lets one process at a time migrate

_BOOTSTRAP = """CREATE TABLE IF NOT EXISTS amparo_schema (
    version integer PRIMARY KEY, digest text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"""

# Tables the record classes do not describe, with their columns and types.
_OTHER_TABLES = {
    "meta": {"name": "text", "value": "bytea"},
    "access": {"case_id": "text", "principal": "text", "role": "text"},
    "audit": dict(
        seq="bigint", at="text", principal="text", action="text", kind="text", record_id="text", case_id="text"
    ),
    "search_docs": {"record_id": "text", "kind": "text", "case_id": "text", "length": "integer", "body": "bytea"},
    "search_terms": {"token": "bytea", "record_id": "text", "hits": "integer"},
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


def migrate(conn: Connection) -> None:
    """Apply the pending migrations, in the caller's transaction; refuse a database newer than the code."""
    conn.execute("SELECT pg_advisory_xact_lock(?)", (_LOCK,))
    applied = _applied(conn)
    if applied and max(applied) > VERSION:
        raise TeamSchemaMismatch("The team database was written by a newer Amparo; update Amparo to open it.")
    for version in range(1, VERSION + 1):
        if version in applied:
            continue
        for statement in MIGRATIONS[version].split(";"):
            if statement.strip():
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
