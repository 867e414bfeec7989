// Profile hot paths: a profile from a context, and `cairn profile resolve` of the SP 800-53 HIGH
// baseline as a whole CLI process. Run with `npm run bench`.
import { loadCatalogs } from "../src/catalog/files.js";
import { loadCrosswalks } from "../src/crosswalk/files.js";
import { checkContext } from "../src/profile/context.js";
import { buildProfile } from "../src/profile/engine.js";
import { loadBundledRules, loadPresets } from "../src/profile/files.js";
import { timeProcess } from "./process.js";
import { report } from "./stats.js";

export function benchProfiles(): void {
  console.log("\n== profiles ==");
  const { registry } = loadCatalogs();
  const { set } = loadCrosswalks(registry);
  const rules = loadBundledRules(registry, set);
  for (const preset of loadPresets().filter((p) =>
    [
      "temperature-sensor-industrial",
      "medical-device-military-hospital",
      "ip-camera-sensitive-site",
    ].includes(p.id),
  )) {
    const times: number[] = [];
    let items = 0;
    for (let i = 0; i < 60; i++) {
      const t = performance.now();
      const { context } = checkContext(preset.context, rules);
      if (!context) throw new Error("preset");
      items = buildProfile(context, rules, registry, set, { id: preset.id, created: "2026-11-27" }).items
        .length;
      times.push(performance.now() - t);
    }
    report(`profile from context: ${preset.id} (${items} items)`, times.slice(10), 10);
  }
  const args = [
    "bin/cairn.js",
    "profile",
    "resolve",
    "reference/nist/oscal/sp800-53b-rev5.0.1-high-baseline-profile.oscal.json",
    "--catalog",
    "reference/nist/oscal/sp800-53-rev5.0.1-catalog.oscal.json",
    "-o",
    "/tmp/cairn-bench-high.json",
    "--date",
    "2026-11-27T00:00:00Z",
  ];
  report("node -e 0 (process start, for scale)", timeProcess(["-e", "0"], 15));
  report("cairn profile resolve HIGH, whole process", timeProcess(args, 15), 150);
}

if (import.meta.url === `file://${process.argv[1]}`) benchProfiles();
