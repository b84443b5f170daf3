"""The dataset as immutable, indexed Python objects.

Built once by :mod:`amparo.guidelines.loader`; read by every interface. Nothing
here imports Django.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from amparo.guidelines.translations import DRAFTS_KEY

DEFAULT_LANGUAGE = "en"

VISIBILITIES = ("discreet", "formal", "public")
URGENCIES = ("preventive", "responsive", "emergency")
SERVES = ("individual", "collective", "both")
STATUSES = ("explicit", "inherited", "not_stated", "unknown")


@dataclass(frozen=True)
class Text:
    """A text stored per language; English is always present.

    ``drafts`` are the languages whose translation no reviewer has approved yet
    (:mod:`amparo.guidelines.translations`): shown, and said to be drafts.
    """

    values: tuple[tuple[str, str], ...]
    drafts: tuple[str, ...] = ()

    @classmethod
    def of(cls, mapping: Mapping[str, Any]) -> Text:
        drafts = tuple(mapping.get(DRAFTS_KEY, ()))
        return cls(tuple(sorted((k, v) for k, v in mapping.items() if k != DRAFTS_KEY)), drafts)

    def is_draft(self, language: str) -> bool:
        return language in self.drafts

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(lang for lang, _ in self.values)

    def get(self, language: str) -> str:
        """The text in ``language``, falling back to English."""
        return self.resolve(language)[0]

    def resolve(self, language: str) -> tuple[str, str]:
        """``(text, language it is in)``, so a page can mark a fallback with ``lang``."""
        fallback = ""
        for lang, text in self.values:  # a few pairs: a loop is faster than a dict built per call (a plan asks often)
            if lang == language:
                return text, language
            if lang == DEFAULT_LANGUAGE:
                fallback = text
        return fallback, DEFAULT_LANGUAGE

    def as_dict(self) -> dict[str, str]:
        return dict(self.values)

    def __str__(self) -> str:
        return self.get(DEFAULT_LANGUAGE)


@dataclass(frozen=True)
class Source:
    id: str
    label: Text
    urls: tuple[str, ...]
    read: dt.date | None = None  # the day it was last read for what it is cited for; None when not known
    # What it is: "official" is the issuer's own publication (its government, ministries, missions or
    # agencies; for the EU its institutions) at its own address; also seed, secondary, mirror, news,
    # parliamentary. None when not yet recorded.
    kind: str | None = None


@dataclass(frozen=True)
class Citation:
    """A source and where in it (chapter, section, page, part of the seed)."""

    source: Source
    locator: str | None = None


@dataclass(frozen=True)
class Note:
    """A sourced remark: a precondition, a caution, a caveat or a nuance."""

    text: Text
    citations: tuple[Citation, ...]
    uncertain: Text | None = None


@dataclass(frozen=True)
class SupportType:
    id: str
    name: Text
    description: Text
    helps_when: Text
    risks: Text | None
    visibility: str
    urgency: str
    serves: str
    last_resort: bool
    seed_item: str | None
    preconditions: tuple[Note, ...]
    cautions: tuple[Note, ...]
    citations: tuple[Citation, ...]
    category_id: str
    group_id: str
    # Whether the measure goes through the host authorities or is seen by them (a court, a prison, an
    # official): for a defender who says the authorities must not learn of the request.
    authorities_aware: bool = False


@dataclass(frozen=True)
class Group:
    id: str
    number: int
    name: Text
    description: Text | None
    support_type_ids: tuple[str, ...]


@dataclass(frozen=True)
class Category:
    id: str
    name: Text
    description: Text
    groups: tuple[Group, ...]


@dataclass(frozen=True)
class Revision:
    year: int | None
    note: Text
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Guideline:
    id: str
    issuer_id: str
    title: str
    year: int | None
    revisions: tuple[Revision, ...]
    public: bool | None
    url: str | None
    languages: tuple[str, ...]
    note: Text | None
    uncertain: Text | None
    citations: tuple[Citation, ...]
    last_verified: dt.date
    member_states_follow: bool = False  # an EU document whose provisions the member States inherit


@dataclass(frozen=True)
class Provision:
    """That an issuer foresees (or not) one support type, always with sources."""

    issuer_id: str
    support_type_id: str
    status: str
    guideline_id: str | None
    note: Text | None
    citations: tuple[Citation, ...]
    nuances: tuple[Note, ...]
    uncertain: Text | None
    last_verified: dt.date
    inherited_from: str | None = None


@dataclass(frozen=True)
class CategoryProvision:
    """A statement that covers a whole category without naming measures (e.g. the seed's list of
    issuers that provide some exceptional support)."""

    category_id: str
    note: Text
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Mission:
    id: str  # the mission's Wikidata id
    issuer_id: str
    country: str | None  # ISO 3166-1 alpha-2 of where it is; None when the label is not a country
    country_label: str
    city: str
    kind: str
    jurisdictions: tuple[str, ...]
    website: str | None
    pages: tuple[str, ...] = ()  # the pages an EU Delegation's row comes from (eu-delegations.csv)
    caveat: DelegationCaveat | None = None  # e.g. evacuated, relocated, without a head

    @property
    def honorary(self) -> bool:
        return "honorary" in self.kind

    def serves(self, country: str) -> bool:
        """The rule of shared/data/SOURCES.md: located there (and not in its own State), or accredited there.

        A Delegation to international organisations serves no State, not even its host."""
        if self.kind == TO_ORGANISATIONS:
            return False
        located = self.country == country and self.country != self.issuer_id
        return located or country in self.jurisdictions

    def resident_in(self, country: str) -> bool:
        """Located in ``country`` (not accredited to it from a capital elsewhere)."""
        return self.country == country and self.serves(country)


TO_ORGANISATIONS = "EU delegation to international organisations"  # the mission kind that serves no State


@dataclass(frozen=True)
class DelegationCaveat:
    """What a consumer must show about an EU Delegation: its ``status`` (evacuated, relocated, no-head, reduced;
    None for a plain note) and a note with its sources."""

    status: str | None
    note: Text
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class DelegationsSource:
    """Where the EU Delegations data comes from, and the EEAS page to send a reader to where it has no row."""

    source: Source
    directory: Source


@dataclass(frozen=True)
class Issuer:
    id: str
    name: Text
    kind: str
    eu_member: bool
    named_in_seed: bool
    policy: str
    summary: Text
    guidelines: tuple[Guideline, ...]
    caveats: tuple[Note, ...]
    category_provisions: tuple[CategoryProvision, ...]
    last_verified: dt.date
    has_mission_data: bool = False


def site_of(url: str) -> str:
    """The site a page is on, as a reader recognises it: ``https://www.cpj.org/x`` is ``cpj.org``."""
    return (urlsplit(url).hostname or url).removeprefix("www.")


@dataclass(frozen=True)
class ContactRoute:
    """A way to reach an organisation, as its own ``page`` publishes it, read there on ``checked``.

    ``kind`` is web (an address to open), phone, email, form (a secure web form's address)
    or messenger (e.g. a Signal number). Nothing is shown that the page does not publish.
    """

    kind: str
    value: str
    label: Text | None
    page: str
    checked: dt.date

    @property
    def href(self) -> str | None:
        """A link that opens the route: the address, ``tel:`` or ``mailto:``; None where none applies."""
        if self.kind in ("web", "form"):
            return self.value
        if self.kind == "phone":
            # "+353 (0) 1 …": the 0 in brackets is dialled only from inside the country, never after the +.
            number = re.sub(r"\(0\)", "", self.value) if self.value.startswith("+") else self.value
            return "tel:" + "".join(c for c in number if c.isdigit() or c == "+")
        if self.kind == "email":
            return f"mailto:{self.value}"
        return None

    @property
    def site(self) -> str:
        """The site of the page that publishes the route, as a reader recognises it: ``frontlinedefenders.org``."""
        return site_of(self.page)

    @property
    def shown(self) -> str:
        """The words of its link on a screen: a web address by its site (the full address is the link, and a
        phone's screen has no room for it), a number or an e-mail address in full."""
        return site_of(self.value) if self.kind in ("web", "form") else self.value


@dataclass(frozen=True)
class Programme:
    id: str
    name: Text
    operator: Text
    issuer_ids: tuple[str, ...]
    kinds: tuple[str, ...]
    description: Text
    how_to_reach: Text | None
    emergency: bool
    support_type_ids: tuple[str, ...]
    url: str | None
    uncertain: Text | None
    citations: tuple[Citation, ...]
    last_verified: dt.date
    contacts: tuple[ContactRoute, ...] = ()
    scope: str = "any"  # "digital": help for digital threats only
    field_ids: tuple[str, ...] = ()  # for defenders in these fields of work only (e.g. journalism); empty: any
    audience: Text | None = None  # who it is for, in words, when not every defender
    region_ids: tuple[str, ...] = ()  # UN M49 regions (regions.yaml) it serves; empty: anywhere
    # The countries that regions.yaml places outside those regions and its own list of countries (e.g. a visa
    # scheme for Belarusians). A country it places nowhere (e.g. Kosovo,
    # which M49 does not list apart) is not among them: a fund is hidden only where the data says it serves
    # elsewhere.
    outside: frozenset[str] = frozenset()

    def serves(self, country: str) -> bool:
        """Whether it is for defenders working in ``country``, as far as its regions tell."""
        return country not in self.outside

    @property
    def reachable(self) -> bool:
        """Whether a defender can reach it from what we show: at least one route from its own page."""
        return bool(self.contacts)


@dataclass(frozen=True)
class GuidanceItem:
    id: str
    kind: str
    order: int
    title: Text
    body: Text
    support_type_ids: tuple[str, ...]
    situations: tuple[str, ...]
    uncertain: Text | None
    citations: tuple[Citation, ...]
    last_verified: dt.date
    nuances: tuple[Note, ...] = ()  # other sources that nuance this item, shown beside it


@dataclass(frozen=True)
class MissionsSource:
    """Attribution and date of the missions data, shown wherever presence is shown."""

    attribution: str
    licence: str
    as_of: dt.date
    url: str | None


@dataclass(frozen=True)
class Edition:
    edition: str
    published: dt.date
    licence_id: str
    licence_name: str
    licence_url: str
    languages: tuple[str, ...]
    notes: tuple[Note, ...]


def _index(items: Iterable, key: str = "id") -> Mapping:
    return MappingProxyType({getattr(item, key): item for item in items})


@dataclass(frozen=True)
class Translation:
    """How much of the dataset's texts one language has: what a page in that language says of itself."""

    texts: int
    translated: int
    drafts: int

    @property
    def complete(self) -> bool:
        return self.translated == self.texts

    @property
    def draft(self) -> bool:
        return self.drafts > 0


@dataclass(frozen=True)
class Dataset:
    """Everything the knowledge base knows, indexed for the lookups the interfaces make."""

    edition: Edition
    sources: Mapping[str, Source]
    categories: tuple[Category, ...]
    support_types: Mapping[str, SupportType]
    issuers: Mapping[str, Issuer]
    provisions: tuple[Provision, ...]
    programmes: Mapping[str, Programme]
    guidance: Mapping[str, GuidanceItem]
    situations: Mapping[str, Mapping[str, Text]]
    missions: tuple[Mission, ...]
    missions_source: MissionsSource
    delegations_source: DelegationsSource | None = None  # EU Delegations (eu-delegations.csv), beside missions
    translations: Mapping[str, Translation] = field(default_factory=dict)  # by language, from the catalogues
    root: Path | None = None  # the folder it was read from; other data files (rules.yaml) live beside it
    _by_issuer: Mapping[str, tuple[Provision, ...]] = field(init=False, repr=False, compare=False)
    _by_support_type: Mapping[str, tuple[Provision, ...]] = field(init=False, repr=False, compare=False)
    _cell: Mapping[tuple[str, str], Provision] = field(init=False, repr=False, compare=False)
    _missions_by_issuer: Mapping[str, tuple[Mission, ...]] = field(init=False, repr=False, compare=False)
    _missions_by_country: Mapping[str, tuple[Mission, ...]] = field(init=False, repr=False, compare=False)
    _missions_by_id: Mapping[str, Mission] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_issuer: dict[str, list[Provision]] = {}
        by_type: dict[str, list[Provision]] = {}
        for provision in self.provisions:
            by_issuer.setdefault(provision.issuer_id, []).append(provision)
            by_type.setdefault(provision.support_type_id, []).append(provision)
        order = {status: i for i, status in enumerate(STATUSES)}
        for provisions in by_type.values():  # in the order provisions_for gives, once rather than on every plan
            provisions.sort(key=lambda p: (order[p.status], str(self.issuers[p.issuer_id].name)))
        object.__setattr__(self, "_by_issuer", MappingProxyType({k: tuple(v) for k, v in by_issuer.items()}))
        object.__setattr__(self, "_by_support_type", MappingProxyType({k: tuple(v) for k, v in by_type.items()}))
        object.__setattr__(
            self, "_cell", MappingProxyType({(p.issuer_id, p.support_type_id): p for p in self.provisions})
        )
        missions_by_issuer: dict[str, list[Mission]] = {}
        missions_by_country: dict[str, list[Mission]] = {}
        for mission in self.missions:
            missions_by_issuer.setdefault(mission.issuer_id, []).append(mission)
            served = {c for c in (mission.country, *mission.jurisdictions) if c and mission.serves(c)}
            for country in served:
                missions_by_country.setdefault(country, []).append(mission)
        object.__setattr__(
            self, "_missions_by_issuer", MappingProxyType({k: tuple(v) for k, v in missions_by_issuer.items()})
        )
        object.__setattr__(
            self, "_missions_by_country", MappingProxyType({k: tuple(v) for k, v in missions_by_country.items()})
        )
        object.__setattr__(self, "_missions_by_id", _index(self.missions))

    # Provisions -----------------------------------------------------------------
    def provisions_of(self, issuer_id: str) -> tuple[Provision, ...]:
        return self._by_issuer.get(issuer_id, ())

    def provisions_for(self, support_type_id: str) -> tuple[Provision, ...]:
        """Provisions for a support type, explicit before inherited, then by issuer name."""
        return self._by_support_type.get(support_type_id, ())

    def status(self, issuer_id: str, support_type_id: str) -> str:
        """Explicit, inherited, not stated, or unknown when no source speaks of it."""
        provision = self._cell.get((issuer_id, support_type_id))
        return provision.status if provision else "unknown"

    def provision(self, issuer_id: str, support_type_id: str) -> Provision | None:
        return self._cell.get((issuer_id, support_type_id))

    # Taxonomy -------------------------------------------------------------------
    def category(self, category_id: str) -> Category:
        return next(c for c in self.categories if c.id == category_id)

    def group(self, group_id: str) -> Group:
        return next(g for c in self.categories for g in c.groups if g.id == group_id)

    def support_types_in(self, category_id: str) -> tuple[SupportType, ...]:
        return tuple(self.support_types[i] for g in self.category(category_id).groups for i in g.support_type_ids)

    def guidance_of_kind(self, kind: str) -> tuple[GuidanceItem, ...]:
        return tuple(sorted((g for g in self.guidance.values() if g.kind == kind), key=lambda g: g.order))

    def guidance_for(self, support_type_id: str) -> tuple[GuidanceItem, ...]:
        return tuple(g for g in self.guidance.values() if support_type_id in g.support_type_ids)

    def programmes_of(self, issuer_id: str) -> tuple[Programme, ...]:
        return tuple(p for p in self.programmes.values() if issuer_id in p.issuer_ids)

    def programmes_for(self, support_type_id: str) -> tuple[Programme, ...]:
        return tuple(p for p in self.programmes.values() if support_type_id in p.support_type_ids)

    # Missions -------------------------------------------------------------------
    def missions_of(self, issuer_id: str) -> tuple[Mission, ...]:
        return self._missions_by_issuer.get(issuer_id, ())

    def mission(self, mission_id: str) -> Mission | None:
        return self._missions_by_id.get(mission_id)

    def missions_serving(self, country: str) -> tuple[Mission, ...]:
        """Missions that serve ``country`` per the data; absence means "not known", never "none"."""
        return self._missions_by_country.get(country, ())

    def issuers_sorted(self) -> tuple[Issuer, ...]:
        return tuple(sorted(self.issuers.values(), key=lambda i: str(i.name)))
