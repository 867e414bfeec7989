// OSCAL profile resolution: the in-process time to resolve NIST's SP 800-53B HIGH baseline profile
// (5.1.1, 370 controls, imported through a back-matter resource) against the full SP 800-53 Rev. 5
// catalog (1189 controls, already parsed), and separately the time to parse the catalog file.
// Run with `npx tsx bench/profile-resolve.ts`, or from bench/run-all.ts.
import { readFileSync } from "node:fs";
import { bundledPath } from "../src/core/paths.js";
import { resolveProfile } from "../src/oscal/profile-resolve.js";
import type { CatalogDocument, OscalProfileDoc } from "../src/oscal/profile-types.js";
import { report } from "./stats.js";

const DIR = ["reference", "nist", "oscal"] as const;
const CATALOG = bundledPath(...DIR, "sp800-53-rev5.0.1-catalog.oscal.json");
const PROFILE = bundledPath(...DIR, "sp800-53b-rev5-high-baseline-profile.oscal.json");

export function benchProfileResolve(): void {
  console.log("\n== OSCAL profile resolution ==");
  const text = readFileSync(CATALOG, "utf8");
  const parse: number[] = [];
  let catalog: CatalogDocument | undefined;
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    catalog = JSON.parse(text) as CatalogDocument;
    parse.push(performance.now() - t);
  }
  if (!catalog) throw new Error("no catalog");
  const doc = catalog;
  const profile = JSON.parse(readFileSync(PROFILE, "utf8")) as OscalProfileDoc;
  const load = (href: string) => (href.endsWith("NIST_SP-800-53_rev5_catalog.json") ? doc : undefined);

  const resolve = () => resolveProfile(profile, load, { lastModified: "2026-01-01T00:00:00Z" });
  const first = resolve();
  if (first.problems.length > 0) throw new Error(`resolution problems: ${JSON.stringify(first.problems)}`);
  for (let i = 0; i < 30; i++) resolve(); // warm-up
  const times: number[] = [];
  let controls = 0;
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    const r = resolve();
    times.push(performance.now() - t);
    controls = r.catalog.groups?.reduce((n, g) => n + countControls(g.controls), 0) ?? 0;
  }
  console.log(`catalog: ${(text.length / 1e6).toFixed(1)} MB; HIGH baseline: ${controls} controls resolved`);
  report("parse SP 800-53 catalog (JSON.parse)", parse);
  report("resolve HIGH profile (catalog parsed)", times, 15);
}

function countControls(list: { controls?: unknown[] }[] | undefined): number {
  return (list ?? []).reduce((n, c) => n + 1 + countControls(c.controls as { controls?: unknown[] }[]), 0);
}

if (import.meta.url === `file://${process.argv[1]}`) benchProfileResolve();
