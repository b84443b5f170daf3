"""A plan as JSON, Markdown or plain text, for the API and the CLI (the site uses templates).

Every line that recommends something names its rules and its sources. The text forms are written in the
plan's language with the site's own messages (the plan page's, where it says the same thing), through
:class:`~amparo.guidelines.words.Words`; the JSON gives ids and the dataset's texts in that language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from amparo.guidelines.countries import localized_country_name
from amparo.guidelines.export import citation as citation_json
from amparo.guidelines.model import Citation, ContactRoute, Mission, Programme
from amparo.guidelines.words import Words, gettext_noop, words_in
from amparo.labels import (
    ASKED_BEYOND_EXPOSURE,
    ASKED_BEYOND_EXPOSURE_MANY,
    CONTACT_KINDS,
    DELEGATION_STATUSES,
    EXPOSURE_LABELS,
    MISSION_KINDS,
    VISIBILITY_EXPOSES,
    VISIBILITY_LABELS,
)
from amparo.navigator.plan import (
    ISSUERS_SHOWN,
    Exclusion,
    NextStep,
    Plan,
    Presence,
    Recommendation,
    exclusion_groups,
    exposure_of,
)
from amparo.navigator.situation import situation_as_dict

FORMAT_VERSION = 1
# Why a measure is left out when it is more visible than the defender accepts (the rule file gives other reasons):
# the plan page's sentence, filled with the words for the measure's visibility and the exposure accepted.
EXPOSURE_REASON = gettext_noop("it is a measure of %(kind)s visibility, and you accept: %(accepted)s.")
# An emergency track with no organisation we can show a checked way to reach: said plainly, never an empty list.
NO_ROUTE = (
    gettext_noop(
        "We hold no contact route for an emergency organisation that we have checked on its own page, so we name "
        "none here."
    ),
    gettext_noop("The Amparo page “Emergency help” lists the emergency organisations we know of."),
)


def no_route(language: str = "en") -> str:
    words = words_in(language)
    return " ".join(words(sentence) for sentence in NO_ROUTE)


def _cites(citations: tuple[Citation, ...]) -> str:
    return "; ".join(f"{c.source.id}" + (f" ({c.locator})" if c.locator else "") for c in citations)


def exclusion_reason(exclusion: Exclusion, language: str = "en") -> str:
    if exclusion.reason is not None:
        return exclusion.reason.get(language)
    words = words_in(language)
    return words(
        EXPOSURE_REASON,
        kind=words.label(VISIBILITY_LABELS, exclusion.support_type.visibility),
        accepted=words.label(EXPOSURE_LABELS, exclusion.accepted_exposure or "none"),
    )


# The JSON of what is the same in every plan that has it, written once per worker: each programme, and each
# issuer's Presence in a country (made once per dataset, country and issuer: plan._presences; per language only
# where a Delegation's caveat is worded). Keyed by identity, which the entry keeps alive: the dataset's objects,
# never a plan's. Filled whole by compact.prepare, so that what they hold tells nothing of the plans made.
_programmes: dict[tuple[int, str], tuple[Programme, dict[str, Any]]] = {}
_presences: dict[tuple[int, str | None], tuple[Presence, dict[str, Any]]] = {}
T = TypeVar("T")


def _written_once(
    cache: dict[Any, tuple[T, dict[str, Any]]], obj: T, key: Any, write: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    cached = cache.get(key)
    if cached is not None and cached[0] is obj:
        return cached[1]
    if len(cache) > 200_000:  # datasets loaded one after another (tests): keep only the living
        cache.clear()
    written = write()
    cache[key] = (obj, written)
    return written


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
    """A route written out in full, with where and when we read it: for a plan on paper or in a terminal (the
    page's words, with the page's whole address where the page links it)."""
    words = words_in(language)
    label = route.label.get(language) if route.label else words.label(CONTACT_KINDS, route.kind)
    date = route.checked.isoformat()
    if route.page == route.value:
        checked = words(gettext_noop("checked %(date)s"), date=date)
    else:
        checked = words(gettext_noop("checked %(date)s on %(site)s"), date=date, site=route.page)
    return words.labelled(label, f"{route.value} ({checked})")


def programme_json(p: Programme, language: str) -> dict[str, Any]:
    """A programme with its routes and sources. Shared between plans: not to modify."""
    return _written_once(_programmes, p, (id(p), language), lambda: _programme(p, language))


def _programme(p: Programme, language: str) -> dict[str, Any]:
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
    """An issuer of the plan's first measures and its missions; the EU with none known, the EEAS page.
    Shared between plans: not to modify."""
    return _written_once(_presences, p, (id(p), language if p.worded else None), lambda: _presence(p, language))


def _presence(p: Presence, language: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "issuer": p.issuer.id,
        "known": p.known,
        "resident": p.resident,
        "missions": [_mission(m, language) for m in p.missions],
    }
    if p.directory:
        result["directory"] = p.directory
    return result


def _mission_words(m: Mission, where: str, words: Words) -> str:
    """A mission as the plan page's list of missions writes it: kind, city, its country when elsewhere, caveat."""
    text = words.label(MISSION_KINDS, m.kind) + (words.comma + m.city if m.city else "")
    if m.country != where and m.country:
        text += f" ({localized_country_name(m.country, words.language)})"
    if m.caveat is not None:
        status = words.label(DELEGATION_STATUSES, m.caveat.status) + " " if m.caveat.status else ""
        text += f" [{status}{m.caveat.note.get(words.language)}]"
    return text


def _presence_line(p: Presence, where: str, words: Words) -> str:
    if p.known:
        found = words.semicolon.join(_mission_words(m, where, words) for m in p.missions)
    elif p.directory:
        found = words(
            gettext_noop("not in our partial list of its Delegations; the EU has Delegations in most countries:")
        )
        found += " " + p.directory
    else:
        found = words(gettext_noop("not known from this data"))
    return f"- {p.issuer.name.get(words.language)}: {found}"


def _step_line(step: NextStep, where: str, words: Words) -> str:
    """A next step in words, as the plan page says it (web/_next_step.html)."""
    language = words.language
    if step.kind == "contact" and step.programme and step.route:
        contact = words(gettext_noop("Contact %(name)s now"), name=step.programme.name.get(language))
        return words.labelled(contact, route_line(step.route, language))
    if step.kind == "ask" and step.recommendation:
        measure = step.recommendation.support_type.name.get(language)
        if step.presence is None:
            return words(
                gettext_noop(
                    "Ask a mission for “%(measure)s”: no guideline foresees it explicitly, but you can still ask."
                ),
                measure=measure,
            )
        issuer = step.presence.issuer.name.get(language)
        if not step.presence.missions:
            return words(
                gettext_noop("Ask for “%(measure)s”: %(issuer)s (its list of Delegations is below)."),
                measure=measure,
                issuer=issuer,
            )
        m = step.presence.missions[0]
        kind = words.label(MISSION_KINDS, m.kind)
        if not m.city:
            return words(
                gettext_noop("Ask for “%(measure)s”: %(issuer)s, %(kind)s."), measure=measure, issuer=issuer, kind=kind
            )
        place = m.city + (
            f" ({localized_country_name(m.country, language)})" if m.country and m.country != where else ""
        )
        return words(
            gettext_noop("Ask for “%(measure)s”: %(issuer)s, %(kind)s in %(place)s."),
            measure=measure,
            issuer=issuer,
            kind=kind,
            place=place,
        )
    if step.guidance is not None:
        return f"{words(gettext_noop('Before you contact a mission:'))} {step.guidance.title.get(language)}."
    return ""


def plan_markdown(plan: Plan, language: str = "en") -> str:
    """The plan as Markdown in ``language``, in the order of the plan page and with its words; what the page
    folds is written out, with its sources and the rules applied."""
    words = words_in(language)
    _ = words

    def country(code: str) -> str:
        return localized_country_name(code, language)

    situation = plan.situation
    where = situation.where_now
    title = (
        _(gettext_noop("A plan for someone who is detained")) if situation.on_behalf else _(gettext_noop("Your plan"))
    )
    if situation.abroad:
        about = _(
            gettext_noop("For a defender working in %(country)s, now in %(where)s. Nothing you entered is stored."),
            country=country(situation.country),
            where=country(where),
        )
    else:
        about = _(
            gettext_noop("For a defender working in %(country)s. Nothing you entered is stored."),
            country=country(situation.country),
        )
    lines = [f"# {title}", "", about, ""]
    if plan.next_steps:
        lines += [f"## {_(gettext_noop('Next steps'))}", ""]
        lines += [f"{n}. {_step_line(step, where, words)}" for n, step in enumerate(plan.next_steps, 1)] + [""]
    if plan.emergency:
        lines += [f"## {plan.emergency.title.get(language)}", "", plan.emergency.note.get(language), ""]
        for programme in plan.emergency.programmes:
            reach = f" ({programme.audience.get(language)})" if programme.audience else ""
            reach += f" — {programme.how_to_reach.get(language)}" if programme.how_to_reach else ""
            lines.append(f"- **{programme.name.get(language)}**{reach} [{_cites(programme.citations)}]")
            lines += [f"  - {route_line(route, language)}" for route in programme.contacts]
        if not plan.emergency.reachable:
            lines.append(f"- {no_route(language)}")
        if plan.emergency.recommendations:
            lines += ["", f"### {_(gettext_noop('What to ask missions for in an emergency'))}", ""]
            lines += [_line(r, words) for r in plan.emergency.recommendations]
        lines += [""]
    for notice in plan.notices:
        lines += [f"> **{notice.item.title.get(language)}**: {notice.item.body.get(language)}", ""]
    if plan.visibility_warning:
        warning = _(
            gettext_noop(
                "you said visibility could put your family or community at risk. Weigh every formal or public step "
                "with them before you ask for it, and tell the mission."
            )
        )
        lines += [f"> **{_(gettext_noop('Visibility:'))}** {warning}", ""]
    lines += [f"## {_(gettext_noop('What to ask for, most relevant first'))}", ""]
    lines += [_line(r, words) for r in plan.ranked] + [""]
    for programme in plan.national:
        national = _(gettext_noop("National protection, not diplomatic support:"))
        decide = _(gettext_noop("The State runs it, so asking for it tells the authorities; you decide."))
        lines += [f"- **{national}** {programme.name.get(language)}. {decide}", ""]
    lines += [f"## {_(gettext_noop('Which missions to approach in %(where)s'), where=country(where))}", ""]
    if plan.host_issuer:
        host = gettext_noop(
            "%(name)s is the State you work in: its own programmes are not diplomatic support, "
            "so it is not listed here."
        )
        lines += [_(host, name=plan.host_issuer.name.get(language)), ""]
    lines += [_presence_line(p, where, words) for p in plan.presence[:ISSUERS_SHOWN]]
    if len(plan.presence) > ISSUERS_SHOWN:
        others = plan.presence[ISSUERS_SHOWN:]
        more = words.ngettext(
            "One more country or organisation", "%(counter)s more countries or organisations", len(others)
        )
        lines.append(f"- {more}: {words.listed(p.issuer.name.get(language) for p in others)}")
    if plan.home_presence:
        lines += [
            "",
            f"## {_(gettext_noop('For your return: missions in %(home)s'), home=country(situation.country))}",
            "",
        ]
        lines += [_presence_line(p, situation.country, words) for p in plan.home_presence[:ISSUERS_SHOWN]]
    lines += ["", f"## {_(gettext_noop('Escalation path'))}", ""]
    lines += [
        _(
            gettext_noop(
                "Start discreetly; move to formal and then public steps only if needed and only with your consent."
            )
        ),
        "",
    ]
    for number, step in enumerate(plan.steps, 1):
        names = words.listed(r.support_type.name.get(language) for r in step.recommendations)
        lines.append(f"{number}. **{words.label(VISIBILITY_LABELS, step.visibility)}:** {names}")
    lines += [""]
    if plan.excluded:
        lines += [f"## {_(gettext_noop('Left out, and why'))}", ""]
        for group in exclusion_groups(plan.excluded):  # each reason once, as the page says it
            names = words.listed(e.support_type.name.get(language) for e in group)
            lines.append(f"- {names}: {exclusion_reason(group[0], language)} [{_cites(group[0].citations)}]")
        lines += [""]
    lines += [f"## {_(gettext_noop('Watch out for'))}", ""]
    lines += [f"- {c.item.title.get(language)} [{_cites(c.item.citations)}]" for c in plan.cautions]
    lines += ["", f"## {_(gettext_noop('Before you make contact'))}", ""]
    lines += [f"- {g.title.get(language)} [{_cites(g.citations)}]" for g in plan.checklist]
    lines += ["", f"{_(gettext_noop('Rules applied:'))} {words.listed(plan.applied_rules)}."]
    return "\n".join(lines) + "\n"


def _line(r: Recommendation, words: Words) -> str:
    """A measure as the plan page writes it (web/_recommendation.html), its folds written out."""
    _ = words
    language = words.language
    s = r.support_type
    explicit = [o.issuer.name.get(language) for o in r.issuers if o.status == "explicit"]
    inherited = sum(1 for o in r.issuers if o.status == "inherited")
    issuers = words.listed(explicit) or _(gettext_noop("no guideline explicitly; you can still ask"))
    if inherited:
        issuers += words.semicolon + words.ngettext(
            "and %(counter)s EU member State through the EU guidelines",
            "and %(counter)s EU member States through the EU guidelines",
            inherited,
        )
    tag = f" — {_(gettext_noop('Only when nothing else works'))}" if s.last_resort else ""
    caution = f" **{asked_beyond_exposure(r, words.gettext)}**" if r.beyond_exposure else ""
    programmes = words.listed(p.name.get(language) for p in r.programmes)
    offered = f" {_(gettext_noop('Programmes that offer it:'))} {programmes}." if programmes else ""
    return (
        f"- **{s.name.get(language)}**{tag}: {' '.join(why.get(language) for why in r.reasons)}{caution} "
        f"{_(gettext_noop('Foreseen by:'))} {issuers}.{offered} [{_cites(s.citations)}]"
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
