"""The team store's search: a keyed blind index of words, answering as the local FTS5 search does.

Per record, ``search_docs`` holds its kind and case, its number of words and its text
sealed (for the snippet); ``search_terms`` holds, per distinct word, the word's token
(HMAC-SHA256 under the index key, :meth:`TeamKeys.token`) and how often it occurs. A
query's words become tokens in Python, so PostgreSQL never sees a word, only tokens.

Words are what FTS5's ``unicode61 remove_diacritics 2`` makes of a text in the local
casebook: runs of letters and digits, case-folded, accents removed (the guidelines
search's :func:`~amparo.guidelines.search.fold`). A record matches when it holds every
word of the query, and the records are ranked with FTS5's own bm25 (k1 1.2, b 0.75,
over every record in the store), ties by record id, so both stores give the same records
in the same order. What differs: a query word that FTS5 splits into several (``e-mail``)
must match as adjacent words locally and as words anywhere here; the snippet is chosen
more simply. The leakage is written down in docs/team.md.
"""

from __future__ import annotations

import re
from collections import Counter

from amparo.casebook.database import Connection
from amparo.casebook.dialect import Rows
from amparo.casebook.records import Record, text_of
from amparo.casebook.team.keys import TeamKeys
from amparo.guidelines.search import fold

_WORD = re.compile(r"[^\W_]+")  # letters and digits, as unicode61 splits: "_" and punctuation separate words
SNIPPET_WORDS = 12  # as the local search's snippet(…, 12)

# FTS5's bm25, written in the order of its C code (fts5_aux.c) so that the same records
# give bit-for-bit the same scores, and ties are ties in both stores. The records are scored
# and chosen first, from the index's entries alone: each word's entry carries its record's
# length and case (team migration 6), so a common word's 26,000 entries are one range of the
# primary key's index, not a lookup each. The sealed text is read for the chosen ones alone.
# A record's terms are summed in the query's order ({order}) only where that can change the sum:
# two numbers add up the same either way, and an ordered sum needs a sort of every entry.
_HITS = """
WITH q AS (SELECT token, pos FROM unnest(?::bytea[]) WITH ORDINALITY AS q (token, pos)),
stats AS (SELECT docs::float8 AS n, total::float8 AS total FROM search_stats WHERE one),
idf AS (
  SELECT token, CASE WHEN raw <= 0 THEN 1e-6::float8 ELSE raw END AS idf FROM (
    SELECT t.token, ln((stats.n - count(*) + 0.5::float8) / (count(*) + 0.5::float8)) AS raw
    FROM search_terms t CROSS JOIN stats WHERE t.token IN (SELECT token FROM q) GROUP BY t.token, stats.n) AS df),
words AS MATERIALIZED (SELECT q.token, q.pos, idf.idf FROM q JOIN idf ON idf.token = q.token),
best AS (
  SELECT t.record_id,
    sum(words.idf * ((t.hits * (1.2::float8 + 1.0::float8))
        / (t.hits + 1.2::float8 * (1::float8 - 0.75::float8 + 0.75::float8 * t.length / (stats.total / stats.n))))
      {order}) AS score
  FROM words JOIN search_terms t ON t.token = words.token
  JOIN access a ON a.case_id = t.case_id AND a.principal = ?
  CROSS JOIN stats
  GROUP BY t.record_id
  HAVING count(*) = (SELECT count(*) FROM q)
  ORDER BY score DESC, t.record_id
  LIMIT ?)
SELECT d.kind, d.record_id, d.case_id, d.body, best.score
FROM best JOIN search_docs d ON d.record_id = best.record_id
ORDER BY best.score DESC, d.record_id
"""
# Every query word's entry joins once per record (a word typed twice, twice): a record holds every
# word when it has as many rows as the query has words.
_HITS_IN_ORDER, _HITS_ANY_ORDER = _HITS.format(order="ORDER BY words.pos"), _HITS.format(order="")
# One word: each record holding it has one entry, so there is nothing to group or sum: the entries are
# scored as they are read and the best kept (the same expression, so the same scores, as _HITS gives).
_HITS_ONE_WORD = """
WITH stats AS (SELECT docs::float8 AS n, total::float8 AS total FROM search_stats WHERE one),
idf AS (
  SELECT CASE WHEN raw <= 0 THEN 1e-6::float8 ELSE raw END AS idf FROM (
    SELECT ln((stats.n - df + 0.5::float8) / (df + 0.5::float8)) AS raw
    FROM (SELECT count(*) AS df FROM search_terms WHERE token = ?) AS counted CROSS JOIN stats) AS df),
best AS (
  SELECT t.record_id,
    idf.idf * ((t.hits * (1.2::float8 + 1.0::float8))
        / (t.hits + 1.2::float8 * (1::float8 - 0.75::float8 + 0.75::float8 * t.length / (stats.total / stats.n))))
      AS score
  FROM search_terms t
  JOIN access a ON a.case_id = t.case_id AND a.principal = ?
  CROSS JOIN stats CROSS JOIN idf
  WHERE t.token = ?
  ORDER BY score DESC, t.record_id
  LIMIT ?)
SELECT d.kind, d.record_id, d.case_id, d.body, best.score
FROM best JOIN search_docs d ON d.record_id = best.record_id
ORDER BY best.score DESC, d.record_id
"""


def words(text: str) -> list[tuple[int, int, str]]:
    """The words of ``text``: where each starts and ends, and the word as the index holds it."""
    return [(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text)]


def snippet(text: str, wanted: set[str]) -> str:
    """Up to 12 words of ``text`` holding the most of the ``wanted`` words, centred on them, '…' where cut."""
    found = words(text)
    if not found:
        return ""
    width = min(SNIPPET_WORDS, len(found))
    hits = [i for i, (_start, _end, word) in enumerate(found) if word in wanted]

    def fit(start: int) -> tuple[int, float, int]:
        inside = [i for i in hits if start <= i < start + width]
        middle = (inside[0] + inside[-1]) / 2 if inside else start
        return len({found[i][2] for i in inside}), -abs(middle - (start + (width - 1) / 2)), -start

    start = max(range(len(found) - width + 1), key=fit)
    end = start + width
    left = found[start][0] if start > 0 else 0
    right = found[end - 1][1] if end < len(found) else len(text)
    return ("…" if start > 0 else "") + text[left:right].strip() + ("…" if end < len(found) else "")


class BlindIndex:
    """The :class:`~amparo.casebook.dialect.SearchIndex` of the team store."""

    def __init__(self, keys: TeamKeys) -> None:
        self._keys = keys

    def put(self, conn: Connection, kind: str, record: Record, case_id: str, new: bool = False) -> None:
        if not new:
            self.remove(conn, record.id)
        text = text_of(record)
        found = [w for _start, _end, w in words(text)]
        conn.execute(
            "INSERT INTO search_docs (record_id, kind, case_id, length, body) VALUES (?, ?, ?, ?, ?)",
            (record.id, kind, case_id, len(found), self._keys.fields.seal("search_docs", "body", record.id, text)),
        )
        counts = Counter(found)
        if counts:  # one statement for all of a record's words: a row each would be a round trip each
            conn.execute(
                "INSERT INTO search_terms (token, record_id, hits, length, case_id)"
                " SELECT token, ?, hits, ?, ? FROM unnest(?::bytea[], ?::integer[]) AS terms (token, hits)",
                (record.id, len(found), case_id, [self._keys.token(word) for word in counts], list(counts.values())),
            )

    def remove(self, conn: Connection, record_id: str) -> None:
        conn.execute("DELETE FROM search_docs WHERE record_id = ?", (record_id,))  # its terms go with it

    def remove_case(self, conn: Connection, case_id: str) -> None:
        conn.execute("DELETE FROM search_docs WHERE case_id = ?", (case_id,))

    def hits(self, conn: Connection, principal: str, query: list[str], limit: int) -> Rows:
        wanted = [w for word in query for _start, _end, w in words(word)]
        if not wanted:
            return []
        tokens = [self._keys.token(w) for w in wanted]
        if len(tokens) == 1:
            rows = conn.execute(_HITS_ONE_WORD, (tokens[0], principal, tokens[0], limit)).fetchall()
        else:
            statement = _HITS_IN_ORDER if len(tokens) > 2 else _HITS_ANY_ORDER
            rows = conn.execute(statement, (tokens, principal, limit)).fetchall()
        unique = set(wanted)
        out: Rows = []
        for kind, record_id, case_id, body, _score in rows:
            text = self._keys.fields.open("search_docs", "body", record_id, body)
            out.append((kind, record_id, case_id, snippet(str(text), unique)))
        return out
