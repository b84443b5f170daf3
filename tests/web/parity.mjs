// Run the offline navigator (navigator.js with the exported navigator-data.js) over many situations at once.
//
// Usage: node parity.mjs NAVIGATOR_JS NAVIGATOR_DATA_JS SITUATIONS_JSON
// Prints a JSON array with, for each situation in order, {"plan": ...} or {"errors": [{field, message, code}]}.
// One process for all situations: starting node once per situation would take minutes.
import { readFileSync } from "node:fs";
import vm from "node:vm";

const [navigatorPath, dataPath, situationsPath] = process.argv.slice(2);
vm.runInThisContext(readFileSync(dataPath, "utf8"), { filename: dataPath });
vm.runInThisContext(readFileSync(navigatorPath, "utf8"), { filename: navigatorPath });

const { makePlan, SituationError } = globalThis.AmparoNavigator;
const data = globalThis.AMPARO_NAVIGATOR_DATA;
const situations = JSON.parse(readFileSync(situationsPath, "utf8"));

const results = situations.map((situation) => {
  try {
    return { plan: makePlan(situation, data) };
  } catch (error) {
    if (error instanceof SituationError) return { errors: error.errors };
    throw error;
  }
});
process.stdout.write(JSON.stringify(results));
