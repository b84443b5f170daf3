"""A letter from a navigator plan: the plan's measures that one of its issuers foresees.

The site's plan page and ``amparo letter --plan`` start from a plan rather than a list of
measures: the request takes the plan's most relevant measures for the chosen issuer, and
consent to public action defaults to the exposure the defender accepted. A letter may go
to any issuer whose guidelines foresee a measure of the plan (:func:`plan_recipients`),
not only to those of its first measures that the plan shows with their missions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from amparo.documents.letter.compose import build_letter
from amparo.documents.letter.model import Letter
from amparo.documents.letter.request import LetterError, LetterRequest, parse_letter_request
from amparo.guidelines.model import Dataset
from amparo.navigator.plan import MISSIONS_SHOWN, OFFERED, Plan, Presence, mission_order
from amparo.navigator.situation import FieldError

FROM_PLAN = 5  # a letter from a plan asks for its most relevant measures, not all of them


def plan_support_types(plan: Plan, issuer_id: str) -> tuple[str, ...]:
    """The plan's recommended measures that this issuer foresees (explicit or inherited), in plan order, at most 5.

    What the defender asked for, kept in the plan though it goes further than they accept
    (``beyond_exposure``), comes last in the plan but is never cut from the letter by the limit.
    """
    foreseen = [
        r
        for r in plan.recommendations
        if any(o.issuer.id == issuer_id and o.status in ("explicit", "inherited") for o in r.issuers)
    ]
    asked = [r.support_type.id for r in foreseen if r.beyond_exposure is not None][:FROM_PLAN]
    others = [r.support_type.id for r in foreseen if r.beyond_exposure is None]
    return (*others[: FROM_PLAN - len(asked)], *asked)


def plan_recipients(plan: Plan, dataset: Dataset) -> tuple[Presence, ...]:
    """Every issuer a letter from this plan may go to, with its missions serving where the defender is now.

    First the plan's own list (the issuers of its first measures, those with a mission in the
    country first), then, by name, each other issuer that foresees a measure of the plan. An
    issuer with no mission in the missions data is still listed: its letter is addressed to its
    embassy, or to the EU Delegation, with no address. The defender's own State is never among
    them (the plan leaves it out of every measure).
    """
    shown = {p.issuer.id for p in plan.presence}
    where = plan.situation.where_now
    others = {
        option.issuer.id: option.issuer
        for recommendation in plan.recommendations
        for option in recommendation.issuers
        if option.status in OFFERED and option.issuer.id not in shown
    }
    extra = []
    for issuer in sorted(others.values(), key=lambda i: str(i.name)):
        serving = sorted(
            (m for m in dataset.missions_serving(where) if m.issuer_id == issuer.id and not m.honorary),
            key=mission_order(where),
        )
        missions = tuple(serving[:MISSIONS_SHOWN])
        extra.append(Presence(issuer, missions, any(m.country == where for m in missions)))
    return (*plan.presence, *extra)


def request_from_plan(plan: Plan, data: Mapping[str, Any], dataset: Dataset) -> LetterRequest:
    """A request to one of the plan's issuers for the plan's measures it foresees; ``data`` has the other fields.

    ``support_types``, when given, are the measures the defender chose among the plan's, asked
    for in the order given. Consent to public action defaults to the exposure the defender
    accepted in the situation.
    """
    if not isinstance(data, Mapping):
        raise LetterError([FieldError("letter", "must be an object with named fields")])
    issuer_id = data.get("issuer")
    issuer_id = issuer_id.strip().upper() if isinstance(issuer_id, str) else issuer_id
    in_plan = {p.issuer.id for p in plan_recipients(plan, dataset)}
    errors: list[FieldError] = []
    if issuer_id in (None, ""):
        errors.append(FieldError("issuer", "required: one of the plan's issuers", "required"))
    elif issuer_id not in in_plan:
        errors.append(FieldError("issuer", f"not among the issuers of this plan: {', '.join(sorted(in_plan))}"))
    chosen = data.get("support_types")
    if chosen:
        in_plan_measures = {r.support_type.id for r in plan.recommendations}
        items = [chosen] if isinstance(chosen, str) else chosen
        if isinstance(items, list | tuple) and not all(item in in_plan_measures for item in items):
            errors.append(FieldError("support_types", "not among the measures of this plan"))
    fields = {key: value for key, value in data.items() if key != "support_types"}
    fields["public_consent"] = data.get("public_consent") or plan.situation.exposure
    fields["issuer"] = None if errors else issuer_id
    fields["support_types"] = [] if errors else chosen or list(plan_support_types(plan, cast(str, issuer_id)))
    try:
        request = parse_letter_request(fields, dataset)
    except LetterError as exc:
        # With no issuer, "issuer" and "support_types" would only repeat the problem already reported.
        errors += [e for e in exc.errors if not (errors and e.field in ("issuer", "support_types"))]
    if errors:
        raise LetterError(errors)
    return request


def letter_from_plan(plan: Plan, issuer_id: str, dataset: Dataset, **fields: Any) -> Letter:
    """The letter to ``issuer_id`` for the plan's measures it foresees; ``fields`` are the request's other fields."""
    return build_letter(request_from_plan(plan, {**fields, "issuer": issuer_id}, dataset), dataset)
