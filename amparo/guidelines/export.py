"""The open-data export: one JSON document (a public interface, keep it stable) and a CSV matrix.

The shape is described by ``schemas/export.schema.json`` and ``docs/open-data.md``.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from amparo.guidelines.model import (
    Category,
    Citation,
    Dataset,
    GuidanceItem,
    Guideline,
    Issuer,
    Mission,
    Note,
    Programme,
    Provision,
    SupportType,
    Text,
)

FORMAT_VERSION = 1


def _text(value: Text | None) -> dict[str, str] | None:
    return value.as_dict() if value else None


def citation(item: Citation) -> dict[str, Any]:
    return {"source": item.source.id, "locator": item.locator}


def note(item: Note) -> dict[str, Any]:
    return {
        "note": _text(item.text),
        "sources": [citation(c) for c in item.citations],
        "uncertain": _text(item.uncertain),
    }


def support_type(item: SupportType) -> dict[str, Any]:
    return {
        "id": item.id,
        "category": item.category_id,
        "group": item.group_id,
        "seed_item": item.seed_item,
        "name": _text(item.name),
        "description": _text(item.description),
        "helps_when": _text(item.helps_when),
        "risks": _text(item.risks),
        "visibility": item.visibility,
        "urgency": item.urgency,
        "serves": item.serves,
        "last_resort": item.last_resort,
        "preconditions": [note(n) for n in item.preconditions],
        "cautions": [note(n) for n in item.cautions],
        "sources": [citation(c) for c in item.citations],
    }


def category(item: Category) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": _text(item.name),
        "description": _text(item.description),
        "groups": [
            {
                "id": g.id,
                "number": g.number,
                "name": _text(g.name),
                "description": _text(g.description),
                "support_types": list(g.support_type_ids),
            }
            for g in item.groups
        ],
    }


def guideline(item: Guideline) -> dict[str, Any]:
    return {
        "id": item.id,
        "title": item.title,
        "year": item.year,
        "revisions": [
            {"year": r.year, "note": _text(r.note), "sources": [citation(c) for c in r.citations]}
            for r in item.revisions
        ],
        "public": item.public,
        "url": item.url,
        "languages": list(item.languages),
        "member_states_follow": item.member_states_follow,
        "note": _text(item.note),
        "uncertain": _text(item.uncertain),
        "sources": [citation(c) for c in item.citations],
        "last_verified": item.last_verified.isoformat(),
    }


def issuer(item: Issuer) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": _text(item.name),
        "kind": item.kind,
        "eu_member": item.eu_member,
        "named_in_seed": item.named_in_seed,
        "policy": item.policy,
        "summary": _text(item.summary),
        "guidelines": [guideline(g) for g in item.guidelines],
        "category_provisions": [
            {"category": c.category_id, "note": _text(c.note), "sources": [citation(s) for s in c.citations]}
            for c in item.category_provisions
        ],
        "caveats": [note(n) for n in item.caveats],
        "last_verified": item.last_verified.isoformat(),
    }


def provision(item: Provision) -> dict[str, Any]:
    return {
        "issuer": item.issuer_id,
        "support_type": item.support_type_id,
        "status": item.status,
        "inherited_from": item.inherited_from,
        "guideline": item.guideline_id,
        "note": _text(item.note),
        "sources": [citation(c) for c in item.citations],
        "nuances": [note(n) for n in item.nuances],
        "uncertain": _text(item.uncertain),
        "last_verified": item.last_verified.isoformat(),
    }


def programme(item: Programme) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": _text(item.name),
        "operator": _text(item.operator),
        "issuers": list(item.issuer_ids),
        "kinds": list(item.kinds),
        "description": _text(item.description),
        "how_to_reach": _text(item.how_to_reach),
        "emergency": item.emergency,
        "support_types": list(item.support_type_ids),
        "url": item.url,
        "uncertain": _text(item.uncertain),
        "sources": [citation(c) for c in item.citations],
        "last_verified": item.last_verified.isoformat(),
    }


def guidance(item: GuidanceItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind,
        "order": item.order,
        "title": _text(item.title),
        "body": _text(item.body),
        "support_types": list(item.support_type_ids),
        "situations": list(item.situations),
        "uncertain": _text(item.uncertain),
        "sources": [citation(c) for c in item.citations],
        "nuances": [note(n) for n in item.nuances],
        "last_verified": item.last_verified.isoformat(),
    }


def mission(item: Mission) -> dict[str, Any]:
    """A mission; an EU Delegation also has the pages its row comes from, and its caveat if it has one."""
    result: dict[str, Any] = {
        "id": item.id,
        "issuer": item.issuer_id,
        "country": item.country,
        "city": item.city,
        "kind": item.kind,
        "honorary": item.honorary,
        "jurisdictions": list(item.jurisdictions),
        "website": item.website,
    }
    if item.pages:
        result["pages"] = list(item.pages)
    if item.caveat is not None:
        result["caveat"] = {
            "status": item.caveat.status,
            "note": _text(item.caveat.note),
            "sources": [citation(c) for c in item.caveat.citations],
        }
    return result


def to_json(dataset: Dataset) -> dict[str, Any]:
    """The whole dataset as one JSON-ready document."""
    edition = dataset.edition
    missions = dataset.missions_source
    return {
        "format_version": FORMAT_VERSION,
        "edition": edition.edition,
        "published": edition.published.isoformat(),
        "licence": {"id": edition.licence_id, "name": edition.licence_name, "url": edition.licence_url},
        "languages": list(edition.languages),
        "notes": [note(n) for n in edition.notes],
        "sources": [
            {"id": s.id, "label": _text(s.label), "urls": list(s.urls), "read": s.read.isoformat() if s.read else None}
            for s in dataset.sources.values()
        ],
        "categories": [category(c) for c in dataset.categories],
        "support_types": [support_type(s) for s in dataset.support_types.values()],
        "issuers": [issuer(i) for i in dataset.issuers_sorted()],
        "provisions": [provision(p) for p in dataset.provisions],
        "guidance": [guidance(g) for g in dataset.guidance.values()],
        "programmes": [programme(p) for p in dataset.programmes.values()],
        "situations": {
            kind: {key: _text(label) for key, label in entries.items()} for kind, entries in dataset.situations.items()
        },
        "missions_source": {
            "attribution": missions.attribution,
            "licence": missions.licence,
            "as_of": missions.as_of.isoformat(),
            "url": missions.url,
        },
        "missions": [mission(m) for m in dataset.missions],
        "delegations_source": None
        if dataset.delegations_source is None
        else {
            "source": dataset.delegations_source.source.id,
            "directory": dataset.delegations_source.directory.urls[0],
        },
    }


def matrix_csv(dataset: Dataset, language: str = "en") -> str:
    """Issuers × support types; each cell is the status (explicit, inherited, not_stated, unknown)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    types = list(dataset.support_types.values())
    writer.writerow(["issuer", "issuer_name", *[t.id for t in types]])
    for item in dataset.issuers_sorted():
        writer.writerow([item.id, item.name.get(language), *[dataset.status(item.id, t.id) for t in types]])
    return buffer.getvalue()
