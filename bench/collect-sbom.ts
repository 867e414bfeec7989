// Collectors on large inputs: a 100,000-component CycloneDX SBOM validated and analysed (budget: within
// 2x of JSON.parse of the same file, in one process), and 10,000 components matched against 100,000
// advisories (budget: 2 s). Synthetic inputs of realistic shape (bench/sbom-gen.ts).
import { analyseSbom } from "../src/collect/sbom/analyse.js";
import { readCycloneDx } from "../src/collect/sbom/read-cyclonedx.js";
import { validateAgainstSchema } from "../src/collect/sbom/validate.js";
import { indexAdvisories, matchComponents } from "../src/collect/vulns/match.js";
import type { Advisory } from "../src/collect/vulns/model.js";
import { syntheticAdvisories, syntheticCycloneDx } from "./sbom-gen.js";
import { fmt, summarize } from "./stats.js";

function time<T>(f: () => T): [number, T] {
  const t = performance.now();
  const v = f();
  return [performance.now() - t, v];
}

async function timeAsync<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const v = await f();
  return [performance.now() - t, v];
}

export async function benchCollectSbom(runs = 5): Promise<void> {
  console.log("\n== collectors ==");
  const text = JSON.stringify(syntheticCycloneDx(100_000));
  const bytes = Buffer.from(text, "utf8");
  const info = { sha256: "bench", bytes: bytes.length };
  // Warm-up: loads the generated validator and JIT-compiles the paths.
  await analyseSbom(
    { bytes: Buffer.from(JSON.stringify(syntheticCycloneDx(2000))), info },
    { date: "2026-01-01" },
  );

  const parse: number[] = [];
  const validate: number[] = [];
  const whole: number[] = [];
  for (let i = 0; i < runs; i++) {
    const [p, doc] = time(() => JSON.parse(text) as unknown);
    parse.push(p);
    validate.push((await timeAsync(() => validateAgainstSchema("cyclonedx-1.6", doc)))[0]);
    const [w, report] = await timeAsync(() => analyseSbom({ bytes, info }, { date: "2026-01-01" }));
    if (!report.valid) throw new Error("the benchmark SBOM should be valid");
    whole.push(w);
  }
  const p = summarize(parse).median;
  const w = summarize(whole).median;
  console.log(
    `100,000-component CycloneDX 1.6 SBOM (${(bytes.length / 2 ** 20).toFixed(1)} MiB), median of ${runs}:`,
  );
  console.log(`  JSON.parse                                ${fmt(p).padStart(10)}`);
  console.log(`  schema validation alone                   ${fmt(summarize(validate).median).padStart(10)}`);
  console.log(
    `  cairn collect sbom (decode, parse, validate, checks, proposals) ${fmt(w).padStart(10)}  = ${(w / p).toFixed(2)}x JSON.parse (budget 2x: ${w <= 2 * p ? "ok" : "OVER"})`,
  );

  const components = readCycloneDx(syntheticCycloneDx(10_000) as Record<string, unknown>).components;
  const advisories: Advisory[] = syntheticAdvisories(100_000, 10_000);
  const match: number[] = [];
  let found = 0;
  for (let i = 0; i < runs; i++) {
    const [ms, r] = time(() => matchComponents(components, indexAdvisories(advisories), new Map(), []));
    match.push(ms);
    found = r.matches.length;
  }
  const m = summarize(match).median;
  console.log(
    `10,000 components x 100,000 advisories (index + match, ${found} matches) ${fmt(m).padStart(10)}  (budget 2 s: ${m <= 2000 ? "ok" : "OVER"})`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchCollectSbom();
