"""Full-text search over support types, issuers, guidance and programmes, in memory.

The dataset is small (hundreds of records), so a per-language inverted index of
accent-folded words, with prefix matching and field weights, answers in well
under a millisecond and needs no database. Each word is also indexed by its stem in
the page's language (Snowball), so "juicio" finds "juicios" and "détention" finds
"détenus" no more than it should: "detenido" and "detención" share no stem.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
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


def tokens(text: str) -> list[tuple[str, str]]:
    """``(folded word, word as written, in lower case)``: stemmers read accents ("détenus"), the index does not."""
    return [
        (fold(w), w) for w in _WORD.findall(unicodedata.normalize("NFC", text.casefold())) if len(w) > 1 or w.isdigit()
    ]


# The Snowball stemmer of each language the site speaks; a language without one is searched by words alone.
STEMMERS = {"en": "english", "es": "spanish", "fr": "french", "ar": "arabic", "pt": "portuguese", "ru": "russian"}
STEM_WEIGHT = 0.8  # a word that shares only its stem with the query counts a little less than the word itself


@functools.cache
def stemmer(language: str) -> Callable[[str], str] | None:
    """Word -> its stem, folded and marked so that a stem never meets a word in the index; None without one."""
    name = STEMMERS.get(language.split("-")[0])
    if name is None:
        return None
    import snowballstemmer

    stem = snowballstemmer.stemmer(name).stemWord
    return lambda word: "~" + fold(stem(word))  # no cache here: it would keep the words visitors search for


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
        stem = stemmer(language)
        if stem is not None:  # the dataset's words are stemmed once each while the index is built, then forgotten
            self.stem = functools.lru_cache(maxsize=None)(stem)
        else:
            self.stem = None
        for kind, record_id, title, fields in self._documents(dataset, language):
            index = len(self.records)
            self.records.append((kind, record_id, title, fields[0][0][:200] if fields else ""))
            for weight_text, weight in [(title, 3.0), *fields]:
                for key in {key for token in tokens(weight_text) for key in self._keys(token)}:
                    bucket = self.postings.setdefault(key, {})
                    bucket[index] = bucket.get(index, 0.0) + weight
        self.vocabulary = sorted(k for k in self.postings if not k.startswith("~"))
        self.stem = stem  # a query's words are stemmed as they come, and kept nowhere

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

    def _keys(self, token: tuple[str, str]) -> tuple[str, ...]:
        """The word and its stems: of the word as written and of the word without accents, as a query may come."""
        word, written = token
        if self.stem is None or word.isdigit():
            return (word,)
        return (word, self.stem(written), self.stem(word))

    def _matching(self, token: tuple[str, str]) -> dict[int, float]:
        """Records containing ``term``, a word it is a prefix of, or a word with its stem (exact matches weigh more)."""
        from bisect import bisect_left

        term = token[0]
        found: dict[int, float] = dict(self.postings.get(term, {}))
        start = bisect_left(self.vocabulary, term)
        for word in self.vocabulary[start:]:
            if not word.startswith(term):
                break
            if word != term:
                for index, weight in self.postings[word].items():
                    found[index] = found.get(index, 0.0) + weight * 0.5
        for stem in set(self._keys(token)[1:]):
            for index, weight in self.postings.get(stem, {}).items():
                found[index] = max(found.get(index, 0.0), weight * STEM_WEIGHT)
        return found

    def search(self, query: str, limit: int = 50) -> dict[str, list[Hit]]:
        """Records matching every word of the query, best first, grouped by kind."""
        terms = list(dict.fromkeys(tokens(query[:MAX_QUERY])))[:12]
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
