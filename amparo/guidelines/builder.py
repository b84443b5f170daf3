"""Turn validated data documents into the model, checking every reference on the way.

The loader (:mod:`amparo.guidelines.loader`) reads and schema-checks the files; this module
builds issuers, provisions, programmes and guidance from them, collects every problem with
its file and line, and derives what EU member States inherit from the EU Guidelines.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from amparo.guidelines.countries import is_country_code
from amparo.guidelines.errors import DataProblem
from amparo.guidelines.model import (
    Category,
    CategoryProvision,
    Citation,
    ContactRoute,
    DelegationCaveat,
    DelegationsSource,
    Edition,
    Group,
    GuidanceItem,
    Guideline,
    Issuer,
    Mission,
    MissionsSource,
    Note,
    Programme,
    Provision,
    Revision,
    Source,
    SupportType,
    Text,
)
from amparo.guidelines.translations import is_text
from amparo.guidelines.validate import display_path
from amparo.guidelines.yamlfile import LineDict, LineList, line_of


class Problems:
    """Collects problems for one data directory."""

    def __init__(self, root: Path):
        self.root = root
        self.items: list[DataProblem] = []

    def display(self, path: Path) -> str:
        return display_path(path)

    def add(self, path: Path, line: int, message: str) -> None:
        self.items.append(DataProblem(self.display(path), line, message))


def _text(value: dict | None) -> Text | None:
    return Text.of(value) if value else None


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


_PHONE = re.compile(r"^\+[0-9][0-9 ()\-]{5,30}$")  # international form, as published: +353 (0) 1 21 00 489
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
_WEB = re.compile(r"^https://[^\s]+$")


def _route_problem(route: ContactRoute) -> str | None:
    """What is wrong with a contact route's value for its kind, or None."""
    if route.kind in ("web", "form") and not _WEB.match(route.value):
        return f"a {route.kind} route must be an https:// address, not {route.value!r}"
    if route.kind in ("phone", "messenger") and not _PHONE.match(route.value):
        return f"a {route.kind} number must be in international form (+…), not {route.value!r}"
    if route.kind == "email" and not _EMAIL.match(route.value):
        return f"not an e-mail address: {route.value!r}"
    return None


class Builder:
    """Turns validated documents into model objects, checking references on the way."""

    def __init__(self, root: Path, problems: Problems):
        self.root = root
        self.problems = problems
        self.sources: dict[str, Source] = {}
        self.languages: tuple[str, ...] = ("en",)
        self.situation_tags: set[str] = set()
        self.support_type_ids: set[str] = set()
        self.category_ids: set[str] = set()

    # References -----------------------------------------------------------------
    def citations(self, items: list, path: Path, doc: Any, where: list) -> tuple[Citation, ...]:
        result = []
        for index, item in enumerate(items):
            source = self.sources.get(item["source"])
            if source is None:
                self.problems.add(path, line_of(doc, [*where, index]), f"unknown source {item['source']!r}")
                continue
            result.append(Citation(source, item.get("locator")))
        return tuple(result)

    def notes(self, items: list | None, path: Path, doc: Any, where: list) -> tuple[Note, ...]:
        return tuple(
            Note(
                Text.of(n["note"]),
                self.citations(n["sources"], path, doc, [*where, i, "sources"]),
                _text(n.get("uncertain")),
            )
            for i, n in enumerate(items or [])
        )

    def support_type_ref(self, value: str, path: Path, doc: Any, where: list) -> bool:
        if value not in self.support_type_ids:
            self.problems.add(path, line_of(doc, where), f"unknown support type {value!r}")
            return False
        return True

    def check_languages(self, document: Any, path: Path, where: list | None = None) -> None:
        """Every text (a mapping with an ``en`` key) must exist in each required language."""
        where = where or []
        if isinstance(document, LineDict):
            if is_text(document):
                missing = [lang for lang in self.languages if lang not in document]
                if missing:
                    self.problems.add(path, line_of(document, []) or 1, f"text lacks {', '.join(missing)}")
                return
            for key, value in document.items():
                self.check_languages(value, path, [*where, key])
        elif isinstance(document, LineList):
            for index, value in enumerate(document):
                self.check_languages(value, path, [*where, index])

    # Files ----------------------------------------------------------------------
    def delegations(self, doc: Any, delegations: list[Mission]) -> tuple[list[Mission], DelegationsSource | None]:
        """The Delegations with their caveats, and where the list comes from (eu-delegations.yaml)."""
        path = self.root / "eu-delegations.yaml"
        by_id = {m.id: m for m in delegations}
        named = {}
        for key in ("source", "directory"):
            named[key] = self.sources.get(doc[key])
            if named[key] is None:
                self.problems.add(path, line_of(doc, [key]), f"unknown source {doc[key]!r}")
        directory = named["directory"]
        if directory is not None and not directory.urls:
            self.problems.add(path, line_of(doc, ["directory"]), "the directory source needs its address")
        for index, item in enumerate(doc["caveats"]):
            where = ["caveats", index]
            mission = by_id.get(item["delegation"])
            if mission is None:
                self.problems.add(path, line_of(doc, where), f"no Delegation {item['delegation']!r} in the CSV")
                continue
            if mission.caveat is not None:
                self.problems.add(path, line_of(doc, where), f"a second caveat for {mission.id}")
            caveat = DelegationCaveat(
                item["status"], Text.of(item["note"]), self.citations(item["sources"], path, doc, [*where, "sources"])
            )
            by_id[mission.id] = replace(mission, caveat=caveat)
        if named["source"] is None or directory is None:
            return list(by_id.values()), None
        return list(by_id.values()), DelegationsSource(named["source"], directory)

    def edition(self, doc: Any) -> tuple[Edition, MissionsSource]:
        path = self.root / "dataset.yaml"
        self.languages = tuple(doc["languages"])
        missions = doc["missions"]
        return (
            Edition(
                edition=doc["edition"],
                published=_date(doc["published"]),
                licence_id=doc["licence"]["id"],
                licence_name=doc["licence"]["name"],
                licence_url=doc["licence"]["url"],
                languages=self.languages,
                notes=self.notes(doc.get("notes"), path, doc, ["notes"]),
            ),
            MissionsSource(missions["attribution"], missions["licence"], _date(missions["as_of"]), missions.get("url")),
        )

    def load_sources(self, doc: Any) -> None:
        for key, value in doc.items():
            read = _date(value["read"]) if value.get("read") else None
            urls = tuple(u for u in value["urls"] if u)
            if value.get("kind") == "official" and not urls:
                path = self.root / "sources.yaml"
                self.problems.add(path, line_of(doc, [key]), "an official source needs the address it was read at")
            self.sources[key] = Source(key, Text.of(value["label"]), urls, read, value.get("kind"))

    def taxonomy(self, doc: Any) -> tuple[tuple[Category, ...], dict[str, SupportType]]:
        path = self.root / "taxonomy.yaml"
        seen: dict[str, int] = {}
        for c_index, category in enumerate(doc["categories"]):
            for g_index, group in enumerate(category["groups"]):
                for s_index, item in enumerate(group["support_types"]):
                    line = line_of(doc, ["categories", c_index, "groups", g_index, "support_types", s_index])
                    if item["id"] in seen:
                        self.problems.add(
                            path, line, f"duplicate support type id {item['id']!r} (first at line {seen[item['id']]})"
                        )
                    seen.setdefault(item["id"], line)
        self.support_type_ids = set(seen)
        categories, support_types, group_ids = [], {}, set()
        for c_index, category in enumerate(doc["categories"]):
            if category["id"] in self.category_ids:
                self.problems.add(
                    path, line_of(doc, ["categories", c_index]), f"duplicate category id {category['id']!r}"
                )
            self.category_ids.add(category["id"])
            groups = []
            for g_index, group in enumerate(category["groups"]):
                where = ["categories", c_index, "groups", g_index]
                if group["id"] in group_ids:
                    self.problems.add(path, line_of(doc, where), f"duplicate group id {group['id']!r}")
                group_ids.add(group["id"])
                for s_index, item in enumerate(group["support_types"]):
                    sw = [*where, "support_types", s_index]
                    support_types[item["id"]] = SupportType(
                        id=item["id"],
                        name=Text.of(item["name"]),
                        description=Text.of(item["description"]),
                        helps_when=Text.of(item["helps_when"]),
                        risks=_text(item.get("risks")),
                        visibility=item["visibility"],
                        authorities_aware=item["authorities_aware"],
                        urgency=item["urgency"],
                        serves=item["serves"],
                        last_resort=item.get("last_resort", False),
                        seed_item=item["seed_item"],
                        preconditions=self.notes(item.get("preconditions"), path, doc, [*sw, "preconditions"]),
                        cautions=self.notes(item.get("cautions"), path, doc, [*sw, "cautions"]),
                        citations=self.citations(item["sources"], path, doc, [*sw, "sources"]),
                        category_id=category["id"],
                        group_id=group["id"],
                    )
                groups.append(
                    Group(
                        id=group["id"],
                        number=group["number"],
                        name=Text.of(group["name"]),
                        description=_text(group.get("description")),
                        support_type_ids=tuple(s["id"] for s in group["support_types"]),
                    )
                )
            categories.append(
                Category(category["id"], Text.of(category["name"]), Text.of(category["description"]), tuple(groups))
            )
        return tuple(categories), support_types

    def situations(self, doc: Any) -> dict[str, dict[str, Text]]:
        result = {kind: {key: Text.of(label) for key, label in entries.items()} for kind, entries in doc.items()}
        self.situation_tags = {f"{kind}:{key}" for kind, entries in doc.items() for key in entries}
        return result

    def issuer(self, path: Path, doc: Any, guideline_ids: dict[str, str]) -> tuple[Issuer, list[Provision]]:
        if path.stem != doc["id"]:
            self.problems.add(
                path, line_of(doc, ["id"]), f"issuer id {doc['id']!r} must match the file name {path.stem!r}"
            )
        if doc["kind"] == "state" and not is_country_code(doc["id"]):
            self.problems.add(path, line_of(doc, ["id"]), f"{doc['id']!r} is not an ISO 3166-1 alpha-2 code")
        verified = _date(doc["last_verified"])
        guidelines = []
        own_ids = set()
        for index, item in enumerate(doc.get("guidelines", [])):
            where = ["guidelines", index]
            if item["id"] in guideline_ids:
                self.problems.add(
                    path,
                    line_of(doc, where),
                    f"duplicate guideline id {item['id']!r} (also in {guideline_ids[item['id']]})",
                )
            guideline_ids[item["id"]] = path.name
            own_ids.add(item["id"])
            if item.get("member_states_follow") and doc["id"] != "EU":
                self.problems.add(
                    path,
                    line_of(doc, [*where, "member_states_follow"]),
                    "only the EU's guidelines are followed by member States (member_states_follow)",
                )
            guidelines.append(
                Guideline(
                    id=item["id"],
                    issuer_id=doc["id"],
                    title=item["title"],
                    year=item["year"],
                    revisions=tuple(
                        Revision(
                            r["year"],
                            Text.of(r["note"]),
                            self.citations(r["sources"], path, doc, [*where, "revisions", i, "sources"]),
                        )
                        for i, r in enumerate(item.get("revisions", []))
                    ),
                    public=item["public"],
                    url=item["url"],
                    languages=tuple(item.get("languages", [])),
                    note=_text(item.get("note")),
                    uncertain=_text(item.get("uncertain")),
                    citations=self.citations(item["sources"], path, doc, [*where, "sources"]),
                    last_verified=_date(item["last_verified"]) if "last_verified" in item else verified,
                    member_states_follow=item.get("member_states_follow", False),
                )
            )
        provisions, stated = [], {}
        for index, item in enumerate(doc.get("provisions", [])):
            where = ["provisions", index]
            if not self.support_type_ref(item["support_type"], path, doc, [*where, "support_type"]):
                continue
            if item["support_type"] in stated:
                self.problems.add(
                    path,
                    line_of(doc, where),
                    f"second provision for {item['support_type']!r} "
                    f"(first at line {stated[item['support_type']]}); merge them",
                )
                continue
            stated[item["support_type"]] = line_of(doc, where)
            if "guideline" in item and item["guideline"] not in own_ids:
                self.problems.add(
                    path,
                    line_of(doc, [*where, "guideline"]),
                    f"unknown guideline {item['guideline']!r} for this issuer",
                )
            provisions.append(
                Provision(
                    issuer_id=doc["id"],
                    support_type_id=item["support_type"],
                    status=item["status"],
                    guideline_id=item.get("guideline"),
                    note=_text(item.get("note")),
                    citations=self.citations(item["sources"], path, doc, [*where, "sources"]),
                    nuances=self.notes(item.get("nuances"), path, doc, [*where, "nuances"]),
                    uncertain=_text(item.get("uncertain")),
                    last_verified=_date(item["last_verified"]) if "last_verified" in item else verified,
                )
            )
        category_provisions = []
        for index, item in enumerate(doc.get("category_provisions", [])):
            where = ["category_provisions", index]
            if item["category"] not in self.category_ids:
                self.problems.add(path, line_of(doc, [*where, "category"]), f"unknown category {item['category']!r}")
            category_provisions.append(
                CategoryProvision(
                    item["category"],
                    Text.of(item["note"]),
                    self.citations(item["sources"], path, doc, [*where, "sources"]),
                )
            )
        issuer = Issuer(
            id=doc["id"],
            name=Text.of(doc["name"]),
            kind=doc["kind"],
            eu_member=doc["eu_member"],
            named_in_seed=doc["named_in_seed"],
            policy=doc["policy"],
            summary=Text.of(doc["summary"]),
            guidelines=tuple(guidelines),
            caveats=self.notes(doc.get("caveats"), path, doc, ["caveats"]),
            category_provisions=tuple(category_provisions),
            last_verified=verified,
        )
        return issuer, provisions

    def regions(self, doc: Any) -> dict[str, frozenset[str]]:
        """The countries of each UN M49 region that a programme may name (regions.yaml), checked as countries."""
        path = self.root / "regions.yaml"
        self.citations([{"source": doc["source"]}], path, doc, ["source"])
        result: dict[str, frozenset[str]] = {}
        for code, region in doc["regions"].items():
            for i, country in enumerate(region["countries"]):
                if not is_country_code(country):
                    where = line_of(doc, ["regions", code, "countries", i])
                    self.problems.add(path, where, f"not a country {country!r}")
            result[code] = frozenset(region["countries"])
        return result

    def programmes(
        self, doc: Any, issuer_ids: set[str], fields: Iterable[str], regions: Mapping[str, frozenset[str]]
    ) -> dict[str, Programme]:
        path = self.root / "programmes.yaml"
        result: dict[str, Programme] = {}
        for index, item in enumerate(doc):
            where = [index]
            if item["id"] in result:
                self.problems.add(path, line_of(doc, where), f"duplicate programme id {item['id']!r}")
            for i, issuer in enumerate(item["issuers"]):
                if issuer not in issuer_ids:
                    self.problems.add(path, line_of(doc, [*where, "issuers", i]), f"unknown issuer {issuer!r}")
            for i, support_type in enumerate(item.get("support_types", [])):
                self.support_type_ref(support_type, path, doc, [*where, "support_types", i])
            for i, field_id in enumerate(item.get("fields", [])):
                if field_id not in fields:
                    self.problems.add(path, line_of(doc, [*where, "fields", i]), f"unknown field of work {field_id!r}")
            served: set[str] = set()
            for i, code in enumerate(item.get("regions", [])):
                if code not in regions:
                    self.problems.add(path, line_of(doc, [*where, "regions", i]), f"unknown region {code!r}")
                served |= regions.get(code, frozenset())
            for i, country in enumerate(item.get("countries", [])):
                if not is_country_code(country):
                    self.problems.add(path, line_of(doc, [*where, "countries", i]), f"not a country {country!r}")
                served.add(country)
            result[item["id"]] = Programme(
                id=item["id"],
                name=Text.of(item["name"]),
                operator=Text.of(item["operator"]),
                issuer_ids=tuple(item["issuers"]),
                kinds=tuple(item["kinds"]),
                description=Text.of(item["description"]),
                how_to_reach=_text(item.get("how_to_reach")),
                emergency=item["emergency"],
                support_type_ids=tuple(item.get("support_types", [])),
                url=item.get("url"),
                uncertain=_text(item.get("uncertain")),
                citations=self.citations(item["sources"], path, doc, [*where, "sources"]),
                last_verified=_date(item["last_verified"]),
                contacts=self.contacts(item.get("contacts", []), path, doc, [*where, "contacts"]),
                scope=item.get("scope", "any"),
                field_ids=tuple(item.get("fields", [])),
                audience=_text(item.get("audience")),
                region_ids=tuple(item.get("regions", [])),
                outside=frozenset().union(*regions.values()) - served if served else frozenset(),
            )
        return result

    def contacts(self, items: list[Any], path: Path, doc: Any, where: list[Any]) -> tuple[ContactRoute, ...]:
        """Contact routes, each in the form its kind needs: a route that cannot work is a data error."""
        routes = []
        for index, item in enumerate(items):
            route = ContactRoute(
                kind=item["kind"],
                value=item["value"].strip(),
                label=_text(item.get("label")),
                page=item["page"],
                checked=_date(item["checked"]),
            )
            problem = _route_problem(route)
            if problem:
                self.problems.add(path, line_of(doc, [*where, index, "value"]), problem)
            routes.append(route)
        return tuple(routes)

    def guidance(self, doc: Any) -> dict[str, GuidanceItem]:
        path = self.root / "guidance.yaml"
        verified = _date(doc["last_verified"])
        result: dict[str, GuidanceItem] = {}
        for index, item in enumerate(doc["items"]):
            where = ["items", index]
            if item["id"] in result:
                self.problems.add(path, line_of(doc, where), f"duplicate guidance id {item['id']!r}")
            for i, support_type in enumerate(item.get("support_types", [])):
                self.support_type_ref(support_type, path, doc, [*where, "support_types", i])
            for i, tag in enumerate(item.get("situations", [])):
                if tag not in self.situation_tags:
                    self.problems.add(path, line_of(doc, [*where, "situations", i]), f"unknown situation tag {tag!r}")
            result[item["id"]] = GuidanceItem(
                id=item["id"],
                kind=item["kind"],
                order=item["order"],
                title=Text.of(item["title"]),
                body=Text.of(item["body"]),
                support_type_ids=tuple(item.get("support_types", [])),
                situations=tuple(item.get("situations", [])),
                uncertain=_text(item.get("uncertain")),
                citations=self.citations(item["sources"], path, doc, [*where, "sources"]),
                last_verified=_date(item["last_verified"]) if "last_verified" in item else verified,
                nuances=self.notes(item.get("nuances"), path, doc, [*where, "nuances"]),
            )
        return result


def inherited_provisions(issuers: dict[str, Issuer], provisions: list[Provision]) -> list[Provision]:
    """What EU member States inherit: the EU's explicit provisions that the EU Guidelines themselves foresee.

    A provision counts only when it names (``guideline``) an EU document marked ``member_states_follow``;
    what the EU has from a programme it funds or from one Delegation's practice is the EU's alone.
    A member State that states the support type itself keeps its own provision.
    """
    eu = issuers.get("EU")
    followed = {g.id for g in eu.guidelines if g.member_states_follow} if eu else set()
    foreseen = [p for p in provisions if p.issuer_id == "EU" and p.status == "explicit" and p.guideline_id in followed]
    stated = {(p.issuer_id, p.support_type_id) for p in provisions}
    result = []
    for issuer in issuers.values():
        if not issuer.eu_member:
            continue
        for provision in foreseen:
            if (issuer.id, provision.support_type_id) in stated:
                continue
            result.append(
                Provision(
                    issuer_id=issuer.id,
                    support_type_id=provision.support_type_id,
                    status="inherited",
                    guideline_id=provision.guideline_id,
                    note=None,
                    citations=provision.citations,
                    nuances=(),
                    uncertain=provision.uncertain,
                    last_verified=provision.last_verified,
                    inherited_from="EU",
                )
            )
    return result
