"""Full-text search over support types, issuers, guidance and programmes, in memory.

The dataset is small (hundreds of records), so a per-language inverted index of
accent-folded words, with prefix matching and field weights, answers in well
under a millisecond and needs no database.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from amparo.guidelines.model import Dataset, Text

KINDS = ("support_type", "issuer", "guidance", "programme")
MAX_QUERY = 200
_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(fold(text)) if len(w) > 1 or w.isdigit()]


@dataclass(frozen=True)
class Hit:
    kind: str
    id: str
    title: str
    snippet: str
    score: float


class SearchIndex:
    def __init__(self, dataset: Dataset, language: str):
        self.records: list[tuple[str, str, str, str]] = []  # kind, id, title, snippet
        self.postings: dict[str, dict[int, float]] = {}
        for kind, record_id, title, fields in self._documents(dataset, language):
            index = len(self.records)
            self.records.append((kind, record_id, title, fields[0][0][:200] if fields else ""))
            for weight_text, weight in [(title, 3.0), *fields]:
                for word in words(weight_text):
                    bucket = self.postings.setdefault(word, {})
                    bucket[index] = bucket.get(index, 0.0) + weight
        self.vocabulary = sorted(self.postings)

    @staticmethod
    def _documents(dataset: Dataset, language: str):
        def t(text: Text | None) -> str:
            return text.get(language) if text else ""

        for s in dataset.support_types.values():
            yield "support_type", s.id, t(s.name), [(t(s.description), 1.0), (t(s.helps_when), 1.0), (t(s.risks), 0.5)]
        for i in dataset.issuers.values():
            titles = " ".join(g.title for g in i.guidelines)
            yield "issuer", i.id, t(i.name), [(t(i.summary), 1.0), (titles, 2.0), (i.id, 3.0)]
        for g in dataset.guidance.values():
            yield "guidance", g.id, t(g.title), [(t(g.body), 1.0)]
        for p in dataset.programmes.values():
            yield "programme", p.id, t(p.name), [(t(p.description), 1.0), (t(p.operator), 1.0)]

    def _matching(self, term: str) -> dict[int, float]:
        """Records containing ``term`` or a word it is a prefix of (exact matches weigh more)."""
        from bisect import bisect_left

        found: dict[int, float] = dict(self.postings.get(term, {}))
        start = bisect_left(self.vocabulary, term)
        for word in self.vocabulary[start:]:
            if not word.startswith(term):
                break
            if word != term:
                for index, weight in self.postings[word].items():
                    found[index] = found.get(index, 0.0) + weight * 0.5
        return found

    def search(self, query: str, limit: int = 50) -> dict[str, list[Hit]]:
        """Records matching every word of the query, best first, grouped by kind."""
        terms = list(dict.fromkeys(words(query[:MAX_QUERY])))[:12]
        grouped: dict[str, list[Hit]] = {kind: [] for kind in KINDS}
        if not terms:
            return grouped
        scores: dict[int, float] | None = None
        for term in terms:
            matches = self._matching(term)
            scores = matches if scores is None else {i: s + matches[i] for i, s in scores.items() if i in matches}
            if not scores:
                return grouped
        ranked = sorted(scores.items(), key=lambda item: (-item[1], self.records[item[0]][2]))[:limit]
        for index, score in ranked:
            kind, record_id, title, snippet = self.records[index]
            grouped[kind].append(Hit(kind, record_id, title, snippet, score))
        return grouped


_indexes: dict[tuple[int, str], tuple[Dataset, SearchIndex]] = {}


def search(dataset: Dataset, query: str, language: str = "en") -> dict[str, list[Hit]]:
    """Search ``dataset`` in ``language``; the index is built once per dataset and language."""
    key = (id(dataset), language)
    cached = _indexes.get(key)
    if cached is None or cached[0] is not dataset:
        cached = _indexes[key] = (dataset, SearchIndex(dataset, language))
    return cached[1].search(query)
