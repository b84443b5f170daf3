"""Team schema migration 6: each word's entry in the search index carries its record's length and case.

Scoring a common word (26,000 of the benchmark's records hold "their") looked up each record's
length (for bm25) and case (for the reader's scope) in ``search_docs``, one index probe per record:
most of a search's 100 to 200 ms (bench/team.py). ``search_terms`` now holds both next to the word's
count, in its primary key's index, so a word's entries are scored and filtered from one range of
that index. They are copies of ``search_docs``' clear columns: the server learns nothing new. The
blind index writes them with the terms; a trigger keeps them equal when ``search_docs`` changes.

Every entry is rewritten: until (auto)vacuum has been through the table, PostgreSQL reads the rows
beside the index, and searches are slower than before; ``VACUUM ANALYZE search_terms`` after the
upgrade makes them fast at once (docs/team.md, "Upgrading").

Kept apart from the other migrations (amparo/casebook/team/schema.py lists it as number 6). Never
edit it once applied: add a migration.
"""

POSTINGS = r"""
ALTER TABLE search_terms ADD COLUMN length integer, ADD COLUMN case_id amparo_text;
UPDATE search_terms t SET length = d.length, case_id = d.case_id FROM search_docs d WHERE d.record_id = t.record_id;
ALTER TABLE search_terms ALTER COLUMN length SET NOT NULL, ALTER COLUMN case_id SET NOT NULL;
ALTER TABLE search_terms DROP CONSTRAINT search_terms_pkey;
ALTER TABLE search_terms ADD CONSTRAINT search_terms_pkey
    PRIMARY KEY (token, record_id) INCLUDE (hits, length, case_id);
CREATE FUNCTION amparo_search_postings() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    UPDATE search_terms SET length = NEW.length, case_id = NEW.case_id WHERE record_id = NEW.record_id;
    RETURN NULL;
END
$body$;
CREATE TRIGGER search_docs_postings AFTER UPDATE OF length, case_id ON search_docs
    FOR EACH ROW EXECUTE FUNCTION amparo_search_postings();
ANALYZE search_terms;
"""
