"""Team schema migration 5: each case's last activity and open requests, and each mission's last engagement
per case, kept by the database instead of worked out on every page.

The case list sorted by last activity read, for every case in scope, the latest date of each of its five
kinds of record and counted its open requests: seven index lookups per case, 35 ms of the list of 1,000
cases (bench/team.py). The per-mission view grouped all 50,000 engagements on every request.

``case_activity`` holds, per case, the latest date its records carry (an incident or engagement, a
request's latest step, a follow-up done, a risk assessed: what :func:`amparo.casebook.queries.case_keys`
computed before) and how many of its requests are open. ``mission_activity`` holds, per issuer, mission
and case, the date of the case's latest engagement there. Row triggers on the record tables recount a
case's row whenever one of its records is added, deleted, moved to another case or has a date, status,
issuer or mission changed (raw SQL too); a truncation recounts every row. Both are derived from clear
columns only (dates, statuses, issuers, missions, case ids): they show the server nothing it could not
read already.

Concurrent writers of one case take turns on the case's ``case_activity`` row (``FOR UPDATE``), and each
recount is a statement of its own, so it sees what the writer before it committed (READ COMMITTED takes a
snapshot per statement): two records added at once to one case cannot leave the older date behind.
Overdue follow-ups depend on the day they are looked at, so they stay a query.

Kept apart from the other migrations (amparo/casebook/team/schema.py lists it as number 5), so that it
stays small and on its own. Never edit it once applied: add a migration.
"""

ACTIVITY = r"""
CREATE TABLE case_activity (
    case_id amparo_text PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
    last_on amparo_text NOT NULL DEFAULT '',
    open_requests integer NOT NULL DEFAULT 0
);
CREATE TABLE mission_activity (
    issuer amparo_text NOT NULL,
    mission amparo_text NOT NULL,
    case_id amparo_text NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    last_on amparo_text NOT NULL,
    PRIMARY KEY (issuer, mission, case_id)
);
CREATE INDEX mission_activity_case ON mission_activity (case_id, issuer, mission, last_on);
CREATE INDEX follow_ups_overdue ON follow_ups (case_id, due_on) WHERE done_on IS NULL;
CREATE FUNCTION amparo_case_activity_refresh(v_case amparo_text) RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
    PERFORM 1 FROM case_activity WHERE case_id = v_case FOR UPDATE;  -- writers of one case take turns
    UPDATE case_activity SET
        last_on = coalesce(greatest(
            (SELECT max(occurred_on) FROM incidents WHERE case_id = v_case),
            (SELECT max(occurred_on) FROM engagements WHERE case_id = v_case),
            (SELECT max(coalesce(answered_on, sent_on, drafted_on, substr(created_at, 1, 10)))
             FROM requests WHERE case_id = v_case),
            (SELECT max(done_on) FROM follow_ups WHERE case_id = v_case),
            (SELECT max(assessed_on) FROM risk_assessments WHERE case_id = v_case)), ''),
        open_requests = (SELECT count(*) FROM requests
                         WHERE case_id = v_case AND status IN ('draft', 'sent', 'acknowledged'))
    WHERE case_id = v_case;
END
$body$;
CREATE FUNCTION amparo_mission_activity_refresh(v_issuer amparo_text, v_mission amparo_text, v_case amparo_text)
RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
    -- Called with the case's row of case_activity locked: one writer of the case at a time.
    DELETE FROM mission_activity WHERE issuer = v_issuer AND mission = v_mission AND case_id = v_case;
    INSERT INTO mission_activity (issuer, mission, case_id, last_on)
        SELECT issuer, mission, case_id, max(occurred_on) FROM engagements
        WHERE issuer = v_issuer AND mission = v_mission AND case_id = v_case
            AND EXISTS (SELECT 1 FROM cases WHERE id = v_case)  -- not for a case being deleted
        GROUP BY issuer, mission, case_id;
END
$body$;
CREATE FUNCTION amparo_activity() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    -- The engagements' fields are named only in their branch (a trigger function is compiled per table).
    IF TG_OP = 'INSERT' THEN
        PERFORM amparo_case_activity_refresh(NEW.case_id);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM amparo_case_activity_refresh(OLD.case_id);
    ELSE
        -- A record moved to another case: both cases' rows, locked in one order so that two moves cannot deadlock.
        PERFORM 1 FROM case_activity WHERE case_id IN (OLD.case_id, NEW.case_id) ORDER BY case_id FOR UPDATE;
        PERFORM amparo_case_activity_refresh(OLD.case_id);
        IF NEW.case_id <> OLD.case_id THEN
            PERFORM amparo_case_activity_refresh(NEW.case_id);
        END IF;
    END IF;
    IF TG_TABLE_NAME = 'engagements' THEN
        IF TG_OP <> 'INSERT' THEN
            PERFORM amparo_mission_activity_refresh(OLD.issuer, OLD.mission, OLD.case_id);
        END IF;
        IF TG_OP <> 'DELETE' THEN
            PERFORM amparo_mission_activity_refresh(NEW.issuer, NEW.mission, NEW.case_id);
        END IF;
    END IF;
    RETURN NULL;
END
$body$;
CREATE FUNCTION amparo_activity_recount() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
    INSERT INTO case_activity (case_id) SELECT id FROM cases ON CONFLICT (case_id) DO NOTHING;
    PERFORM amparo_case_activity_refresh(case_id) FROM case_activity;
    DELETE FROM mission_activity;
    INSERT INTO mission_activity (issuer, mission, case_id, last_on)
        SELECT issuer, mission, case_id, max(occurred_on) FROM engagements GROUP BY issuer, mission, case_id;
END
$body$;
CREATE FUNCTION amparo_activity_truncated() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    PERFORM amparo_activity_recount();
    RETURN NULL;
END
$body$;
CREATE FUNCTION amparo_case_opened() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    INSERT INTO case_activity (case_id) VALUES (NEW.id);
    RETURN NULL;
END
$body$;
CREATE TRIGGER cases_activity AFTER INSERT ON cases FOR EACH ROW EXECUTE FUNCTION amparo_case_opened();
CREATE TRIGGER incidents_activity AFTER INSERT OR DELETE OR UPDATE OF case_id, occurred_on ON incidents
    FOR EACH ROW EXECUTE FUNCTION amparo_activity();
CREATE TRIGGER engagements_activity AFTER INSERT OR DELETE OR UPDATE OF case_id, occurred_on, issuer, mission
    ON engagements FOR EACH ROW EXECUTE FUNCTION amparo_activity();
CREATE TRIGGER requests_activity AFTER INSERT OR DELETE
    OR UPDATE OF case_id, status, drafted_on, sent_on, answered_on, created_at ON requests
    FOR EACH ROW EXECUTE FUNCTION amparo_activity();
CREATE TRIGGER follow_ups_activity AFTER INSERT OR DELETE OR UPDATE OF case_id, done_on ON follow_ups
    FOR EACH ROW EXECUTE FUNCTION amparo_activity();
CREATE TRIGGER risk_assessments_activity AFTER INSERT OR DELETE OR UPDATE OF case_id, assessed_on
    ON risk_assessments FOR EACH ROW EXECUTE FUNCTION amparo_activity();
CREATE TRIGGER incidents_activity_truncate AFTER TRUNCATE ON incidents
    FOR EACH STATEMENT EXECUTE FUNCTION amparo_activity_truncated();
CREATE TRIGGER engagements_activity_truncate AFTER TRUNCATE ON engagements
    FOR EACH STATEMENT EXECUTE FUNCTION amparo_activity_truncated();
CREATE TRIGGER requests_activity_truncate AFTER TRUNCATE ON requests
    FOR EACH STATEMENT EXECUTE FUNCTION amparo_activity_truncated();
CREATE TRIGGER follow_ups_activity_truncate AFTER TRUNCATE ON follow_ups
    FOR EACH STATEMENT EXECUTE FUNCTION amparo_activity_truncated();
CREATE TRIGGER risk_assessments_activity_truncate AFTER TRUNCATE ON risk_assessments
    FOR EACH STATEMENT EXECUTE FUNCTION amparo_activity_truncated();
SELECT amparo_activity_recount();
"""

_KEPT = ("incidents", "engagements", "requests", "follow_ups", "risk_assessments")
# The triggers this migration puts on each table; check() reports one that is missing or disabled.
ACTIVITY_TRIGGERS = {
    "cases": ("cases_activity",),
    **{table: (f"{table}_activity", f"{table}_activity_truncate") for table in _KEPT},
}
