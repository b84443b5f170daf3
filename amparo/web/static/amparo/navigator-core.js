/*
 * Amparo's offline navigator, its core: the Python navigator (amparo/navigator/) in JavaScript, so the
 * offline edition gives the same plan from the same rule file with no server. No DOM: it runs in a
 * browser and in Node alike (tests/js/navigator-core.test.mjs). navigator-page.js shows its plans.
 *
 * Everything comes from navigator-data.js (a global, because file:// pages cannot fetch JSON): the rules,
 * the dataset, and data.constants, the Python navigator's own constants (fields, checks, limits, messages,
 * visibilities...; see amparo/web/edition/data.py, navigator_constants). This file copies none of them.
 *
 * makePlan(situation, data, language) returns exactly what amparo/navigator/render.py's
 * plan_json(plan, language) returns; tests/web/test_offline_edition.py and test_navigator_parity.py check
 * this on every scenario and on random situations, in every language. Keep the two in step: change the
 * Python first, then this file, then run those tests.
 *
 * Nothing a defender enters leaves the page: no request, no storage, no eval.
 */
(function (root) {
  "use strict";

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  function SituationError(errors) {
    this.name = "SituationError";
    this.errors = errors;
    this.message = errors.map(function (e) { return e.field + ": " + e.message; }).join("; ");
  }
  SituationError.prototype = Object.create(Error.prototype);
  SituationError.prototype.constructor = SituationError;

  /* Python's string order (by code point), for sorts that must match the Python navigator's. */
  function compare(a, b) {
    var i = 0, j = 0;
    while (i < a.length && j < b.length) {
      var x = a.codePointAt(i), y = b.codePointAt(j);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1;
      j += y > 0xffff ? 2 : 1;
    }
    return (a.length - i) - (b.length - j) < 0 ? -1 : (a.length - i) === (b.length - j) ? 0 : 1;
  }

  /* str.strip(): JavaScript's trim() has a slightly different list of spaces, so Python gives its own. */
  function strip(value, C) {
    var start = 0, end = value.length;
    while (start < end && C.whitespace.indexOf(value[start]) >= 0) start++;
    while (end > start && C.whitespace.indexOf(value[end - 1]) >= 0) end--;
    return value.slice(start, end);
  }

  /* str(value)[:SHOWN_LENGTH] as Python writes it, for the values JSON can carry. */
  function shown(value, C) {
    var text;
    if (value === null || value === undefined) text = "None";
    else if (value === true) text = "True";
    else if (value === false) text = "False";
    else if (typeof value === "string") text = value;
    else if (typeof value === "number") text = String(value);
    else text = JSON.stringify(value);
    return Array.from(text).slice(0, C.shown_length).join("");
  }

  /* str.format for the {name} placeholders of the Python messages. */
  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_match, name) { return values[name]; });
  }

  /* A dataset text in a language, falling back to the default language (Text.resolve): [text, its language]. */
  function resolve(text, language, data) {
    var fallback = data.constants.default_language;
    if (has(text, language)) return [text[language], language];
    return [has(text, fallback) ? text[fallback] : "", fallback];
  }

  function citations(list) {
    return list.map(function (c) { return { source: c[0], locator: c[1] }; });
  }

  function isEmpty(value) {
    return value === null || value === undefined || value === "";
  }

  // --- The situation (amparo/navigator/situation.py) -------------------------------------------------

  function Reader(data, errors) {
    this.C = data.constants;
    this.data = data;
    this.errors = errors;
  }

  Reader.prototype.error = function (name, key, values) {
    var message = this.C.messages[key];
    this.errors.push({ field: name, message: format(message[1], values || {}), code: message[0] });
  };

  Reader.prototype.allowed = function (kind) {
    return this.data.vocabulary[kind].map(function (entry) { return entry[0]; });
  };

  Reader.prototype.country = function (name, value, required) {
    if (isEmpty(value)) {
      if (required) this.error(name, "country_required");
      return null;
    }
    if (typeof value === "string" && has(this.C.code_aliases, strip(value, this.C).toUpperCase())) {
      var alias = strip(value, this.C).toUpperCase();
      this.error(name, "country_alias", { alias: alias, code: this.C.code_aliases[alias] });
      return null;
    }
    if (typeof value !== "string" || this.data.countries.indexOf(strip(value, this.C).toUpperCase()) < 0) {
      this.error(name, "country_invalid");
      return null;
    }
    return strip(value, this.C).toUpperCase();
  };

  Reader.prototype.required_country = function (name, value) { return this.country(name, value, true); };
  Reader.prototype.optional_country = function (name, value) { return this.country(name, value, false); };

  Reader.prototype.one_of = function (name, value, kind) {
    var allowed = this.allowed(kind), sep = this.C.separator;
    if (isEmpty(value)) {
      this.error(name, "choice_required", { allowed: allowed.join(sep) });
      return null;
    }
    if (typeof value !== "string" || allowed.indexOf(value) < 0) {
      this.error(name, "choice_invalid", { allowed: allowed.join(sep) });
      return null;
    }
    return value;
  };

  /* An optional choice: the navigator's default when not given (situation.py, DEFAULTS). */
  Reader.prototype.optional_one_of = function (name, value, kind) {
    return isEmpty(value) ? this.C.defaults[name] : this.one_of(name, value, kind);
  };

  Reader.prototype.some_of = function (name, value, kind) {
    var allowed = this.allowed(kind), C = this.C;
    if (isEmpty(value)) return [];
    var items = typeof value === "string" ? [value] : value;
    if (!Array.isArray(items) || items.length > C.max_items) {
      this.error(name, "list_invalid");
      return [];
    }
    var unknown = items.filter(function (item) { return typeof item !== "string" || allowed.indexOf(item) < 0; });
    if (unknown.length) {
      var words = unknown.map(function (item) { return shown(item, C); });
      this.error(name, "list_unknown", { unknown: words.join(C.separator), allowed: allowed.join(C.separator) });
      return [];
    }
    return Array.from(new Set(items)).sort(compare);
  };

  Reader.prototype.boolean = function (name, value) {
    var parsed = null;
    if (value === null || value === undefined) value = false;
    if (value === true || value === false) {
      parsed = value;
    } else if (typeof value === "string") {
      var word = strip(value, this.C).toLowerCase();
      if (this.C.true_words.indexOf(word) >= 0) parsed = true;
      else if (this.C.false_words.indexOf(word) >= 0) parsed = false;
    }
    if (parsed === null) this.error(name, "boolean_invalid");
    return Boolean(parsed);
  };

  /* parse_situation: the raw input (an object, as JSON or a form gives it) checked field by field, each by
   * the Reader method its check names. */
  function parseSituation(raw, data) {
    var C = data.constants, errors = [], reader = new Reader(data, errors);
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      reader.error(C.whole, "not_an_object");
      throw new SituationError(errors);
    }
    var unknown = Object.keys(raw).filter(function (key) { return C.fields.indexOf(key) < 0; });
    if (unknown.length) {
      reader.error(C.whole, "unknown_fields", {
        unknown: unknown.map(function (key) { return shown(key, C); }).join(C.separator),
      });
    }
    var situation = {};
    C.checks.forEach(function (check) {
      var name = check[0];
      situation[name] = reader[check[1]](name, has(raw, name) ? raw[name] : null, check[2]);
    });
    var flag = C.needs_location[0], place = C.needs_location[1];
    if (situation[flag] && situation[place] === null && !errors.some(function (e) { return e.field === place; })) {
      reader.error(place, "location_needed");
    }
    if (errors.length) throw new SituationError(errors);
    if (situation.location === situation.country) situation.location = null;
    return situation;
  }

  /* situation_as_dict: the fields in order, lists sorted (they are), an absent location left out. */
  function situationAsDict(situation, C) {
    var result = {};
    C.fields.forEach(function (name) {
      var value = situation[name];
      if (value !== null) result[name] = Array.isArray(value) ? value.slice() : value;
    });
    return result;
  }

  // --- The rules (amparo/navigator/rules.py) ----------------------------------------------------------

  /* Situation.value: a field, or a property derived from the fields. */
  function value(situation, name) {
    if (has(situation, name)) return situation[name];
    var derived = { abroad: situation.location !== null };
    return derived[name];
  }

  function holds(condition, situation) {
    for (var i = 0; i < condition.lists.length; i++) {
      var name = condition.lists[i][0], allowed = condition.lists[i][1];
      var current = value(situation, name);
      if (Array.isArray(current)) {
        if (!current.some(function (item) { return allowed.indexOf(item) >= 0; })) return false;
      } else if (allowed.indexOf(current) < 0) {
        return false;
      }
    }
    return condition.flags.every(function (flag) { return value(situation, flag[0]) === flag[1]; });
  }

  function applies(rule, situation) {
    return holds(rule.when, situation) && !(rule.unless && holds(rule.unless, situation));
  }

  /* Rule.reason_for (rules.py): the measure's own reason, else the rule's; in the third person for on_behalf. */
  function reasonFor(rule, item, situation) {
    if (item[3]) return (situation.on_behalf && item[4]) || item[3];
    return (situation.on_behalf && rule.reason_them) || rule.reason;
  }

  /* asked_for (plan.py): for each stated need no kept measure meets, its weightiest measure (first of equals). */
  function askedFor(situation, applied, isKept, tooVisible, C) {
    var asked = [];
    situation.needs.slice().sort(compare).forEach(function (need) {
      var suggested = [];
      applied.forEach(function (rule) {
        rule.when.lists.forEach(function (list) {
          if (list[0] === C.stated_needs && list[1].indexOf(need) >= 0) suggested = suggested.concat(rule.recommend);
        });
      });
      var candidates = suggested.filter(function (item) { return tooVisible(item[0]); });
      if (!candidates.length || suggested.some(function (item) { return isKept(item[0]); })) return;
      var first = candidates.reduce(function (best, item) { return item[1] > best[1] ? item : best; });
      if (asked.indexOf(first[0]) < 0) asked.push(first[0]);
    });
    return asked;
  }

  // --- The plan (amparo/navigator/plan.py and render.py) ---------------------------------------------

  /* fits: digital-only help only for a digital threat, help for one kind of defender only for that kind, a
   * regional fund only where its regions reach (Programme.serves: the countries it leaves out are in the data). */
  function fits(p, situation, C) {
    var digital = situation.threats.some(function (t) { return C.digital_threats.indexOf(t) >= 0; });
    return (p.scope !== C.digital_scope || digital) &&
      (!p.fields.length || p.fields.some(function (f) { return situation.fields.indexOf(f) >= 0; })) &&
      p.outside.indexOf(situation.country) < 0;
  }

  /* first_line: the programme's first route that reaches a person now, or null. */
  function firstLine(p, C) {
    return p.contacts.filter(function (c) { return C.line_kinds.indexOf(c[0]) >= 0; })[0] || null;
  }

  /* emergency_programmes: reachable ones only (a route to show) that fit the situation, those with a phone or
   * messenger line first, the dataset's order otherwise (the sort is stable). */
  function emergencyProgrammes(situation, data) {
    var C = data.constants;
    var line = function (p) { return firstLine(p, C) ? 0 : 1; };
    return data.programmes.filter(function (p) {
      return p.emergency && p.contacts.length > 0 && fits(p, situation, C);
    }).sort(function (a, b) { return line(a) - line(b); });
  }

  /* next_steps (plan.py): reach emergency help, ask a mission for the first measure it foresees (resident
   * missions first), read the first thing to prepare. */
  function nextSteps(emergency, inOrder, presence, checklist, C) {
    var kinds = C.next_steps, steps = [];
    var step = function (kind, values) {
      var base = { kind: kind, programme: null, route: null, support_type: null, issuer: null, mission: null, guidance: null };
      Object.keys(values).forEach(function (key) { base[key] = values[key]; });
      return base;
    };
    if (emergency && emergency.programmes.length) {
      var first = emergency.programmes[0];
      var lines = first.contacts.filter(function (c) { return C.line_kinds.indexOf(c.kind) >= 0; });
      steps.push(step(kinds[0], { programme: first.id, route: lines[0] || first.contacts[0] }));
    }
    var wanted = [
      function (p) { return p.resident; }, function (p) { return p.known; }, function (p) { return !!p.directory; },
    ];
    var ask = null;
    // Never a measure asked for beyond the defender's limits: it stays with its caution, for them to weigh.
    inOrder = inOrder.filter(function (r) { return r.beyondExposure === null; });
    wanted.some(function (test) {
      return inOrder.some(function (r) {
        var foreseen = r.issuers.map(function (o) { return o[0]; });
        var found = presence.filter(function (p) { return foreseen.indexOf(p.issuer) >= 0 && test(p); })[0];
        if (!found) return false;
        ask = step(kinds[1], {
          support_type: r.supportType.id, issuer: found.issuer, mission: found.missions.length ? found.missions[0][0] : null,
        });
        return true;
      });
    });
    if (!ask && inOrder.length) ask = step(kinds[1], { support_type: inOrder[0].supportType.id });
    if (ask) steps.push(ask);
    if (checklist.length) steps.push(step(kinds[2], { guidance: checklist[0] }));
    return steps;
  }

  /* make_plan, then plan_json; also returns what the page shows and the JSON omits (ranked, exclusions). */
  function evaluate(situation, data, language) {
    var C = data.constants, rulebook = data.rules;
    var tr = function (text) { return resolve(text, language, data)[0]; };
    var notes = function (list) {
      return list.map(function (n) { return { note: tr(n.note), sources: citations(n.sources) }; });
    };
    var types = {}, order = {};
    data.support_types.forEach(function (s, i) { types[s.id] = s; order[s.id] = i; });
    var reasons = {};
    var scores = new Map(), producers = {}, emergencyIds = new Set(), excluded = new Map();
    var cautions = new Map(), notices = new Map();
    var applied = rulebook.rules.filter(function (rule) { return applies(rule, situation); });
    applied.forEach(function (rule) {
      rule.recommend.forEach(function (item) {
        var id = item[0];
        scores.set(id, (scores.get(id) || 0) + item[1]);
        (producers[id] = producers[id] || []).push(rule);
        (reasons[id] = reasons[id] || []).push(reasonFor(rule, item, situation));
        if (item[2]) emergencyIds.add(id);
      });
      rule.exclude.forEach(function (item) {
        if (!excluded.has(item[0])) {
          excluded.set(item[0], { id: item[0], reason: item[1], sources: item[2], rule: rule.id, accepted: null, limit: null });
        }
      });
      rule.cautions.forEach(function (g) { if (!cautions.has(g)) cautions.set(g, []); cautions.get(g).push(rule.id); });
      rule.notices.forEach(function (g) { if (!notices.has(g)) notices.set(g, []); notices.get(g).push(rule.id); });
    });

    // keep_from_authorities (plan.py): the first rule that keeps the request from the authorities leaves out every
    // measure that makes them aware, unless another rule already left it out.
    var keep = applied.filter(function (rule) { return rule.keep_from_authorities; })[0];
    if (keep) {
      scores.forEach(function (_score, id) {
        if (types[id].authorities_aware && !excluded.has(id)) {
          var effect = keep.keep_from_authorities;
          excluded.set(id, { id: id, reason: effect[1], sources: effect[2], rule: keep.id, accepted: null, limit: effect[0] });
        }
      });
    }
    var allowed = rulebook.exposure[situation.exposure];
    var exposureSources = data.guidance[rulebook.exposure_guidance].sources;
    scores.forEach(function (_score, id) {
      if (allowed.indexOf(types[id].visibility) < 0 && !excluded.has(id)) {
        excluded.set(id, {
          id: id, reason: null, sources: exposureSources, rule: C.exposure_rule, accepted: situation.exposure,
          limit: situation.exposure,
        });
      }
    });
    var isKept = function (id) { return scores.has(id) && !excluded.has(id); };
    // Beyond a limit of the defender's own (their exposure, or what they keep from the authorities): kept if asked for.
    var tooVisible = function (id) { return excluded.has(id) && excluded.get(id).limit !== null; };
    var beyond = new Set(askedFor(situation, applied, isKept, tooVisible, C));
    var limits = {};
    beyond.forEach(function (id) { limits[id] = excluded.get(id).limit; excluded.delete(id); });

    var host = has(data.issuers, situation.country) ? situation.country : null;
    var kept = Array.from(scores.keys()).filter(function (id) { return !excluded.has(id); });
    kept.sort(function (a, b) {  // what goes further than the defender accepts: last
      return (beyond.has(a) - beyond.has(b)) || scores.get(b) - scores.get(a) || order[a] - order[b];
    });
    // ...those that share a caution (the same limit, the same exposure) together, in the order of the first of each.
    var caution = function (id) { return limits[id] + " " + types[id].exposes; };
    var first = {};
    kept.forEach(function (id, i) { if (beyond.has(id) && !has(first, caution(id))) first[caution(id)] = i; });
    var position = {};
    kept.forEach(function (id, i) { position[id] = i; });
    kept.sort(function (a, b) {
      var group = function (id) { return beyond.has(id) ? first[caution(id)] : -1; };
      return (beyond.has(a) - beyond.has(b)) || group(a) - group(b) || position[a] - position[b];
    });
    var recommendations = {};
    kept.forEach(function (id) {
      recommendations[id] = {
        supportType: types[id],
        score: scores.get(id),
        rules: producers[id],
        // In the data, a measure's provisions are those that foresee it, in plan order.
        issuers: (data.provisions[id] || []).filter(function (p) { return p[0] !== host; }),
        emergency: emergencyIds.has(id),
        beyondExposure: beyond.has(id) ? limits[id] : null,
        programmes: data.programmes.filter(function (p) {
          return p.support_types.indexOf(id) >= 0 && !p.national && fits(p, situation, C);
        }).map(function (p) { return p.id; }),
      };
    });
    var json = function (id) {
      var r = recommendations[id], s = r.supportType;
      return {
        support_type: s.id,
        name: tr(s.name),
        visibility: s.visibility,
        urgency: s.urgency,
        last_resort: s.last_resort,
        score: r.score,
        emergency: r.emergency,
        beyond_exposure: r.beyondExposure,
        why: r.rules.map(function (rule, i) { return { rule: rule.id, reason: tr(reasons[s.id][i]) }; }),
        sources: citations(s.sources),
        preconditions: notes(s.preconditions),
        cautions: notes(s.cautions),
        programmes: r.programmes,
        issuers: r.issuers.map(function (o) {
          return { issuer: o[0], status: o[1], sources: citations(o[2]), nuances: notes(o[3]) };
        }),
      };
    };
    var ranked = kept.filter(function (id) { return !emergencyIds.has(id); });

    var emergency = null;
    if (emergencyIds.size) {
      emergency = {
        title: tr(rulebook.emergency_title),
        note: tr(rulebook.emergency_note),
        programmes: emergencyProgrammes(situation, data).map(function (p) {
          return {
            id: p.id,
            name: tr(p.name),
            how_to_reach: p.how_to_reach ? tr(p.how_to_reach) : null,
            url: p.url,
            scope: p.scope,
            fields: p.fields,
            audience: p.audience ? tr(p.audience) : null,
            contacts: p.contacts.map(function (c) {
              return { kind: c[0], value: c[1], href: c[2], label: c[3] ? tr(c[3]) : null, page: c[4], checked: c[6] };
            }),
            sources: citations(p.sources),
          };
        }),
        recommendations: kept.filter(function (id) { return emergencyIds.has(id); }).map(json),
      };
    }
    var steps = C.visibilities.map(function (visibility) {
      return {
        visibility: visibility,
        recommendations: ranked.filter(function (id) { return types[id].visibility === visibility; }).map(json),
      };
    }).filter(function (step) { return step.recommendations.length; });

    // The missions are those of the issuers of the first measures that an issuer foresees (plan.py, _presence).
    var inOrder = kept.filter(function (id) { return emergencyIds.has(id); })
      .concat(ranked).map(function (id) { return recommendations[id]; });
    var top = inOrder.filter(function (r) { return r.issuers.length; }).slice(0, C.top_measures);
    // company_home: the company's home issuer, when it explicitly foresees a step toward companies in the plan, first.
    var first = null;
    inOrder.forEach(function (r) {
      if (first === null && C.company_measures.indexOf(r.supportType.id) >= 0 && r.issuers.some(function (o) {
        return o[0] === situation.company_country && o[1] === C.offered[0];
      })) first = situation.company_country;
    });
    var inPlan = first ? [first] : [], explicit = {};
    if (first) explicit[first] = 0;
    top.forEach(function (r) {
      r.issuers.forEach(function (o) {
        if (inPlan.indexOf(o[0]) < 0) { inPlan.push(o[0]); explicit[o[0]] = 0; }
        if (o[1] === C.offered[0]) explicit[o[0]] += 1;
      });
    });
    var presenceIn = function (where) {
    var member = has(data.issuers, where) && data.issuers[where].eu_member;
    // In the data, the missions serving a country come in plan order: those in the country first.
    var serving = (data.serving[where] || []).map(function (i) { return data.missions[i]; });
    var presence = inPlan.map(function (issuer) {
      var missions = serving.filter(function (m) { return m[1] === issuer; }).slice(0, C.missions_shown);
      var directory = issuer === C.delegations_of && !missions.length && !member ? data.delegations_directory : null;
      return {
        issuer: issuer,
        known: missions.length > 0,
        resident: missions.some(function (m) { return m[3] === where; }),
        missions: missions,
        directory: directory,
      };
    });
    var group = function (p) { return p.resident ? 0 : p.known ? 1 : 2; };
    presence.sort(function (a, b) {
      return (a.issuer !== first) - (b.issuer !== first) || group(a) - group(b) || explicit[b.issuer] - explicit[a.issuer]
        || data.issuers[a.issuer].rank - data.issuers[b.issuer].rank;
    });
    return presence;
    };
    var presence = presenceIn(situation.location || situation.country);
    // A defender abroad who needs a safe return: the same issuers' missions in the country they work in.
    var home = situation.location && situation.needs.indexOf(C.return_need) >= 0 ? presenceIn(situation.country) : [];
    var presenceJson = function (p) {
      var entry = {
        issuer: p.issuer,
        known: p.known,
        resident: p.resident,
        missions: p.missions.map(function (m) {
          var mission = { id: m[0], city: m[2], country: m[3], kind: m[4] };
          var caveat = has(data.caveats, m[0]) ? data.caveats[m[0]] : null;
          if (caveat) { mission.status = caveat[0]; mission.note = tr(caveat[1]); }
          return mission;
        }),
      };
      if (p.directory) entry.directory = p.directory;
      return entry;
    };

    var steps_ = nextSteps(emergency, inOrder, presence, rulebook.checklist, C);
    var raised = function (map) {
      return Array.from(map.entries()).map(function (entry) {
        return { guidance: entry[0], title: tr(data.guidance[entry[0]].title), rules: entry[1] };
      });
    };
    var plan = {
      format_version: C.format_version,
      situation: situationAsDict(situation, C),
      next_steps: steps_,
      emergency: emergency,
      steps: steps,
      excluded: Array.from(excluded.values())
        .filter(function (e) { return scores.has(e.id); })
        .sort(function (a, b) { return order[a.id] - order[b.id]; })
        .map(function (e) {
          return {
            support_type: e.id,
            rule: e.rule,
            reason: e.reason !== null ? tr(e.reason)
              : format(tr(C.exposure_reason), {
                kind: tr(C.visibility_words[types[e.id].visibility]),
                accepted: tr(C.exposure_words[e.accepted]),
              }),
            sources: citations(e.sources),
          };
        }),
      notices: raised(notices),
      cautions: raised(cautions),
      checklist: rulebook.checklist.map(function (g) { return { guidance: g, title: tr(data.guidance[g].title) }; }),
      missions: presence.map(presenceJson),
      home_missions: home.map(presenceJson),
      host_issuer: host,
      // plan.py, national_programmes: the State's own, where the defender works and is now.
      national: situation.location || situation.authorities === C.keep_from_authorities ? [] : data.programmes.filter(function (p) {
        return p.national && p.issuers.indexOf(situation.country) >= 0;
      }).map(function (p) { return p.id; }),
      visibility_warning: situation.family_at_risk,
      rules_applied: applied.map(function (rule) { return rule.id; }),
    };
    return { plan: plan, ranked: ranked.map(json), excluded: excluded };
  }

  /* The plan for a raw situation, as plan_json(plan, language) gives it; throws SituationError when invalid. */
  function makePlan(raw, data, language) {
    return evaluate(parseSituation(raw, data), data, language || data.constants.default_language).plan;
  }

  var api = {
    makePlan: makePlan,
    parseSituation: parseSituation,
    evaluate: evaluate,
    resolve: resolve,
    citations: citations,
    strip: strip,
    SituationError: SituationError,
    compare: compare,
    reasonFor: reasonFor,
  };
  root.AmparoNavigator = api;
  if (typeof module === "object" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
