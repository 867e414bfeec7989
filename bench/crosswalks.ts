// Crosswalk hot paths: inference from one full set of results across all crosswalks, the full
// consolidated matrix over all catalogs, and its XLSX. Run with `npm run bench`.
import { loadCatalogs } from "../src/catalog/files.js";
import { loadCrosswalks } from "../src/crosswalk/files.js";
import { infer, type Result } from "../src/crosswalk/inference.js";
import { buildMatrix } from "../src/crosswalk/matrix.js";
import { matricesToXlsx } from "../src/crosswalk/matrix-render.js";
import { report } from "./stats.js";

export async function benchCrosswalks(): Promise<void> {
  console.log("\n== crosswalks ==");
  const { registry } = loadCatalogs();
  const t0 = performance.now();
  const { set, problems } = loadCrosswalks(registry);
  const loadMs = performance.now() - t0;
  if (problems.length > 0) throw new Error("bundled crosswalks invalid");
  const rows = set.crosswalks.reduce((n, c) => n + c.mappings.length, 0);
  console.log(
    `bundled: ${set.crosswalks.length} crosswalks, ${rows} rows; load and check ${loadMs.toFixed(1)} ms`,
  );

  // One full set of results: every item of NISTIR 8259A and 8259B, as an assessment would give.
  const cycle: Result[] = ["pass", "pass", "partial", "fail", "pass", "not-applicable"];
  for (const origin of ["nist-ir-8259a", "nist-sp-800-213a"]) {
    const input = new Map(
      registry.require(origin).items.map((i, n) => [i.id, cycle[n % cycle.length] as Result]),
    );
    let derived = 0;
    for (let i = 0; i < 10; i++) derived = infer(set, input).size;
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t = performance.now();
      infer(set, input);
      times.push(performance.now() - t);
    }
    report(`infer from ${origin} (${input.size} results -> ${derived})`, times, 5);
  }

  const catalogs = registry.latest().filter((c) => set.catalogs().includes(c.meta.id));
  const all = () =>
    catalogs.map((anchor) =>
      buildMatrix(
        set,
        anchor,
        catalogs.filter((c) => c !== anchor),
      ),
    );
  for (let i = 0; i < 3; i++) all();
  const times: number[] = [];
  let cells = 0;
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    const ms = all();
    times.push(performance.now() - t);
    cells = ms.reduce((n, m) => n + m.rows.length * m.columns.length, 0);
  }
  report(`full matrix, ${catalogs.length} anchors x all columns (${cells} cells)`, times, 50);

  const anchor = registry.require("nist-ir-8259a");
  const matrix = buildMatrix(
    set,
    anchor,
    catalogs.filter((c) => c !== anchor),
  );
  const xlsx: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    bytes = (await matricesToXlsx(all())).length;
    xlsx.push(performance.now() - t);
  }
  report(`XLSX of the full matrix (${(bytes / 1024).toFixed(0)} KiB, ${catalogs.length} sheets)`, xlsx, 1000);
  void matrix;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchCrosswalks();
