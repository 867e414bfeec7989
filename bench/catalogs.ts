// Catalog hot paths: cold load and validation of all bundled catalogs in a fresh process, item
// lookup by id, and full-text search. Run with `npm run bench` (built code, not vitest).
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { loadBundledGlossary, loadCatalogs } from "../src/catalog/files.js";
import { SearchIndex } from "../src/catalog/search.js";
import { fmt, report } from "./stats.js";

const child = fileURLToPath(new URL("./catalog-load-child.js", import.meta.url));

export function benchCatalogs(): void {
  console.log("\n== catalogs ==");
  const cold: number[] = [];
  let shape = { catalogs: 0, items: 0 };
  for (let i = 0; i < 15; i++) {
    const out = JSON.parse(execFileSync(process.execPath, [child], { encoding: "utf8" })) as {
      ms: number;
      catalogs: number;
      items: number;
    };
    cold.push(out.ms);
    shape = out;
  }
  console.log(`bundled: ${shape.catalogs} catalogs, ${shape.items} items`);
  report("cold load + validate, fresh process", cold, 150);

  const { registry, catalogs } = loadCatalogs();
  const ids = catalogs.flatMap((c) => c.items.map((i) => i.id));
  const lookups: number[] = [];
  for (let round = 0; round < 20; round++) {
    const t = performance.now();
    let found = 0;
    for (let k = 0; k < 100_000; k++) if (registry.item(ids[k % ids.length] as string)) found++;
    lookups.push((performance.now() - t) / 100_000);
    if (found !== 100_000) throw new Error("lookup missed");
  }
  report("item lookup by id (per lookup)", lookups);

  // Constant time: lookups in the biggest catalog cost the same as in the smallest.
  const small = catalogs.reduce((a, b) => (a.items.length < b.items.length ? a : b));
  const big = catalogs.reduce((a, b) => (a.items.length > b.items.length ? a : b));
  const per = (list: string[]) => {
    const t = performance.now();
    for (let k = 0; k < 200_000; k++) registry.item(list[k % list.length] as string);
    return (performance.now() - t) / 200_000;
  };
  console.log(
    `  lookup in ${small.meta.id} (${small.items.length} items) ${fmt(per(small.items.map((i) => i.id)))}, in ${big.meta.id} (${big.items.length} items) ${fmt(per(big.items.map((i) => i.id)))}`,
  );

  const tb = performance.now();
  const plain = new SearchIndex(registry.latest());
  console.log(`  search index build: ${fmt(performance.now() - tb)} for ${plain.size} items`);
  const tg = performance.now();
  const index = new SearchIndex(registry.latest(), { glossary: loadBundledGlossary() });
  console.log(`  search index build with the field glossary: ${fmt(performance.now() - tg)}`);
  // Engineers' words (issue 16): items matching every idea, without and with the glossary.
  for (const [q, catalog] of [
    ["SBOM"],
    ["VDP"],
    ["vulnerability disclosure", "nist-ir-8259b"],
    ["default password"],
    ["OTA"],
    ["PSIRT"],
    ["secure boot"],
  ] as [string, string?][]) {
    const o = catalog ? { catalog } : {};
    const before = plain.query(q, o);
    const after = index.query(q, o);
    console.log(
      `  "${q}"${catalog ? ` in ${catalog}` : ""}: ${before.complete} items match all words without the glossary, ${after.complete} with it (${after.total - after.complete} partial matches after them)`,
    );
  }
  const queries = [
    "password",
    "default password",
    "software update",
    "vulnerability disclosure",
    "cryptographic module",
    "secure configuration restore",
    "account management",
    "AC-2(1)",
    "5.1-1",
    "state awareness",
    "personal data deletion",
    "logging event",
    "authentication",
    "support period",
    "integrity firmware",
    "access control",
    "telemetry",
    "incident response plan",
    "identifier",
    "encrypt",
    "SBOM",
    "VDP",
    "pasword",
  ];
  const times: number[] = [];
  for (let round = 0; round < 25; round++) {
    for (const q of queries) {
      const t = performance.now();
      index.search(q);
      times.push(performance.now() - t);
    }
  }
  report("full-text search over all catalogs (per query)", times, 5);
  const plainTimes: number[] = [];
  for (let round = 0; round < 25; round++) {
    for (const q of queries) {
      const t = performance.now();
      plain.search(q);
      plainTimes.push(performance.now() - t);
    }
  }
  report("  the same without the glossary", plainTimes, 5);
}

if (import.meta.url === `file://${process.argv[1]}`) benchCatalogs();
