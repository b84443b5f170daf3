"""The navigator's data for ``navigator-core.js`` and ``navigator-page.js``: the rule file, the dataset
and the Python navigator's own constants as plain JSON.

Pure: it reads the dataset and the navigator's modules only, so the offline navigator and the Python one
work from the same facts, the same limits and the same messages: the scripts copy none of them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from amparo.guidelines.model import DEFAULT_LANGUAGE, Citation, Dataset, Note, Text

DATA_GLOBAL = "AMPARO_NAVIGATOR_DATA"
# 2: constants, provisions and missions in plan order; 3: contact routes; 4: EU Delegations; 5: what a plan keeps
# from the authorities, programmes per measure, regions, national programmes, next steps
DATA_VERSION = 5


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


def exposure_reason_texts() -> dict[str, Any]:
    """render.EXPOSURE_REASON and the words it is filled with, in each language (``{name}`` placeholders, as the
    scripts' format() fills them): the reason a measure more visible than the defender accepts is left out."""
    from amparo.guidelines.model import VISIBILITIES
    from amparo.guidelines.words import LANGUAGES, Words
    from amparo.labels import EXPOSURE_LABELS, VISIBILITY_LABELS
    from amparo.navigator.render import EXPOSURE_REASON

    words = {language: Words(language) for language in LANGUAGES}
    return {
        "exposure_reason": {
            language: re.sub(r"%\((\w+)\)s", r"{\1}", w(EXPOSURE_REASON)) for language, w in words.items()
        },
        "visibility_words": {
            v: {lang: w.label(VISIBILITY_LABELS, v) for lang, w in words.items()} for v in VISIBILITIES
        },
        "exposure_words": {
            e: {lang: w.label(EXPOSURE_LABELS, e) for lang, w in words.items()} for e in EXPOSURE_LABELS
        },
    }


def navigator_constants() -> dict[str, Any]:
    """The Python navigator's constants, each from the module that owns it, for the scripts to read."""
    from amparo.guidelines.model import DEFAULT_LANGUAGE, VISIBILITIES
    from amparo.navigator import plan, render, situation

    return {
        "format_version": render.FORMAT_VERSION,
        **exposure_reason_texts(),
        "fields": list(situation.FIELDS),
        "lists": list(situation.LISTS),
        "booleans": list(situation.BOOLEANS),
        "checks": [list(check) for check in situation.CHECKS],
        "max_items": situation.MAX_ITEMS,
        "shown_length": situation.SHOWN_LENGTH,
        "whole": situation.WHOLE,
        "true_words": list(situation.TRUE_WORDS),
        "false_words": list(situation.FALSE_WORDS),
        "separator": situation.SEPARATOR,
        "messages": {key: list(value) for key, value in situation.MESSAGES.items()},
        "code_aliases": situation.CODE_ALIASES,
        "needs_location": list(situation.NEEDS_LOCATION),
        "defaults": situation.DEFAULTS,
        "whitespace": situation.whitespace(),
        "visibilities": list(VISIBILITIES),
        "missions_shown": plan.MISSIONS_SHOWN,
        "top_measures": plan.TOP_MEASURES,
        "issuers_shown": plan.ISSUERS_SHOWN,
        "delegations_of": plan.DELEGATIONS_OF,
        "offered": list(plan.OFFERED),
        "exposure_rule": plan.EXPOSURE_RULE,
        "stated_needs": plan.STATED_NEEDS,
        "measures_shown": plan.MEASURES_SHOWN,
        "emergency_shown": plan.EMERGENCY_SHOWN,
        "programmes_shown": plan.PROGRAMMES_SHOWN,
        "foreseen_shown": plan.FORESEEN_SHOWN,
        "digital_threats": list(plan.DIGITAL_THREATS),
        "digital_scope": plan.DIGITAL_SCOPE,
        "line_kinds": list(plan.LINE_KINDS),
        "next_steps": list(plan.NEXT_STEPS),
        "keep_from_authorities": plan.KEEP_FROM_AUTHORITIES,
        "return_need": plan.RETURN_NEED,
        "company_measures": list(plan.COMPANY_MEASURES),
        "default_language": DEFAULT_LANGUAGE,
    }


def navigator_data(dataset: Dataset) -> dict[str, Any]:
    """Everything the offline navigator needs to give the plan the Python navigator gives, and to show it.

    The rules are the loaded rule file (``rules.yaml``) as data; lists keep the dataset's
    order, because plan order depends on it. Each support type's provisions come in the order
    the plan lists issuers (:meth:`Dataset.provisions_for`), and the missions serving a country
    in the order the plan lists them (:func:`mission_order`), honorary consulates left out; an
    issuer's ``rank`` orders issuers by name, as the plan does.
    """
    from amparo.guidelines.countries import all_country_codes
    from amparo.navigator import get_rules
    from amparo.navigator.plan import NATIONAL_KIND, OFFERED, exposure_of, mission_order
    from amparo.web.templatetags.amparo import programme_page

    rules = get_rules(dataset)
    source = dataset.delegations_source
    missions: list[list[Any]] = []
    caveats: dict[str, list[Any]] = {}  # by mission id: [status, note, sources], for the Delegations with one
    index: dict[str, int] = {}
    serving: dict[str, list[int]] = {}
    for country in all_country_codes():
        for mission in sorted(dataset.missions_serving(country), key=mission_order(country)):
            if mission.honorary:
                continue
            if mission.id not in index:
                index[mission.id] = len(missions)
                missions.append([mission.id, mission.issuer_id, mission.city, mission.country, mission.kind])
                if mission.caveat is not None:
                    c = mission.caveat
                    caveats[mission.id] = [c.status, _text(c.note), _cites(c.citations)]
            serving.setdefault(country, []).append(index[mission.id])
    provisions = {
        s: [
            [p.issuer_id, p.status, _cites(p.citations), _notes(p.nuances), p.uncertain is not None]
            for p in dataset.provisions_for(s)
            if p.status in OFFERED
        ]
        for s in dataset.support_types
    }
    names = sorted(str(i.name) for i in dataset.issuers.values())
    return {
        "version": DATA_VERSION,
        "constants": navigator_constants(),
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
                "authorities_aware": s.authorities_aware,
                "exposes": exposure_of(s),  # what it would expose, if asked for beyond what the defender accepts
                "urgency": s.urgency,
                "last_resort": s.last_resort,
                "sources": _cites(s.citations),
                "preconditions": _notes(s.preconditions),
                "cautions": _notes(s.cautions),
            }
            for s in dataset.support_types.values()
        ],
        "issuers": {
            i.id: {"name": _text(i.name), "rank": names.index(str(i.name)), "eu_member": i.eu_member}
            for i in dataset.issuers.values()
        },
        "provisions": provisions,
        "programmes": [
            {
                "id": p.id,
                "name": _text(p.name),
                "how_to_reach": _text(p.how_to_reach),
                "url": p.url,
                "emergency": p.emergency,
                "scope": p.scope,
                "fields": list(p.field_ids),
                "audience": _text(p.audience),
                "support_types": list(p.support_type_ids),
                "issuers": list(p.issuer_ids),
                "national": NATIONAL_KIND in p.kinds,
                "page": programme_page(p),  # the URL name of the page that describes it
                "outside": sorted(p.outside),
                # kind, value, link (or null), label, the page that publishes it and its site, the day it was read,
                # the words of its link
                "contacts": [
                    [r.kind, r.value, r.href, _text(r.label), r.page, r.site, r.checked.isoformat(), r.shown]
                    for r in p.contacts
                ],
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
        "caveats": caveats,
        "delegations_directory": None if source is None else source.directory.urls[0],
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
                    "reason_them": _text(rule.reason_them),
                    # support type, weight, emergency, its own reason where the rule's does not fit it, and that
                    # reason in the third person (on_behalf)
                    "recommend": [
                        [r.support_type_id, r.weight, r.emergency, _text(r.reason), _text(r.reason_them)]
                        for r in rule.recommend
                    ],
                    "exclude": [[e.support_type_id, _text(e.reason), _cites(e.citations)] for e in rule.exclude],
                    "cautions": list(rule.cautions),
                    "notices": list(rule.notices),
                    # limit, reason, sources: every measure that makes the authorities aware is left out
                    "keep_from_authorities": None
                    if rule.keep_from_authorities is None
                    else [
                        rule.keep_from_authorities.limit,
                        _text(rule.keep_from_authorities.reason),
                        _cites(rule.keep_from_authorities.citations),
                    ],
                }
                for rule in rules.rules
            ],
        },
    }


def only_languages(value: Any, languages: frozenset[str], known: frozenset[str]) -> Any:
    """``value`` with each of its texts (``{"en": …, "es": …}``) cut down to ``languages`` and English, the
    fallback: an edition in one language carries no other language's words."""
    if isinstance(value, dict):
        text = isinstance(value.get(DEFAULT_LANGUAGE), str) and all(isinstance(v, str) for v in value.values())
        if text and set(value) <= known:
            return {k: v for k, v in value.items() if k == DEFAULT_LANGUAGE or k in languages}
        return {k: only_languages(v, languages, known) for k, v in value.items()}
    if isinstance(value, list):
        return [only_languages(v, languages, known) for v in value]
    return value


def navigator_data_js(dataset: Dataset, languages: Iterable[str] | None = None) -> str:
    """The data as a script that assigns a global: a ``file://`` page can load a script but not fetch JSON.
    ``languages``: the edition's, whose texts it carries (None: every language of the dataset)."""
    data = navigator_data(dataset)
    if languages is not None:
        data = only_languages(data, frozenset(languages), frozenset({DEFAULT_LANGUAGE, *dataset.translations}))
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # JSON is valid JavaScript except for these two characters; escaping "<" keeps "</script>" inert too.
    body = body.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("<", "\\u003c")
    return f"/* Amparo navigator data, dataset edition {dataset.edition.edition}. Generated: do not edit. */\n" + (
        f"globalThis.{DATA_GLOBAL} = {body};\n"
    )
