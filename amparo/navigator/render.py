"""A plan as JSON, Markdown or plain text, for the API and the CLI (the site uses templates).

Every line that recommends something names its rules and its sources.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from amparo.guidelines.countries import country_name
from amparo.guidelines.export import citation as citation_json
from amparo.guidelines.model import Citation, ContactRoute, Mission, Programme
from amparo.labels import (
    ASKED_BEYOND_EXPOSURE,
    ASKED_BEYOND_EXPOSURE_MANY,
    CONTACT_KINDS,
    EXPOSURE_LABELS,
    VISIBILITY_EXPOSES,
)
from amparo.navigator.plan import ISSUERS_SHOWN, Exclusion, NextStep, Plan, Presence, Recommendation, exposure_of
from amparo.navigator.situation import situation_as_dict

FORMAT_VERSION = 1
# Why a measure is left out when it is more visible than the defender accepts (the rule file gives other reasons).
EXPOSURE_REASON = "It is a {visibility} measure, and you accept {exposure} exposure only."
# An emergency track with no organisation we can show a checked way to reach: said plainly, never an empty list.
NO_ROUTE = (
    "We hold no contact route for an emergency organisation that we have checked on its own page, so we name "
    "none here. The Amparo page “Emergency help” lists the emergency organisations we know of."
)


def _cites(citations: tuple[Citation, ...]) -> str:
    return "; ".join(f"{c.source.id}" + (f" ({c.locator})" if c.locator else "") for c in citations)


def exclusion_reason(exclusion: Exclusion, language: str = "en") -> str:
    if exclusion.reason is not None:
        return exclusion.reason.get(language)
    return EXPOSURE_REASON.format(visibility=exclusion.support_type.visibility, exposure=exclusion.accepted_exposure)


def contact_json(route: ContactRoute, language: str) -> dict[str, Any]:
    return {
        "kind": route.kind,
        "value": route.value,
        "href": route.href,
        "label": route.label.get(language) if route.label else None,
        "page": route.page,
        "checked": route.checked.isoformat(),
    }


def route_line(route: ContactRoute, language: str = "en") -> str:
    """A route written out in full, with where and when we read it: for a plan on paper or in a terminal."""
    label = route.label.get(language) if route.label else CONTACT_KINDS.get(route.kind, route.kind)
    return f"{label}: {route.value} (checked {route.checked.isoformat()} on {route.page})"


def programme_json(p: Programme, language: str) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name.get(language),
        "how_to_reach": p.how_to_reach.get(language) if p.how_to_reach else None,
        "url": p.url,
        "scope": p.scope,
        "fields": list(p.field_ids),
        "audience": p.audience.get(language) if p.audience else None,
        "contacts": [contact_json(route, language) for route in p.contacts],
        "sources": [citation_json(c) for c in p.citations],
    }


def _recommendation(r: Recommendation, language: str) -> dict[str, Any]:
    s = r.support_type
    return {
        "support_type": s.id,
        "name": s.name.get(language),
        "visibility": s.visibility,
        "urgency": s.urgency,
        "last_resort": s.last_resort,
        "score": r.score,
        "emergency": r.emergency,
        "beyond_exposure": r.beyond_exposure,
        "why": [{"rule": rule.id, "reason": why.get(language)} for rule, why in zip(r.rules, r.reasons, strict=True)],
        "sources": [citation_json(c) for c in s.citations],
        "preconditions": [
            {"note": n.text.get(language), "sources": [citation_json(c) for c in n.citations]} for n in s.preconditions
        ],
        "cautions": [
            {"note": n.text.get(language), "sources": [citation_json(c) for c in n.citations]} for n in s.cautions
        ],
        "programmes": [p.id for p in r.programmes],
        "issuers": [
            {
                "issuer": o.issuer.id,
                "status": o.status,
                "sources": [citation_json(c) for c in o.citations],
                "nuances": [
                    {"note": n.text.get(language), "sources": [citation_json(c) for c in n.citations]}
                    for n in o.nuances
                ],
            }
            for o in r.issuers
        ],
    }


def plan_json(plan: Plan, language: str = "en") -> dict[str, Any]:
    return {"format_version": FORMAT_VERSION, **plan_body_json(plan, language, lambda r: _recommendation(r, language))}


def plan_body_json(
    plan: Plan, language: str, recommendation: Callable[[Recommendation], dict[str, Any]]
) -> dict[str, Any]:
    """A plan's JSON after its format version, the same in formats 1 and 2 but for how each writes a measure
    (``recommendation``): the situation, the next steps, the emergency track, the steps, and plan_tail_json."""
    return {
        "situation": situation_as_dict(plan.situation),
        "next_steps": [next_step_json(step, language) for step in plan.next_steps],
        "emergency": None
        if plan.emergency is None
        else {
            "title": plan.emergency.title.get(language),
            "note": plan.emergency.note.get(language),
            "programmes": [programme_json(p, language) for p in plan.emergency.programmes],
            "recommendations": [recommendation(r) for r in plan.emergency.recommendations],
        },
        "steps": [
            {"visibility": step.visibility, "recommendations": [recommendation(r) for r in step.recommendations]}
            for step in plan.steps
        ],
        **plan_tail_json(plan, language),
    }


def plan_tail_json(plan: Plan, language: str) -> dict[str, Any]:
    """What follows the measures in a plan's JSON, the same in formats 1 and 2: what was left out, the guidance
    raised, the missions, the host State and national protection, and the rules applied."""
    return {
        "excluded": [
            {
                "support_type": e.support_type.id,
                "rule": e.rule_id,
                "reason": exclusion_reason(e, language),
                "sources": [citation_json(c) for c in e.citations],
            }
            for e in plan.excluded
        ],
        "notices": [
            {"guidance": n.item.id, "title": n.item.title.get(language), "rules": list(n.rule_ids)}
            for n in plan.notices
        ],
        "cautions": [
            {"guidance": c.item.id, "title": c.item.title.get(language), "rules": list(c.rule_ids)}
            for c in plan.cautions
        ],
        "checklist": [{"guidance": g.id, "title": g.title.get(language)} for g in plan.checklist],
        "missions": [presence_json(p, language) for p in plan.presence],
        "home_missions": [presence_json(p, language) for p in plan.home_presence],
        "host_issuer": plan.host_issuer.id if plan.host_issuer else None,
        "national": [p.id for p in plan.national],
        "visibility_warning": plan.visibility_warning,
        "rules_applied": list(plan.applied_rules),
    }


def next_step_json(step: NextStep, language: str) -> dict[str, Any]:
    """A next step by its ids: the interfaces word it (the route in full, as it is what to use now)."""
    mission = step.presence.missions[0] if step.presence and step.presence.missions else None
    return {
        "kind": step.kind,
        "programme": step.programme.id if step.programme else None,
        "route": contact_json(step.route, language) if step.route else None,
        "support_type": step.recommendation.support_type.id if step.recommendation else None,
        "issuer": step.presence.issuer.id if step.presence else None,
        "mission": mission.id if mission else None,
        "guidance": step.guidance.id if step.guidance else None,
    }


def _mission(m: Mission, language: str) -> dict[str, Any]:
    """A mission; an EU Delegation with a caveat also has its status (None for a plain note) and the note."""
    result: dict[str, Any] = {"id": m.id, "city": m.city, "country": m.country, "kind": m.kind}
    if m.caveat is not None:
        result |= {"status": m.caveat.status, "note": m.caveat.note.get(language)}
    return result


def presence_json(p: Presence, language: str) -> dict[str, Any]:
    """An issuer of the plan's first measures and its missions; the EU with none known, the EEAS page."""
    result: dict[str, Any] = {
        "issuer": p.issuer.id,
        "known": p.known,
        "resident": p.resident,
        "missions": [_mission(m, language) for m in p.missions],
    }
    if p.directory:
        result["directory"] = p.directory
    return result


def _mission_words(m: Mission, where: str, language: str) -> str:
    words = m.kind + (f" in {m.city}" if m.city else "")
    if m.country != where and m.country:
        words += f" ({country_name(m.country)})"
    if m.caveat is not None:
        words += f" [{m.caveat.status + ': ' if m.caveat.status else ''}{m.caveat.note.get(language)}]"
    return words


def _presence_line(p: Presence, where: str, language: str) -> str:
    if p.known:
        found = "; ".join(_mission_words(m, where, language) for m in p.missions)
    elif p.directory:
        found = f"not in our partial list of its Delegations; the EU has Delegations in most countries: {p.directory}"
    else:
        found = "not known from the missions data"
    return f"- {p.issuer.name.get(language)}: {found}"


def _step_line(step: NextStep, where: str, language: str) -> str:
    """A next step in words, as the plan page says it (web/_next_step.html)."""
    if step.kind == "contact" and step.programme and step.route:
        return f"Contact {step.programme.name.get(language)} now: {route_line(step.route, language)}"
    if step.kind == "ask" and step.recommendation:
        measure = step.recommendation.support_type.name.get(language)
        if step.presence is None:
            return f"Ask a mission for “{measure}”: no guideline foresees it explicitly, but you can still ask."
        issuer = step.presence.issuer.name.get(language)
        if not step.presence.missions:
            return f"Ask for “{measure}”: {issuer} (its list of Delegations is below)."
        m = step.presence.missions[0]
        place = f" in {m.city}" + (f" ({country_name(m.country)})" if m.country and m.country != where else "")
        return f"Ask for “{measure}”: {issuer}, {m.kind}{place if m.city else ''}."
    if step.guidance is not None:
        return f"Before you contact a mission: {step.guidance.title.get(language)}."
    return ""


def plan_markdown(plan: Plan, language: str = "en") -> str:
    where = plan.situation.where_now
    now = f", now in {country_name(where)}" if plan.situation.abroad else ""
    lines = [f"# Plan for a defender working in {country_name(plan.situation.country)}{now}", ""]
    if plan.next_steps:
        lines += ["## Next steps", ""]
        lines += [f"{n}. {_step_line(step, where, language)}" for n, step in enumerate(plan.next_steps, 1)] + [""]
    for notice in plan.notices:
        lines += [f"> **{notice.item.title.get(language)}**: {notice.item.body.get(language)}", ""]
    if plan.visibility_warning:
        lines += [
            "> **Visibility**: you said visibility could put your family or community at risk. "
            "Weigh every formal or public step with them first.",
            "",
        ]
    if plan.emergency:
        lines += [f"## {plan.emergency.title.get(language)}", "", plan.emergency.note.get(language), ""]
        for programme in plan.emergency.programmes:
            reach = f" ({programme.audience.get(language)})" if programme.audience else ""
            reach += f" — {programme.how_to_reach.get(language)}" if programme.how_to_reach else ""
            lines.append(f"- **{programme.name.get(language)}**{reach} [{_cites(programme.citations)}]")
            lines += [f"  - {route_line(route, language)}" for route in programme.contacts]
        if not plan.emergency.reachable:
            lines.append(f"- {NO_ROUTE}")
        lines += [""] + [_line(r, language) for r in plan.emergency.recommendations] + [""]
    lines += ["## What to ask for, most relevant first", ""]
    lines += [_line(r, language) for r in plan.ranked] + [""]
    for programme in plan.national:
        lines += [
            f"- National protection, not diplomatic support: {programme.name.get(language)}. The State runs it, "
            "so asking for it tells the authorities; you decide.",
            "",
        ]
    lines += ["## Escalation path", ""]
    for number, step in enumerate(plan.steps, 1):
        names = ", ".join(r.support_type.name.get(language) for r in step.recommendations)
        lines.append(f"{number}. {step.visibility.capitalize()} measures first: {names}")
    lines += [""]
    if plan.excluded:
        lines += ["## Left out", ""]
        lines += [
            f"- {e.support_type.name.get(language)}: {exclusion_reason(e, language)} [{_cites(e.citations)}]"
            for e in plan.excluded
        ]
        lines += [""]
    lines += [f"## Which missions to approach in {country_name(where)}", ""]
    if plan.host_issuer:
        lines += [
            f"- {plan.host_issuer.name.get(language)} is your own State: "
            "its programmes are not diplomatic support to you.",
            "",
        ]
    lines += [_presence_line(p, where, language) for p in plan.presence[:ISSUERS_SHOWN]]
    if len(plan.presence) > ISSUERS_SHOWN:
        others = ", ".join(p.issuer.name.get(language) for p in plan.presence[ISSUERS_SHOWN:])
        lines.append(f"- Also: {others}")
    if plan.home_presence:
        lines += ["", f"## For your return: missions in {country_name(plan.situation.country)}", ""]
        lines += [_presence_line(p, plan.situation.country, language) for p in plan.home_presence[:ISSUERS_SHOWN]]
    lines += ["", "## Watch out for", ""]
    lines += [f"- {c.item.title.get(language)} [{_cites(c.item.citations)}]" for c in plan.cautions]
    lines += ["", "## Before you make contact", ""]
    lines += [f"- {g.title.get(language)} [{_cites(g.citations)}]" for g in plan.checklist]
    lines += ["", f"Rules applied: {', '.join(plan.applied_rules)}."]
    return "\n".join(lines) + "\n"


def _line(r: Recommendation, language: str) -> str:
    s = r.support_type
    explicit = [o.issuer.name.get(language) for o in r.issuers if o.status == "explicit"]
    inherited = sum(1 for o in r.issuers if o.status == "inherited")
    issuers = ", ".join(explicit) or "no guideline explicitly (you can still ask)"
    if inherited:
        issuers += f"; and {inherited} EU member States through the EU guidelines"
    tag = " — last resort" if s.last_resort else ""
    caution = f" **{asked_beyond_exposure(r)}**" if r.beyond_exposure else ""
    programmes = ", ".join(p.name.get(language) for p in r.programmes)
    offered = f" Programmes that offer it: {programmes}." if programmes else ""
    return (
        f"- **{s.name.get(language)}**{tag}: {' '.join(why.get(language) for why in r.reasons)}{caution} "
        f"Foreseen by: {issuers}.{offered} [{_cites(s.citations)}]"
    )


def asked_beyond_exposure(r: Recommendation, translate: Callable[[str], str] = str, count: int = 1) -> str:
    """The caution on a measure the defender asked for that goes further than they accept; with ``count``, on
    that many in a row that go beyond the same limit and would expose the same (see asked_runs)."""
    return translate(ASKED_BEYOND_EXPOSURE if count == 1 else ASKED_BEYOND_EXPOSURE_MANY) % {
        "accepted": translate(EXPOSURE_LABELS[r.beyond_exposure or "none"]),
        "exposes": translate(VISIBILITY_EXPOSES[exposure_of(r.support_type)]),
    }


def asked_runs(recommendations: list[Recommendation]) -> list[list[Recommendation]]:
    """The measures asked for beyond what the defender accepts, in plan order, in runs that share one caution
    (the same limit, the same exposure): a page says it once per run, not once per measure."""
    runs: list[list[Recommendation]] = []
    for r in recommendations:
        if r.beyond_exposure is None:
            continue
        key = (r.beyond_exposure, exposure_of(r.support_type))
        if runs and (runs[-1][0].beyond_exposure, exposure_of(runs[-1][0].support_type)) == key:
            runs[-1].append(r)
        else:
            runs.append([r])
    return runs


def plan_text(plan: Plan, language: str = "en") -> str:
    """Markdown without its markup, for a terminal."""
    # Only the headings' marks: a route's page may have a "#" in its address, and it is printed in full.
    return re.sub(r"(?m)^#+ ", "", plan_markdown(plan, language).replace("**", ""))
