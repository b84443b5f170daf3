// Show plans with the offline navigator's page part (navigator-page.js over navigator-core.js), on the real
// offline navigator page in each language, in tests/js/fake-dom.mjs; print what the plan region holds.
//
// Usage: node parity-render.mjs NAVIGATOR_DATA_JS PAGES_JSON ANSWERS_JSON
// PAGES_JSON is {language: page tree} (tests/js/pages.py); ANSWERS_JSON a list of form answers, as the page
// reads them from its form. Prints {language: [HTML of #plan, for each answers in order]}.
import { readFileSync } from "node:fs";

import { Document, serialize } from "../js/fake-dom.mjs";
import { load } from "../js/load.mjs";

const [dataPath, pagesPath, answersPath] = process.argv.slice(2);
process.env.AMPARO_NAVIGATOR_DATA = dataPath;
const { data, page: pageApi } = load({ page: true });
const trees = JSON.parse(readFileSync(pagesPath, "utf8"));
const answers = JSON.parse(readFileSync(answersPath, "utf8"));

const output = {};
for (const [language, tree] of Object.entries(trees)) {
  output[language] = answers.map((raw) => {
    const document = new Document(tree);
    const page = new pageApi.Page(document, data);
    page.show(raw);
    return serialize(document.getElementById("plan"));
  });
}
process.stdout.write(JSON.stringify(output));
