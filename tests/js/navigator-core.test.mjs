// The offline navigator's core in Node: reading a situation, evaluating the rules, the plan's shape.
// Run by tests/js/test_node.py (`node --test`, built into Node 20: no npm dependency).
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { load, withConstants } from "./load.mjs";

const { data, core } = load();
const C = data.constants;
const { makePlan, parseSituation, SituationError } = core;

const BASE = { country: "MX", subject: "individual", urgency: "pressure", exposure: "discreet" };

function errorsOf(raw, dataset = data) {
  try {
    parseSituation(raw, dataset);
  } catch (error) {
    assert.ok(error instanceof SituationError, `not a SituationError: ${error}`);
    assert.ok(error instanceof Error);
    return error.errors;
  }
  assert.fail(`no error for ${JSON.stringify(raw)}`);
}

function message(key, values = {}) {
  return C.messages[key][1].replace(/\{(\w+)\}/g, (_m, name) => values[name]);
}

function allowed(kind) {
  return data.vocabulary[kind].map((entry) => entry[0]).join(C.separator);
}

describe("reading a situation", () => {
  it("names every missing answer, in the order the Python navigator checks them", () => {
    const errors = errorsOf({});
    const required = C.checks.filter((c) => c[1] === "one_of" || c[1] === "required_country").map((c) => c[0]);
    assert.deepEqual(errors.map((e) => e.field), required);
    assert.ok(errors.every((e) => e.code === "required"));
    assert.equal(errors[0].message, message("country_required"));
    assert.equal(errors[1].message, message("choice_required", { allowed: allowed("subject") }));
  });

  it("refuses what is not an object, and fields it does not know", () => {
    for (const raw of [null, [], "MX", 12]) {
      assert.deepEqual(errorsOf(raw), [{ field: C.whole, message: message("not_an_object"), code: "invalid" }]);
    }
    const long = "x".repeat(C.shown_length + 10);
    const errors = errorsOf({ ...BASE, name: "A. Defender", [long]: 1 });
    assert.deepEqual(errors, [
      { field: C.whole, message: message("unknown_fields", { unknown: `name, ${"x".repeat(C.shown_length)}` }), code: "invalid" },
    ]);
  });

  it("reads countries as Python does: any case, Python's own spaces, codes only", () => {
    const situation = parseSituation({ ...BASE, country: "\u00a0mx\u3000", location: " Ec " }, data);
    assert.equal(situation.country, "MX");
    assert.equal(situation.location, "EC");
    assert.equal(parseSituation({ ...BASE, location: "mx" }, data).location, null, "the same country is not abroad");
    for (const country of ["XX", "\u200bMX", 12, ["MX"]]) {
      const errors = errorsOf({ ...BASE, country });
      assert.deepEqual(errors, [{ field: "country", message: message("country_invalid"), code: "invalid" }]);
    }
  });

  it("reads lists: one value or many, known values only, at most max_items", () => {
    const situation = parseSituation({ ...BASE, needs: "funding", threats: ["travel-ban", "raid", "raid"] }, data);
    assert.deepEqual(situation.needs, ["funding"]);
    assert.deepEqual(situation.threats, ["raid", "travel-ban"], "unique and sorted, as Python sorts");
    assert.deepEqual(situation.fields, []);
    let errors = errorsOf({ ...BASE, needs: ["funding", 1, null] });
    assert.deepEqual(errors, [
      { field: "needs", message: message("list_unknown", { unknown: "1, None", allowed: allowed("need") }), code: "invalid" },
    ]);
    errors = errorsOf({ ...BASE, needs: Array(C.max_items + 1).fill("funding") });
    assert.deepEqual(errors, [{ field: "needs", message: message("list_invalid"), code: "invalid" }]);
    assert.deepEqual(errorsOf({ ...BASE, fields: { a: 1 } })[0].field, "fields");
  });

  it("reads yes and no as Python does", () => {
    for (const word of C.true_words) assert.equal(parseSituation({ ...BASE, family_at_risk: ` ${word.toUpperCase()} ` }, data).family_at_risk, true);
    for (const word of C.false_words) assert.equal(parseSituation({ ...BASE, uses_violence: word }, data).uses_violence, false);
    assert.equal(parseSituation({ ...BASE, uses_violence: null }, data).uses_violence, false);
    for (const value of ["maybe", 1, [], {}]) {
      assert.deepEqual(errorsOf({ ...BASE, unhcr_registered: value }), [
        { field: "unhcr_registered", message: message("boolean_invalid"), code: "invalid" },
      ]);
    }
  });

  it("takes its limits, words and messages from the data, not from itself", () => {
    const changed = withConstants(data, {
      max_items: 1,
      true_words: ["sí"],
      messages: { ...C.messages, country_required: ["required", "¿dónde?"] },
    });
    assert.equal(errorsOf({ ...BASE, needs: ["funding", "capacity"] }, changed)[0].message, message("list_invalid"));
    assert.equal(parseSituation({ ...BASE, family_at_risk: "sí" }, changed).family_at_risk, true);
    assert.equal(errorsOf({ ...BASE, family_at_risk: "yes" }, changed)[0].field, "family_at_risk");
    assert.equal(errorsOf({ ...BASE, country: "" }, changed)[0].message, "¿dónde?");
  });
});

describe("evaluating the rules", () => {
  it("opens the plan with the emergency track when life is in danger", () => {
    const plan = makePlan({ ...BASE, urgency: "immediate-danger", needs: ["relocation"] }, data);
    assert.ok(plan.emergency, "an emergency track");
    assert.ok(plan.emergency.recommendations.length > 0);
    assert.ok(plan.emergency.recommendations.every((r) => r.emergency));
    // Organisations to contact first whenever the data holds a checked route to one that helps whatever the threat.
    const reachable = data.programmes.some((p) => p.emergency && p.contacts.length && p.scope !== data.constants.digital_scope);
    assert.ok(plan.emergency.programmes.length > 0 || !reachable);
    assert.equal(makePlan(BASE, data).emergency, null);
  });

  it("names only emergency programmes it can show a way to reach, digital-only ones for digital threats", () => {
    // Routes in a copy of the data: the first emergency programme by web, the second by phone, the third
    // by e-mail and helping with digital threats only.
    const routed = structuredClone(data);
    routed.programmes.forEach((p) => { p.contacts = []; p.scope = "any"; });  // this test's routes only
    const emergency = routed.programmes.filter((p) => p.emergency);
    assert.ok(emergency.length >= 3, "three emergency programmes to route");
    const route = (kind, value, href) => [kind, value, href, null, "https://example.org/contact", "example.org", "2026-12-02"];
    emergency[0].contacts = [route("web", "https://example.org/urgent", "https://example.org/urgent")];
    emergency[1].contacts = [route(C.line_kinds[0], "+00 000 000", "tel:+00000000")];
    emergency[2].contacts = [route("email", "help@example.org", "mailto:help@example.org")];
    emergency[2].scope = C.digital_scope;
    const physical = { ...BASE, urgency: "immediate-danger", threats: ["physical-attack"] };
    const ids = (raw) => makePlan(raw, routed).emergency.programmes.map((p) => p.id);
    assert.deepEqual(ids(physical), [emergency[1].id, emergency[0].id], "a line first, no digital-only helper");
    const digital = { ...physical, threats: ["physical-attack", C.digital_threats[0]] };
    assert.deepEqual(ids(digital), [emergency[1].id, emergency[0].id, emergency[2].id]);
    const shown = makePlan(physical, routed).emergency.programmes[0].contacts[0];
    assert.deepEqual(shown, {
      kind: C.line_kinds[0], value: "+00 000 000", href: "tel:+00000000", label: null,
      page: "https://example.org/contact", checked: "2026-12-02",
    });
    routed.programmes.forEach((p) => { p.contacts = []; });
    assert.deepEqual(ids(physical), [], "no route: no programme named");
  });

  it("applies rules by their conditions, in rule file order", () => {
    const plan = makePlan({ ...BASE, urgency: "attacked" }, data);
    const order = data.rules.rules.map((r) => r.id);
    assert.ok(plan.rules_applied.length > 0);
    const positions = plan.rules_applied.map((id) => order.indexOf(id));
    assert.ok(positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1])));
    const immediate = data.rules.rules.filter((r) => JSON.stringify(r.when.lists) === JSON.stringify([["urgency", ["immediate-danger"]]]));
    for (const rule of immediate) assert.ok(!plan.rules_applied.includes(rule.id), rule.id);
  });

  it("leaves out what is more visible than the defender accepts, and says why, but keeps what they asked for", () => {
    const plan = makePlan({ ...BASE, exposure: "none", urgency: "attacked", needs: ["trial-observation", "recognition"] }, data);
    const allowedVisibilities = data.rules.exposure.none;
    const recommended = [...plan.steps.flatMap((s) => s.recommendations), ...(plan.emergency?.recommendations || [])];
    const beyond = recommended.filter((r) => !allowedVisibilities.includes(r.visibility));
    assert.deepEqual(beyond.map((r) => r.support_type).sort(), ["public-statement", "trial-observation"]);
    assert.ok(beyond.every((r) => r.beyond_exposure === "none"), "each one asked for, with its caution");
    assert.ok(recommended.filter((r) => allowedVisibilities.includes(r.visibility)).every((r) => r.beyond_exposure === null));
    const byExposure = plan.excluded.filter((e) => e.rule === C.exposure_rule);
    assert.ok(byExposure.length > 0);
    const types = Object.fromEntries(data.support_types.map((s) => [s.id, s]));
    for (const e of byExposure) {
      const expected = C.exposure_reason.en
        .replace("{kind}", C.visibility_words[types[e.support_type].visibility].en)
        .replace("{accepted}", C.exposure_words.none.en);
      assert.equal(e.reason, expected);
    }
  });

  it("keeps the defender's own State out of the issuers, and warns about visibility", () => {
    const plan = makePlan({ ...BASE, country: "PH", location: "MX" }, data);
    assert.equal(plan.host_issuer, null, "the Philippines issue no guidelines");
    assert.equal(plan.visibility_warning, false);
    const mexico = makePlan({ ...BASE, family_at_risk: true }, data);
    assert.equal(mexico.host_issuer, "MX");
    assert.equal(mexico.visibility_warning, true);
    const options = mexico.steps.flatMap((s) => s.recommendations).flatMap((r) => r.issuers.map((o) => o.issuer));
    assert.ok(options.length > 0 && !options.includes("MX"));
    assert.ok(!mexico.missions.some((m) => m.issuer === "MX"));
  });
});

describe("the plan's shape", () => {
  const plan = makePlan({ ...BASE, urgency: "attacked", threats: ["judicial-harassment"], needs: ["trial-observation"] }, data);

  it("has the keys of plan_json, in its order, and its format version", () => {
    assert.deepEqual(Object.keys(plan), [
      "format_version", "situation", "next_steps", "emergency", "steps", "excluded", "notices", "cautions", "checklist",
      "missions", "home_missions", "host_issuer", "national", "visibility_warning", "rules_applied",
    ]);
    assert.equal(plan.format_version, C.format_version);
    // The optional places given as null are left out, as situation_as_dict leaves out None.
    assert.deepEqual(Object.keys(plan.situation), C.fields.filter((f) => f !== "location" && f !== "company_country"));
    const r = plan.steps[0].recommendations[0];
    assert.deepEqual(Object.keys(r), [
      "support_type", "name", "visibility", "urgency", "last_resort", "score", "emergency", "beyond_exposure", "why", "sources",
      "preconditions", "cautions", "programmes", "issuers",
    ]);
    assert.deepEqual(Object.keys(r.sources[0]), ["source", "locator"]);
  });

  it("orders the escalation path by visibility and the measures by weight", () => {
    const visibilities = plan.steps.map((s) => s.visibility);
    assert.deepEqual(visibilities, C.visibilities.filter((v) => visibilities.includes(v)));
    for (const step of plan.steps) {
      assert.ok(step.recommendations.every((r) => r.visibility === step.visibility));
      const scores = step.recommendations.map((r) => r.score);
      assert.deepEqual(scores, scores.slice().sort((a, b) => b - a));
    }
  });

  it("lists explicit provisions before inherited ones, and at most missions_shown missions", () => {
    const plan = makePlan({ ...BASE, country: "CN", urgency: "attacked", needs: ["trial-observation"] }, data);
    for (const r of plan.steps.flatMap((s) => s.recommendations)) {
      const statuses = r.issuers.map((o) => C.offered.indexOf(o.status));
      assert.ok(statuses.every((s, i) => s >= 0 && (i === 0 || s >= statuses[i - 1])), r.support_type);
    }
    assert.ok(plan.missions.length > 0);
    assert.ok(plan.missions.every((p) => p.missions.length <= C.missions_shown && p.known === p.missions.length > 0));
    const known = plan.missions.map((p) => p.known);
    assert.deepEqual(known, known.slice().sort((a, b) => b - a), "issuers with a known mission first");
    const one = makePlan({ ...BASE, country: "CN", urgency: "attacked", needs: ["trial-observation"] }, withConstants(data, { missions_shown: 1 }));
    assert.ok(one.missions.every((p) => p.missions.length <= 1));
    assert.ok(plan.missions.some((p) => p.missions.length > 1), "the limit made a difference");
  });

  it("speaks the language asked for, falling back to the default language", () => {
    const english = makePlan(BASE, data, "en");
    const first = english.steps[0].recommendations[0].support_type;
    const translated = structuredClone(data);
    translated.support_types.find((s) => s.id === first).name.es = "Un nombre en español";
    const spanish = makePlan(BASE, translated, "es");
    assert.equal(spanish.steps[0].recommendations[0].name, "Un nombre en español");
    assert.equal(makePlan(BASE, translated, "ru").steps[0].recommendations[0].name, english.steps[0].recommendations[0].name);
    assert.deepEqual(spanish.rules_applied, english.rules_applied);
    assert.deepEqual(makePlan(BASE, data, "xx"), english);
    assert.deepEqual(makePlan(BASE, data), english);
  });

  it("is the same plan for the same situation", () => {
    assert.equal(JSON.stringify(makePlan(BASE, data)), JSON.stringify(makePlan({ ...BASE }, data)));
  });
});

describe("what the plan keeps from the authorities", () => {
  const types = Object.fromEntries(data.support_types.map((s) => [s.id, s]));
  const recommended = (plan) => [...(plan.emergency?.recommendations || []), ...plan.steps.flatMap((s) => s.recommendations)];
  const charged = { ...BASE, exposure: "public", threats: ["judicial-harassment"], needs: ["trial-observation"] };

  it("reads the answer as optional, with the Python navigator's default", () => {
    assert.equal(parseSituation(BASE, data).authorities, C.defaults.authorities);
    assert.equal(parseSituation({ ...BASE, authorities: "" }, data).authorities, C.defaults.authorities);
    assert.equal(parseSituation({ ...BASE, authorities: "must-not-know" }, data).authorities, "must-not-know");
    assert.deepEqual(errorsOf({ ...BASE, authorities: "never" }), [
      { field: "authorities", message: message("choice_invalid", { allowed: allowed("authorities") }), code: "invalid" },
    ]);
  });

  it("leaves out what the authorities would see, and keeps what was asked for last, with its limit", () => {
    const plan = makePlan({ ...charged, authorities: "must-not-know" }, data);
    const offered = recommended(plan).filter((r) => r.beyond_exposure === null);
    assert.ok(offered.length > 0 && offered.every((r) => !types[r.support_type].authorities_aware));
    const asked = recommended(plan).filter((r) => r.beyond_exposure !== null);
    assert.deepEqual(asked.map((r) => [r.support_type, r.beyond_exposure]), [["trial-observation", "must-not-know"]]);
    const demarche = plan.excluded.find((e) => e.support_type === "demarche");
    assert.equal(demarche.rule, "authorities-must-not-know");
    assert.ok(demarche.sources.length > 0);
    const without = makePlan(charged, data);
    assert.ok(recommended(without).some((r) => r.support_type === "demarche"), "by default, as before");
    assert.equal(without.situation.authorities, C.defaults.authorities);
  });

  it("never steers a defender who fled toward the authorities they fled", () => {
    const fled = { ...charged, location: "CR", needs: ["protection-abroad", "dialogue"] };
    const plan = makePlan(fled, data);
    for (const r of recommended(plan)) {
      if (types[r.support_type].authorities_aware) assert.equal(r.beyond_exposure, "left-country", r.support_type);
    }
    assert.ok(recommended(plan).some((r) => r.support_type === "authorities-dialogue"), "asked for: kept");
  });
});

describe("the answers real cases needed", () => {
  it("speaks of them in a plan filled in for someone who is detained", () => {
    const raw = { ...BASE, exposure: "formal", urgency: "attacked", threats: ["judicial-harassment", "criminal-charges"], on_behalf: true };
    const why = (plan) => plan.steps.flatMap((s) => s.recommendations).flatMap((r) => r.why.map((w) => w.reason));
    const them = why(makePlan(raw, data));
    assert.ok(them.some((text) => text.startsWith("They face")));
    assert.ok(!them.some((text) => text.startsWith("You face")));
    assert.ok(why(makePlan({ ...raw, on_behalf: false }, data)).some((text) => text.startsWith("You face")));
    assert.equal(parseSituation(raw, data).on_behalf, true);
  });

  it("names first the missions of the State where the company is based, when its guidelines foresee it", () => {
    const raw = { ...BASE, exposure: "formal", threats: ["company-linked"] };
    assert.equal(makePlan({ ...raw, company_country: "GB" }, data).missions[0].issuer, "GB");
    assert.ok(!makePlan({ ...raw, company_country: "JP" }, data).missions.some((m) => m.issuer === "JP"));
    assert.deepEqual(errorsOf({ ...raw, company_country: "UK" }).map((e) => e.field), ["company_country"]);
  });
});
