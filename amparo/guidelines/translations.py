"""The dataset's texts in other languages: gettext catalogues beside the data, one per data file and language.

The YAML files hold the English, which is the source every translation is made from. Each text
(a mapping with an ``en`` key) has a stable *context*: the file and the path of keys to it, list
items named by their id (``issuers/CA.yaml:provisions.trial-observation.note``). A catalogue
``locale/<language>/<catalogue>.po`` holds, per context, the English it translates (``msgid``)
and the translation (``msgstr``), so translators use any PO editor or a platform such as
Weblate, and a translation knows which English it was made from:

- it is used only while its ``msgid`` is the English of the data, and it is not ``fuzzy``;
  when the English changes, ``amparo data catalogues`` marks it fuzzy (stale), keeping the old
  English as ``#| msgid`` for the translator, and the site shows the English, marked as such;
- it is a *draft* until a reviewer (a native speaker who works in the field) adds the flag
  ``reviewed``; the site says so, discreetly, where it shows one.

Pure Python (polib): the site, the CLI and the offline edition read the same catalogues.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LOCALE_DIR = "locale"
DEFAULT_LANGUAGE = "en"
# The key under which a text mapping carries the languages whose translation is a draft (see model.Text.of).
DRAFTS_KEY = "_drafts"
REVIEWED_FLAG = "reviewed"
# List items are named in a context by the first of these keys they hold, when it is unique in their list.
ITEM_KEYS = ("id", "support_type", "delegation", "category")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")


class CatalogueError(ValueError):
    """A catalogue that cannot be read: it is reported with its file, never half applied."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def is_text(value: Any) -> bool:
    """Whether ``value`` is a text of the dataset: a mapping of language codes to strings, English among them."""
    return (
        isinstance(value, Mapping)
        and isinstance(value.get(DEFAULT_LANGUAGE), str)
        and all(key == DRAFTS_KEY or isinstance(text, str) for key, text in value.items())
    )


def catalogue_name(relative: str) -> str:
    """The catalogue a data file's texts go to: its folder for files in one (``issuers``), else its stem."""
    parts = relative.split("/")
    return parts[0] if len(parts) > 1 else parts[0].rsplit(".", 1)[0]


def _item_names(items: list[Any]) -> list[str]:
    names = [str(index) for index in range(len(items))]
    for key in ITEM_KEYS:
        values = [item.get(key) if isinstance(item, Mapping) else None for item in items]
        if values and all(isinstance(v, str) for v in values) and len(set(values)) == len(values):
            return [str(v) for v in values]
    return names


def texts(document: Any, relative: str) -> Iterator[tuple[str, MutableMapping[str, Any]]]:
    """Each text of a parsed data file with its context, in document order."""

    def walk(node: Any, path: list[str]) -> Iterator[tuple[str, MutableMapping[str, Any]]]:
        if is_text(node):
            yield f"{relative}:{'.'.join(path)}", node
        elif isinstance(node, Mapping):
            for key, value in node.items():
                yield from walk(value, [*path, str(key)])
        elif isinstance(node, list):
            for name, value in zip(_item_names(node), node, strict=True):
                yield from walk(value, [*path, name])

    yield from walk(document, [])


@dataclass(frozen=True)
class Entry:
    english: str
    text: str
    fuzzy: bool
    reviewed: bool


@dataclass
class Catalogues:
    """Every catalogue of a data folder, read once: language -> context -> entry."""

    entries: dict[str, dict[str, Entry]] = field(default_factory=dict)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted(self.entries))

    def apply(self, document: Any, relative: str, tally: dict[str, list[int]] | None = None) -> None:
        """Add to each text of ``document`` the translations that are current (made from its English, not fuzzy).

        ``tally`` counts, per language, ``[texts, translated, drafts]``: what a page says of its language.
        """
        tally = tally if tally is not None else {}
        for context, text in texts(document, relative):
            drafts = []
            for language, entries in self.entries.items():
                counts = tally.setdefault(language, [0, 0, 0])
                counts[0] += 1
                entry = entries.get(context)
                if entry is None or entry.fuzzy or not entry.text or entry.english != text[DEFAULT_LANGUAGE]:
                    continue
                text[language] = entry.text
                counts[1] += 1
                if not entry.reviewed:
                    drafts.append(language)
                    counts[2] += 1
            if drafts:
                text[DRAFTS_KEY] = tuple(drafts)


# Languages written right to left (ISO 639 codes): a fact of the language, not a choice of the site.
RIGHT_TO_LEFT = frozenset({"ar", "ckb", "dv", "fa", "he", "ps", "sd", "ug", "ur", "yi"})


def is_right_to_left(language: str) -> bool:
    return language.split("-")[0] in RIGHT_TO_LEFT


def catalogue_languages(root: Path) -> tuple[str, ...]:
    """English, then every language the data has catalogues for: the languages sheets and letters are written
    in, so that adding a language is its catalogues (and the site's settings line), not code."""
    return (DEFAULT_LANGUAGE, *(folder.name for folder in language_folders(root)))


def language_folders(root: Path) -> list[Path]:
    folder = root / LOCALE_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and _LANGUAGE.match(p.name) and any(p.glob("*.po")))


# Catalogues already read, by folder and the size and time of each file: a dataset and its rule book read the same.
_read: dict[Path, tuple[tuple[tuple[str, int, int], ...], Catalogues]] = {}


def read_catalogues(root: Path) -> Catalogues:
    """The catalogues under ``root/locale``; :class:`CatalogueError` for the first that cannot be read."""
    folders = language_folders(root)
    stamp = tuple(
        (str(path), info.st_size, info.st_mtime_ns)
        for folder in folders
        for path in sorted(folder.glob("*.po"))
        for info in [path.stat()]
    )
    cached = _read.get(root)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    catalogues = _parse(folders)
    _read[root] = (stamp, catalogues)
    return catalogues


def _parse(folders: list[Path]) -> Catalogues:
    import polib

    catalogues = Catalogues()
    for folder in folders:
        entries: dict[str, Entry] = {}
        for path in sorted(folder.glob("*.po")):
            try:
                po = polib.pofile(str(path), encoding="utf-8", check_for_duplicates=True)
            except (OSError, ValueError, UnicodeDecodeError) as exc:
                raise CatalogueError(path, f"cannot be read as a PO catalogue ({exc})") from exc
            for entry in po:
                if entry.obsolete:
                    continue
                if not entry.msgctxt:
                    raise CatalogueError(path, f"line {entry.linenum}: an entry without msgctxt (where its text is)")
                if entry.msgctxt in entries:
                    raise CatalogueError(path, f"line {entry.linenum}: {entry.msgctxt!r} is translated twice")
                entries[entry.msgctxt] = Entry(
                    english=entry.msgid,
                    text=entry.msgstr,
                    fuzzy="fuzzy" in entry.flags,
                    reviewed=REVIEWED_FLAG in entry.flags,
                )
        catalogues.entries[folder.name] = entries
    return catalogues


# --- Keeping the catalogues in step with the English ----------------------------------------------------------


def source_files(root: Path) -> list[Path]:
    """The data files whose texts are translated: every YAML file of the data folder and its ``issuers``."""
    return [*sorted(root.glob("*.yaml")), *sorted((root / "issuers").glob("*.yaml"))]


def english_texts(root: Path) -> dict[str, list[tuple[str, str]]]:
    """Catalogue name -> ``(context, English)`` of every text, in the order of the files."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    result: dict[str, list[tuple[str, str]]] = {}
    for path in source_files(root):
        relative = path.relative_to(root).as_posix()
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 (a safe loader)
        for context, text in texts(document, relative):
            result.setdefault(catalogue_name(relative), []).append((context, text[DEFAULT_LANGUAGE]))
    return result


@dataclass
class Coverage:
    """One catalogue of one language against the English of the data."""

    language: str
    catalogue: str
    total: int = 0
    translated: int = 0  # current: made from today's English, not fuzzy
    stale: int = 0  # made from another English, or marked fuzzy
    drafts: int = 0  # translated, not yet reviewed
    orphans: int = 0  # entries for texts the data no longer has

    @property
    def missing(self) -> int:
        return self.total - self.translated - self.stale

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def coverage(
    root: Path, catalogues: Catalogues | None = None, english: dict[str, list[tuple[str, str]]] | None = None
) -> list[Coverage]:
    """Per language and catalogue, how much of the data's English (:func:`english_texts`) has a current
    translation."""
    catalogues = catalogues if catalogues is not None else read_catalogues(root)
    english = english if english is not None else english_texts(root)
    report = []
    for language, entries in sorted(catalogues.entries.items()):
        known: set[str] = set()
        for name, items in english.items():
            row = Coverage(language, name, total=len(items))
            for context, source in items:
                known.add(context)
                entry = entries.get(context)
                if entry is None or not entry.text:
                    continue
                if entry.fuzzy or entry.english != source:
                    row.stale += 1
                else:
                    row.translated += 1
                    row.drafts += not entry.reviewed
            report.append(row)
        orphans = [context for context in entries if context not in known]
        for row in report:
            if row.language == language:
                row.orphans = sum(1 for c in orphans if catalogue_name(c.split(":", 1)[0]) == row.catalogue)
    return report


# Thousands may also be grouped by a (no-break, narrow no-break) space: 700 000 €, 1 930 000.
_LOCAL_NUMBER = re.compile(r"\d+(?:(?:[.,:/]|[ \u00a0\u202f](?=\d{3}(?!\d)))\d+)*")
_SEPARATORS = re.compile(r"[.,\s\u00a0\u202f]")


def changed_numbers(english: str, translation: str) -> list[str]:
    """Numbers of the English (years, article numbers, amounts, phone numbers) that the translation does not
    carry: a fact a translation must never change. Each language writes its own separators ("700,000" is
    "700 000" in French, "1.93" is "1,93"), so numbers are compared by their digits in order."""
    kept = {_SEPARATORS.sub("", n) for n in _LOCAL_NUMBER.findall(translation)}
    return [n for n in _LOCAL_NUMBER.findall(english) if _SEPARATORS.sub("", n) not in kept]


def update_catalogues(root: Path, languages: list[str] | None = None) -> dict[str, dict[str, int]]:
    """Write ``locale/<catalogue>.pot`` and bring each language's catalogues in step with the English.

    A text that is new gets an empty entry; one whose English changed keeps its translation, marked fuzzy, with
    the English it was made from as ``#| msgid``; one that moved (same English, new context) keeps its translation;
    entries for texts the data no longer has are dropped. ``languages`` adds catalogues for new languages.
    Returns, per language: added, stale, dropped.
    """
    import polib

    folder = root / LOCALE_DIR
    folder.mkdir(exist_ok=True)
    english = english_texts(root)
    wanted = sorted({*(p.name for p in language_folders(root)), *(languages or [])})
    for language in wanted:
        if not _LANGUAGE.match(language) or language == DEFAULT_LANGUAGE:
            raise CatalogueError(folder / language, "not a language code to translate into")
    for name, items in english.items():
        pot = _catalogue(polib, "")
        for context, source in items:
            pot.append(polib.POEntry(msgctxt=context, msgid=source, msgstr=""))
        pot.save(str(folder / f"{name}.pot"))
    report = {}
    for language in wanted:
        (folder / language).mkdir(exist_ok=True)
        old: dict[str, polib.POEntry] = {}
        for path in sorted((folder / language).glob("*.po")):
            try:
                old.update((e.msgctxt, e) for e in polib.pofile(str(path), encoding="utf-8") if not e.obsolete)
            except (OSError, ValueError) as exc:
                raise CatalogueError(path, f"cannot be read as a PO catalogue ({exc})") from exc
        contexts = {context for items in english.values() for context, _ in items}
        moved = {e.msgid: e for context, e in old.items() if context not in contexts and e.msgstr}
        counts = {"added": 0, "stale": 0, "dropped": len([c for c in old if c not in contexts])}
        for name, items in english.items():
            po = _catalogue(polib, language)
            for context, source in items:
                entry = polib.POEntry(msgctxt=context, msgid=source, msgstr="")
                before = old.get(context) or moved.get(source)
                if before is None or not before.msgstr:
                    counts["added"] += before is None
                elif before.msgid == source:
                    entry.msgstr, entry.flags = before.msgstr, list(before.flags)
                    entry.previous_msgid = before.previous_msgid
                else:
                    entry.msgstr, entry.flags = before.msgstr, ["fuzzy"]
                    entry.previous_msgid = before.previous_msgid or before.msgid
                    counts["stale"] += "fuzzy" not in before.flags
                entry.tcomment = before.tcomment if before is not None else ""
                po.append(entry)
            po.save(str(folder / language / f"{name}.po"))
        report[language] = counts
    return report


def _catalogue(polib: Any, language: str) -> Any:
    po = polib.POFile(wrapwidth=0, encoding="utf-8")
    po.metadata = {
        "Project-Id-Version": "Amparo dataset",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    return po
