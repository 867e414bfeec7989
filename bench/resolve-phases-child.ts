// One `cairn profile resolve` of the SP 800-53 HIGH baseline in a fresh process, phase by phase,
// with the functions the command uses: where a whole-process run spends its time. Prints the
// milliseconds of each phase as JSON for bench/profiles.ts. `boot` is Node's own start-up, up to
// the first line of this script; `imports` loads the unbundled modules (dist/src), a little more
// than the bundled CLI loads. The reading phases are timed once on their own, then the whole
// resolution runs as the command runs it (reading the catalog again): `resolve` is that run less
// the reading phases, so it covers the shape checks, selection, merge, modify and pruning.
import { readFileSync, writeFileSync } from "node:fs";

const boot = performance.now();
const t = [performance.now()];
const mark = () => {
  t.push(performance.now());
  return (t[t.length - 1] as number) - (t[t.length - 2] as number);
};
const files = await import("../src/cli/oscal-files.js");
const R = await import("../src/cli/oscal-resolve.js");
const imports = mark();
const CAT = "reference/nist/oscal/sp800-53-rev5.0.1-catalog.oscal.json";
const PROFILE = "reference/nist/oscal/sp800-53b-rev5.0.1-high-baseline-profile.oscal.json";
const buf = readFileSync(CAT);
const read = mark();
files.nesting(buf, files.MAX_NESTING);
const depthScan = mark();
const text = buf.toString("utf8");
const decode = mark();
JSON.parse(text);
const parse = mark();
const doc = R.readProfileFile(PROFILE);
const { result } = R.resolveProfileFile(PROFILE, doc, {
  catalogs: [CAT],
  importRoots: [],
  lastModified: "2026-11-27T00:00:00Z",
});
const resolveWithLoad = mark();
R.writtenCatalogProblems(result.document, "out");
const check = mark();
const json = JSON.stringify(result.document);
const stringify = mark();
writeFileSync("/tmp/cairn-bench-phases.json", json);
const write = mark();
const resolve = Math.max(0, resolveWithLoad - read - depthScan - decode - parse);
process.stdout.write(
  JSON.stringify({ boot, imports, read, depthScan, decode, parse, resolve, check, stringify, write }),
);
