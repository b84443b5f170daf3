"""The navigator's data for ``navigator.js``: the rule file and the dataset as plain JSON.

Pure: it reads the dataset only, so the offline navigator and the Python one work from the same facts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from amparo.guidelines.model import Citation, Dataset, Note, Text

DATA_GLOBAL = "AMPARO_NAVIGATOR_DATA"
DATA_VERSION = 1


def _text(value: Text | None) -> dict[str, str] | None:
    return value.as_dict() if value is not None else None


def _cites(citations: Iterable[Citation]) -> list[list[str | None]]:
    return [[c.source.id, c.locator] for c in citations]


def _notes(notes: Iterable[Note]) -> list[dict[str, Any]]:
    return [{"note": _text(n.text), "sources": _cites(n.citations)} for n in notes]


def _condition(condition) -> dict[str, Any] | None:
    if condition is None:
        return None
    return {
        "lists": [[name, sorted(values)] for name, values in condition.lists],
        "flags": [[name, flag] for name, flag in condition.flags],
    }


def navigator_data(dataset: Dataset) -> dict[str, Any]:
    """Everything ``navigator.js`` needs to give the plan the Python navigator gives, and to show it.

    The rules are the loaded rule file (``rules.yaml``) as data; lists keep the dataset's
    order, because plan order depends on it. Missions are indexed by the country they
    serve (per :meth:`Dataset.missions_serving`), with their rank, honorary consulates left out.
    """
    from amparo.guidelines.countries import all_country_codes
    from amparo.guidelines.missions import rank
    from amparo.navigator import get_rules

    rules = get_rules(dataset)
    missions: list[list[Any]] = []
    index: dict[str, int] = {}
    serving: dict[str, list[int]] = {}
    for country in all_country_codes():
        for mission in dataset.missions_serving(country):
            if mission.honorary:
                continue
            if mission.id not in index:
                index[mission.id] = len(missions)
                missions.append(
                    [mission.id, mission.issuer_id, mission.city, mission.country, mission.kind, rank(mission)]
                )
            serving.setdefault(country, []).append(index[mission.id])
    provisions: dict[str, list[list[Any]]] = {}
    for p in dataset.provisions:
        if p.status in ("explicit", "inherited"):
            provisions.setdefault(p.support_type_id, []).append(
                [p.issuer_id, p.status, _cites(p.citations), _notes(p.nuances), p.uncertain is not None]
            )
    return {
        "version": DATA_VERSION,
        "edition": dataset.edition.edition,
        "countries": list(all_country_codes()),
        "vocabulary": {
            kind: [[key, _text(label)] for key, label in entries.items()]
            for kind, entries in dataset.situations.items()
        },
        "support_types": [
            {
                "id": s.id,
                "name": _text(s.name),
                "visibility": s.visibility,
                "urgency": s.urgency,
                "last_resort": s.last_resort,
                "sources": _cites(s.citations),
                "preconditions": _notes(s.preconditions),
                "cautions": _notes(s.cautions),
            }
            for s in dataset.support_types.values()
        ],
        "issuers": {i.id: {"name": _text(i.name)} for i in dataset.issuers.values()},
        "provisions": provisions,
        "programmes": [
            {
                "id": p.id,
                "name": _text(p.name),
                "how_to_reach": _text(p.how_to_reach),
                "url": p.url,
                "emergency": p.emergency,
                "sources": _cites(p.citations),
            }
            for p in dataset.programmes.values()
        ],
        "guidance": {
            g.id: {"title": _text(g.title), "body": _text(g.body), "sources": _cites(g.citations)}
            for g in dataset.guidance.values()
        },
        "missions": missions,
        "serving": serving,
        "rules": {
            "exposure": {level: list(values) for level, values in rules.exposure.items()},
            "exposure_guidance": rules.exposure_guidance,
            "emergency_title": _text(rules.emergency_title),
            "emergency_note": _text(rules.emergency_note),
            "checklist": list(rules.checklist),
            "rules": [
                {
                    "id": rule.id,
                    "when": _condition(rule.when),
                    "unless": _condition(rule.unless),
                    "reason": _text(rule.reason),
                    "recommend": [[r.support_type_id, r.weight, r.emergency] for r in rule.recommend],
                    "exclude": [[e.support_type_id, _text(e.reason), _cites(e.citations)] for e in rule.exclude],
                    "cautions": list(rule.cautions),
                    "notices": list(rule.notices),
                }
                for rule in rules.rules
            ],
        },
    }


def navigator_data_js(dataset: Dataset) -> str:
    """The data as a script that assigns a global: a ``file://`` page can load a script but not fetch JSON."""
    body = json.dumps(navigator_data(dataset), ensure_ascii=False, separators=(",", ":"))
    # JSON is valid JavaScript except for these two characters; escaping "<" keeps "</script>" inert too.
    body = body.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("<", "\\u003c")
    return f"/* Amparo navigator data, dataset edition {dataset.edition.edition}. Generated: do not edit. */\n" + (
        f"globalThis.{DATA_GLOBAL} = {body};\n"
    )
