/**
 * Proposals inside an assessment: what the crosswalks say about the items of the profile from the
 * verdicts it already has (ADR 0001: only what set semantics carry, the rest at most partial), the
 * links they suggest for each measure, and the proposals collectors stored. A proposal is never a
 * verdict: a person accepts it (derive.ts then shows it as derived, with its path) or rejects it.
 * Pure; computed at the edges that hold the crosswalks (the CLI, the server).
 */
import { createHash } from "node:crypto";
import { catalogOfId, infer, mostRestrictive, type Result } from "../crosswalk/inference.js";
import type { CrosswalkSet } from "../crosswalk/set.js";
import type { Profile } from "../profile/model.js";
import { type Derivation, deriveVerdicts } from "./derive.js";
import type {
  Assessment,
  Coverage,
  LinkProposal,
  Measure,
  Proposal,
  ProposedResult,
  SourceState,
  StoredProposal,
  VerdictProposal,
} from "./model.js";

/** A proposal's id from its content: the same proposal keeps its id; a changed source gives a new one. */
export function contentId(prefix: string, content: unknown): string {
  return `${prefix}-${createHash("sha256").update(JSON.stringify(content)).digest("hex").slice(0, 12)}`;
}

function asResult(v: ProposedResult): Result | undefined {
  return v === "inconclusive" ? undefined : v;
}

/** Keeps at most this many paths per proposal (the most restrictive, then the shortest). */
const MAX_PATHS = 5;

/**
 * Verdicts proposed through the crosswalks for items of the profile that no person has a verdict
 * on and that nothing settles yet. Sources are a person's verdicts, measures and roll-ups over
 * those (never another accepted proposal: the inference follows every path from the originals).
 */
export function crosswalkProposals(
  a: Assessment,
  profile: Profile,
  crosswalks: CrosswalkSet,
  derivation: Derivation = deriveVerdicts(a, profile),
): VerdictProposal[] {
  const findings = new Map(a.findings.map((f) => [f.item, f]));
  const bySource = new Map<string, Map<string, Result>>();
  for (const [item, s] of derivation.sources) {
    const r = asResult(s.verdict);
    if (r === undefined) continue;
    const c = catalogOfId(item);
    const m = bySource.get(c) ?? new Map<string, Result>();
    m.set(item, r);
    bySource.set(c, m);
  }
  const targets = new Map<
    string,
    { result: Result; paths: { result: Result; path: string[]; rows: string[] }[] }
  >();
  for (const input of bySource.values())
    for (const [id, d] of infer(crosswalks, input)) {
      const v = derivation.items.get(id);
      if (!v || v.source === "person" || v.settled) continue;
      const paths = d.derivedFrom.map((x) => ({ result: x.result, path: x.path, rows: x.rows }));
      const had = targets.get(id);
      if (!had) targets.set(id, { result: d.result, paths });
      else {
        had.result = mostRestrictive(had.result, d.result);
        had.paths.push(...paths);
      }
    }
  const rejected = new Set((a.proposals ?? []).filter((p) => p.decision).map((p) => p.id));
  const out: VerdictProposal[] = [];
  for (const item of profile.items) {
    const t = targets.get(item.id);
    if (!t || t.result === "unknown") continue;
    // The paths that give the proposal's result, shortest first.
    const paths = t.paths
      .filter((p) => p.result === t.result)
      .sort((x, y) => x.path.length - y.path.length || x.rows.join().localeCompare(y.rows.join()))
      .slice(0, MAX_PATHS)
      .map((p) => ({ path: p.path, rows: p.rows }));
    const from: SourceState[] = [];
    for (const p of paths) {
      const src = p.path[0] as string;
      if (from.some((f) => f.item === src)) continue;
      const s = derivation.sources.get(src);
      if (s) from.push({ item: src, ...s });
    }
    const verdict = t.result as ProposedResult;
    const f = findings.get(item.id);
    const id = contentId("X", [item.id, verdict, from, paths.map((p) => p.rows)]);
    if (rejected.has(id) || f?.accepted?.proposal === id) continue;
    out.push({
      kind: "verdict",
      id,
      item: item.id,
      verdict,
      source: { kind: "crosswalk", from, paths },
      findingVersion: f?.version ?? 1,
    });
  }
  return out;
}

/**
 * Links proposed for each measure through the crosswalks from the links a person confirmed: a full
 * link carries like a pass, a partial one like a partial result (ADR 0001), so a proposed link is
 * full only through equal or superset-of rows.
 */
export function linkProposals(a: Assessment, profile: Profile, crosswalks: CrosswalkSet): LinkProposal[] {
  const held = new Set(profile.items.map((i) => i.id));
  const out: LinkProposal[] = [];
  for (const m of a.measures ?? []) {
    if (m.removed) continue;
    const active = m.links.filter((l) => !l.removed);
    const linked = new Set(active.map((l) => l.item));
    const rejected = new Set(m.rejected ?? []);
    const byCatalog = new Map<string, Map<string, Result>>();
    for (const l of active) {
      const c = catalogOfId(l.item);
      const input = byCatalog.get(c) ?? new Map<string, Result>();
      input.set(l.item, l.coverage === "full" ? "pass" : "partial");
      byCatalog.set(c, input);
    }
    const found = new Map<string, { coverage: Coverage; from: string; path: string[]; rows: string[] }>();
    for (const input of byCatalog.values())
      for (const [id, d] of infer(crosswalks, input)) {
        if (!held.has(id) || linked.has(id) || rejected.has(id)) continue;
        if (d.result !== "pass" && d.result !== "partial") continue;
        const best = d.derivedFrom[0];
        if (!best) continue;
        const coverage: Coverage = d.result === "pass" ? "full" : "partial";
        const had = found.get(id);
        if (had && (had.coverage === "full" || coverage === "partial")) continue;
        found.set(id, { coverage, from: best.path[0] as string, path: best.path, rows: best.rows });
      }
    for (const item of profile.items) {
      const f = found.get(item.id);
      if (!f) continue;
      out.push({
        kind: "link",
        id: contentId("L", [m.id, item.id, f.coverage, f.from, f.rows]),
        item: item.id,
        measure: m.id,
        coverage: f.coverage,
        source: { kind: "crosswalk", from: f.from, path: f.path, rows: f.rows },
        measureVersion: m.version,
      });
    }
  }
  return out;
}

/** Collectors' proposals still open: stored, not decided, and the item not changed by a person since. */
export function storedProposals(a: Assessment): StoredProposal[] {
  return (a.proposals ?? []).filter((p) => !p.decision);
}

/** Every open proposal of an assessment: computed from the crosswalks and stored by collectors. */
export function allProposals(
  a: Assessment,
  profile: Profile,
  crosswalks: CrosswalkSet,
  derivation: Derivation = deriveVerdicts(a, profile),
  search?: (query: string) => SearchMatch[],
): Proposal[] {
  return [
    ...crosswalkProposals(a, profile, crosswalks, derivation),
    ...storedProposals(a).map(({ added: _a, decision: _d, ...p }) => p),
    ...linkProposals(a, profile, crosswalks),
    ...(search ? searchLinkProposals(a, profile, search) : []),
  ];
}

/** Whether accepting a verdict proposal would settle its item (pass, fail or not applicable). */
export function settles(p: Proposal): boolean {
  return (
    p.kind === "verdict" && (p.verdict === "pass" || p.verdict === "fail" || p.verdict === "not-applicable")
  );
}

/** One hit of a catalog search, as the edge that holds the search index reports it. */
export interface SearchMatch {
  item: string;
  score: number;
  matched: string[];
  missing: string[];
}

/** What a measure is searched by: its title, and its description when it has one. */
export function searchText(m: { title: string; description?: string }): string {
  return m.description ? `${m.title}. ${m.description}` : m.title;
}

/** A measure a catalog search proposes links for: active, with no active link yet. */
function unlinked(m: Measure): boolean {
  return !m.removed && !m.links.some((l) => !l.removed);
}

/** Whether any measure asks for a catalog search: an edge builds its search index only then. */
export function needsCatalogSearch(a: Assessment): boolean {
  return (a.measures ?? []).some(unlinked);
}

/** At most this many search proposals per measure: a starting point, not a list to wade through. */
export const SEARCH_PROPOSALS_PER_MEASURE = 8;

/**
 * Links proposed for a measure that has none yet, from a catalog search on its title and
 * description: the profile's items the search ranks best, each at most a partial link (words in
 * common are not the same obligation; a person says when the measure covers an item fully). Once a
 * link is confirmed, the crosswalks propose the rest.
 */
export function searchLinkProposals(
  a: Assessment,
  profile: Profile,
  search: (query: string) => SearchMatch[],
): LinkProposal[] {
  const held = new Set(profile.items.map((i) => i.id));
  const out: LinkProposal[] = [];
  for (const m of a.measures ?? []) {
    if (!unlinked(m)) continue;
    const rejected = new Set(m.rejected ?? []);
    const linked = new Set(m.links.map((l) => l.item));
    const query = searchText(m);
    const hits = search(query).filter(
      (h) => held.has(h.item) && !rejected.has(h.item) && !linked.has(h.item),
    );
    const best = hits[0]?.score ?? 0;
    // Hits far below the best one share a word or two with the measure, nothing more.
    for (const h of hits.filter((x) => x.score >= best / 3).slice(0, SEARCH_PROPOSALS_PER_MEASURE))
      out.push({
        kind: "link",
        id: contentId("L", [m.id, h.item, "search", query]),
        item: h.item,
        measure: m.id,
        coverage: "partial",
        source: { kind: "search", query, matched: h.matched, score: Math.round(h.score * 1000) / 1000 },
        measureVersion: m.version,
      });
  }
  return out;
}

/** A catalog search index as `searchLinkProposals` asks for it: the best items for a measure's words. */
export function searchBy(index: {
  search(
    query: string,
    options: { limit?: number },
  ): { item: { id: string }; score: number; matched: string[]; missing: string[] }[];
}): (query: string) => SearchMatch[] {
  return (query) =>
    index
      .search(query, { limit: 60 })
      .map((h) => ({ item: h.item.id, score: h.score, matched: h.matched, missing: h.missing }));
}
