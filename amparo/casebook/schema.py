"""The casebook's tables, created and upgraded inside the encrypted database.

Versioned with ``PRAGMA user_version`` so a casebook written by an older
Amparo is upgraded in one transaction when it is next opened. CHECK
constraints repeat the few rules the database can hold by itself, so a bug
above it cannot store a record the site could not show.
"""

from __future__ import annotations

from amparo.casebook.dialect import SQLITE, dialect_of
from amparo.casebook.errors import CasebookDamaged

VERSION = 4

_V1 = """
CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    pseudonym TEXT NOT NULL CHECK (length(pseudonym) BETWEEN 1 AND 200),
    subject TEXT NOT NULL,
    country TEXT NOT NULL DEFAULT '',
    field TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    closed INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE access (
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    principal TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'reader')),
    PRIMARY KEY (principal, case_id)
) WITHOUT ROWID;
CREATE TABLE incidents (
    id TEXT NOT NULL UNIQUE,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    occurred_on TEXT NOT NULL,
    threat TEXT NOT NULL,
    actor_kind TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (case_id, id)
) WITHOUT ROWID;
CREATE INDEX incidents_case ON incidents (case_id, occurred_on);
CREATE TABLE engagements (
    id TEXT NOT NULL UNIQUE,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    occurred_on TEXT NOT NULL,
    issuer TEXT NOT NULL,
    mission TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL,
    roles TEXT NOT NULL DEFAULT '',
    discussed TEXT NOT NULL DEFAULT '',
    support_types TEXT NOT NULL DEFAULT '[]',
    outcome TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (case_id, id)
) WITHOUT ROWID;
CREATE INDEX engagements_case ON engagements (case_id, occurred_on);
CREATE INDEX engagements_mission ON engagements (issuer, mission, occurred_on, created_at, case_id);
CREATE TABLE requests (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    issuer TEXT NOT NULL,
    mission TEXT NOT NULL DEFAULT '',
    support_types TEXT NOT NULL,
    status TEXT NOT NULL
        CHECK (status IN ('draft', 'sent', 'acknowledged', 'support-given', 'declined', 'no-answer')),
    drafted_on TEXT,
    sent_on TEXT,
    answered_on TEXT,
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX requests_case ON requests (case_id, status);
CREATE INDEX requests_mission ON requests (issuer, mission, status);
CREATE TABLE follow_ups (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    due_on TEXT NOT NULL,
    what TEXT NOT NULL CHECK (length(what) >= 1),
    request_id TEXT NOT NULL DEFAULT '',
    done_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX follow_ups_due ON follow_ups (done_on, due_on);
CREATE INDEX follow_ups_case ON follow_ups (case_id, done_on, due_on);
CREATE TABLE risk_assessments (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    assessed_on TEXT NOT NULL,
    threats INTEGER NOT NULL CHECK (threats BETWEEN 1 AND 5),
    vulnerabilities INTEGER NOT NULL CHECK (vulnerabilities BETWEEN 1 AND 5),
    capacities INTEGER NOT NULL CHECK (capacities BETWEEN 1 AND 5),
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX risk_case ON risk_assessments (case_id, assessed_on);
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    principal TEXT NOT NULL,
    action TEXT NOT NULL,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL DEFAULT '',
    case_id TEXT NOT NULL DEFAULT ''
);
CREATE VIRTUAL TABLE search USING fts5(
    body, kind UNINDEXED, record_id UNINDEXED, case_id UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
"""

# Consents to move a case (amparo.casebook.transfer). Never changed: the trigger refuses an UPDATE (a consent
# records what a person agreed to); a new record is written instead. Statements end with ";" and a line break,
# so the trigger's inner ";" stays inside its statement.
_V2 = """
CREATE TABLE consents (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    given_on TEXT NOT NULL,
    agreed_by TEXT NOT NULL CHECK (length(agreed_by) BETWEEN 1 AND 200),
    relation TEXT NOT NULL CHECK (relation IN ('defender', 'representative', 'officer')),
    purpose TEXT NOT NULL CHECK (purpose IN ('move-to-team', 'move-to-casebook', 'received')),
    recipient TEXT NOT NULL DEFAULT '',
    means TEXT NOT NULL
        CHECK (means IN ('in-person', 'phone', 'secure-message', 'writing', 'transfer-file', 'other')),
    notes TEXT NOT NULL DEFAULT '',
    transfer_id TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX consents_case ON consents (case_id, given_on);
CREATE INDEX consents_transfer ON consents (transfer_id);
CREATE TRIGGER consents_unchanged BEFORE UPDATE ON consents BEGIN SELECT RAISE(ABORT, 'never changed'); END;
"""

# A consent recorded on its own (to share the case with a mission or a partner organisation, or another use the
# notes say), not only by a move: the purpose's CHECK grows. SQLite changes a CHECK only by copying the table.
_V3 = """
CREATE TABLE consents_v3 (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    given_on TEXT NOT NULL,
    agreed_by TEXT NOT NULL CHECK (length(agreed_by) BETWEEN 1 AND 200),
    relation TEXT NOT NULL CHECK (relation IN ('defender', 'representative', 'officer')),
    purpose TEXT NOT NULL CHECK (purpose IN (
        'move-to-team', 'move-to-casebook', 'received', 'share-mission', 'share-organisation', 'other'
    )),
    recipient TEXT NOT NULL DEFAULT '',
    means TEXT NOT NULL
        CHECK (means IN ('in-person', 'phone', 'secure-message', 'writing', 'transfer-file', 'other')),
    notes TEXT NOT NULL DEFAULT '',
    transfer_id TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
INSERT INTO consents_v3 SELECT * FROM consents;
DROP TABLE consents;
ALTER TABLE consents_v3 RENAME TO consents;
CREATE INDEX consents_case ON consents (case_id, given_on);
CREATE INDEX consents_transfer ON consents (transfer_id);
CREATE TRIGGER consents_unchanged BEFORE UPDATE ON consents BEGIN SELECT RAISE(ABORT, 'never changed'); END;
"""

# The statement that recounts one case's row of ``case_activity`` (CASE: NEW.case_id, OLD.case_id or a column):
# the last activity as the case list defines it (:func:`amparo.casebook.queries.case_keys`), the latest date
# the case's records carry ('' when they carry none), and its requests in a status of OPEN_STATUSES.
_REFRESH_CASE = """UPDATE case_activity SET last_on = coalesce(max(
    coalesce((SELECT max(occurred_on) FROM incidents WHERE case_id = CASE), ''),
    coalesce((SELECT max(occurred_on) FROM engagements WHERE case_id = CASE), ''),
    coalesce((SELECT max(coalesce(answered_on, sent_on, drafted_on, substr(created_at, 1, 10)))
              FROM requests WHERE case_id = CASE), ''),
    coalesce((SELECT max(done_on) FROM follow_ups WHERE case_id = CASE), ''),
    coalesce((SELECT max(assessed_on) FROM risk_assessments WHERE case_id = CASE), '')), ''),
  open_requests = (SELECT count(*) FROM requests WHERE case_id = CASE AND status IN ('draft', 'sent', 'acknowledged'))
  WHERE case_id = CASE"""
# The statements that recount one row of ``mission_activity`` (ROW: NEW or OLD, an engagement). Not for a
# case being deleted: its engagements go one by one after it, and each would put its row back.
_REFRESH_MISSION = """DELETE FROM mission_activity
    WHERE issuer = ROW.issuer AND mission = ROW.mission AND case_id = ROW.case_id;
  INSERT INTO mission_activity (issuer, mission, case_id, last_on)
    SELECT issuer, mission, case_id, max(occurred_on) FROM engagements
    WHERE issuer = ROW.issuer AND mission = ROW.mission AND case_id = ROW.case_id
      AND EXISTS (SELECT 1 FROM cases WHERE id = ROW.case_id) GROUP BY issuer, mission, case_id"""


def _refresh_case(case: str) -> str:
    return _REFRESH_CASE.replace("CASE", case)


# What changes a record's part in its case's activity: its case and the columns the recount reads.
_ACTIVITY_COLUMNS = {
    "incidents": "case_id, occurred_on",
    "engagements": "case_id, occurred_on, issuer, mission",
    "requests": "case_id, status, drafted_on, sent_on, answered_on, created_at",
    "follow_ups": "case_id, done_on",
    "risk_assessments": "case_id, assessed_on",
}


def _activity_triggers() -> str:
    """The triggers that keep ``case_activity`` and ``mission_activity``, one statement a line."""
    opened = "INSERT INTO case_activity (case_id) VALUES (NEW.id)"
    lines = [f"CREATE TRIGGER cases_activity AFTER INSERT ON cases BEGIN {opened}; END"]
    for table, changed in _ACTIVITY_COLUMNS.items():
        mission = table == "engagements"
        for event, rows in (("INSERT", ("NEW",)), ("DELETE", ("OLD",)), (f"UPDATE OF {changed}", ("OLD", "NEW"))):
            body = [_refresh_case(f"{row}.case_id") for row in rows]
            body += [_REFRESH_MISSION.replace("ROW", row) for row in rows if mission]
            name = f"{table}_activity_{event.split()[0].lower()}"
            lines.append(f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {'; '.join(body)}; END")
    # One statement a line: migrate() splits at ";" and a line break, which the triggers' bodies must not hold.
    return ";\n".join(" ".join(line.split()) for line in lines) + ";\n"


# Each case's last activity and open requests, and each mission's last engagement per case, kept by triggers
# (every change to a record, raw SQL too) instead of worked out for every case on every page; see the team
# store's migration 5 (amparo.casebook.team.activity_migration), which keeps the same two tables.
_V4_TABLES = """
CREATE TABLE case_activity (
    case_id TEXT PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
    last_on TEXT NOT NULL DEFAULT '',
    open_requests INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE mission_activity (
    issuer TEXT NOT NULL,
    mission TEXT NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    last_on TEXT NOT NULL,
    PRIMARY KEY (issuer, mission, case_id)
) WITHOUT ROWID;
CREATE INDEX mission_activity_case ON mission_activity (case_id, issuer, mission, last_on);
CREATE INDEX follow_ups_overdue ON follow_ups (case_id, due_on) WHERE done_on IS NULL;
INSERT INTO case_activity (case_id) SELECT id FROM cases;
"""
_V4_MISSIONS = """
INSERT INTO mission_activity (issuer, mission, case_id, last_on)
    SELECT issuer, mission, case_id, max(occurred_on) FROM engagements GROUP BY issuer, mission, case_id;
"""
# The tables, every case's row recounted, every mission's rows, then the triggers.
_V4 = "".join((_V4_TABLES, _refresh_case("case_activity.case_id"), ";", _V4_MISSIONS, _activity_triggers()))

MIGRATIONS = {1: _V1, 2: _V2, 3: _V3, 4: _V4}


def migrate(conn) -> None:
    """Bring the schema to :data:`VERSION` inside the caller's transaction.

    Only the local casebook's: the team store migrates its PostgreSQL schema when it opens
    (:mod:`amparo.casebook.team.schema`).
    """
    if dialect_of(conn) is not SQLITE:
        return
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if current > VERSION:
        raise CasebookDamaged("This casebook was written by a newer Amparo; update Amparo to open it.")
    if current < VERSION and not conn.in_transaction:
        conn.execute("BEGIN IMMEDIATE")  # DDL does not open a transaction by itself: all or nothing
    for version in range(current + 1, VERSION + 1):
        for statement in MIGRATIONS[version].split(";\n"):
            if statement.strip():
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {version}")
