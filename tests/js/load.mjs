// Load the offline navigator's scripts as a browser would (globals, no modules) into this Node process.
//
// The data is the generated navigator-data.js, at the path in AMPARO_NAVIGATOR_DATA (tests/js/test_node.py
// writes it from the dataset and runs `node --test`).
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const STATIC = path.join(HERE, "..", "..", "amparo", "web", "static", "amparo");

export function run(file) {
  vm.runInThisContext(readFileSync(file, "utf8"), { filename: file });
}

export function load({ page = false } = {}) {
  const dataPath = process.env.AMPARO_NAVIGATOR_DATA;
  if (!dataPath) throw new Error("set AMPARO_NAVIGATOR_DATA to a navigator-data.js (pytest tests/js does)");
  run(dataPath);
  run(path.join(STATIC, "navigator-core.js"));
  if (page) run(path.join(STATIC, "navigator-page.js"));
  return { data: globalThis.AMPARO_NAVIGATOR_DATA, core: globalThis.AmparoNavigator, page: globalThis.AmparoNavigatorPage };
}

/* A copy of the data with some constants changed, to show the core reads them rather than its own. */
export function withConstants(data, changes) {
  const copy = structuredClone(data);
  Object.assign(copy.constants, changes);
  return copy;
}
