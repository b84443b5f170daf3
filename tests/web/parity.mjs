// Run the offline navigator's core (navigator-core.js with the exported navigator-data.js) over many
// situations at once.
//
// Usage: node parity.mjs NAVIGATOR_CORE_JS NAVIGATOR_DATA_JS SITUATIONS_JSON [LANGUAGE...]
// Prints a JSON array with, for each situation in order, {"plan": ...} or {"errors": [{field, message, code}]},
// in English; given languages, an object with such an array for each of them.
// One process for all situations: starting node once per situation would take minutes.
import { readFileSync } from "node:fs";
import vm from "node:vm";

const [corePath, dataPath, situationsPath, ...languages] = process.argv.slice(2);
vm.runInThisContext(readFileSync(dataPath, "utf8"), { filename: dataPath });
vm.runInThisContext(readFileSync(corePath, "utf8"), { filename: corePath });

const { makePlan, SituationError } = globalThis.AmparoNavigator;
const data = globalThis.AMPARO_NAVIGATOR_DATA;
const situations = JSON.parse(readFileSync(situationsPath, "utf8"));

function results(language) {
  return situations.map((situation) => {
    try {
      return { plan: makePlan(situation, data, language) };
    } catch (error) {
      if (error instanceof SituationError) return { errors: error.errors };
      throw error;
    }
  });
}

const output = languages.length ? Object.fromEntries(languages.map((l) => [l, results(l)])) : results("en");
process.stdout.write(JSON.stringify(output));
