"""Team schema migration 4: what searches and the case list need, kept ready instead of counted each time.

Search ranks with FTS5's bm25 (:mod:`amparo.casebook.team.blind_index`), which needs the number of
indexed records and the sum of their lengths. Counting them read every row of ``search_docs`` on
every search: 40-75 ms at 111,000 records (bench/team.py), more than the whole page may take.
``search_stats`` holds the two numbers, kept exact by statement triggers on ``search_docs`` (inserts,
deletes, a case's cascade, updates, truncation: raw SQL too), as FTS5 keeps its own totals.

The index ``search_docs_scoring`` carries the length and case of each record next to its id, and
the primary key of ``search_terms`` now carries each word's count, so scoring the records that hold
a word reads indexes only, not the rows (a common word is in 26,000 of the benchmark's records).

One more index, for the case list: a request's latest step by case, so that each case's last
activity is one step down an index instead of reading all its requests (20 ms of the case list of
1,000 cases).

Kept apart from the other migrations (amparo/casebook/team/schema.py lists it as number 4, the last),
so that it stays small and on its own.
"""

SEARCH_STATS = r"""
CREATE INDEX search_docs_scoring ON search_docs (record_id) INCLUDE (case_id, length);
ALTER TABLE search_terms DROP CONSTRAINT search_terms_pkey;
ALTER TABLE search_terms ADD CONSTRAINT search_terms_pkey PRIMARY KEY (token, record_id) INCLUDE (hits);
CREATE INDEX requests_case_activity
    ON requests (case_id, (coalesce(answered_on, sent_on, drafted_on, substr(created_at, 1, 10))));
CREATE TABLE search_stats (
    docs bigint NOT NULL,
    total bigint NOT NULL,
    one boolean PRIMARY KEY DEFAULT true CHECK (one)
);
INSERT INTO search_stats (docs, total) SELECT count(*), coalesce(sum(length), 0) FROM search_docs;
CREATE FUNCTION amparo_search_stats() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    -- Each branch names only the transition tables its trigger has (plpgsql compiles a statement when it runs).
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE search_stats SET docs = 0, total = 0;
    ELSIF TG_OP = 'INSERT' THEN
        UPDATE search_stats SET docs = docs + (SELECT count(*) FROM new_docs),
            total = total + (SELECT coalesce(sum(length), 0) FROM new_docs);
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE search_stats SET docs = docs - (SELECT count(*) FROM old_docs),
            total = total - (SELECT coalesce(sum(length), 0) FROM old_docs);
    ELSE
        UPDATE search_stats SET total = total + (SELECT coalesce(sum(length), 0) FROM new_docs)
            - (SELECT coalesce(sum(length), 0) FROM old_docs);
    END IF;
    RETURN NULL;
END
$body$;
CREATE TRIGGER search_docs_stats_insert AFTER INSERT ON search_docs REFERENCING NEW TABLE AS new_docs
    FOR EACH STATEMENT EXECUTE FUNCTION amparo_search_stats();
CREATE TRIGGER search_docs_stats_delete AFTER DELETE ON search_docs REFERENCING OLD TABLE AS old_docs
    FOR EACH STATEMENT EXECUTE FUNCTION amparo_search_stats();
CREATE TRIGGER search_docs_stats_update AFTER UPDATE ON search_docs
    REFERENCING OLD TABLE AS old_docs NEW TABLE AS new_docs
    FOR EACH STATEMENT EXECUTE FUNCTION amparo_search_stats();
CREATE TRIGGER search_docs_stats_truncate AFTER TRUNCATE ON search_docs
    FOR EACH STATEMENT EXECUTE FUNCTION amparo_search_stats();
"""


# The triggers that keep the search's totals and its index entries' copies, which schema.check() looks for.
SEARCH_TRIGGERS = {
    "search_docs": (
        "search_docs_stats_insert",
        "search_docs_stats_delete",
        "search_docs_stats_update",
        "search_docs_stats_truncate",
        "search_docs_postings",  # migration 6 (postings_migration)
    ),
}
