"""Evaluate the rules for a situation and assemble the plan.

Shape of a plan, by design (do no harm): the emergency track first when life is
in danger; then the measures ranked by the weight the rules gave them; and the
same measures as an escalation path, discreet before formal before public.
Measures that the defender's accepted exposure or unmet preconditions rule out
are listed apart, with the reason and its sources.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from amparo.guidelines.missions import rank
from amparo.guidelines.model import (
    VISIBILITIES,
    Citation,
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
MEASURES_SHOWN = 8  # ranked measures shown in full on a phone; the rest folded, by name (what was asked: always shown)
STATED_NEEDS = "needs"  # the situation's field of what the defender asks for (see asked_for)
OFFERED = ("explicit", "inherited")  # the provision statuses under which an issuer's guidelines foresee a measure
# Emergency help, first and reachable: the threats (ids of situations.yaml) that a programme of scope DIGITAL_SCOPE,
# help for digital threats only, can meet; and the route kinds that reach a person now, whose programmes come first.
DIGITAL_THREATS = ("online-harassment", "surveillance")
DIGITAL_SCOPE = "digital"
LINE_KINDS = ("phone", "messenger")


@dataclass(frozen=True)
class IssuerOption:
    """An issuer whose guidelines foresee a recommended measure, and where it has missions."""

    issuer: Issuer
    status: str  # explicit or inherited
    citations: tuple[Citation, ...]
    note: Text | None
    nuances: tuple[Note, ...]
    uncertain: Text | None
    inherited_from: str | None = None  # the issuer whose guidelines it follows for this measure, when inherited


@dataclass(frozen=True)
class Presence:
    """Whether an issuer has a mission serving where the defender is now, per the missions data."""

    issuer: Issuer
    # Serving that country: those in it first, then those accredited to it from elsewhere; no honorary consulate.
    missions: tuple[Mission, ...]
    resident: bool = False  # one of them is in the country
    # The EU with no Delegation in our partial list, outside the Union: the EEAS page on its Delegations.
    directory: str | None = None

    @property
    def known(self) -> bool:
        return bool(self.missions)


@dataclass(frozen=True)
class Recommendation:
    support_type: SupportType
    score: int
    rules: tuple[Rule, ...]
    issuers: tuple[IssuerOption, ...]
    emergency: bool
    reasons: tuple[Text, ...] = ()  # why, one per rule in ``rules``: the measure's own, or the rule's
    # The defender asked for it, and it is more visible than they accept: kept, with a caution (they decide).
    # The exposure they accept, else None.
    beyond_exposure: str | None = None

    @property
    def citations(self) -> tuple[Citation, ...]:
        return self.support_type.citations


@dataclass(frozen=True)
class Exclusion:
    """A measure left out: by a rule (``reason``), or because it is more visible than the defender accepts."""

    support_type: SupportType
    reason: Text | None  # None when left out for exposure: see ``accepted_exposure``
    citations: tuple[Citation, ...]
    rule_id: str
    accepted_exposure: str | None = None


@dataclass(frozen=True)
class Raised:
    """A guidance item the plan raises (a caution or a notice) and the rules that raised it."""

    item: GuidanceItem
    rule_ids: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    visibility: str
    recommendations: tuple[Recommendation, ...]


@dataclass(frozen=True)
class EmergencyTrack:
    title: Text
    note: Text
    programmes: tuple[Programme, ...]  # reachable, fit for the threats, those with a line first (may be none)
    recommendations: tuple[Recommendation, ...]

    @property
    def reachable(self) -> bool:
        """Whether the track names an organisation to contact; when not, it says so rather than name none."""
        return bool(self.programmes)


@dataclass(frozen=True)
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

    @property
    def recommendations(self) -> tuple[Recommendation, ...]:
        """Every recommendation in plan order: the emergency track, then by relevance."""
        first = self.emergency.recommendations if self.emergency else ()
        return (*first, *self.ranked)


# Issuer options depend only on the dataset, the measure and the issuer left out: made once, not on every plan.
_options: dict[tuple[int, str, str | None], tuple[Dataset, tuple[IssuerOption, ...]]] = {}


def _issuer_options(dataset: Dataset, support_type_id: str, excluded_issuer: str | None) -> tuple[IssuerOption, ...]:
    key = (id(dataset), support_type_id, excluded_issuer)
    cached = _options.get(key)
    if cached is None or cached[0] is not dataset:
        if len(_options) > 20_000:  # datasets loaded one after another (tests): keep only the living
            _options.clear()
        options = tuple(
            IssuerOption(
                dataset.issuers[p.issuer_id], p.status, p.citations, p.note, p.nuances, p.uncertain, p.inherited_from
            )
            for p in dataset.provisions_for(support_type_id)
            if p.status in OFFERED and p.issuer_id != excluded_issuer
        )
        cached = _options[key] = (dataset, options)
    return cached[1]


def asked_for(
    situation: Situation, applied: list[Rule], kept: Callable[[str], bool], too_visible: Callable[[str], bool]
) -> list[str]:
    """The measures to keep, with a caution, so that no need the defender stated is dropped in silence.

    A need is met when a measure that a rule suggests for it is in the plan (``kept``). A need
    that no kept measure meets keeps its weightiest measure left out only for being more
    visible than the defender accepts (``too_visible``; the first of equals, in rule order):
    the plan says what it would expose, and they decide. A rule's own reason to leave a
    measure out (a safety reason) stands.
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


def digital_threat(situation: Situation) -> bool:
    """Whether the situation has a threat that digital-only help can meet."""
    return bool(situation.threats & set(DIGITAL_THREATS))


def emergency_programmes(situation: Situation, dataset: Dataset) -> tuple[Programme, ...]:
    """The emergency programmes to contact first: only those with a route we can show (a name with no way to
    reach it helps nobody in danger), a digital-only helper only for a digital threat, and those with a phone
    or messenger line before the others (the dataset's order otherwise)."""
    digital = digital_threat(situation)
    offered = [
        p
        for p in dataset.programmes.values()
        if p.emergency
        and p.reachable
        and (p.scope != DIGITAL_SCOPE or digital)
        and (not p.field_ids or situation.fields & set(p.field_ids))  # e.g. journalists' help for journalists
    ]
    offered.sort(key=lambda p: not any(route.kind in LINE_KINDS for route in p.contacts))
    return tuple(offered)


def mission_order(where: str) -> Callable[[Mission], tuple[bool, int, str]]:
    """The order in which to list missions serving ``where``: those in the country first, embassies first."""
    return lambda m: (m.country != where, rank(m), m.city)


def _presence(dataset: Dataset, where: str, recommendations: list[Recommendation]) -> list[Presence]:
    """Where the issuers of the first measures (that an issuer foresees) have missions serving ``where``."""
    top = [r for r in recommendations if r.issuers][:TOP_MEASURES]
    issuers: dict[str, Issuer] = {}
    explicit: dict[str, int] = {}
    for recommendation in top:
        for option in recommendation.issuers:
            issuers.setdefault(option.issuer.id, option.issuer)
            explicit[option.issuer.id] = explicit.get(option.issuer.id, 0) + (option.status == OFFERED[0])
    members = {i.id for i in dataset.issuers.values() if i.eu_member}
    source = dataset.delegations_source
    presence = []
    by_issuer: dict[str, list[Mission]] = {}
    for mission in dataset.missions_serving(where):
        if not mission.honorary:
            by_issuer.setdefault(mission.issuer_id, []).append(mission)
    for issuer in issuers.values():
        serving = sorted(by_issuer.get(issuer.id, ()), key=mission_order(where))
        shown = tuple(serving[:MISSIONS_SHOWN])
        directory = None
        if issuer.id == DELEGATIONS_OF and not shown and where not in members and source is not None:
            directory = source.directory.urls[0]
        presence.append(Presence(issuer, shown, any(m.country == where for m in shown), directory))
    presence.sort(key=lambda p: (0 if p.resident else 1 if p.known else 2, -explicit[p.issuer.id], str(p.issuer.name)))
    return presence


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
            reasons.setdefault(item.support_type_id, []).append(item.reason or rule.reason)
            if item.emergency:
                emergency_ids.add(item.support_type_id)
        for left_out in rule.exclude:
            excluded.setdefault(
                left_out.support_type_id,
                Exclusion(
                    dataset.support_types[left_out.support_type_id],
                    left_out.reason,
                    left_out.citations,
                    rule.id,
                ),
            )
        for guidance_id in rule.cautions:
            cautions.setdefault(guidance_id, []).append(rule.id)
        for guidance_id in rule.notices:
            notices.setdefault(guidance_id, []).append(rule.id)

    allowed = set(rules.exposure[situation.exposure])
    exposure_item = dataset.guidance[rules.exposure_guidance]
    for support_type_id in scores:
        support_type = dataset.support_types[support_type_id]
        if support_type.visibility not in allowed and support_type_id not in excluded:
            excluded[support_type_id] = Exclusion(
                support_type, None, exposure_item.citations, EXPOSURE_RULE, accepted_exposure=situation.exposure
            )
    beyond = asked_for(
        situation,
        applied,
        kept=lambda sid: sid in scores and sid not in excluded,
        too_visible=lambda sid: sid in excluded and excluded[sid].rule_id == EXPOSURE_RULE,
    )
    for sid in beyond:
        del excluded[sid]

    host = dataset.issuers.get(situation.country)
    kept = [sid for sid in scores if sid not in excluded]
    kept.sort(key=lambda sid: (sid in beyond, -scores[sid], order[sid]))  # what goes further than accepted: last
    recommendations = {
        sid: Recommendation(
            support_type=dataset.support_types[sid],
            score=scores[sid],
            rules=tuple(producers[sid]),
            reasons=tuple(reasons[sid]),
            issuers=_issuer_options(dataset, sid, host.id if host else None),
            emergency=sid in emergency_ids,
            beyond_exposure=situation.exposure if sid in beyond else None,
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
    presence = _presence(dataset, situation.where_now, in_order)

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
        checklist=tuple(dataset.guidance[g] for g in rules.checklist),
        presence=tuple(presence),
        host_issuer=host,
        visibility_warning=situation.family_at_risk,
        applied_rules=tuple(rule.id for rule in applied),
    )
