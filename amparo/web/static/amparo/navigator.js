/*
 * Amparo's offline navigator: the Python navigator (amparo/navigator/) in JavaScript, so the offline
 * edition gives the same plan from the same rule file with no server. The rules and the dataset come
 * from navigator-data.js (a global, because file:// pages cannot fetch JSON).
 *
 * makePlan(situation, data) returns exactly what amparo/navigator/render.py's plan_json(plan, "en")
 * returns; tests/documents/test_offline.py checks this on every scenario and on a thousand random
 * situations. Keep the two in step: change the Python first, then this file, then run that test.
 *
 * Nothing a defender enters leaves the page: no request, no storage, no eval, no innerHTML.
 */
(function (root) {
  "use strict";

  var FIELDS = [
    "country", "location", "subject", "fields", "threats", "urgency", "needs", "exposure",
    "family_at_risk", "unhcr_registered", "uses_violence",
  ];
  var LISTS = ["fields", "threats", "needs"];
  var BOOLEANS = ["family_at_risk", "unhcr_registered", "uses_violence"];
  var MAX_ITEMS = 32;
  var VISIBILITIES = ["discreet", "formal", "public"];
  var STATUSES = ["explicit", "inherited", "not_stated", "unknown"];
  var MISSIONS_SHOWN = 3;
  var FORMAT_VERSION = 1;
  // Python's str.strip() removes these; JavaScript's trim() has a slightly different list.
  var PY_SPACE = "\t\n\u000b\u000c\r\u001c\u001d\u001e\u001f \u0085\u00a0\u1680\u2000\u2001\u2002\u2003" +
    "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";

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

  function strip(value) {
    var start = 0, end = value.length;
    while (start < end && PY_SPACE.indexOf(value[start]) >= 0) start++;
    while (end > start && PY_SPACE.indexOf(value[end - 1]) >= 0) end--;
    return value.slice(start, end);
  }

  /* str(value)[:40] as Python writes it, for the values JSON can carry. */
  function shown(value) {
    var text;
    if (value === null || value === undefined) text = "None";
    else if (value === true) text = "True";
    else if (value === false) text = "False";
    else if (typeof value === "string") text = value;
    else if (typeof value === "number") text = String(value);
    else text = JSON.stringify(value);
    return Array.from(text).slice(0, 40).join("");
  }

  /* A dataset text in a language, falling back to English (Text.resolve). */
  function resolve(text, language) {
    if (has(text, language)) return [text[language], language];
    return [has(text, "en") ? text.en : "", "en"];
  }

  function tr(text, language) {
    return resolve(text, language)[0];
  }

  function citations(list) {
    return list.map(function (c) { return { source: c[0], locator: c[1] }; });
  }

  function isEmpty(value) {
    return value === null || value === undefined || value === "";
  }

  // --- The situation (amparo/navigator/situation.py) -------------------------------------------------

  function keys(vocabulary, kind) {
    return vocabulary[kind].map(function (entry) { return entry[0]; });
  }

  function country(name, value, errors, required, codes) {
    if (isEmpty(value)) {
      if (required) {
        errors.push({ field: name, message: "required: the ISO 3166-1 two-letter code of a country", code: "required" });
      }
      return null;
    }
    if (typeof value !== "string" || codes.indexOf(strip(value).toUpperCase()) < 0) {
      errors.push({ field: name, message: "not a country code (ISO 3166-1 alpha-2, e.g. MX)", code: "invalid" });
      return null;
    }
    return strip(value).toUpperCase();
  }

  function oneOf(name, value, allowed, errors) {
    if (isEmpty(value)) {
      errors.push({ field: name, message: "required: one of " + allowed.join(", "), code: "required" });
      return null;
    }
    if (typeof value !== "string" || allowed.indexOf(value) < 0) {
      errors.push({ field: name, message: "must be one of " + allowed.join(", "), code: "invalid" });
      return null;
    }
    return value;
  }

  function someOf(name, value, allowed, errors) {
    if (isEmpty(value)) return [];
    var items = typeof value === "string" ? [value] : value;
    if (!Array.isArray(items) || items.length > MAX_ITEMS) {
      errors.push({ field: name, message: "must be a list", code: "invalid" });
      return [];
    }
    var unknown = items.filter(function (item) { return typeof item !== "string" || allowed.indexOf(item) < 0; });
    if (unknown.length) {
      errors.push({
        field: name,
        message: "unknown value(s) " + unknown.map(shown).join(", ") + "; allowed: " + allowed.join(", "),
        code: "invalid",
      });
      return [];
    }
    return Array.from(new Set(items)).sort(compare);
  }

  function boolean(value) {
    if (value === true || value === false) return value;
    if (typeof value === "string") {
      var word = strip(value).toLowerCase();
      if (["true", "yes", "on", "1"].indexOf(word) >= 0) return true;
      if (["false", "no", "off", "0", ""].indexOf(word) >= 0) return false;
    }
    return null;
  }

  /* parse_situation: the raw input (an object, as JSON or a form gives it) checked field by field. */
  function parseSituation(raw, data) {
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      throw new SituationError([{ field: "situation", message: "must be an object with named fields", code: "invalid" }]);
    }
    var get = function (name) { return has(raw, name) ? raw[name] : null; };
    var vocabulary = data.vocabulary;
    var errors = [];
    var unknown = Object.keys(raw).filter(function (key) { return FIELDS.indexOf(key) < 0; });
    if (unknown.length) {
      errors.push({ field: "situation", message: "unknown field(s) " + unknown.map(shown).join(", "), code: "invalid" });
    }
    var situation = {};
    situation.country = country("country", get("country"), errors, true, data.countries);
    situation.location = country("location", get("location"), errors, false, data.countries);
    situation.subject = oneOf("subject", get("subject"), keys(vocabulary, "subject"), errors);
    situation.urgency = oneOf("urgency", get("urgency"), keys(vocabulary, "urgency"), errors);
    situation.exposure = oneOf("exposure", get("exposure"), keys(vocabulary, "exposure"), errors);
    situation.fields = someOf("fields", get("fields"), keys(vocabulary, "field"), errors);
    situation.threats = someOf("threats", get("threats"), keys(vocabulary, "threat"), errors);
    situation.needs = someOf("needs", get("needs"), keys(vocabulary, "need"), errors);
    BOOLEANS.forEach(function (name) {
      var value = boolean(has(raw, name) && raw[name] !== null ? raw[name] : false);
      if (value === null) errors.push({ field: name, message: "must be true or false", code: "invalid" });
      situation[name] = Boolean(value);
    });
    if (errors.length) throw new SituationError(errors);
    if (situation.location === situation.country) situation.location = null;
    return situation;
  }

  /* situation_as_dict: the fields in order, lists sorted, an absent location left out. */
  function situationAsDict(situation) {
    var result = {};
    FIELDS.forEach(function (name) {
      if (situation[name] !== null) result[name] = LISTS.indexOf(name) >= 0 ? situation[name].slice() : situation[name];
    });
    return result;
  }

  // --- The rules (amparo/navigator/rules.py) ----------------------------------------------------------

  function value(situation, name) {
    return name === "abroad" ? situation.location !== null : situation[name];
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

  // --- The plan (amparo/navigator/plan.py and render.py) ---------------------------------------------

  function notes(list, language) {
    return list.map(function (n) { return { note: tr(n.note, language), sources: citations(n.sources) }; });
  }

  function issuerOptions(data, supportTypeId, host) {
    var options = (data.provisions[supportTypeId] || []).filter(function (p) { return p[0] !== host; });
    return options.slice().sort(function (a, b) {
      var byStatus = STATUSES.indexOf(a[1]) - STATUSES.indexOf(b[1]);
      return byStatus || compare(tr(data.issuers[a[0]].name, "en"), tr(data.issuers[b[0]].name, "en"));
    });
  }

  function recommendationJson(r, language) {
    var s = r.supportType;
    return {
      support_type: s.id,
      name: tr(s.name, language),
      visibility: s.visibility,
      urgency: s.urgency,
      last_resort: s.last_resort,
      score: r.score,
      emergency: r.emergency,
      why: r.rules.map(function (rule) { return { rule: rule.id, reason: tr(rule.reason, language) }; }),
      sources: citations(s.sources),
      preconditions: notes(s.preconditions, language),
      cautions: notes(s.cautions, language),
      issuers: r.issuers.map(function (o) {
        return { issuer: o[0], status: o[1], sources: citations(o[2]), nuances: notes(o[3], language) };
      }),
    };
  }

  /* make_plan, then plan_json; also returns the ranked measures, which the page shows and the JSON omits. */
  function evaluate(situation, data, language) {
    var rulebook = data.rules;
    var types = {}, order = {};
    data.support_types.forEach(function (s, i) { types[s.id] = s; order[s.id] = i; });
    var scores = new Map(), producers = {}, emergencyIds = new Set(), excluded = new Map();
    var cautions = new Map(), notices = new Map();
    var applied = rulebook.rules.filter(function (rule) { return applies(rule, situation); });
    applied.forEach(function (rule) {
      rule.recommend.forEach(function (item) {
        var id = item[0];
        scores.set(id, (scores.get(id) || 0) + item[1]);
        (producers[id] = producers[id] || []).push(rule);
        if (item[2]) emergencyIds.add(id);
      });
      rule.exclude.forEach(function (item) {
        if (!excluded.has(item[0])) {
          excluded.set(item[0], { id: item[0], reason: item[1], sources: item[2], rule: rule.id, accepted: null });
        }
      });
      rule.cautions.forEach(function (g) { if (!cautions.has(g)) cautions.set(g, []); cautions.get(g).push(rule.id); });
      rule.notices.forEach(function (g) { if (!notices.has(g)) notices.set(g, []); notices.get(g).push(rule.id); });
    });

    var allowed = rulebook.exposure[situation.exposure];
    var exposureSources = data.guidance[rulebook.exposure_guidance].sources;
    scores.forEach(function (_score, id) {
      if (allowed.indexOf(types[id].visibility) < 0 && !excluded.has(id)) {
        excluded.set(id, { id: id, reason: null, sources: exposureSources, rule: "exposure", accepted: situation.exposure });
      }
    });

    var host = has(data.issuers, situation.country) ? situation.country : null;
    var kept = Array.from(scores.keys()).filter(function (id) { return !excluded.has(id); });
    kept.sort(function (a, b) { return scores.get(b) - scores.get(a) || order[a] - order[b]; });
    var recommendations = {};
    kept.forEach(function (id) {
      recommendations[id] = {
        supportType: types[id],
        score: scores.get(id),
        rules: producers[id],
        issuers: issuerOptions(data, id, host),
        emergency: emergencyIds.has(id),
      };
    });
    var json = function (id) { return recommendationJson(recommendations[id], language); };
    var ranked = kept.filter(function (id) { return !emergencyIds.has(id); });

    var emergency = null;
    if (emergencyIds.size) {
      emergency = {
        title: tr(rulebook.emergency_title, language),
        note: tr(rulebook.emergency_note, language),
        programmes: data.programmes.filter(function (p) { return p.emergency; }).map(function (p) {
          return {
            id: p.id,
            name: tr(p.name, language),
            how_to_reach: p.how_to_reach ? tr(p.how_to_reach, language) : null,
            url: p.url,
            sources: citations(p.sources),
          };
        }),
        recommendations: kept.filter(function (id) { return emergencyIds.has(id); }).map(json),
      };
    }
    var steps = VISIBILITIES.map(function (visibility) {
      return {
        visibility: visibility,
        recommendations: ranked.filter(function (id) { return types[id].visibility === visibility; }).map(json),
      };
    }).filter(function (step) { return step.recommendations.length; });

    var inPlan = [];
    kept.forEach(function (id) {
      recommendations[id].issuers.forEach(function (o) { if (inPlan.indexOf(o[0]) < 0) inPlan.push(o[0]); });
    });
    var where = situation.location || situation.country;
    var serving = (data.serving[where] || []).map(function (i) { return data.missions[i]; });
    var presence = inPlan.map(function (issuer) {
      var missions = serving.filter(function (m) { return m[1] === issuer; });
      missions.sort(function (a, b) {
        return a[5] - b[5] || (a[3] !== where) - (b[3] !== where) || compare(a[2], b[2]);
      });
      missions = missions.slice(0, MISSIONS_SHOWN);
      return { issuer: issuer, known: missions.length > 0, missions: missions };
    });
    presence.sort(function (a, b) {
      return (a.known ? 0 : 1) - (b.known ? 0 : 1) ||
        compare(tr(data.issuers[a.issuer].name, "en"), tr(data.issuers[b.issuer].name, "en"));
    });

    var raised = function (map) {
      return Array.from(map.entries()).map(function (entry) {
        return { guidance: entry[0], title: tr(data.guidance[entry[0]].title, language), rules: entry[1] };
      });
    };
    var plan = {
      format_version: FORMAT_VERSION,
      situation: situationAsDict(situation),
      emergency: emergency,
      steps: steps,
      excluded: Array.from(excluded.values())
        .filter(function (e) { return scores.has(e.id); })
        .sort(function (a, b) { return order[a.id] - order[b.id]; })
        .map(function (e) {
          return {
            support_type: e.id,
            rule: e.rule,
            reason: e.reason !== null ? tr(e.reason, language)
              : "It is a " + types[e.id].visibility + " measure, and you accept " + e.accepted + " exposure only.",
            sources: citations(e.sources),
          };
        }),
      notices: raised(notices),
      cautions: raised(cautions),
      checklist: rulebook.checklist.map(function (g) { return { guidance: g, title: tr(data.guidance[g].title, language) }; }),
      missions: presence.map(function (p) {
        return {
          issuer: p.issuer,
          known: p.known,
          missions: p.missions.map(function (m) { return { id: m[0], city: m[2], country: m[3], kind: m[4] }; }),
        };
      }),
      host_issuer: host,
      visibility_warning: situation.family_at_risk,
      rules_applied: applied.map(function (rule) { return rule.id; }),
    };
    return { plan: plan, ranked: ranked.map(json), excluded: excluded };
  }

  /* The plan for a raw situation, as plan_json(plan, language) gives it; throws SituationError when invalid. */
  function makePlan(raw, data, language) {
    return evaluate(parseSituation(raw, data), data, language || "en").plan;
  }

  var api = { makePlan: makePlan, parseSituation: parseSituation, SituationError: SituationError, compare: compare };
  root.AmparoNavigator = api;
  if (typeof module === "object" && module.exports) module.exports = api;

  // --- The page (offline_navigator.html) -------------------------------------------------------------

  function Page(document, data) {
    var region = document.getElementById("plan");
    this.document = document;
    this.data = data;
    this.form = document.getElementById("navigator");
    this.region = region;
    this.problems = document.getElementById("problems");
    this.language = document.documentElement.lang || "en";
    this.labels = JSON.parse(region.getAttribute("data-labels"));
    this.urls = JSON.parse(region.getAttribute("data-urls"));
  }

  /* An element with attributes and children (strings become text nodes, never markup). */
  Page.prototype.el = function (tag, attributes) {
    var element = this.document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { element.setAttribute(name, attributes[name]); });
    for (var i = 2; i < arguments.length; i++) this.append(element, arguments[i]);
    return element;
  };

  Page.prototype.append = function (parent, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) {
      child.forEach(function (c) { this.append(parent, c); }, this);
    } else {
      parent.appendChild(typeof child === "string" ? this.document.createTextNode(child) : child);
    }
  };

  /* A dataset text, marked with its language when it falls back to English (as the tr filter does). */
  Page.prototype.text = function (text) {
    var found = resolve(text, this.language);
    return found[1] === this.language ? found[0] : this.el("span", { lang: found[1] }, found[0]);
  };

  Page.prototype.english = function (text) {
    return this.language === "en" ? text : this.el("span", { lang: "en" }, text);
  };

  /* A label with %(name)s placeholders filled with text or elements. */
  Page.prototype.fill = function (template, values) {
    var parts = [], pattern = /%\((\w+)\)s/g, last = 0, match;
    while ((match = pattern.exec(template)) !== null) {
      parts.push(template.slice(last, match.index), values[match[1]]);
      last = pattern.lastIndex;
    }
    parts.push(template.slice(last));
    return parts;
  };

  Page.prototype.url = function (name, id, fragment) {
    var url = this.urls[name].replace("{id}", encodeURIComponent(id || ""));
    return fragment ? url + "#" + encodeURIComponent(fragment) : url;
  };

  Page.prototype.countryName = function (code) {
    var select = this.document.getElementById("country");
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === code) return select.options[i].text;
    }
    return code || "";
  };

  Page.prototype.cite = function (list) {
    if (!list.length) return null;
    var parts = [this.labels.source, " "];
    list.forEach(function (c, i) {
      parts.push(this.el("a", { href: this.url("sources", null, c.source) }, c.source));
      if (c.locator) parts.push(" (", this.english(c.locator), ")");
      if (i < list.length - 1) parts.push("; ");
    }, this);
    return this.el("span", { class: "cite" }, parts);
  };

  Page.prototype.paragraphs = function (text) {
    var found = resolve(text, this.language), page = this;
    return found[0].split("\n\n").map(function (p) { return p.trim(); }).filter(Boolean).map(function (p) {
      return found[1] === page.language ? p : page.el("span", { lang: found[1] }, p);
    });
  };

  Page.prototype.recommendation = function (r) {
    var L = this.labels, type = this.data.support_types.filter(function (s) { return s.id === r.support_type; })[0];
    var page = this, options = this.data.provisions[r.support_type] || [];
    var uncertain = {};
    options.forEach(function (o) { uncertain[o[0]] = o[4]; });
    var explicit = r.issuers.filter(function (o) { return o.status === "explicit"; });
    var inherited = r.issuers.length - explicit.length;
    var foreseen = [];
    explicit.forEach(function (o, i) {
      foreseen.push(page.el("a", { href: page.url("issuer", o.issuer, r.support_type) }, page.text(page.data.issuers[o.issuer].name)));
      if (uncertain[o.issuer]) foreseen.push("*");
      if (i < explicit.length - 1) foreseen.push(", ");
    });
    if (!explicit.length) foreseen.push(L.no_explicit);
    if (inherited) foreseen.push("; ", L.inherited[String(inherited)]);
    return this.el("li", { id: "r-" + r.support_type },
      this.el("a", { href: this.url("support", r.support_type) }, this.el("strong", {}, this.text(type.name))),
      r.emergency ? [" ", this.el("span", { class: "tag warn" }, L.emergency)]
        : [" ", this.el("span", { class: "tag" }, L.visibilities[r.visibility] || r.visibility)],
      r.last_resort ? [" ", this.el("span", { class: "tag warn" }, L.last_resort)] : null,
      this.el("br"),
      r.why.map(function (w) {
        var rule = page.data.rules.rules.filter(function (x) { return x.id === w.rule; })[0];
        return [page.text(rule.reason), " "];
      }),
      this.el("span", { class: "muted" }, "(" + L.rules_paren + " " + r.why.map(function (w) { return w.rule; }).join(", ") + ")"),
      type.preconditions.map(function (n) {
        return [page.el("br"), page.el("em", {}, L.condition), " ", page.text(n.note), " ", page.cite(citations(n.sources))];
      }),
      this.el("br"), L.foreseen, " ", foreseen, ". ", this.cite(r.sources));
  };

  Page.prototype.render = function (result, situation) {
    var L = this.labels, plan = result.plan, page = this, data = this.data;
    var where = situation.location || situation.country;
    var nodes = [];
    var heading = this.el("h2", { id: "plan-title", tabindex: "-1" }, L.your_plan);
    nodes.push(heading, this.el("p", { class: "muted" }, this.fill(L.intro, { country: this.countryName(situation.country) })));
    plan.notices.forEach(function (n) {
      var item = data.guidance[n.guidance];
      nodes.push(page.el("section", { class: "alert", "aria-labelledby": "n-" + n.guidance },
        page.el("h3", { id: "n-" + n.guidance }, page.text(item.title)),
        page.paragraphs(item.body).map(function (p) { return page.el("p", {}, p); }),
        page.el("p", { class: "muted" }, page.cite(citations(item.sources)), " · " + L.rules_colon + " " + n.rules.join(", "))));
    });
    if (plan.visibility_warning) {
      nodes.push(this.el("p", { class: "alert-plain" }, this.el("strong", {}, L.visibility), " " + L.visibility_warning));
    }
    if (plan.emergency) {
      var programmes = {};
      data.programmes.forEach(function (p) { programmes[p.id] = p; });
      nodes.push(this.el("section", { class: "alert", "aria-labelledby": "emergency" },
        this.el("h3", { id: "emergency" }, this.text(data.rules.emergency_title)),
        this.el("p", {}, this.text(data.rules.emergency_note)),
        this.el("ul", {}, plan.emergency.programmes.map(function (p) {
          var programme = programmes[p.id];
          return page.el("li", {}, page.el("a", { href: page.url("programmes", null, p.id) }, page.text(programme.name)),
            programme.how_to_reach ? [": ", page.text(programme.how_to_reach)] : null, " ", page.cite(p.sources));
        })),
        this.el("ol", {}, plan.emergency.recommendations.map(this.recommendation, this))));
    }
    nodes.push(this.el("p", { class: "muted" }, L.explain));
    nodes.push(this.el("h3", {}, L.ranked), this.el("ol", {}, result.ranked.map(this.recommendation, this)));
    nodes.push(this.el("h3", {}, L.escalation), this.el("p", {}, L.escalation_note));
    nodes.push(this.el("ol", {}, plan.steps.map(function (step) {
      var links = [];
      step.recommendations.forEach(function (r, i) {
        var type = data.support_types[data.support_types.map(function (s) { return s.id; }).indexOf(r.support_type)];
        links.push(page.el("a", { href: "#r-" + r.support_type }, page.text(type.name)));
        if (i < step.recommendations.length - 1) links.push(", ");
      });
      return page.el("li", {}, page.el("strong", {}, (L.visibilities[step.visibility] || step.visibility) + ":"), " ", links);
    })));
    if (plan.excluded.length) {
      nodes.push(this.el("h3", {}, L.excluded), this.el("ul", {}, plan.excluded.map(function (e) {
        var type = data.support_types[data.support_types.map(function (s) { return s.id; }).indexOf(e.support_type)];
        var exclusion = result.excluded.get(e.support_type);
        var reason = exclusion.reason !== null ? page.text(exclusion.reason) : page.fill(L.exposure_reason, {
          kind: L.visibilities[type.visibility] || type.visibility,
          accepted: L.exposures[exclusion.accepted] || exclusion.accepted,
        });
        return page.el("li", {}, page.el("a", { href: page.url("support", e.support_type) }, page.text(type.name)), ": ",
          reason, " ", page.cite(e.sources));
      })));
    }
    nodes.push(this.el("h3", {}, L.missions));
    if (plan.host_issuer) {
      nodes.push(this.el("p", {}, this.fill(L.host, { name: this.text(data.issuers[plan.host_issuer].name) })));
    }
    nodes.push(this.el("p", { class: "muted" }, this.fill(L.missions_note, { where: this.countryName(where), date: L.missions_date })));
    nodes.push(this.el("ul", {}, plan.missions.map(function (p) {
      var missions = [];
      p.missions.forEach(function (m, i) {
        missions.push((L.mission_kinds[m.kind] || m.kind) + ", " + m.city + (m.country !== where ? " (" + page.countryName(m.country) + ")" : ""));
        if (i < p.missions.length - 1) missions.push("; ");
      });
      return page.el("li", {}, page.el("a", { href: page.url("issuer", p.issuer) }, page.text(data.issuers[p.issuer].name)), ": ",
        p.known ? missions : L.not_known);
    })));
    nodes.push(this.el("h3", {}, L.cautions), this.el("ul", {}, plan.cautions.map(function (c) {
      var item = data.guidance[c.guidance];
      return page.el("li", {}, page.el("a", { href: page.url("guidance", null, c.guidance) }, page.text(item.title)), " ",
        page.cite(citations(item.sources)));
    })));
    nodes.push(this.el("h3", {}, L.checklist), this.el("ol", {}, plan.checklist.map(function (g) {
      var item = data.guidance[g.guidance];
      return page.el("li", {}, page.el("strong", {}, page.text(item.title)), " ", page.paragraphs(item.body).slice(0, 1), " ",
        page.cite(citations(item.sources)));
    })));
    var change = this.el("button", { type: "button" }, L.change);
    change.addEventListener("click", function () { page.edit(); });
    nodes.push(this.el("p", {}, change));
    nodes.push(this.el("p", { class: "muted" }, L.applied + " " + plan.rules_applied.join(", ")));

    this.clear(this.region);
    this.append(this.region, nodes);
    this.form.hidden = true;
    this.region.hidden = false;
    heading.focus();
  };

  Page.prototype.clear = function (element) {
    while (element.firstChild) element.removeChild(element.firstChild);
  };

  Page.prototype.edit = function () {
    this.region.hidden = true;
    this.clear(this.region);
    this.form.hidden = false;
    this.document.getElementById("country").focus();
  };

  /* The form's answers in the shape the live plan view reads from a POST. */
  Page.prototype.read = function () {
    var form = new FormData(this.form), raw = {};
    ["country", "location", "subject", "urgency", "exposure"].forEach(function (name) { raw[name] = form.get(name) || ""; });
    LISTS.forEach(function (name) { raw[name] = form.getAll(name); });
    BOOLEANS.forEach(function (name) { raw[name] = form.get(name) === "on"; });
    return raw;
  };

  Page.prototype.clearErrors = function () {
    Array.prototype.slice.call(this.form.querySelectorAll(".error[data-offline]")).forEach(function (e) { e.remove(); });
    Array.prototype.slice.call(this.form.querySelectorAll("[aria-invalid], [aria-describedby]")).forEach(function (e) {
      e.removeAttribute("aria-invalid");
      e.removeAttribute("aria-describedby");
    });
    this.clear(this.problems);
    this.problems.hidden = true;
  };

  Page.prototype.showErrors = function (errors) {
    var L = this.labels, page = this, byField = {};
    errors.forEach(function (e) { byField[e.field] = L.errors[e.code] || e.message; });
    var items = Object.keys(byField).map(function (field) {
      var target = page.document.getElementById("f-" + field) ? "#f-" + field : "#navigator";
      return page.el("li", {}, page.el("a", { href: target }, L.fields[field] || field), ": " + byField[field]);
    });
    this.append(this.problems, [this.el("h2", {}, L.problems), this.el("ul", {}, items)]);
    Object.keys(byField).forEach(function (field) {
      var container = page.document.getElementById("f-" + field);
      if (!container) return;
      var message = page.el("span", { class: "error", id: "e-" + field, "data-offline": "" }, byField[field]);
      var control = field === "country" ? page.document.getElementById("country") : container;
      if (field === "country") control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-describedby", "e-" + field);
      container.appendChild(page.el("br", { "data-offline": "", class: "error" }));
      container.appendChild(message);
    });
    this.problems.hidden = false;
    this.problems.focus();
  };

  Page.prototype.submit = function (event) {
    event.preventDefault();
    this.clearErrors();
    var situation;
    try {
      situation = parseSituation(this.read(), this.data);
    } catch (error) {
      if (error instanceof SituationError) return this.showErrors(error.errors);
      throw error;
    }
    this.render(evaluate(situation, this.data, this.language), situation);
  };

  function start(document) {
    var data = root.AMPARO_NAVIGATOR_DATA;
    if (!data || !document.getElementById("navigator") || !document.getElementById("plan")) return;
    var page = new Page(document, data);
    page.form.addEventListener("submit", function (event) { page.submit(event); });
    document.getElementById("nojs").hidden = true;
    page.form.hidden = false;
  }

  if (typeof document !== "undefined") {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { start(document); });
    } else {
      start(document);
    }
  }
})(typeof globalThis !== "undefined" ? globalThis : this);
