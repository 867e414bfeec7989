// The least any `cairn profile resolve` of the SP 800-53 HIGH baseline must do in a fresh Node
// process, with none of the checks: read and JSON.parse the 3.2 MB catalog and the profile, keep
// the controls the profile names, write them. bench/profiles.ts runs it beside `node -e 0` and the
// real command: it is the floor under the whole-process ratio (docs/performance.md).
import { readFileSync, writeFileSync } from "node:fs";

interface Control {
  id: string;
  controls?: Control[];
}
const CAT = "reference/nist/oscal/sp800-53-rev5.0.1-catalog.oscal.json";
const PROFILE = "reference/nist/oscal/sp800-53b-rev5.0.1-high-baseline-profile.oscal.json";
const catalog = JSON.parse(readFileSync(CAT, "utf8")) as { catalog: { groups: { controls?: Control[] }[] } };
const profile = JSON.parse(readFileSync(PROFILE, "utf8")) as {
  profile: { imports: { "include-controls"?: { "with-ids"?: string[] }[] }[] };
};
const ids = new Set(
  profile.profile.imports.flatMap((i) => (i["include-controls"] ?? []).flatMap((s) => s["with-ids"] ?? [])),
);
const keep = (list: Control[] | undefined): Control[] =>
  (list ?? []).filter((c) => ids.has(c.id)).map((c) => ({ ...c, controls: keep(c.controls) }));
for (const g of catalog.catalog.groups) g.controls = keep(g.controls);
writeFileSync(process.argv[2] ?? "/tmp/cairn-bench-floor.json", JSON.stringify(catalog));
