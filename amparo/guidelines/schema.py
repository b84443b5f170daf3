"""JSON Schemas of the data files (YAML), checked by ``amparo data check``.

Kept as Python so that shared pieces (a text, a citation) are written once.
"""

from __future__ import annotations

from typing import Any

ID = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}
ISSUER_ID = {"type": "string", "pattern": "^([A-Z]{2}|EU|[A-Z]{3,8})$"}
LANG = "^[a-z]{2,3}(-[A-Za-z]{2,4})?$"
TEXT = {
    "type": "object",
    "required": ["en"],
    "propertyNames": {"pattern": LANG},
    "additionalProperties": {"type": "string", "minLength": 1},
}
CITATION = {
    "type": "object",
    "required": ["source"],
    "additionalProperties": False,
    "properties": {"source": {"type": "string"}, "locator": {"type": "string", "minLength": 1}},
}
CITATIONS = {"type": "array", "minItems": 1, "items": CITATION}
NOTE = {
    "type": "object",
    "required": ["note", "sources"],
    "additionalProperties": False,
    "properties": {"note": TEXT, "sources": CITATIONS, "uncertain": TEXT},
}
NOTES = {"type": "array", "items": NOTE}
DATE = {"type": "string", "format": "date"}
YEAR = {"type": ["integer", "null"], "minimum": 1948, "maximum": 2100}
URL = {"type": ["string", "null"], "pattern": "^https?://[^\\s]+$"}


def _object(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": required, "additionalProperties": False, "properties": properties}


DATASET = _object(
    ["edition", "published", "licence", "languages"],
    {
        "edition": {"type": "string"},
        "published": DATE,
        "licence": _object(["id", "name", "url"], {"id": {"type": "string"}, "name": {"type": "string"}, "url": URL}),
        "languages": {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": LANG}},
        "notes": NOTES,
        "missions": _object(
            ["attribution", "licence", "as_of"],
            {"attribution": {"type": "string"}, "licence": {"type": "string"}, "as_of": DATE, "url": URL},
        ),
    },
)

SOURCES = {
    "type": "object",
    "propertyNames": {"pattern": "^S[0-9]+[a-z]?$"},
    "additionalProperties": _object(
        ["label", "urls", "read"],
        {
            "label": TEXT,
            "urls": {"type": "array", "items": URL},
            # "official": a State's or the EU's own publication, at its own address (the builder checks it has one).
            "kind": {"enum": ["seed", "official", "secondary", "mirror", "news", "parliamentary"]},
            # The day a person last read the source for what the dataset cites it for; null when not known.
            "read": {"type": ["string", "null"], "format": "date"},
        },
    ),
}

SUPPORT_TYPE = _object(
    [
        "id",
        "seed_item",
        "name",
        "description",
        "helps_when",
        "visibility",
        "authorities_aware",
        "urgency",
        "serves",
        "sources",
    ],
    {
        "id": ID,
        "seed_item": {"type": ["string", "null"], "pattern": "^(targeted|general|exceptional)\\.[0-9]+(\\.[0-9]+)?$"},
        "name": TEXT,
        "description": TEXT,
        "helps_when": TEXT,
        "risks": TEXT,
        "visibility": {"enum": ["discreet", "formal", "public"]},
        "authorities_aware": {"type": "boolean"},
        "urgency": {"enum": ["preventive", "responsive", "emergency"]},
        "serves": {"enum": ["individual", "collective", "both"]},
        "last_resort": {"type": "boolean"},
        "preconditions": NOTES,
        "cautions": NOTES,
        "sources": CITATIONS,
    },
)

TAXONOMY = _object(
    ["categories"],
    {
        "categories": {
            "type": "array",
            "minItems": 1,
            "items": _object(
                ["id", "name", "description", "groups"],
                {
                    "id": ID,
                    "name": TEXT,
                    "description": TEXT,
                    "groups": {
                        "type": "array",
                        "minItems": 1,
                        "items": _object(
                            ["id", "number", "name", "support_types"],
                            {
                                "id": ID,
                                "number": {"type": "integer", "minimum": 1},
                                "name": TEXT,
                                "description": TEXT,
                                "support_types": {"type": "array", "minItems": 1, "items": SUPPORT_TYPE},
                            },
                        ),
                    },
                },
            ),
        }
    },
)

GUIDELINE = _object(
    ["id", "title", "year", "public", "url", "sources"],
    {
        "id": ID,
        "title": {"type": "string", "minLength": 3},
        "year": YEAR,
        "revisions": {
            "type": "array",
            "items": _object(["year", "note", "sources"], {"year": YEAR, "note": TEXT, "sources": CITATIONS}),
        },
        "public": {"type": ["boolean", "null"]},
        "url": URL,
        "languages": {"type": "array", "items": {"type": "string", "pattern": LANG}},
        # The EU's own guidelines, which the missions of every member State are expected to act on:
        # what a provision of the EU foresees under such a document is inherited by the member States.
        "member_states_follow": {"type": "boolean"},
        "note": TEXT,
        "uncertain": TEXT,
        "sources": CITATIONS,
        "last_verified": DATE,
    },
)

PROVISION = _object(
    ["support_type", "status", "sources"],
    {
        "support_type": ID,
        # "inherited" is computed from the EU's provisions and never written by hand.
        "status": {"enum": ["explicit", "not_stated", "unknown"]},
        "guideline": ID,
        "note": TEXT,
        "sources": CITATIONS,
        "nuances": NOTES,
        "uncertain": TEXT,
        "last_verified": DATE,
    },
)

ISSUER = _object(
    ["id", "name", "kind", "eu_member", "named_in_seed", "policy", "summary", "last_verified"],
    {
        "id": ISSUER_ID,
        "name": TEXT,
        "kind": {"enum": ["state", "supranational", "intergovernmental"]},
        "eu_member": {"type": "boolean"},
        "named_in_seed": {"type": "boolean"},
        "policy": {"enum": ["guideline", "policy", "programme_only", "domestic_programme", "none_found"]},
        "summary": TEXT,
        "last_verified": DATE,
        "guidelines": {"type": "array", "items": GUIDELINE},
        "provisions": {"type": "array", "items": PROVISION},
        "category_provisions": {
            "type": "array",
            "items": _object(["category", "note", "sources"], {"category": ID, "note": TEXT, "sources": CITATIONS}),
        },
        "caveats": NOTES,
    },
)

PROGRAMME_KINDS = [
    "emergency_line",
    "emergency_grant",
    "relocation",
    "shelter",
    "training",
    "trial_observation",
    "award",
    "fund",
    "resettlement",
    "visa",
    "domestic_protection",
    "network",
]

CONTACT_KINDS = ["web", "phone", "email", "form", "messenger"]
# A way to reach an organisation, exactly as its own page publishes it, with that page and the day it was read.
CONTACT = _object(
    ["kind", "value", "page", "checked"],
    {
        "kind": {"enum": CONTACT_KINDS},
        "value": {"type": "string", "minLength": 3, "maxLength": 300},
        "label": TEXT,
        "page": {"type": "string", "pattern": "^https://[^\\s]+$"},
        "checked": DATE,
    },
)

M49 = {"type": "string", "pattern": "^[0-9]{3}$"}  # a UN M49 region code (regions.yaml)
COUNTRY = {"type": "string", "pattern": "^[A-Z]{2}$"}
REGIONS = _object(
    ["source", "regions"],
    {
        "source": {"type": "string"},
        "regions": {
            "type": "object",
            "propertyNames": M49,
            "additionalProperties": _object(
                ["name", "countries"],
                {"name": TEXT, "countries": {"type": "array", "minItems": 1, "items": COUNTRY, "uniqueItems": True}},
            ),
        },
    },
)

PROGRAMMES = {
    "type": "array",
    "items": _object(
        ["id", "name", "operator", "issuers", "kinds", "description", "emergency", "sources", "last_verified"],
        {
            "id": ID,
            "name": TEXT,
            "operator": TEXT,
            "issuers": {"type": "array", "items": ISSUER_ID},
            "kinds": {"type": "array", "minItems": 1, "items": {"enum": PROGRAMME_KINDS}},
            "description": TEXT,
            "how_to_reach": TEXT,
            "emergency": {"type": "boolean"},
            "support_types": {"type": "array", "items": ID},
            "url": URL,
            "contacts": {"type": "array", "items": CONTACT},
            "scope": {"enum": ["any", "digital"]},  # digital: help for digital threats only
            "fields": {"type": "array", "items": ID},  # for defenders in these fields of work only
            "audience": TEXT,  # who it is for, in words, when not every defender
            "regions": {"type": "array", "minItems": 1, "items": M49},  # for defenders working there only
            "countries": {"type": "array", "minItems": 1, "items": COUNTRY},  # for defenders from these only
            "uncertain": TEXT,
            "sources": CITATIONS,
            "last_verified": DATE,
        },
    ),
}

DELEGATION_STATUSES = ["evacuated", "relocated", "no-head", "reduced"]

DELEGATIONS = _object(
    ["source", "directory", "caveats"],
    {
        "source": {"type": "string"},
        "directory": {"type": "string"},
        "caveats": {
            "type": "array",
            "items": _object(
                ["delegation", "status", "note", "sources"],
                {
                    "delegation": {"type": "string", "pattern": "^EU-[A-Z]{2}(-[A-Z0-9]+)?$"},
                    "status": {"enum": [*DELEGATION_STATUSES, None]},
                    "note": TEXT,
                    "sources": CITATIONS,
                },
            ),
        },
    },
)

GUIDANCE_KINDS = ["ten_things", "qa", "holistic", "collective", "case_story"]

GUIDANCE = _object(
    ["last_verified", "items"],
    {
        "last_verified": DATE,
        "items": {
            "type": "array",
            "items": _object(
                ["id", "kind", "order", "title", "body", "sources"],
                {
                    "id": ID,
                    "kind": {"enum": GUIDANCE_KINDS},
                    "order": {"type": "integer", "minimum": 1},
                    "title": TEXT,
                    "body": TEXT,
                    "support_types": {"type": "array", "items": ID},
                    "situations": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]+:[a-z0-9-]+$"}},
                    "uncertain": TEXT,
                    "sources": CITATIONS,
                    "nuances": NOTES,
                    "last_verified": DATE,
                },
            ),
        },
    },
)

SITUATIONS = {
    "type": "object",
    "propertyNames": ID,
    "additionalProperties": {"type": "object", "propertyNames": ID, "additionalProperties": TEXT},
}
