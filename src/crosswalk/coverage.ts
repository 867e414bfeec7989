import type { Catalog } from "../catalog/model.js";
import { infer } from "./inference.js";
import type { CrosswalkSet } from "./set.js";

export type Coverage = "full" | "partial" | "none";

export interface TargetCoverage {
  item: string;
  label: string;
  /** The item's title, so a gap reads in words (a clause's title may repeat its label). */
  title: string;
  kind: string;
  coverage: Coverage;
  /** Source items whose mappings reach this target. */
  sources: string[];
  /** The mapping rows that carry it (first derivations). */
  rows: string[];
}

export interface CoverageReport {
  from: string;
  to: string;
  targets: TargetCoverage[];
  /** Source items that reach nothing in the target catalog. */
  unmappedSources: string[];
  counts: Record<Coverage, number>;
}

/**
 * How far the items of one catalog cover those of another: every source item is supposed met and
 * the inference says which targets that fully meets (full), meets in part (partial) or does not
 * reach (none). Uses the same rules as `infer`, so a gap here is a gap there.
 */
export function coverage(set: CrosswalkSet, from: Catalog, to: Catalog): CoverageReport {
  const input = new Map(from.items.map((i) => [i.id, "pass" as const]));
  const derived = infer(set, input, { maxDerivations: 50 });
  const used = new Set<string>();
  const targets: TargetCoverage[] = to.items.map((item) => {
    const d = derived.get(item.id);
    const coverage: Coverage = d?.result === "pass" ? "full" : d?.result === "partial" ? "partial" : "none";
    const sources = [...new Set((d?.derivedFrom ?? []).map((x) => x.path[0] as string))].sort();
    for (const s of sources) used.add(s);
    return {
      item: item.id,
      label: item.label,
      title: item.title,
      kind: item.kind,
      coverage,
      sources,
      rows: [...new Set((d?.derivedFrom ?? []).flatMap((x) => x.rows))].sort(),
    };
  });
  const counts: Record<Coverage, number> = { full: 0, partial: 0, none: 0 };
  for (const t of targets) counts[t.coverage]++;
  return {
    from: from.key,
    to: to.key,
    targets,
    unmappedSources: from.items.filter((i) => !used.has(i.id)).map((i) => i.id),
    counts,
  };
}
