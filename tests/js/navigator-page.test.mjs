// The offline navigator's page part in Node, on the real offline navigator page (built by tests/js/pages.py)
// in a fake DOM: it shows errors and plans with elements and text nodes only, and moves the focus as the
// browser tests expect. Run by tests/js/test_node.py.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

import { Document, everyNode } from "./fake-dom.mjs";
import { load } from "./load.mjs";

const { data, core, page: pageApi } = load({ page: true });
const trees = JSON.parse(readFileSync(process.env.AMPARO_NAVIGATOR_PAGES, "utf8"));

function open(language) {
  const document = new Document(trees[language]);
  pageApi.start(document);
  return { document, page: new pageApi.Page(document, data) };
}

function visibleText(element) {
  return element.textContent.replace(/\s+/g, " ").trim();
}

const BASE = { country: "MX", subject: "individual", urgency: "immediate-danger", exposure: "discreet", needs: ["relocation"] };

describe("the offline navigator page", () => {
  it("shows the form once the script runs", () => {
    const { document } = open("en");
    assert.equal(document.getElementById("nojs").hidden, true);
    assert.equal(document.getElementById("navigator").hidden, false);
  });

  it("names each unanswered question with the page's words, and marks the country", () => {
    const { document, page } = open("en");
    page.show({ country: "", subject: "individual", exposure: "discreet", urgency: "" });
    const problems = document.getElementById("problems");
    const labels = JSON.parse(document.getElementById("plan").getAttribute("data-labels"));
    assert.equal(problems.hidden, false);
    assert.equal(document.activeElement, problems);
    const items = problems.querySelectorAll("li").map(visibleText);
    assert.deepEqual(items, [`${labels.fields.country}: ${labels.errors.required}`, `${labels.fields.urgency}: ${labels.errors.required}`]);
    assert.equal(document.getElementById("country").getAttribute("aria-invalid"), "true");
    assert.equal(document.getElementById("f-urgency").getAttribute("aria-describedby"), "e-urgency");
    assert.equal(document.getElementById("plan").hidden, true);

    page.show(BASE);  // the errors go once the answers are right
    assert.equal(problems.hidden, true);
    assert.equal(document.querySelectorAll(".error[data-offline]").length, 0);
    assert.equal(document.getElementById("country").getAttribute("aria-invalid"), null);
  });

  it("shows the plan in the Python order, and goes back to the answers", () => {
    const { document, page } = open("en");
    page.show(BASE);
    const plan = document.getElementById("plan");
    assert.equal(plan.hidden, false);
    assert.equal(document.getElementById("navigator").hidden, true);
    assert.equal(document.activeElement.id, "plan-title");
    const expected = core.makePlan(BASE, data, "en");
    const ids = plan.querySelectorAll("li").filter((li) => li.id.startsWith("r-")).map((li) => li.id.slice(2));
    const order = [...expected.emergency.recommendations, ...expected.steps.flatMap((s) => s.recommendations)];
    assert.deepEqual(new Set(ids), new Set(order.map((r) => r.support_type)));
    assert.equal(ids[0], expected.emergency.recommendations[0].support_type);
    assert.ok(visibleText(plan).includes("Mexico"));
    assert.ok(visibleText(plan).endsWith(`Rules applied: ${expected.rules_applied.join(", ")}`));

    plan.querySelector("button").click();
    assert.equal(plan.hidden, true);
    assert.equal(plan.childNodes.length, 0, "nothing of the plan stays in the page");
    assert.equal(document.getElementById("navigator").hidden, false);
    assert.equal(document.activeElement.id, "country");
  });

  it("marks dataset text that falls back to English, on an Arabic page", () => {
    const { document, page } = open("ar");
    page.show(BASE);
    const plan = document.getElementById("plan");
    const english = plan.querySelectorAll("[lang]");
    assert.ok(english.length > 0);
    assert.ok(english.every((e) => e.getAttribute("lang") === "en" && e.getAttribute("dir") === "ltr"));
    let links = 0;
    everyNode(plan, (node) => {
      if (node.localName === "a") {
        links += 1;
        const href = node.getAttribute("href");
        assert.ok(!/^(javascript|data):/i.test(href), href);
        if (/^(https?|tel|mailto):/i.test(href)) {  // only an organisation's own contact route leaves the edition
          let list = node.parentNode;  // an organisation's list of routes, or the first of the next steps
          while (list && list.localName !== "ul" && list.localName !== "ol") list = list.parentNode;
          assert.ok(list && ["routes", "next"].includes(list.getAttribute("class")), href);
        }
      }
    });
    assert.ok(links > 10);
  });
});
