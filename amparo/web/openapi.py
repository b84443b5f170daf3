"""The OpenAPI 3.1 descriptions of the JSON API: version 1 at /api/v1/openapi.json, version 2 (the compact plan)
at /api/v2/openapi.json."""

from __future__ import annotations

from functools import cache
from typing import Any

import amparo
from amparo.guidelines.words import LANGUAGES

ERROR = {
    "type": "object",
    "required": ["ok", "status", "error", "errors"],
    "properties": {
        "ok": {"const": False},
        "status": {"type": "integer"},
        "error": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {"type": "object", "properties": {"field": {"type": "string"}, "message": {"type": "string"}}},
        },
    },
}


def _situation_schema() -> dict[str, Any]:
    from amparo.guidelines import get_dataset

    vocabulary = get_dataset().situations

    def enum(kind: str) -> dict:
        return {"enum": list(vocabulary[kind])}

    return {
        "type": "object",
        "required": ["country", "subject", "urgency", "exposure"],
        "additionalProperties": False,
        "properties": {
            "country": {"type": "string", "description": "ISO 3166-1 alpha-2 code of where the defender works"},
            "location": {"type": "string", "description": "where they are now, if elsewhere"},
            "subject": enum("subject"),
            "urgency": enum("urgency"),
            "exposure": enum("exposure"),
            "fields": {"type": "array", "items": enum("field")},
            "threats": {"type": "array", "items": enum("threat")},
            "needs": {"type": "array", "items": enum("need")},
            "family_at_risk": {"type": "boolean"},
            "unhcr_registered": {"type": "boolean"},
            "uses_violence": {"type": "boolean"},
        },
    }


def _get(
    summary: str, parameters: list[dict] | None = None, not_found: bool = False, bad_request: bool = False
) -> dict[str, Any]:
    responses: dict[str, Any] = {
        "200": {
            "description": "OK",
            "content": {
                "application/json": {
                    "schema": {"type": "object", "required": ["ok"], "properties": {"ok": {"const": True}}}
                }
            },
        }
    }
    if not_found:
        responses["404"] = {
            "description": "Unknown id",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    if bad_request:
        responses["400"] = {
            "description": "Invalid parameters",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    responses["405"] = {
        "description": "Method not allowed",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    return {"get": {"summary": summary, "parameters": parameters or [], "responses": responses}}


def _path_param(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _query(name: str, description: str, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "description": description, "schema": {"type": "string"}}


@cache
def openapi() -> dict[str, Any]:
    situation = _situation_schema()
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Amparo guidelines knowledge base",
            "version": amparo.__version__,
            "description": (
                "Read-only, cited open data on the guidelines States and the EU have written for supporting "
                "human rights defenders. Records and ids are those of the JSON export (docs/open-data.md). "
                "Texts are objects keyed by language."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/": _get("Edition, licence and endpoints"),
            "/support-types": _get("The taxonomy: categories, groups and support types"),
            "/support-types/{support_type_id}": {
                **_get("One support type and the provisions for it", [_path_param("support_type_id")], not_found=True)
            },
            "/issuers": _get("Every issuer with its guideline documents"),
            "/issuers/{issuer_id}": _get(
                "One issuer: provisions, programmes, missions", [_path_param("issuer_id")], not_found=True
            ),
            "/provisions": _get(
                "Provisions, optionally filtered",
                [
                    _query("issuer", "issuer id"),
                    _query("support_type", "support type id"),
                    _query("status", "explicit, inherited, not_stated or unknown"),
                ],
                bad_request=True,
            ),
            "/guidance": _get("Guidance items"),
            "/guidance/{guidance_id}": _get("One guidance item", [_path_param("guidance_id")], not_found=True),
            "/programmes": _get("Programmes and emergency mechanisms"),
            "/search": _get(
                "Full-text search, grouped by kind",
                [_query("q", "words to find", required=True), _query("lang", "language of the texts searched")],
                bad_request=True,
            ),
            "/plan": {
                "post": {
                    **_plan_post(situation, "The plan in format 1"),
                    "deprecated": True,
                    "description": (
                        "Deprecated: POST /api/v2/plan gives the same plan in format 2, compact "
                        "(described at /api/v2/openapi.json). This one keeps answering in format 1."
                    ),
                }
            },
            "/letter": {
                "post": {
                    "summary": "A request letter to a mission, citing its own guideline (nothing is stored)",
                    "description": (
                        "JSON body: issuer, mission (optional Wikidata id), support_types (asked for in the "
                        "order listed) or situation, sender, organisation, contact, confidential, public_consent, "
                        "follow_up, format (json, md, html, pdf, docx), and the facts the writer chooses to tell, "
                        "each optional and said only when given: country (ISO code), court, hearing_date "
                        "(YYYY-MM-DD), detention_place, facts (what happened)."
                    ),
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}},
                    "responses": {
                        "200": {"description": "The letter, as JSON or as a file to download"},
                        "400": {
                            "description": "Invalid input, field by field",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                        },
                    },
                }
            },
            "/openapi.json": {"get": {"summary": "This description", "responses": {"200": {"description": "OK"}}}},
        },
        "components": {"schemas": {"Error": ERROR}},
    }


def _plan_post(situation: dict[str, Any], answer: str) -> dict[str, Any]:
    return {
        "summary": "A cited, risk-aware plan for a defender's situation (nothing is stored or logged)",
        "parameters": [
            {
                **_query("lang", "language of the plan: its sentences and the dataset's texts (default en)"),
                "schema": {"type": "string", "enum": list(LANGUAGES), "default": "en"},
            }
        ],
        "requestBody": {"required": True, "content": {"application/json": {"schema": situation}}},
        "responses": {
            "200": {
                "description": answer,
                "content": {"application/json": {"schema": {"type": "object", "required": ["ok", "plan"]}}},
            },
            "400": {
                "description": "Invalid JSON, situation or parameter, field by field",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            },
            "405": {
                "description": "Only POST",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            },
            "415": {
                "description": "Not JSON",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            },
        },
    }


@cache
def openapi_v2() -> dict[str, Any]:
    """Version 2: the plan in its compact shape (format 2); every other endpoint stays in version 1."""
    post = _plan_post(_situation_schema(), "The plan in format 2 (docs/open-data.md)")
    post["parameters"].append(
        _query(
            "issuers",
            "compact (default): the member States that foresee a measure only through the EU Guidelines "
            "as one count with its sources; full: each of them listed",
        )
    )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Amparo navigator, version 2",
            "version": amparo.__version__,
            "description": (
                "The navigator's plan in a compact shape for slow connections: sources given once in a table "
                "and cited by key, each rule's reason once, inheriting EU member States counted. The other "
                "endpoints are version 1 (/api/v1/openapi.json)."
            ),
        },
        "servers": [{"url": "/api/v2"}],
        "paths": {"/plan": {"post": post}},
        "components": {"schemas": {"Error": ERROR}},
    }
