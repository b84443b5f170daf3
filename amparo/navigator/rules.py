"""The navigator's rule file: advice as data that a maintainer can change without touching code.

A rule has an id, conditions on the situation (``when``, ``unless``) and effects:
support types it recommends (with a weight, and optionally on the emergency
track), support types it leaves out (with the reason and its sources), guidance
items it raises as cautions, and notices; and ``keep_from_authorities``: every
measure that makes the authorities aware is left out, unless the defender asked
for it (then kept, with a caution naming ``limit``). ``exposure`` says which visibilities
each level of accepted exposure allows.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from amparo.guidelines import DATA_DIR, DataError, DataProblem, Dataset, prepared
from amparo.guidelines.loader import as_loaded
from amparo.guidelines.model import VISIBILITIES, Citation, Text
from amparo.guidelines.schema import CITATIONS, ID, TEXT
from amparo.navigator.situation import BOOLEANS, Situation

LIST_CONDITIONS = {
    "subject": "subject",
    "urgency": "urgency",
    "exposure": "exposure",
    "threats": "threat",
    "needs": "need",
    "fields": "field",
    "authorities": "authorities",
}
# What a defender's plan keeps from the authorities, as the caution on a measure they asked for names it: they said
# the authorities must not know, or they left the country and seek protection (amparo.labels.EXPOSURE_LABELS).
AUTHORITIES_LIMITS = ("must-not-know", "left-country")
FLAGS = (*BOOLEANS, "abroad")  # "abroad" is derived: the defender is now outside the country they work in
CONDITION = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        **{name: {"type": "array", "minItems": 1, "items": {"type": "string"}} for name in LIST_CONDITIONS},
        **{name: {"type": "boolean"} for name in FLAGS},
    },
}
RULES_SCHEMA = {
    "type": "object",
    "required": ["exposure", "emergency", "checklist", "rules"],
    "additionalProperties": False,
    "properties": {
        "exposure": {
            "type": "object",
            "required": ["allows", "guidance"],
            "additionalProperties": False,
            "properties": {
                "allows": {
                    "type": "object",
                    "required": ["none", "discreet", "formal", "public"],
                    "additionalProperties": {"type": "array", "items": {"enum": list(VISIBILITIES)}},
                },
                "guidance": ID,
            },
        },
        "emergency": {
            "type": "object",
            "required": ["title", "note"],
            "additionalProperties": False,
            "properties": {"title": TEXT, "note": TEXT},
        },
        "checklist": {"type": "array", "minItems": 1, "items": ID},
        "rules": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "reason"],
                "additionalProperties": False,
                "properties": {
                    "id": ID,
                    "when": CONDITION,
                    "unless": CONDITION,
                    "reason": TEXT,
                    # The reason in the third person, for a plan filled in for someone who is detained (on_behalf).
                    "reason_them": TEXT,
                    "recommend": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["support_type", "weight"],
                            "additionalProperties": False,
                            "properties": {
                                "support_type": ID,
                                "weight": {"type": "integer", "minimum": 1, "maximum": 100},
                                "emergency": {"type": "boolean"},
                                # Why this measure, when the rule's own reason does not fit it.
                                "reason": TEXT,
                                "reason_them": TEXT,
                            },
                        },
                    },
                    "exclude": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["support_type", "reason", "sources"],
                            "additionalProperties": False,
                            "properties": {"support_type": ID, "reason": TEXT, "sources": CITATIONS},
                        },
                    },
                    # Every measure that makes the authorities aware (taxonomy: authorities_aware) is left out.
                    "keep_from_authorities": {
                        "type": "object",
                        "required": ["limit", "reason", "sources"],
                        "additionalProperties": False,
                        "properties": {
                            "limit": {"enum": list(AUTHORITIES_LIMITS)},
                            "reason": TEXT,
                            "sources": CITATIONS,
                        },
                    },
                    "cautions": {"type": "array", "items": ID},
                    "notices": {"type": "array", "items": ID},
                },
            },
        },
    },
}


@dataclass(frozen=True, slots=True)
class Condition:
    lists: tuple[tuple[str, frozenset[str]], ...]
    flags: tuple[tuple[str, bool], ...]

    def holds(self, situation: Situation) -> bool:
        """Every named field matches: a listed value (any of them) or the given flag."""
        # Every plan asks each of ~40 rules: plain loops and getattr, no set built to be tested for emptiness.
        for name, allowed in self.lists:
            value = getattr(situation, name)
            if isinstance(value, frozenset):
                if allowed.isdisjoint(value):
                    return False
            elif value not in allowed:
                return False
        for name, flag in self.flags:  # noqa: SIM110 - a loop: all() over a generator costs more, ~40 rules a plan
            if getattr(situation, name) is not flag:
                return False
        return True

    @property
    def empty(self) -> bool:
        return not self.lists and not self.flags


@dataclass(frozen=True, slots=True)
class Recommend:
    support_type_id: str
    weight: int
    emergency: bool
    reason: Text | None = None  # why this measure, where the rule's reason is written for another
    reason_them: Text | None = None  # the same, in the third person (on_behalf)


@dataclass(frozen=True, slots=True)
class Exclude:
    support_type_id: str
    reason: Text
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class KeepFromAuthorities:
    """Leave out every measure that makes the authorities aware, unless asked for (then: beyond ``limit``)."""

    limit: str
    reason: Text
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    when: Condition
    unless: Condition | None
    reason: Text
    recommend: tuple[Recommend, ...]
    exclude: tuple[Exclude, ...]
    cautions: tuple[str, ...]
    notices: tuple[str, ...]
    keep_from_authorities: KeepFromAuthorities | None = None
    reason_them: Text | None = None  # the reason in the third person (on_behalf), where it addresses "you"

    def applies(self, situation: Situation) -> bool:
        return self.when.holds(situation) and not (self.unless and self.unless.holds(situation))

    def reason_for(self, item: Recommend, situation: Situation) -> Text:
        """Why ``item``: its own reason, else the rule's; in the third person when filled in for someone else."""
        if item.reason is not None:
            return (item.reason_them if situation.on_behalf else None) or item.reason
        return (self.reason_them if situation.on_behalf else None) or self.reason


@dataclass(frozen=True, slots=True)
class RuleBook:
    exposure: dict[str, tuple[str, ...]]
    exposure_guidance: str
    emergency_title: Text
    emergency_note: Text
    checklist: tuple[str, ...]
    rules: tuple[Rule, ...]


def _optional_text(raw: dict[str, str] | None) -> Text | None:
    return Text.of(raw) if raw else None


def _condition(raw: dict[str, Any] | None) -> Condition:
    raw = raw or {}
    return Condition(
        lists=tuple((name, frozenset(raw[name])) for name in LIST_CONDITIONS if name in raw),
        flags=tuple((name, raw[name]) for name in FLAGS if name in raw),
    )


def load_rules(dataset: Dataset, path: Path | None = None, *, full_check: bool = False) -> RuleBook:
    """Read and check ``rules.yaml`` against the dataset; raise :class:`DataError` with file:line.

    Its schema check is skipped, as the dataset's, when ``amparo data check`` passed this very file.
    """
    from amparo.guidelines.translations import CatalogueError, read_catalogues
    from amparo.guidelines.validate import display_path, read_checked, read_document  # not needed once prepared
    from amparo.guidelines.yamlfile import line_of

    path = Path(path or (dataset.root or DATA_DIR) / "rules.yaml")
    checked = frozenset() if full_check else read_checked(path.parent)
    document, problems = read_document(path, RULES_SCHEMA, checked)
    if document is None:
        raise DataError(problems)
    shown = display_path(path)
    try:
        read_catalogues(path.parent).apply(document, path.name)
    except CatalogueError as exc:
        raise DataError([DataProblem(display_path(exc.path), 1, exc.message)]) from exc

    def problem(where: list[Any], message: str) -> None:
        problems.append(DataProblem(shown, line_of(document, where), message))

    def citations(items: list[dict[str, Any]], where: list[Any]) -> tuple[Citation, ...]:
        result = []
        for index, item in enumerate(items):
            source = dataset.sources.get(item["source"])
            if source is None:
                problem([*where, index], f"unknown source {item['source']!r}")
            else:
                result.append(Citation(source, item.get("locator")))
        return tuple(result)

    def check_condition(raw: dict[str, Any] | None, where: list[Any]) -> None:
        for name, kind in LIST_CONDITIONS.items():
            for index, value in enumerate((raw or {}).get(name, [])):
                if value not in dataset.situations[kind]:
                    problem([*where, name, index], f"unknown {kind} {value!r}")

    for index, item in enumerate(document["checklist"]):
        if item not in dataset.guidance:
            problem(["checklist", index], f"unknown guidance item {item!r}")
    rules, seen = [], set()
    for index, raw in enumerate(document["rules"]):
        where = ["rules", index]
        if raw["id"] in seen:
            problem(where, f"duplicate rule id {raw['id']!r}")
        seen.add(raw["id"])
        check_condition(raw.get("when"), [*where, "when"])
        check_condition(raw.get("unless"), [*where, "unless"])
        for key in ("recommend", "exclude"):
            for i, item in enumerate(raw.get(key, [])):
                if item["support_type"] not in dataset.support_types:
                    problem([*where, key, i, "support_type"], f"unknown support type {item['support_type']!r}")
        for key in ("cautions", "notices"):
            for i, item in enumerate(raw.get(key, [])):
                if item not in dataset.guidance:
                    problem([*where, key, i], f"unknown guidance item {item!r}")
        effects = ("recommend", "exclude", "cautions", "notices", "keep_from_authorities")
        if not any(raw.get(k) for k in effects):
            problem(where, "a rule needs at least one effect (" + ", ".join(effects) + ")")
        keep = raw.get("keep_from_authorities")
        rules.append(
            Rule(
                id=raw["id"],
                when=_condition(raw.get("when")),
                unless=_condition(raw["unless"]) if raw.get("unless") else None,
                reason=Text.of(raw["reason"]),
                recommend=tuple(
                    Recommend(
                        r["support_type"],
                        r["weight"],
                        r.get("emergency", False),
                        _optional_text(r.get("reason")),
                        _optional_text(r.get("reason_them")),
                    )
                    for r in raw.get("recommend", [])
                ),
                exclude=tuple(
                    Exclude(
                        e["support_type"],
                        Text.of(e["reason"]),
                        citations(e["sources"], [*where, "exclude", i, "sources"]),
                    )
                    for i, e in enumerate(raw.get("exclude", []))
                ),
                cautions=tuple(raw.get("cautions", [])),
                notices=tuple(raw.get("notices", [])),
                reason_them=_optional_text(raw.get("reason_them")),
                keep_from_authorities=None
                if keep is None
                else KeepFromAuthorities(
                    keep["limit"],
                    Text.of(keep["reason"]),
                    citations(keep["sources"], [*where, "keep_from_authorities", "sources"]),
                ),
            )
        )
    exposure = document["exposure"]["allows"]
    for level in exposure:
        if level not in dataset.situations["exposure"]:
            problem(["exposure", "allows", level], f"unknown exposure level {level!r}")
        elif level != "public" and "public" in exposure[level]:
            problem(["exposure", "allows", level], "only the 'public' level may allow public measures (do no harm)")
    if document["exposure"]["guidance"] not in dataset.guidance:
        problem(["exposure", "guidance"], f"unknown guidance item {document['exposure']['guidance']!r}")
    if problems:
        raise DataError(problems)
    return RuleBook(
        exposure={level: tuple(values) for level, values in exposure.items()},
        exposure_guidance=document["exposure"]["guidance"],
        emergency_title=Text.of(document["emergency"]["title"]),
        emergency_note=Text.of(document["emergency"]["note"]),
        checklist=tuple(document["checklist"]),
        rules=tuple(rules),
    )


_cache: dict[int, tuple[Dataset, RuleBook]] = {}
NAVIGATOR_CODE = sorted(Path(__file__).resolve().parent.glob("*.py"))  # what a rule book is built with (FLAGS...)
_lock = threading.Lock()


def get_rules(dataset: Dataset) -> RuleBook:
    """The rule book for a dataset, loaded once per process, from its prepared form while nothing changed."""
    with _lock:
        cached = _cache.get(id(dataset))
        if cached is None or cached[0] is not dataset:
            cached = _cache[id(dataset)] = (dataset, _prepared_rules(dataset))
        return cached[1]


def _prepared_rules(dataset: Dataset) -> RuleBook:
    """The rule book as :mod:`amparo.guidelines.prepared` keeps it, for a dataset as loaded from its folder: keyed
    by every file there (the rule file is one) and the code, its sources written as ids and found again in
    ``dataset.sources``."""
    root = dataset.root
    if root is None or not as_loaded(dataset):  # made or changed in code: its files do not say what it holds
        return load_rules(dataset)

    def key() -> bytes | None:
        try:
            return prepared.fingerprint(root, [*prepared.CODE, *NAVIGATOR_CODE])
        except OSError:
            return None

    return prepared.load_or_build(RuleBook, root, key, lambda: load_rules(dataset), shared=dataset.sources)


def rules_problems(dataset: Dataset) -> list[DataProblem]:
    """For ``amparo data check``: the rule file's problems, or none."""
    try:
        load_rules(dataset, full_check=True)
    except DataError as exc:
        return exc.problems
    return []
