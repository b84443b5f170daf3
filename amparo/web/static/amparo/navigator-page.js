/*
 * Amparo's offline navigator, its page (offline_navigator.html): reads the form, asks navigator-core.js
 * for the plan, and shows it as the live plan page (web/navigator_plan.html) does, in the page's language,
 * with the words of data-labels (the live site's catalogues) and the constants of navigator-data.js.
 * tests/web/test_navigator_parity.py renders it in Node and checks that its text is the live page's.
 *
 * Nothing a defender enters leaves the page: no request, no storage, no eval, no innerHTML: every word
 * becomes a text node.
 */
(function (root) {
  "use strict";

  var core = root.AmparoNavigator;
  if (!core) return;  // the core did not load: the page keeps its words for a browser without JavaScript
  var resolve = core.resolve, citations = core.citations, SituationError = core.SituationError;
  // Letters written left to right (Latin, Greek, Cyrillic...) and right to left (Hebrew, Arabic, Syriac, Thaana,
  // N'Ko...): the isolated filter (templatetags/amparo.py) asks Unicode's bidirectional class of each character.
  var LTR_LETTER = /[A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02b8\u0370-\u0482\u048a-\u058f]/;
  var RTL_LETTER = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;

  function Page(document, data) {
    var region = document.getElementById("plan");
    this.document = document;
    this.data = data;
    this.form = document.getElementById("navigator");
    this.region = region;
    this.problems = document.getElementById("problems");
    this.constants = data.constants;
    this.language = document.documentElement.lang || data.constants.default_language;
    this.rtl = document.documentElement.getAttribute("dir") === "rtl";
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
    var found = resolve(text, this.language, this.data);
    return found[1] === this.language ? this.isolated(found[0]) : this.el("span", { lang: found[1], dir: "ltr" }, found[0]);
  };

  /* On a right-to-left page, a text in a left-to-right script only (a name in Latin script, a city) in a <bdi>,
   * as the isolated filter does. */
  Page.prototype.isolated = function (text) {
    return this.rtl && LTR_LETTER.test(text) && !RTL_LETTER.test(text) ? this.el("bdi", {}, text) : text;
  };

  /* Text kept as the English original writes it (a locator), as the english filter marks it. */
  Page.prototype.english = function (text) {
    var english = this.constants.default_language;
    if (this.language === english) return text;
    var span = this.el("span", { lang: english, dir: "ltr" }, text);
    span.setAttribute("translate", "no");
    return span;
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

  /* Sources, as web/_cite.html lists them: on a right-to-left page the list (ids and English locators) is one
   * run in English, left to right. */
  Page.prototype.cite = function (list) {
    if (!list.length) return null;
    var parts = [];
    list.forEach(function (c, i) {
      parts.push(this.el("a", { href: this.url("sources", null, c.source) }, c.source));
      if (c.locator) parts.push(" (", this.rtl ? c.locator : this.english(c.locator), ")");
      if (i < list.length - 1) parts.push("; ");
    }, this);
    var english = this.constants.default_language;
    var run = parts;
    if (this.rtl) {
      run = this.el("bdi", { lang: english, dir: "ltr" }, parts);
      run.setAttribute("translate", "no");  // as _cite.html: kept as the English sources write it
    }
    return this.el("span", { class: "cite" }, this.labels.source, " ", run);
  };

  Page.prototype.paragraphs = function (text) {
    var found = resolve(text, this.language, this.data), page = this;
    return found[0].split("\n\n").map(function (p) { return core.strip(p, page.constants); }).filter(Boolean).map(function (p) {
      return found[1] === page.language ? page.isolated(p) : page.el("span", { lang: found[1], dir: "ltr" }, p);
    });
  };

  /* One contact route, as web/_route.html shows it: it opens where it can, with the day it was read on the page
   * that publishes it. The data gives each as [kind, value, href, label, page, site, checked, shown]. */
  Page.prototype.route = function (c) {
    var L = this.labels;
    var value = c[2] ? this.el("a", { href: c[2], dir: "ltr" }, c[7]) : this.el("span", { dir: "ltr" }, c[7]);
    var checked = c[4] === c[1] ? this.fill(L.checked_date, { date: c[6] })
      : this.el("a", { href: c[4] }, this.fill(L.checked, { date: c[6], site: this.isolated(c[5]) }));
    return [c[3] ? this.text(c[3]) : (L.contact_kinds[c[0]] || c[0]), ": ", value, " ",
      this.el("small", {}, "(", checked, ")")];
  };

  /* A programme's contact routes, as web/_routes.html lists them. */
  Page.prototype.routes = function (contacts) {
    if (!contacts.length) return null;
    return this.el("ul", { class: "routes" }, contacts.map(function (c) { return this.el("li", {}, this.route(c)); }, this));
  };

  Page.prototype.programme = function (id) {
    return this.data.programmes.filter(function (p) { return p.id === id; })[0];
  };

  Page.prototype.programmeLink = function (p) {
    return this.el("a", { href: this.urls[p.page] + "#" + encodeURIComponent(p.id) }, this.text(p.name));
  };

  /* An emergency organisation, as web/_emergency_programme.html shows it: its first line (else its first route)
   * on screen, how to reach it and every route folded. */
  Page.prototype.emergencyProgramme = function (p) {
    var L = this.labels, C = this.constants, programme = this.programme(p.id);
    var lead = programme.contacts.filter(function (c) { return C.line_kinds.indexOf(c[0]) >= 0; })[0] || programme.contacts[0];
    return this.el("li", {}, this.el("a", { href: this.url("programmes", null, p.id) }, this.el("strong", {}, this.text(programme.name))),
      programme.audience ? [" (", this.text(programme.audience), ")"] : null, ": ", this.route(lead), " ",
      programme.how_to_reach || programme.contacts.length > 1 ? this.el("details", {}, this.el("summary", {}, L.how_to_reach),
        programme.how_to_reach ? this.el("p", {}, this.text(programme.how_to_reach), " ", this.cite(p.sources)) : null,
        programme.contacts.length > 1 ? this.routes(programme.contacts) : null) : null);  // one route: shown above
  };

  /* A next step, as web/_next_step.html words it. */
  Page.prototype.nextStep = function (step, where) {
    var L = this.labels, C = this.constants, page = this, kinds = C.next_steps;
    if (step.kind === kinds[0]) {
      var programme = this.programme(step.programme);
      var route = programme.contacts.filter(function (c) { return c[0] === step.route.kind && c[1] === step.route.value; })[0];
      return this.el("li", {}, this.el("strong", {}, this.fill(L.contact_now, { name: this.text(programme.name) })), ": ",
        this.route(route));
    }
    if (step.kind === kinds[1]) {
      var type = this.data.support_types.filter(function (s) { return s.id === step.support_type; })[0];
      var values = { measure: this.text(type.name) };
      var mission = step.mission === null ? null : this.data.missions.filter(function (m) { return m[0] === step.mission; })[0];
      var template = L.ask_anyone;
      if (step.issuer !== null) {
        values.issuer = this.text(this.data.issuers[step.issuer].name);
        template = L.ask_directory;
      }
      if (mission) {
        values.kind = L.mission_kinds[mission[4]] || mission[4];
        values.place = [this.isolated(mission[2]), mission[3] && mission[3] !== where ? " (" + page.countryName(mission[3]) + ")" : ""];
        template = mission[2] ? L.ask_at : L.ask_kind;
      }
      return this.el("li", {}, this.fill(template, values));
    }
    return this.el("li", {}, L.prepare, " ", this.el("a", { href: "#checklist" }, this.text(this.data.guidance[step.guidance].title)), ".");
  };

  Page.prototype.recommendation = function (r, grouped) {
    var L = this.labels, type = this.data.support_types.filter(function (s) { return s.id === r.support_type; })[0];
    var page = this, options = this.data.provisions[r.support_type] || [];
    var uncertain = {};
    options.forEach(function (o) { uncertain[o[0]] = o[4]; });
    var explicitly = this.constants.offered[0];  // explicit, then inherited
    var explicit = r.issuers.filter(function (o) { return o.status === explicitly; });
    var inherited = r.issuers.length - explicit.length;
    var foreseen = [];
    var shown = explicit.slice(0, this.constants.foreseen_shown);  // foreseen_shown (templatetags)
    shown.forEach(function (o, i) {
      foreseen.push(page.el("a", { href: page.url("issuer", o.issuer, r.support_type) }, page.text(page.data.issuers[o.issuer].name)));
      if (uncertain[o.issuer]) foreseen.push("*");
      if (i < shown.length - 1) foreseen.push(L.comma);
    });
    if (!explicit.length) foreseen.push(L.no_explicit);
    if (explicit.length > shown.length) foreseen.push(L.semicolon, L.more_on_page[String(explicit.length - shown.length)]);
    if (inherited) foreseen.push(L.semicolon, L.inherited[String(inherited)]);
    var programmes = [];
    var named = r.programmes.slice(0, this.constants.programmes_shown);  // programmes_shown (templatetags)
    named.forEach(function (id, i) {
      programmes.push(page.programmeLink(page.programme(id)));
      if (i < named.length - 1) programmes.push(L.comma);
    });
    if (r.programmes.length > named.length) programmes.push(L.semicolon, L.more_on_page[String(r.programmes.length - named.length)]);
    return this.el("li", { id: "r-" + r.support_type },
      this.el("details", {},
        this.el("summary", {}, this.el("strong", {}, this.text(type.name)),
          r.emergency ? null : [" ", this.el("span", { class: "tag" }, L.visibilities[r.visibility] || r.visibility)],
          r.last_resort ? [" ", this.el("span", { class: "tag warn" }, L.last_resort)] : null),
        " ",
        r.why.map(function (w) {
          var rule = page.data.rules.rules.filter(function (x) { return x.id === w.rule; })[0];
          var item = rule.recommend.filter(function (x) { return x[0] === r.support_type; })[0];
          return [page.text(core.reasonFor(rule, item || [], page.situation)), " "];  // the core's choice of words
        }),
        type.preconditions.map(function (n) {
          return [page.el("br"), page.el("em", {}, L.condition), " ", page.text(n.note), " ", page.cite(citations(n.sources))];
        }),
        this.el("br"), L.foreseen, " ", foreseen, ". ",
        programmes.length && !r.emergency ? [this.el("br"), L.programmes_offer, " ", programmes, "."] : null,  // see the box
        this.el("br"), this.el("a", { href: this.url("support", r.support_type) }, L.more_about), " ", this.cite(r.sources)),
      " ",
      r.beyond_exposure && grouped !== true ? this.caution([r]) : null);
  };

  /* The caution on a measure asked for beyond what the defender accepts, or on a run that shares it (render.py,
   * asked_beyond_exposure). */
  Page.prototype.caution = function (run) {
    var L = this.labels, type = this.supportType(run[0].support_type);
    return this.el("strong", { class: "caution" }, this.fill(run.length === 1 ? L.asked_beyond : L.asked_beyond_many,
      { accepted: L.exposures[run[0].beyond_exposure], exposes: L.exposes[type.exposes] }));
  };

  Page.prototype.supportType = function (id) {
    return this.data.support_types.filter(function (s) { return s.id === id; })[0];
  };

  /* asked_runs (render.py): the measures asked for beyond what is accepted, in runs that share one caution. */
  Page.prototype.askedRuns = function (shown) {
    var runs = [], page = this;
    var key = function (r) { return r.beyond_exposure + " " + page.supportType(r.support_type).exposes; };
    shown.forEach(function (r, i) {
      if (r.beyond_exposure === null) return;
      var last = runs[runs.length - 1];
      if (last && key(last.run[0]) === key(r)) last.run.push(r);
      else runs.push({ start: i + 1, run: [r] });
    });
    return runs;
  };

  /* A fold with a heading for its summary, as the live plan page folds a section. */
  Page.prototype.fold = function (heading, attributes) {
    var children = Array.prototype.slice.call(arguments, 2);
    return this.el("details", attributes || {}, this.el("summary", {}, this.el("h3", {}, heading)), children);
  };

  /* An issuer of the plan's first measures and its missions where the defender is now (web/_presence.html). */
  Page.prototype.presence = function (p, where) {
    var L = this.labels, page = this, caveats = this.data.caveats, missions = [];
    p.missions.forEach(function (m, i) {
      missions.push(L.mission_kinds[m.kind] || m.kind, m.city ? [L.comma, page.isolated(m.city)] : null,
        m.country !== where ? " (" + page.countryName(m.country) + ")" : null);
      var caveat = Object.prototype.hasOwnProperty.call(caveats, m.id) ? caveats[m.id] : null;
      if (caveat) {
        missions.push(" ", caveat[0] ? [page.el("span", { class: "tag warn" }, L.delegation_statuses[caveat[0]]), " "] : null,
          page.text(caveat[1]), " ", page.cite(citations(caveat[2])), " ");  // the live page's include ends a line
      }
      if (i < p.missions.length - 1) missions.push(L.semicolon);
    });
    var found = p.known ? missions : p.directory
      ? [L.eu_not_listed, " ", this.el("a", { href: p.directory }, L.eu_directory)] : L.not_known;
    return this.el("li", {}, this.el("a", { href: this.url("issuer", p.issuer) }, this.text(this.data.issuers[p.issuer].name)),
      ": ", found);
  };

  Page.prototype.render = function (result, situation) {
    var L = this.labels, plan = result.plan, page = this, data = this.data;
    this.situation = situation;  // a plan for someone detained speaks of them (core.reasonFor)
    var where = situation.location || situation.country;
    var nodes = [];
    var heading = this.el("h2", { id: "plan-title", tabindex: "-1" }, situation.on_behalf ? L.their_plan : L.your_plan);
    var intro = situation.location
      ? this.fill(L.intro_abroad, { country: this.countryName(situation.country), where: this.countryName(where) })
      : this.fill(L.intro, { country: this.countryName(situation.country) });
    nodes.push(heading, this.el("p", { class: "muted" }, intro));
    if (plan.next_steps.length) {
      nodes.push(this.el("section", { "aria-labelledby": "next" }, this.el("h3", { id: "next" }, L.next_steps),
        this.el("ol", { class: "next" }, plan.next_steps.map(function (step) { return page.nextStep(step, where); }))));
    }
    if (plan.emergency) {
      nodes.push(this.el("section", { class: "alert", "aria-labelledby": "emergency" },
        this.el("h3", { id: "emergency" }, this.text(data.rules.emergency_title)),
        this.el("p", {}, this.text(data.rules.emergency_note)),
        plan.emergency.programmes.length
          ? this.el("ul", { class: "routes" },
            plan.emergency.programmes.slice(0, this.constants.emergency_shown).map(this.emergencyProgramme, this))
          : this.el("p", {}, L.no_route, " ", this.el("a", { href: this.url("programmes") }, L.programmes_page)),
        plan.emergency.programmes.length > this.constants.emergency_shown
          ? this.el("details", {},
            this.el("summary", {}, L.more_organisations[String(plan.emergency.programmes.length - this.constants.emergency_shown)]),
            this.el("ul", { class: "routes" },
              plan.emergency.programmes.slice(this.constants.emergency_shown).map(this.emergencyProgramme, this)))
          : null,
        plan.emergency.recommendations.length
          ? this.el("details", {}, this.el("summary", {}, L.emergency_measures),
            this.el("ol", { class: "measures" }, plan.emergency.recommendations.map(function (r) { return page.recommendation(r); })))
          : null));
    }
    plan.notices.forEach(function (n) {
      var item = data.guidance[n.guidance];
      nodes.push(page.el("section", { class: "alert", "aria-labelledby": "n-" + n.guidance },
        page.el("details", {}, page.el("summary", {}, page.el("h3", { id: "n-" + n.guidance }, page.text(item.title))),
          page.paragraphs(item.body).map(function (p) { return page.el("p", {}, p); }),
          page.el("p", { class: "muted" }, page.cite(citations(item.sources))))));
    });
    if (plan.visibility_warning) {
      nodes.push(this.el("p", { class: "alert-plain" }, this.el("strong", {}, L.visibility), " " + L.visibility_warning));
    }
    // shown_and_folded (plan.py): the first measures in full, and every one asked for beyond the accepted exposure
    var own = result.ranked.filter(function (r) { return r.beyond_exposure === null; });
    var full = new Set(own.slice(0, this.constants.measures_shown).concat(
      result.ranked.filter(function (r) { return r.beyond_exposure !== null; })));
    var folded = result.ranked.filter(function (r) { return !full.has(r); });
    var shownMeasures = result.ranked.filter(function (r) { return full.has(r); });
    nodes.push(this.el("h3", { id: "measures" }, L.ranked), this.el("ol", { class: "measures" },
      shownMeasures.filter(function (r) { return r.beyond_exposure === null; }).map(function (r) { return page.recommendation(r); })));
    this.askedRuns(shownMeasures).forEach(function (group) {
      nodes.push(page.el("p", {}, page.caution(group.run)), page.el("ol", { class: "measures", start: String(group.start) },
        group.run.map(function (r) { return page.recommendation(r, true); })));
    });
    if (folded.length) {
      nodes.push(this.el("details", {}, this.el("summary", {}, L.more_measures[String(folded.length)]),
        this.el("ul", {}, folded.map(function (r) {
          var type = data.support_types.filter(function (s) { return s.id === r.support_type; })[0];
          return page.el("li", { id: "r-" + r.support_type },
            page.el("a", { href: page.url("support", r.support_type) }, page.text(type.name)));
        }))));
    }
    plan.national.forEach(function (id) {
      nodes.push(page.el("p", { class: "alert-plain" }, page.el("strong", {}, L.national), " ",
        page.programmeLink(page.programme(id)), ". ", L.national_note));
    });
    nodes.push(this.el("h3", {}, this.fill(L.missions, { where: this.countryName(where) })));
    if (plan.host_issuer) {
      nodes.push(this.el("p", {}, this.fill(L.host, { name: this.text(data.issuers[plan.host_issuer].name) })));
    }
    var shown = this.constants.issuers_shown;
    var presence = function (p) { return page.presence(p, where); };
    nodes.push(this.el("ul", {}, plan.missions.slice(0, shown).map(presence)));
    var more = plan.missions.slice(shown);
    if (more.length) {
      nodes.push(this.el("details", {}, this.el("summary", {}, L.more_issuers[String(more.length)]),
        this.el("ul", {}, more.map(presence))));
    }
    nodes.push(this.el("details", {}, this.el("summary", {}, L.about_list),
      this.el("p", { class: "muted" }, this.fill(L.missions_note, { where: this.countryName(where), date: L.missions_date }))));
    if (plan.home_missions.length) {  // a defender abroad who needs a safe return: the missions at home
      var atHome = function (p) { return page.presence(p, situation.country); };
      nodes.push(this.el("h3", {}, this.fill(L.home_missions, { home: this.countryName(situation.country) })),
        this.el("ul", {}, plan.home_missions.slice(0, shown).map(atHome)));
    }
    nodes.push(this.fold(L.escalation, null, this.el("p", {}, L.escalation_note), this.el("ol", {}, plan.steps.map(function (step) {
      var links = [];
      step.recommendations.forEach(function (r, i) {
        var type = data.support_types[data.support_types.map(function (s) { return s.id; }).indexOf(r.support_type)];
        links.push(page.el("a", { href: "#r-" + r.support_type }, page.text(type.name)));
        if (i < step.recommendations.length - 1) links.push(L.comma);
      });
      return page.el("li", {}, page.el("strong", {}, (L.visibilities[step.visibility] || step.visibility) + ":"), " ", links);
    }))));
    if (plan.excluded.length) {
      // exclusion_groups (plan.py): the measures left out for one same reason and sources, said once.
      var groups = new Map();
      plan.excluded.forEach(function (e) {
        var type = data.support_types[data.support_types.map(function (s) { return s.id; }).indexOf(e.support_type)];
        var exclusion = result.excluded.get(e.support_type);
        var why = exclusion.reason !== null ? [exclusion.reason] : [type.visibility, exclusion.accepted];
        var key = JSON.stringify([why, e.sources]);
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key).push({ e: e, type: type, exclusion: exclusion });
      });
      nodes.push(this.fold(L.excluded, null, this.el("ul", {}, Array.from(groups.values()).map(function (group) {
        var first = group[0];
        var reason = first.exclusion.reason !== null ? page.text(first.exclusion.reason) : page.fill(L.exposure_reason, {
          kind: L.visibilities[first.type.visibility] || first.type.visibility,
          accepted: L.exposures[first.exclusion.accepted] || first.exclusion.accepted,
        });
        var links = [];
        group.forEach(function (x, i) {
          links.push(page.el("a", { href: page.url("support", x.e.support_type) }, page.text(x.type.name)));
          if (i < group.length - 1) links.push(L.comma);
        });
        return page.el("li", {}, links, ": ", reason, " ", page.cite(first.e.sources));
      }))));
    }
    nodes.push(this.fold(L.cautions, null, this.el("ul", {}, plan.cautions.map(function (c) {
      var item = data.guidance[c.guidance];
      // Its sources are on the guidance page it links to.
      return page.el("li", {}, page.el("a", { href: page.url("guidance", null, c.guidance) }, page.text(item.title)));
    }))));
    nodes.push(this.fold(L.checklist, { id: "checklist" }, this.el("ol", {}, plan.checklist.map(function (g) {
      var item = data.guidance[g.guidance];
      return page.el("li", {}, page.el("strong", {}, page.text(item.title)), " ", page.paragraphs(item.body).slice(0, 1), " ",
        page.cite(citations(item.sources)));
    }))));
    var change = this.el("button", { type: "button" }, L.change);
    change.addEventListener("click", function () { page.edit(); });
    nodes.push(this.el("p", {}, change));
    nodes.push(this.el("details", {}, this.el("summary", {}, L.sources_rules), this.el("p", { class: "muted" }, L.explain),
      this.el("p", { class: "muted" }, L.applied, " ", this.isolated(plan.rules_applied.join(", ")))));

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

  /* The form's answers in the shape the live plan view reads from a POST (amparo/web/navigator.py). */
  Page.prototype.read = function () {
    var form = new FormData(this.form), raw = {}, C = this.constants;
    C.fields.forEach(function (name) {
      if (C.lists.indexOf(name) >= 0) raw[name] = form.getAll(name);
      else if (C.booleans.indexOf(name) >= 0) raw[name] = form.get(name) !== null;  // ticked
      else raw[name] = form.get(name) || "";
    });
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
      var select = container.querySelector("select");  // a list to choose from, as for the country
      var control = select || container;
      if (select) control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-describedby", "e-" + field);
      container.appendChild(page.el("br", { "data-offline": "", class: "error" }));
      container.appendChild(message);
    });
    this.problems.hidden = false;
    this.problems.focus();
  };

  /* The plan for the answers ``raw`` (as read gives them), or what is wrong with them. */
  Page.prototype.show = function (raw) {
    this.clearErrors();
    var situation;
    try {
      situation = core.parseSituation(raw, this.data);
    } catch (error) {
      if (error instanceof SituationError) return this.showErrors(error.errors);
      throw error;
    }
    this.render(core.evaluate(situation, this.data, this.language), situation);
  };

  Page.prototype.submit = function (event) {
    event.preventDefault();
    this.show(this.read());
  };

  function start(document) {
    var data = root.AMPARO_NAVIGATOR_DATA;
    if (!data || !document.getElementById("navigator") || !document.getElementById("plan")) return;
    var page = new Page(document, data);
    page.form.addEventListener("submit", function (event) { page.submit(event); });
    document.getElementById("nojs").hidden = true;
    page.form.hidden = false;
  }

  root.AmparoNavigatorPage = { Page: Page, start: start };
  if (typeof document !== "undefined") {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { start(document); });
    } else {
      start(document);
    }
  }
})(typeof globalThis !== "undefined" ? globalThis : this);
