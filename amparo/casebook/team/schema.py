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
import re
import sys
import typing

from amparo.casebook.database import Connection
from amparo.casebook.errors import TeamSchemaMismatch
from amparo.casebook.records import KINDS, columns
from amparo.casebook.team.sealing import SEALED
from amparo.casebook.team.search_migration import SEARCH_STATS

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

# The audit, written by the database (docs/team.md, "Audit"). Every change to a casebook table is recorded
# by a trigger that fires at commit (a deferred constraint trigger), so raw SQL and bulk changes are caught
# as well as the repository's; the acting principal is what the application set for the transaction
# (``amparo.principal``), else "unknown (direct SQL)", and the database role is always recorded. Each audit
# row carries the SHA-256 of the row before it and of its own fields (a hash chain, checked by
# :func:`amparo.casebook.team.audit.verify`); the table refuses UPDATE, DELETE and TRUNCATE.
_V2 = r"""
ALTER TABLE audit ALTER COLUMN seq DROP IDENTITY;
ALTER TABLE audit ADD COLUMN detail amparo_text NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN db_role amparo_text NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN source amparo_text NOT NULL DEFAULT 'app';
ALTER TABLE audit ADD COLUMN xact bigint NOT NULL DEFAULT 0;
ALTER TABLE audit ADD COLUMN prev_hash bytea;
ALTER TABLE audit ADD COLUMN hash bytea;
CREATE INDEX audit_xact ON audit (xact);
CREATE INDEX audit_at ON audit (at, seq);
CREATE FUNCTION amparo_audit_field(value text) RETURNS bytea LANGUAGE sql IMMUTABLE STRICT AS $body$
    SELECT convert_to(octet_length(convert_to(value, 'UTF8'))::text || ':', 'UTF8') || convert_to(value, 'UTF8')
$body$;
CREATE FUNCTION amparo_audit_digest(prev bytea, a audit) RETURNS bytea LANGUAGE sql IMMUTABLE AS $body$
    SELECT sha256(prev
        || amparo_audit_field(a.seq::text) || amparo_audit_field(a.at) || amparo_audit_field(a.principal)
        || amparo_audit_field(a.action) || amparo_audit_field(a.kind) || amparo_audit_field(a.record_id)
        || amparo_audit_field(a.case_id) || amparo_audit_field(a.detail) || amparo_audit_field(a.db_role)
        || amparo_audit_field(a.source) || amparo_audit_field(a.xact::text))
$body$;
DO $body$
DECLARE
    a audit;
    prev bytea := decode(repeat('00', 32), 'hex');
BEGIN
    FOR a IN SELECT * FROM audit ORDER BY seq LOOP
        UPDATE audit SET prev_hash = prev, hash = amparo_audit_digest(prev, a) WHERE seq = a.seq;
        prev := amparo_audit_digest(prev, a);
    END LOOP;
END
$body$;
ALTER TABLE audit ALTER COLUMN prev_hash SET NOT NULL;
ALTER TABLE audit ALTER COLUMN hash SET NOT NULL;
CREATE FUNCTION amparo_audit_chain() RETURNS trigger LANGUAGE plpgsql AS $body$
DECLARE
    last audit;
BEGIN
    -- One writer at a time from here to its commit, so that each row links to the one committed before it.
    PERFORM pg_advisory_xact_lock(7092461289150436468);
    SELECT * INTO last FROM audit ORDER BY seq DESC LIMIT 1;
    NEW.seq := coalesce(last.seq, 0) + 1;
    NEW.prev_hash := coalesce(last.hash, decode(repeat('00', 32), 'hex'));
    NEW.at := to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || '+00:00';
    NEW.db_role := session_user;
    NEW.source := CASE WHEN pg_trigger_depth() > 1 THEN 'database' ELSE 'app' END;
    NEW.xact := txid_current();
    NEW.hash := amparo_audit_digest(NEW.prev_hash, NEW);
    RETURN NEW;
END
$body$;
CREATE TRIGGER audit_chain BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION amparo_audit_chain();
CREATE FUNCTION amparo_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only: % is refused.', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$body$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION amparo_audit_refuse();
REVOKE UPDATE, DELETE, TRUNCATE ON audit FROM PUBLIC, CURRENT_USER;
CREATE FUNCTION amparo_audit_change() RETURNS trigger LANGUAGE plpgsql AS $body$
DECLARE
    v_kind text := TG_ARGV[0];
    v_who text := coalesce(nullif(current_setting('amparo.principal', true), ''), 'unknown (direct SQL)');
    v_action text := CASE TG_OP WHEN 'INSERT' THEN 'create' WHEN 'UPDATE' THEN 'update' ELSE 'delete' END;
    r record;
    v_record_id text;
    v_case_id text;
    v_detail text := '';
BEGIN
    -- Each table's fields are named only in the branch for that table (a trigger function is compiled per table).
    IF TG_OP = 'DELETE' THEN
        r := OLD;
    ELSE
        r := NEW;
    END IF;
    IF v_kind = 'case' THEN
        v_record_id := r.id;
        v_case_id := r.id;
    ELSIF v_kind = 'access' THEN
        v_record_id := r.principal;
        v_case_id := r.case_id;
        v_detail := r.role;
        IF TG_OP = 'UPDATE' THEN
            v_detail := OLD.role || '->' || NEW.role;
            IF OLD.principal <> NEW.principal THEN
                v_detail := v_detail || ' from ' || OLD.principal;
            END IF;
        END IF;
    ELSE
        v_record_id := r.id;
        v_case_id := r.case_id;
    END IF;
    IF v_kind <> 'case' THEN
        IF TG_OP = 'UPDATE' THEN
            IF OLD.case_id <> NEW.case_id THEN
                v_detail := concat_ws(' ', nullif(v_detail, ''), 'moved from ' || OLD.case_id);
            END IF;
        ELSIF TG_OP = 'DELETE' THEN
            IF NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = v_case_id) THEN
                RETURN NULL;  -- its case was deleted in this transaction: that case's own row records it
            END IF;
        END IF;
    END IF;
    IF v_kind = 'access' AND TG_OP = 'INSERT' THEN
        IF r.role = 'owner' AND v_record_id = v_who AND EXISTS (
            SELECT 1 FROM audit a WHERE a.xact = txid_current() AND a.source = 'database' AND a.action = 'create'
                AND a.kind = 'case' AND a.record_id = v_case_id AND a.principal = v_who
        ) THEN
            RETURN NULL;  -- whoever creates a case owns it: the case's own row records it
        END IF;
    END IF;
    INSERT INTO audit (at, principal, action, kind, record_id, case_id, detail)
        VALUES ('', v_who, v_action, v_kind, v_record_id, v_case_id, v_detail);
    RETURN NULL;
END
$body$;
CREATE FUNCTION amparo_audit_truncate() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    INSERT INTO audit (at, principal, action, kind, record_id, case_id, detail) VALUES ('',
        coalesce(nullif(current_setting('amparo.principal', true), ''), 'unknown (direct SQL)'),
        'truncate', TG_ARGV[0], '', '', '');
    RETURN NULL;
END
$body$;
CREATE CONSTRAINT TRIGGER cases_audit AFTER INSERT OR UPDATE OR DELETE ON cases
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION amparo_audit_change('case');
CREATE CONSTRAINT TRIGGER access_audit AFTER INSERT OR UPDATE OR DELETE ON access
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION amparo_audit_change('access');
CREATE CONSTRAINT TRIGGER incidents_audit AFTER INSERT OR UPDATE OR DELETE ON incidents
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION amparo_audit_change('incident');
CREATE CONSTRAINT TRIGGER engagements_audit AFTER INSERT OR UPDATE OR DELETE ON engagements
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION amparo_audit_change('engagement');
CREATE CONSTRAINT TRIGGER requests_audit AFTER INSERT OR UPDATE OR DELETE ON requests
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION amparo_audit_change('request');
CREATE CONSTRAINT TRIGGER follow_ups_audit AFTER INSERT OR UPDATE OR DELETE ON follow_ups
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION amparo_audit_change('follow-up');
CREATE CONSTRAINT TRIGGER risk_assessments_audit AFTER INSERT OR UPDATE OR DELETE ON risk_assessments
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION amparo_audit_change('risk');
CREATE TRIGGER cases_audit_truncate BEFORE TRUNCATE ON cases
    FOR EACH STATEMENT EXECUTE FUNCTION amparo_audit_truncate('case');
CREATE TRIGGER access_audit_truncate BEFORE TRUNCATE ON access
    FOR EACH STATEMENT EXECUTE FUNCTION amparo_audit_truncate('access');
CREATE TRIGGER incidents_audit_truncate BEFORE TRUNCATE ON incidents
    FOR EACH STATEMENT EXECUTE FUNCTION amparo_audit_truncate('incident');
CREATE TRIGGER engagements_audit_truncate BEFORE TRUNCATE ON engagements
    FOR EACH STATEMENT EXECUTE FUNCTION amparo_audit_truncate('engagement');
CREATE TRIGGER requests_audit_truncate BEFORE TRUNCATE ON requests
    FOR EACH STATEMENT EXECUTE FUNCTION amparo_audit_truncate('request');
CREATE TRIGGER follow_ups_audit_truncate BEFORE TRUNCATE ON follow_ups
    FOR EACH STATEMENT EXECUTE FUNCTION amparo_audit_truncate('follow-up');
CREATE TRIGGER risk_assessments_audit_truncate BEFORE TRUNCATE ON risk_assessments
    FOR EACH STATEMENT EXECUTE FUNCTION amparo_audit_truncate('risk');
"""

# Consents to move a case (amparo.casebook.transfer), audited like every casebook table, and never changed:
# a trigger refuses an UPDATE (a consent records what a person agreed to; a new record is written instead).
# The transfer id stays in clear: importing the same file twice is refused by looking it up.
_V3 = r"""
CREATE TABLE consents (
    id amparo_text PRIMARY KEY,
    case_id amparo_text NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    given_on amparo_text NOT NULL,
    agreed_by bytea NOT NULL,
    relation bytea NOT NULL,
    purpose bytea NOT NULL,
    recipient bytea NOT NULL,
    means bytea NOT NULL,
    notes bytea NOT NULL,
    transfer_id amparo_text NOT NULL DEFAULT '',
    created_at amparo_text NOT NULL,
    updated_at amparo_text NOT NULL
);
CREATE INDEX consents_case ON consents (case_id, given_on);
CREATE INDEX consents_transfer ON consents (transfer_id);
CREATE CONSTRAINT TRIGGER consents_audit AFTER INSERT OR UPDATE OR DELETE ON consents
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION amparo_audit_change('consent');
CREATE TRIGGER consents_audit_truncate BEFORE TRUNCATE ON consents
    FOR EACH STATEMENT EXECUTE FUNCTION amparo_audit_truncate('consent');
CREATE FUNCTION amparo_consent_unchanged() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    RAISE EXCEPTION 'A consent is never changed: record a new one.' USING ERRCODE = 'integrity_constraint_violation';
END
$body$;
CREATE TRIGGER consents_unchanged BEFORE UPDATE ON consents
    FOR EACH ROW EXECUTE FUNCTION amparo_consent_unchanged();
"""

_AUDITED = ("cases", "access", "incidents", "engagements", "requests", "follow_ups", "risk_assessments", "consents")
# The triggers migrations 2 and 3 put on each table; check() reports one that is missing or disabled.
AUDIT_TRIGGERS = {
    "audit": ("audit_chain", "audit_append_only"),
    **{table: (f"{table}_audit", f"{table}_audit_truncate") for table in _AUDITED},
    "consents": ("consents_audit", "consents_audit_truncate", "consents_unchanged"),
}

MIGRATIONS = {1: _V1, 2: _V2, 3: _V3, 4: SEARCH_STATS}
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
    "search_terms": {"token": "bytea", "record_id": "text", "hits": "integer"},
    "search_stats": {"docs": "bigint", "total": "bigint", "one": "boolean"},
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
    """The audit's triggers that are missing or switched off (``ALTER TABLE ... DISABLE TRIGGER``)."""
    rows = conn.execute(
        "SELECT c.relname, t.tgname, t.tgenabled FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
        " WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal"
    ).fetchall()
    enabled = {(str(table), str(name)): str(state) for table, name, state in rows}
    problems = []
    for table, names in AUDIT_TRIGGERS.items():
        for name in names:
            state = enabled.get((table, name))
            if state is None:
                problems.append(f"trigger {name} on {table} is missing: changes would escape the audit")
            elif state not in ("O", "A"):
                problems.append(f"trigger {name} on {table} is disabled: changes would escape the audit")
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
