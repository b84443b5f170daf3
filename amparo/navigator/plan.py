"""Evaluate the rules for a situation and assemble the plan.

Shape of a plan, by design (do no harm): the emergency track first when life is
in danger; then the measures ranked by the weight the rules gave them; and the
same measures as an escalation path, discreet before formal before public.
Measures that the defender's accepted exposure, what they keep from the
authorities, or unmet preconditions rule out are listed apart, with the reason
and its sources.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from amparo.guidelines.missions import rank
from amparo.guidelines.model import (
    VISIBILITIES,
    Citation,
    ContactRoute,
    Dataset,
    GuidanceItem,
    Issuer,
    Mission,
    Note,
    Programme,
    SupportType,
    Text,
)
from amparo.navigator.rules import Rule, RuleBook
from amparo.navigator.situation import Situation

MISSIONS_SHOWN = 3  # per issuer, in the order of mission_order
TOP_MEASURES = 5  # the missions of a plan are those of the issuers of its first measures that an issuer foresees
ISSUERS_SHOWN = 5  # issuers shown with their missions; the others are folded away under them
DELEGATIONS_OF = "EU"  # the issuer whose missions are the EU Delegations (eu-delegations.csv)
EXPOSURE_RULE = "exposure"  # the rule id of a measure left out for being more visible than the defender accepts
EMERGENCY_SHOWN = 4  # emergency organisations shown on a phone's first screens; the others folded, by name
FORESEEN_SHOWN = 6  # issuers named as foreseeing a measure in a plan; the measure's own page names them all
PROGRAMMES_SHOWN = 3  # programmes named beside a measure; the measure's own page lists them all
MEASURES_SHOWN = 8  # ranked measures shown in full on a phone; the rest folded, by name (what was asked: always shown)
STATED_NEEDS = "needs"  # the situation's field of what the defender asks for (see asked_for)
OFFERED = ("explicit", "inherited")  # the provision statuses under which an issuer's guidelines foresee a measure
# Emergency help, first and reachable: the threats (ids of situations.yaml) that a programme of scope DIGITAL_SCOPE,
# help for digital threats only, can meet; and the route kinds that reach a person now, whose programmes come first.
DIGITAL_THREATS = ("online-harassment", "surveillance")
DIGITAL_SCOPE = "digital"
LINE_KINDS = ("phone", "messenger")
# A State's own protection programme for people on its territory (programmes.yaml): never diplomatic support.
NATIONAL_KIND = "domestic_protection"
KEEP_FROM_AUTHORITIES = "must-not-know"  # the answer (situations.yaml, authorities) of a defender who keeps it quiet
NEXT_STEPS = ("contact", "ask", "prepare")  # the kinds of the few steps at the top of a plan, in their order
# Steps toward companies: when the company linked to the threats is based in an issuer whose guidelines foresee one
# of them explicitly, that issuer's missions are named first (the seed: above all a company domiciled there).
COMPANY_MEASURES = ("company-intervention", "host-business-engagement", "transnational-company-engagement")
RETURN_NEED = "safe-return"  # a defender abroad who needs it is also shown missions in the country they work in


@dataclass(frozen=True, slots=True)
class IssuerOption:
    """An issuer whose guidelines foresee a recommended measure, and where it has missions."""

    issuer: Issuer
    status: str  # explicit or inherited
    citations: tuple[Citation, ...]
    note: Text | None
    nuances: tuple[Note, ...]
    uncertain: Text | None
    inherited_from: str | None = None  # the issuer whose guidelines it follows for this measure, when inherited


@dataclass(frozen=True, slots=True)
class Presence:
    """Whether an issuer has a mission serving where the defender is now, per the missions data."""

    issuer: Issuer
    # Serving that country: those in it first, then those accredited to it from elsewhere; no honorary consulate.
    missions: tuple[Mission, ...]
    resident: bool = False  # one of them is in the country
    # The EU with no Delegation in our partial list, outside the Union: the EEAS page on its Delegations.
    directory: str | None = None
    # One of its missions has a caveat in words (a Delegation's), so its JSON depends on the language: set here.
    worded: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "worded", any(m.caveat is not None for m in self.missions))

    @property
    def known(self) -> bool:
        return bool(self.missions)


@dataclass(frozen=True, slots=True)
class Recommendation:
    support_type: SupportType
    score: int
    rules: tuple[Rule, ...]
    issuers: tuple[IssuerOption, ...]
    emergency: bool
    reasons: tuple[Text, ...] = ()  # why, one per rule in ``rules``: the measure's own, or the rule's
    # The defender asked for it, and it goes further than they accept: kept, with a caution (they decide).
    # The limit it goes beyond: the exposure they accept, or what they keep from the authorities
    # (amparo.navigator.rules.AUTHORITIES_LIMITS); else None.
    beyond_exposure: str | None = None
    programmes: tuple[Programme, ...] = ()  # the programmes that deliver it and fit the situation

    @property
    def citations(self) -> tuple[Citation, ...]:
        return self.support_type.citations


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A measure left out: by a rule (``reason``), or because it is more visible than the defender accepts."""

    support_type: SupportType
    reason: Text | None  # None when left out for exposure: see ``accepted_exposure``
    citations: tuple[Citation, ...]
    rule_id: str
    accepted_exposure: str | None = None
    # The defender's own limit that the measure goes beyond (an exposure level, or what they keep from the
    # authorities): a measure they asked for is kept despite it, with a caution. None: a rule's safety reason.
    limit: str | None = None


@dataclass(frozen=True, slots=True)
class Raised:
    """A guidance item the plan raises (a caution or a notice) and the rules that raised it."""

    item: GuidanceItem
    rule_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Step:
    visibility: str
    recommendations: tuple[Recommendation, ...]


@dataclass(frozen=True, slots=True)
class EmergencyTrack:
    title: Text
    note: Text
    programmes: tuple[Programme, ...]  # reachable, fit for the threats, those with a line first (may be none)
    recommendations: tuple[Recommendation, ...]

    @property
    def reachable(self) -> bool:
        """Whether the track names an organisation to contact; when not, it says so rather than name none."""
        return bool(self.programmes)


@dataclass(frozen=True, slots=True)
class NextStep:
    """One of the few things to do first, at the top of a plan: each interface words it in its own language.

    ``contact``: an emergency organisation, by the route that reaches a person soonest; ``ask``: a mission of an
    issuer whose guideline foresees a measure of the plan, for that measure; ``prepare``: the first item of
    the checklist to read before any contact.
    """

    kind: str
    programme: Programme | None = None
    route: ContactRoute | None = None
    recommendation: Recommendation | None = None
    presence: Presence | None = None
    guidance: GuidanceItem | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    situation: Situation
    emergency: EmergencyTrack | None
    steps: tuple[Step, ...]
    excluded: tuple[Exclusion, ...]
    notices: tuple[Raised, ...]
    cautions: tuple[Raised, ...]
    checklist: tuple[GuidanceItem, ...]
    # The issuers of the plan's first measures: those with a mission in the country first, then those with one
    # accredited to it from elsewhere, then the others; the first ISSUERS_SHOWN are shown, the others folded.
    presence: tuple[Presence, ...]
    host_issuer: Issuer | None  # the defender's own State, when it is an issuer: not diplomatic support
    visibility_warning: bool
    applied_rules: tuple[str, ...]

    ranked: tuple[Recommendation, ...] = ()  # outside the emergency track, most relevant first
    # The State's own protection programmes where the defender works and is now (not diplomatic support; run by
    # the authorities, so asking them tells the authorities): none for a defender abroad, who may have fled them.
    national: tuple[Programme, ...] = ()
    next_steps: tuple[NextStep, ...] = ()
    # For a defender abroad who needs to return safely: the same issuers' missions in the country they work in.
    home_presence: tuple[Presence, ...] = ()

    @property
    def recommendations(self) -> tuple[Recommendation, ...]:
        """Every recommendation in plan order: the emergency track, then by relevance."""
        first = self.emergency.recommendations if self.emergency else ()
        return (*first, *self.ranked)


# Issuer options depend only on the dataset, the measure and the issuer left out: made once, not on every plan.
_options: dict[tuple[int, str, str | None], tuple[Dataset, tuple[IssuerOption, ...]]] = {}


def issuer_options(dataset: Dataset, support_type_id: str, excluded_issuer: str | None) -> tuple[IssuerOption, ...]:
    key = (id(dataset), support_type_id, excluded_issuer)
    cached = _options.get(key)
    if cached is None or cached[0] is not dataset:
        if len(_options) > 20_000:  # datasets loaded one after another (tests): keep only the living
            _options.clear()
        if excluded_issuer is not None:  # the host's options are every issuer's without it: the same tuple if it
            every = issuer_options(dataset, support_type_id, None)  # offers nothing, so fewer tuples to prepare
            mine = tuple(o for o in every if o.issuer.id != excluded_issuer)
            options = every if len(mine) == len(every) else mine
        else:
            options = tuple(
                IssuerOption(
                    dataset.issuers[p.issuer_id],
                    p.status,
                    p.citations,
                    p.note,
                    p.nuances,
                    p.uncertain,
                    p.inherited_from,
                )
                for p in dataset.provisions_for(support_type_id)
                if p.status in OFFERED
            )
        cached = _options[key] = (dataset, options)
    return cached[1]


def asked_for(
    situation: Situation, applied: list[Rule], kept: Callable[[str], bool], too_visible: Callable[[str], bool]
) -> list[str]:
    """The measures to keep, with a caution, so that no need the defender stated is dropped in silence.

    A need is met when a measure that a rule suggests for it is in the plan (``kept``). A need
    that no kept measure meets keeps its weightiest measure left out only for going beyond a
    limit of the defender's own (``too_visible``: more visible than they accept, or seen by the
    authorities they keep it from; the first of equals, in rule order): the plan says what it
    would expose, and they decide. A rule's own reason to leave a measure out (a safety reason) stands.
    """
    asked: list[str] = []
    for need in sorted(situation.needs):
        suggested = [
            item
            for rule in applied
            for name, values in rule.when.lists
            if name == STATED_NEEDS and need in values
            for item in rule.recommend
        ]
        candidates = [item for item in suggested if too_visible(item.support_type_id)]
        if candidates and not any(kept(item.support_type_id) for item in suggested):
            first = max(candidates, key=lambda item: item.weight)  # max keeps the first of equals
            if first.support_type_id not in asked:
                asked.append(first.support_type_id)
    return asked


def shown_and_folded(ranked: tuple[Recommendation, ...]) -> tuple[list[Recommendation], list[Recommendation]]:
    """The ranked measures a page shows in full (the first MEASURES_SHOWN, and every one the defender asked for
    beyond the exposure they accept, with its caution) and those it folds, by name, in plan order."""
    shown: list[Recommendation] = []
    folded: list[Recommendation] = []
    own_shown = 0
    for r in ranked:
        if r.beyond_exposure is not None:
            shown.append(r)
        elif own_shown < MEASURES_SHOWN:
            shown.append(r)
            own_shown += 1
        else:
            folded.append(r)
    return shown, folded


def exclusion_groups(excluded: tuple[Exclusion, ...]) -> list[list[Exclusion]]:
    """The measures left out, those left out for one same reason and sources together (in the order each reason
    first comes), so that a plan says each reason once: "A, B and C: the authorities of the country you left…"."""
    groups: dict[tuple[object, ...], list[Exclusion]] = {}
    for exclusion in excluded:
        why = (
            (exclusion.reason.values,)
            if exclusion.reason is not None
            else (exclusion.support_type.visibility, exclusion.accepted_exposure)
        )
        key = (*why, tuple((c.source.id, c.locator) for c in exclusion.citations))
        groups.setdefault(key, []).append(exclusion)
    return list(groups.values())


def digital_threat(situation: Situation) -> bool:
    """Whether the situation has a threat that digital-only help can meet."""
    return not situation.threats.isdisjoint(DIGITAL_THREATS)


def exposure_of(support_type: SupportType) -> str:
    """What a measure would expose if asked for beyond what the defender accepts (labels.VISIBILITY_EXPOSES): the
    public, the authorities, or a formal link with a mission that the authorities need not see (a grant)."""
    if support_type.visibility == "public":
        return "public"
    return "authorities" if support_type.authorities_aware else "formal"


def fits(programme: Programme, situation: Situation) -> bool:
    """Whether a programme is for this defender: digital-only help only for a digital threat, help for one kind of
    defender (e.g. journalists) only for that kind, a regional fund only for the country its regions cover (where
    the defender works). What the data cannot tell (who the defender is) stays with the programme's
    ``audience``, shown beside its name."""
    return (
        (programme.scope != DIGITAL_SCOPE or digital_threat(situation))
        and (not programme.field_ids or not situation.fields.isdisjoint(programme.field_ids))
        and programme.serves(situation.country)
    )


def emergency_programmes(situation: Situation, dataset: Dataset) -> tuple[Programme, ...]:
    """The emergency programmes to contact first: only those with a route we can show (a name with no way to
    reach it helps nobody in danger) that fit the situation, those with a phone or messenger line before the
    others (the dataset's order otherwise)."""
    offered = [p for p in dataset.programmes.values() if p.emergency and p.reachable and fits(p, situation)]
    offered.sort(key=lambda p: not first_line(p))
    return tuple(offered)


def first_line(programme: Programme) -> ContactRoute | None:
    """The programme's first route that reaches a person now (a phone or messenger line), if any."""
    return next((route for route in programme.contacts if route.kind in LINE_KINDS), None)


def programmes_for(support_type_id: str, situation: Situation, dataset: Dataset) -> tuple[Programme, ...]:
    """The programmes that deliver a measure and fit the situation (no State's own programme: see ``national``)."""
    return tuple(p for p in _delivering(dataset).get(support_type_id, ()) if fits(p, situation))


_delivered: dict[str, Any] = {"dataset": None, "by_measure": {}}


def _delivering(dataset: Dataset) -> dict[str, tuple[Programme, ...]]:
    """Per dataset (the one loaded last): each measure's programmes, in the dataset's order, no State's own."""
    if _delivered["dataset"] is not dataset:
        by_measure: dict[str, list[Programme]] = {}
        for p in dataset.programmes.values():
            if NATIONAL_KIND not in p.kinds:
                for support_type_id in p.support_type_ids:
                    by_measure.setdefault(support_type_id, []).append(p)
        _delivered.update(dataset=dataset, by_measure={k: tuple(v) for k, v in by_measure.items()})
    found: dict[str, tuple[Programme, ...]] = _delivered["by_measure"]
    return found


def national_programmes(situation: Situation, dataset: Dataset) -> tuple[Programme, ...]:
    """The protection programmes of the State the defender works in (see Plan.national): for a defender there who
    lets the authorities know; never for one who left, nor for one who keeps the request from them."""
    if situation.abroad or situation.authorities == KEEP_FROM_AUTHORITIES:
        return ()
    return tuple(
        p for p in dataset.programmes.values() if NATIONAL_KIND in p.kinds and situation.country in p.issuer_ids
    )


def next_steps(
    emergency: EmergencyTrack | None,
    in_order: list[Recommendation],
    presence: list[Presence],
    checklist: tuple[GuidanceItem, ...],
) -> tuple[NextStep, ...]:
    """At most three steps in plain words: reach emergency help (when life is in danger and we can name a
    route), ask a mission for the first measure that an issuer with a mission here foresees (resident missions
    first), and read the first thing to prepare before any contact."""
    steps: list[NextStep] = []
    if emergency is not None and emergency.programmes:
        first = emergency.programmes[0]
        steps.append(NextStep("contact", programme=first, route=first_line(first) or first.contacts[0]))
    ask = _first_ask(in_order, presence)
    if ask is not None:
        steps.append(ask)
    if checklist:
        steps.append(NextStep("prepare", guidance=checklist[0]))
    return tuple(steps)


def _first_ask(in_order: list[Recommendation], presence: list[Presence]) -> NextStep | None:
    """The first measure in plan order with a mission to ask for it: a resident one if any measure has one, else
    one accredited from elsewhere, else an issuer's directory (the EU's); else the first measure, to ask anyway.
    Never one the defender asked for beyond their limits: that one stays with its caution, for them to weigh."""
    in_order = [r for r in in_order if r.beyond_exposure is None]
    for wanted in (lambda p: p.resident, lambda p: p.known, lambda p: p.directory is not None):
        for recommendation in in_order:
            foreseen, _counts = _option_issuers(recommendation.issuers)  # by issuer id, made once per options
            found = next((p for p in presence if p.issuer.id in foreseen and wanted(p)), None)
            if found is not None:
                return NextStep("ask", recommendation=recommendation, presence=found)
    return NextStep("ask", recommendation=in_order[0]) if in_order else None


def mission_order(where: str) -> Callable[[Mission], tuple[bool, int, str]]:
    """The order in which to list missions serving ``where``: those in the country first, embassies first."""
    return lambda m: (m.country != where, rank(m), m.city)


def company_home(situation: Situation, recommendations: list[Recommendation]) -> str | None:
    """The issuer where the company linked to the threats is based, when its guidelines explicitly foresee a step
    toward companies that the plan recommends (never the defender's own State, which is not among the options)."""
    home = situation.company_country
    foreseen = (
        o.issuer.id == home and o.status == OFFERED[0]
        for r in recommendations
        if r.support_type.id in COMPANY_MEASURES
        for o in r.issuers
    )
    return home if any(foreseen) else None


# Per dataset (the one loaded last; checked by identity), for each country: every issuer's Presence there, the
# same in every plan (its missions serving the country in mission_order, no honorary consulate, at most
# MISSIONS_SHOWN; for the EU with none in our list outside the Union, the EEAS page), and its rank by name.
_served: dict[str, Any] = {"dataset": None, "where": {}}


def _presences(dataset: Dataset, where: str) -> dict[str, tuple[Presence, str]]:
    if _served["dataset"] is not dataset:
        _served.update(dataset=dataset, where={})
    known: dict[str, dict[str, tuple[Presence, str]]] = _served["where"]
    if where not in known:
        by_issuer: dict[str, list[Mission]] = {}
        for mission in sorted(dataset.missions_serving(where), key=mission_order(where)):
            if not mission.honorary:
                by_issuer.setdefault(mission.issuer_id, []).append(mission)
        members = {i.id for i in dataset.issuers.values() if i.eu_member}
        source = dataset.delegations_source
        entries = {}
        for issuer in dataset.issuers.values():
            shown = tuple(by_issuer.get(issuer.id, ())[:MISSIONS_SHOWN])
            directory = None
            if issuer.id == DELEGATIONS_OF and not shown and where not in members and source is not None:
                directory = source.directory.urls[0]
            presence = Presence(issuer, shown, any(m.country == where for m in shown), directory)
            entries[issuer.id] = (presence, str(issuer.name))
        known[where] = entries
    return known[where]


def prepare(dataset: Dataset) -> None:
    """Fill this module's per-dataset caches for every country and every host at once.

    Why: a cache filled plan by plan would hold, in a long-running server's memory, which countries defenders
    were in and which issuer States they worked in since it started. Filled for all of them, it tells nothing.
    The site's worker processes call it when they start (amparo/wsgi.py, through compact.prepare); a one-plan
    process (``amparo navigate``) has no need to.
    """
    from amparo.guidelines.countries import all_country_codes

    for code in all_country_codes():
        _presences(dataset, code)
    for support_type_id in dataset.support_types:
        for host in (None, *dataset.issuers):
            _option_issuers(issuer_options(dataset, support_type_id, host))


def every_presence(dataset: Dataset) -> list[Presence]:
    """Every issuer's Presence in every country, as plans share them (filled by ``prepare``)."""
    from amparo.guidelines.countries import all_country_codes

    return [presence for code in all_country_codes() for presence, _name in _presences(dataset, code).values()]


def _presence(
    dataset: Dataset, where: str, recommendations: list[Recommendation], first: str | None = None
) -> list[Presence]:
    """Where the issuers of the first measures (that an issuer foresees) have missions serving ``where``;
    ``first``, the company's home issuer, comes before them."""
    top = [r for r in recommendations if r.issuers][:TOP_MEASURES]
    issuers: dict[str, Issuer] = {first: dataset.issuers[first]} if first else {}
    explicit: dict[str, int] = {}
    for recommendation in top:
        in_order, counts = _option_issuers(recommendation.issuers)
        issuers.update(in_order)  # each issuer where it first comes
        for issuer_id, count in counts.items():
            explicit[issuer_id] = explicit.get(issuer_id, 0) + count
    there = _presences(dataset, where)
    ranked = sorted(
        (
            issuer_id != first,
            0 if presence.resident else 1 if presence.known else 2,
            -explicit.get(issuer_id, 0),
            name,
            index,  # equals keep their order, as a stable sort would
            presence,
        )
        for index, (issuer_id, (presence, name)) in enumerate((i, there[i]) for i in issuers)
    )
    return [entry[-1] for entry in ranked]


# Per tuple of issuer options (made once per dataset, measure and host: issuer_options): its issuers in order and
# how many foresee the measure explicitly, so that a plan merges them instead of walking ~30 options per measure.
_issuers_of: dict[int, tuple[tuple[IssuerOption, ...], dict[str, Issuer], dict[str, int]]] = {}


def _option_issuers(options: tuple[IssuerOption, ...]) -> tuple[dict[str, Issuer], dict[str, int]]:
    cached = _issuers_of.get(id(options))
    if cached is None or cached[0] is not options:
        if len(_issuers_of) > 20_000:  # datasets loaded one after another (tests): keep only the living
            _issuers_of.clear()
        in_order: dict[str, Issuer] = {}
        counts: dict[str, int] = {}
        for option in options:
            in_order.setdefault(option.issuer.id, option.issuer)
            if option.status == OFFERED[0]:
                counts[option.issuer.id] = counts.get(option.issuer.id, 0) + 1
        cached = _issuers_of[id(options)] = (options, in_order, counts)
    return cached[1], cached[2]


def keep_from_authorities(
    applied: list[Rule], dataset: Dataset, suggested: dict[str, int], excluded: dict[str, Exclusion]
) -> None:
    """Leave out each suggested measure that makes the authorities aware, when a rule keeps the request from
    them (the first such rule gives the reason), unless another rule already left it out."""
    keep = next((rule for rule in applied if rule.keep_from_authorities), None)
    if keep is None or keep.keep_from_authorities is None:
        return
    effect = keep.keep_from_authorities
    for support_type_id in suggested:
        support_type = dataset.support_types[support_type_id]
        if support_type.authorities_aware and support_type_id not in excluded:
            excluded[support_type_id] = Exclusion(
                support_type, effect.reason, effect.citations, keep.id, limit=effect.limit
            )


def make_plan(situation: Situation, dataset: Dataset, rules: RuleBook) -> Plan:
    """The plan for ``situation``: same input, same plan, on every interface."""
    order = {sid: i for i, sid in enumerate(dataset.support_types)}
    scores: dict[str, int] = {}
    producers: dict[str, list[Rule]] = {}
    reasons: dict[str, list[Text]] = {}
    emergency_ids: set[str] = set()
    excluded: dict[str, Exclusion] = {}
    cautions: dict[str, list[str]] = {}
    notices: dict[str, list[str]] = {}
    applied = [rule for rule in rules.rules if rule.applies(situation)]
    for rule in applied:
        for item in rule.recommend:
            scores[item.support_type_id] = scores.get(item.support_type_id, 0) + item.weight
            producers.setdefault(item.support_type_id, []).append(rule)
            reasons.setdefault(item.support_type_id, []).append(rule.reason_for(item, situation))
            if item.emergency:
                emergency_ids.add(item.support_type_id)
        for left_out in rule.exclude:
            if left_out.support_type_id not in excluded:  # the first rule to leave a measure out gives the reason
                excluded[left_out.support_type_id] = Exclusion(
                    dataset.support_types[left_out.support_type_id], left_out.reason, left_out.citations, rule.id
                )
        for guidance_id in rule.cautions:
            cautions.setdefault(guidance_id, []).append(rule.id)
        for guidance_id in rule.notices:
            notices.setdefault(guidance_id, []).append(rule.id)

    keep_from_authorities(applied, dataset, scores, excluded)
    allowed = set(rules.exposure[situation.exposure])
    exposure_item = dataset.guidance[rules.exposure_guidance]
    for support_type_id in scores:
        support_type = dataset.support_types[support_type_id]
        if support_type.visibility not in allowed and support_type_id not in excluded:
            excluded[support_type_id] = Exclusion(
                support_type,
                None,
                exposure_item.citations,
                EXPOSURE_RULE,
                accepted_exposure=situation.exposure,
                limit=situation.exposure,
            )
    beyond = asked_for(
        situation,
        applied,
        kept=lambda sid: sid in scores and sid not in excluded,
        too_visible=lambda sid: sid in excluded and excluded[sid].limit is not None,
    )
    limits = {sid: excluded.pop(sid).limit for sid in beyond}

    host = dataset.issuers.get(situation.country)
    kept = [sid for sid in scores if sid not in excluded]
    kept.sort(key=lambda sid: (sid in beyond, -scores[sid], order[sid]))  # what goes further than accepted: last
    # ...those that share a caution (the same limit, the same exposure) together, in the order of the first of each.
    caution = {sid: (limits[sid], exposure_of(dataset.support_types[sid])) for sid in beyond}
    leads = {key: i for i, key in reversed(list(enumerate(caution[sid] for sid in kept if sid in caution)))}
    kept.sort(key=lambda sid: (sid in beyond, leads[caution[sid]] if sid in caution else 0))  # stable
    recommendations = {
        sid: Recommendation(
            support_type=dataset.support_types[sid],
            score=scores[sid],
            rules=tuple(producers[sid]),
            reasons=tuple(reasons[sid]),
            issuers=issuer_options(dataset, sid, host.id if host else None),
            emergency=sid in emergency_ids,
            beyond_exposure=limits.get(sid),
            programmes=programmes_for(sid, situation, dataset),
        )
        for sid in kept
    }
    emergency = None
    if emergency_ids:
        emergency = EmergencyTrack(
            title=rules.emergency_title,
            note=rules.emergency_note,
            programmes=emergency_programmes(situation, dataset),
            recommendations=tuple(recommendations[sid] for sid in kept if sid in emergency_ids),
        )
    steps = tuple(
        Step(
            visibility,
            tuple(
                recommendations[sid]
                for sid in kept
                if sid not in emergency_ids and recommendations[sid].support_type.visibility == visibility
            ),
        )
        for visibility in VISIBILITIES
    )
    steps = tuple(step for step in steps if step.recommendations)

    in_order = [recommendations[sid] for sid in kept if sid in emergency_ids]
    in_order += [recommendations[sid] for sid in kept if sid not in emergency_ids]
    # A defender abroad needs the missions where they are now.
    checklist = tuple(dataset.guidance[g] for g in rules.checklist)
    first = company_home(situation, in_order)
    presence = _presence(dataset, situation.where_now, in_order, first)
    home_presence: tuple[Presence, ...] = ()
    if situation.abroad and RETURN_NEED in situation.needs:
        home_presence = tuple(_presence(dataset, situation.country, in_order, first))

    return Plan(
        situation=situation,
        emergency=emergency,
        steps=steps,
        ranked=tuple(recommendations[sid] for sid in kept if sid not in emergency_ids),
        # Only what the situation made relevant: a rule that rules out a measure nobody suggested says nothing.
        excluded=tuple(
            sorted((e for sid, e in excluded.items() if sid in scores), key=lambda e: order[e.support_type.id])
        ),
        notices=tuple(Raised(dataset.guidance[g], tuple(ids)) for g, ids in notices.items()),
        cautions=tuple(Raised(dataset.guidance[g], tuple(ids)) for g, ids in cautions.items()),
        checklist=checklist,
        presence=tuple(presence),
        home_presence=home_presence,
        host_issuer=host,
        visibility_warning=situation.family_at_risk,
        applied_rules=tuple(rule.id for rule in applied),
        national=national_programmes(situation, dataset),
        next_steps=next_steps(emergency, in_order, presence, checklist),
    )
