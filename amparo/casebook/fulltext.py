"""The local casebook's full-text search: SQLite's FTS5 table ``search``, inside the encrypted database.

One entry per record, holding every free-text field (:func:`~amparo.casebook.records.text_of`),
tokenised by FTS5's ``unicode61`` with diacritics removed. The team store has its own
index with the same interface (:mod:`amparo.casebook.team.blind_index`); which one a
connection uses is decided in :mod:`amparo.casebook.dialect`.
"""

from __future__ import annotations

from amparo.casebook.database import Connection
from amparo.casebook.dialect import Rows
from amparo.casebook.mapping import search_rowid
from amparo.casebook.records import Record, text_of

MAX_WORDS = 20  # a query's words beyond these are ignored


def query_words(query: str) -> list[str]:
    """The words of a search as typed, split on white space (non-printable characters count as space)."""
    printable = "".join(ch if ch.isprintable() else " " for ch in query)
    return printable.split()[:MAX_WORDS]


def phrase_match(words: list[str]) -> str:
    """The words as an FTS5 match of plain words, never syntax: each one a quoted phrase."""
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


class FullText:
    def put(self, conn: Connection, kind: str, record: Record, case_id: str, new: bool = False) -> None:
        """(Re)write the record's entry, found again by a rowid derived from its id.

        Full-text tables cannot index an ordinary column, so looking an entry up
        by record id would scan them all; the derived rowid makes it one lookup.
        """
        rowid = search_rowid(record.id)
        if not new:
            conn.execute("DELETE FROM search WHERE rowid = ?", (rowid,))
        conn.execute(
            "INSERT INTO search (rowid, body, kind, record_id, case_id) VALUES (?, ?, ?, ?, ?)",
            (rowid, text_of(record), kind, record.id, case_id),
        )

    def remove(self, conn: Connection, record_id: str) -> None:
        conn.execute("DELETE FROM search WHERE rowid = ?", (search_rowid(record_id),))

    def remove_case(self, conn: Connection, case_id: str) -> None:
        conn.execute("DELETE FROM search WHERE case_id = ?", (case_id,))

    def hits(self, conn: Connection, principal: str, words: list[str], limit: int) -> Rows:
        """The best ``limit`` matches among the principal's cases (FTS5's bm25 rank)."""
        rows: Rows = conn.execute(
            """
            SELECT kind, record_id, s.case_id, snippet(search, 0, '', '', '…', 12)
            FROM search s JOIN access a ON a.case_id = s.case_id AND a.principal = ?
            WHERE search MATCH ? ORDER BY rank LIMIT ?
            """,
            (principal, phrase_match(words), limit),
        ).fetchall()
        return rows


FULLTEXT = FullText()
