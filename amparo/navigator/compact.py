"""A plan as compact JSON (API v2, format 2): the same plan as ``plan_json``, half the bytes or less.

For a defender on a slow or metered connection. Two things make format 1 heavy, and
format 2 says each once:

* every recommendation lists each of the ~25 EU member States that foresee it only through
  the EU Guidelines, each with the same sources; format 2 lists the issuers whose own
  guidelines foresee it, and gives the inheriting members as one entry: whom they inherit
  from, how many they are, the sources once (``issuers="full"`` lists every one, as format 1);
* a rule that suggests several measures repeats its reason on each; format 2 gives each
  rule's reason once in a top-level ``reasons`` table, and on a measure only a reason of its own.

Citations stay where they are cited, as in format 1: a table of them cited by key saved 8 % of
the richest plan uncompressed but made it 7 % larger gzipped, as the API sends it to a client
that accepts gzip (docs/open-data.md, "The plan, format 2"). Everything else keeps format 1's
names and meaning.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from amparo.guidelines.export import citation as citation_json
from amparo.guidelines.model import Citation, Dataset, Note, SupportType
from amparo.navigator import plan
from amparo.navigator.plan import IssuerOption, Plan, Recommendation
from amparo.navigator.render import plan_body_json, presence_json, programme_json

COMPACT_FORMAT_VERSION = 2
ISSUERS = ("compact", "full")  # how a compact plan lists the issuers of a measure: see the module's docstring
INHERITED = "inherited"  # the provision status of a member State that foresees a measure through the EU's guidelines


def plan_json_compact(plan: Plan, language: str = "en", issuers: str = "compact") -> dict[str, Any]:
    """The plan in format 2; ``issuers="full"`` lists every issuer of a measure, inheriting members too.

    Parts that are the same in every plan are shared between plans (see _measure): serialise it, never modify it.
    """
    reasons: dict[str, str] = {}
    fold = issuers == ISSUERS[0]

    def recommendation(r: Recommendation) -> dict[str, Any]:
        own: dict[str, str] = {}
        for rule, why in zip(r.rules, r.reasons, strict=True):
            if why is rule.reason:
                if rule.id not in reasons:
                    reasons[rule.id] = rule.reason.get(language)
            else:
                own[rule.id] = why.get(language)
        s = r.support_type
        fixed = _measure(r, language, fold)
        return {
            "support_type": s.id,
            "name": fixed["name"],
            "visibility": s.visibility,
            "urgency": s.urgency,
            "last_resort": s.last_resort,
            "score": r.score,
            "emergency": r.emergency,
            "beyond_exposure": r.beyond_exposure,
            "why": [rule.id for rule in r.rules],
            "own_reasons": own,
            "sources": fixed["sources"],
            "preconditions": fixed["preconditions"],
            "cautions": fixed["cautions"],
            "programmes": [p.id for p in r.programmes],
            "issuers": fixed["issuers"],
            "inherited": fixed["inherited"],
        }

    result: dict[str, Any] = {
        "format_version": COMPACT_FORMAT_VERSION,
        "issuers": issuers,
        **plan_body_json(plan, language, recommendation),
    }
    result["reasons"] = reasons  # filled as the recommendations above were written
    return result


# What a recommendation says that depends only on its measure, its issuers, the language and the fold: the same
# in every plan that has it, so written once. Keyed by the objects' identity, which the entry keeps alive (the
# plan's issuer options are made once per dataset and measure, plan.issuer_options) — the dataset's objects
# only, never a plan's recommendation, whose reasons say what the defender answered.
_measures: dict[tuple[int, int, str, bool], tuple[SupportType, tuple[IssuerOption, ...], dict[str, Any]]] = {}


def _measure(r: Recommendation, language: str, fold: bool) -> dict[str, Any]:
    """The parts of a recommendation that are the same wherever it appears. Shared between plans: not to modify."""
    return measure_parts(r.support_type, r.issuers, language, fold)


def measure_parts(s: SupportType, issuers: tuple[IssuerOption, ...], language: str, fold: bool) -> dict[str, Any]:
    key = (id(s), id(issuers), language, fold)
    cached = _measures.get(key)
    if cached is not None and cached[0] is s and cached[1] is issuers:
        return cached[2]
    if len(_measures) > 200_000:  # datasets loaded one after another (tests): keep only the living
        _measures.clear()

    def notes(items: tuple[Note, ...]) -> list[dict[str, Any]]:
        return [{"note": n.text.get(language), "sources": _cites(n.citations)} for n in items]

    def option(o: IssuerOption) -> dict[str, Any]:
        return {"issuer": o.issuer.id, "status": o.status, "sources": _cites(o.citations), "nuances": notes(o.nuances)}

    folded = [o for o in issuers if fold and o.status == INHERITED and not o.nuances]
    parts = {
        "name": s.name.get(language),
        "sources": _cites(s.citations),
        "preconditions": notes(s.preconditions),
        "cautions": notes(s.cautions),
        "issuers": [option(o) for o in issuers if not (fold and o.status == INHERITED and not o.nuances)],
        "inherited": _inherited(folded),
    }
    _measures[key] = (s, issuers, parts)
    return parts


def prepare(dataset: Dataset, languages: Iterable[str]) -> None:
    """plan.prepare, then the JSON of every programme, of every issuer's presence in every country and of the
    parts of every measure for every host, in every language: a long-running process's
    caches then hold every combination, so they do not tell which plans were asked for (plan.prepare says why).
    """
    languages = list(languages)
    plan.prepare(dataset)
    for language in languages:
        for presence in plan.every_presence(dataset):
            presence_json(presence, language)
        for programme in dataset.programmes.values():
            programme_json(programme, language)
    for support_type_id, support_type in dataset.support_types.items():
        for host in (None, *dataset.issuers):
            options = plan.issuer_options(dataset, support_type_id, host)
            for language in languages:
                for fold in (True, False):
                    measure_parts(support_type, options, language, fold)


def _cites(citations: tuple[Citation, ...]) -> list[dict[str, Any]]:
    return [citation_json(c) for c in citations]


def _inherited(options: list[IssuerOption]) -> list[dict[str, Any]]:
    """The members that foresee a measure only through another issuer's guidelines: one entry per issuer they
    inherit from and sources they share (today one, the EU's), with how many they are."""
    groups: dict[tuple[str | None, tuple[tuple[str, str | None], ...]], list[IssuerOption]] = {}
    for o in options:
        groups.setdefault((o.inherited_from, tuple((c.source.id, c.locator) for c in o.citations)), []).append(o)
    return [
        {"from": origin, "count": len(members), "sources": _cites(members[0].citations)}
        for (origin, _), members in groups.items()
    ]
