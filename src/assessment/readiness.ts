import type { CatalogItem } from "../catalog/model.js";
import type { CatalogRegistry } from "../catalog/registry.js";
import { catalogOfId, infer, mostRestrictive, type Result } from "../crosswalk/inference.js";
import type { CrosswalkSet } from "../crosswalk/set.js";
import type { Profile } from "../profile/model.js";
import { deriveVerdicts } from "./derive.js";
import type { Assessment, Verdict } from "./model.js";
import type { MarketReadiness, ReadinessItem } from "./report-types.js";

/** Which catalog decides each market, and which of its items count. */
export const MARKETS: {
  id: string;
  label: string;
  catalog: string;
  kinds: string[];
  assessableOnly?: boolean;
}[] = [
  { id: "us-federal", label: "US federal (SP 800-213 profile)", catalog: "profile", kinds: [] },
  {
    id: "us-consumer-label",
    label: "US consumer label (NISTIR 8425)",
    catalog: "nist-ir-8425",
    kinds: ["capability", "outcome"],
  },
  {
    id: "eu-cra",
    label: "EU Cyber Resilience Act (Annex I)",
    catalog: "eu-cra",
    kinds: ["point"],
    assessableOnly: true,
  },
  { id: "etsi-en-303-645", label: "ETSI EN 303 645", catalog: "etsi-en-303-645", kinds: ["provision"] },
];

/** What a verdict says about its item. Inconclusive and stale verdicts say nothing yet. */
export function verdictResult(v: Verdict): Result {
  if (v === "pass") return "pass";
  if (v === "fail") return "fail";
  if (v === "not-applicable") return "not-applicable";
  return "unknown";
}

const FEDERAL = new Set(["nist-ir-8259a", "nist-ir-8259b", "nist-sp-800-213a"]);

/**
 * Readiness per market: each market's items with a result, direct where the assessment has a
 * finding on the item, derived through the crosswalks from the findings on other catalogs (a
 * proposal with its paths, never a verdict). Pure.
 */
export function computeReadiness(
  a: Assessment,
  profile: Profile,
  registry: CatalogRegistry,
  crosswalks: CrosswalkSet,
  markets: string[] = MARKETS.map((m) => m.id),
): MarketReadiness[] {
  // The assessment's own verdict on each item: a person's, or derived inside the assessment.
  const direct = new Map<string, Result>();
  const by = new Map<string, ReadinessItem["by"]>();
  for (const v of deriveVerdicts(a, profile).items.values()) {
    direct.set(v.item, v.stale ? "unknown" : v.verdict === "partial" ? "partial" : verdictResult(v.verdict));
    if (v.source !== "none") by.set(v.item, v.source);
  }

  // Derived results: inference runs from one catalog at a time; sources are combined the same way
  // paths are (a failure wins, then the most informative result).
  const bySource = new Map<string, Map<string, Result>>();
  for (const [id, r] of direct) {
    if (r === "unknown") continue;
    const c = catalogOfId(id);
    const m = bySource.get(c) ?? new Map<string, Result>();
    m.set(id, r);
    bySource.set(c, m);
  }
  const derived = new Map<string, { result: Result; paths: { path: string[]; rows: string[] }[] }>();
  for (const input of bySource.values()) {
    for (const [id, d] of infer(crosswalks, input)) {
      const had = derived.get(id);
      const paths = d.derivedFrom.map((x) => ({ path: x.path, rows: x.rows }));
      if (!had) derived.set(id, { result: d.result, paths });
      else {
        had.result = mostRestrictive(had.result, d.result);
        had.paths.push(...paths);
      }
    }
  }

  const out: MarketReadiness[] = [];
  for (const m of MARKETS.filter((x) => markets.includes(x.id))) {
    let items: CatalogItem[];
    if (m.catalog === "profile") {
      items = profile.items
        .filter((i) => FEDERAL.has(i.catalog))
        .map((i) => registry.item(i.id))
        .filter((i): i is CatalogItem => i !== undefined);
    } else {
      const catalog = registry.get(m.catalog);
      if (!catalog) continue;
      items = catalog.items.filter(
        (i) => m.kinds.includes(i.kind) && (!m.assessableOnly || i.props.assessable === true),
      );
    }
    const rows: ReadinessItem[] = items.map((item) => {
      const d = direct.get(item.id);
      const who = by.get(item.id);
      if (d !== undefined)
        return {
          item: item.id,
          label: item.label,
          title: item.title,
          result: d,
          source: "direct",
          ...(who ? { by: who } : {}),
        };
      const x = derived.get(item.id);
      return {
        item: item.id,
        label: item.label,
        title: item.title,
        result: x?.result ?? "unknown",
        source: "derived",
        ...(x ? { paths: x.paths.slice(0, 5) } : {}),
      };
    });
    const counts = { met: 0, partial: 0, missing: 0, notApplicable: 0, unknown: 0 };
    for (const r of rows) {
      if (r.result === "pass") counts.met++;
      else if (r.result === "partial") counts.partial++;
      else if (r.result === "fail") counts.missing++;
      else if (r.result === "not-applicable") counts.notApplicable++;
      else counts.unknown++;
    }
    out.push({
      market: m.id,
      label: m.label,
      catalog: m.catalog === "profile" ? "profile" : m.catalog,
      items: rows,
      counts,
    });
  }
  return out;
}
