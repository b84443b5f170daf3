"""The team store's migrations 1 to 3, as they were applied: never edit one, add the next instead.

:mod:`amparo.casebook.team.schema` applies them in order, with migration 4
(:mod:`amparo.casebook.team.search_migration`) and 5 (:mod:`amparo.casebook.team.activity_migration`)
after them, and checks that an applied migration's text is unchanged (its SHA-256).
"""

TABLES = """
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
AUDIT = r"""
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
CONSENTS = r"""
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
