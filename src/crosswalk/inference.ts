import type { Relationship } from "./model.js";
import type { CrosswalkSet, DirectedCrosswalk } from "./set.js";

/** A result on one item: what an assessment (or an inference) says about it. */
export type Result = "pass" | "partial" | "fail" | "not-applicable" | "unknown";
export const RESULTS: readonly Result[] = ["pass", "partial", "fail", "not-applicable", "unknown"];

/** One hop of a derivation: a mapping row read from its `from` items to one `to` item. */
export interface Hop {
  mapping: string;
  from: string[];
  to: string;
  relationship: Relationship;
  result: Result;
}

export interface Derivation {
  result: Result;
  /** Item ids from an input item to the derived item. */
  path: string[];
  /** The mapping rows used, `<crosswalk>#<row>`, one per hop. */
  rows: string[];
  hops: Hop[];
}

export interface DerivedResult {
  item: string;
  result: Result;
  derivedFrom: Derivation[];
}

export interface InferenceOptions {
  /** Keep at most this many derivations per item (the most restrictive, then the shortest). */
  maxDerivations?: number;
}

// How derived results from several paths (or rows) combine. A derived pass or partial is a lower
// bound on how much of the target is met ("at least partly" is not contradicted by "fully"); a
// derived fail says the target is not met. Where paths conflict (a fail against anything else)
// the most restrictive result, fail, wins; otherwise the most informative one: pass, then
// not-applicable (a joint set of sources leaves out parts that do not apply, so not-applicable
// must rank with the results that do not hold a target back), then partial. "unknown" never wins.
// With this order, improving a source never worsens a derived result (see the property tests).
const RESTRICTIVE: Record<Result, number> = { fail: 4, pass: 3, "not-applicable": 2, partial: 1, unknown: 0 };

export function mostRestrictive(a: Result, b: Result): Result {
  return RESTRICTIVE[a] >= RESTRICTIVE[b] ? a : b;
}

/**
 * What a result on the sources of one mapping row soundly says about its targets (set semantics,
 * read "the sources are <relationship> the targets"):
 * - equal: the same requirement, so the same result;
 * - superset-of: meeting all of the sources meets the targets (pass carries), but a failure or a
 *   partial result may lie outside the targets, so it says nothing;
 * - subset-of: the sources are part of the targets: a pass meets that part (partial), a partial is
 *   partial, a failure fails the targets;
 * - intersects-with: a pass meets the shared part (partial); a failure or partial may lie outside it;
 * - a source that does not apply says the targets do not apply only when they are contained in it.
 * DESIGN.md's first draft let superset-of carry every result; a failure of the wider requirement
 * does not show a failure of the narrower one (docs/decisions/0001-sound-inference.md).
 */
export function transfer(result: Result, relationship: Relationship): Result {
  switch (relationship) {
    case "equal":
      return result;
    case "superset-of":
      return result === "pass" || result === "not-applicable" ? result : "unknown";
    case "subset-of":
      if (result === "pass") return "partial";
      if (result === "not-applicable") return "unknown";
      return result;
    case "intersects-with":
      return result === "pass" ? "partial" : "unknown";
    case "not-related":
      return "unknown";
  }
}

/**
 * The result of several sources recorded as jointly covering a target: the union decides. Any
 * failing part fails it; parts that do not apply are left out; all parts passing pass it; some
 * evidence of passing, short of all, is partial.
 */
export function jointResult(results: readonly Result[]): Result {
  let applicable = 0;
  let passes = 0;
  let known = 0;
  for (const r of results) {
    if (r === "fail") return "fail";
    if (r === "not-applicable") continue;
    applicable++;
    if (r === "pass") passes++;
    if (r !== "unknown") known++;
  }
  if (applicable === 0) return results.length > 0 ? "not-applicable" : "unknown";
  if (passes === applicable) return "pass";
  return known > 0 ? "partial" : "unknown";
}

interface ItemState {
  result: Result;
  derivations: Derivation[];
}

function better(a: Derivation, b: Derivation): number {
  return (
    RESTRICTIVE[b.result] - RESTRICTIVE[a.result] ||
    a.path.length - b.path.length ||
    a.rows.join().localeCompare(b.rows.join())
  );
}

function addDerivation(map: Map<string, ItemState>, item: string, d: Derivation, max: number): void {
  const state = map.get(item);
  if (!state) {
    map.set(item, { result: d.result, derivations: [d] });
    return;
  }
  state.result = mostRestrictive(state.result, d.result);
  state.derivations.push(d);
  if (state.derivations.length > max * 2) {
    state.derivations.sort(better);
    state.derivations.length = max;
  }
}

/** Applies one directed crosswalk to the results on its `from` catalog. */
function step(
  edge: DirectedCrosswalk,
  current: ReadonlyMap<string, ItemState>,
  max: number,
): Map<string, ItemState> {
  const next = new Map<string, ItemState>();
  const rows = new Set<(typeof edge.rows)[number]>();
  for (const id of current.keys()) for (const row of edge.byFrom.get(id) ?? []) rows.add(row);
  for (const row of edge.rows) {
    if (!rows.has(row) || row.relationship === "not-related") continue;
    const states = row.from.map((id) => current.get(id));
    const results = states.map((s) => s?.result ?? "unknown");
    const combined = results.length === 1 ? (results[0] as Result) : jointResult(results);
    const out = transfer(combined, row.relationship);
    if (out === "unknown") continue;
    // The derivation continues the path of the source that decided the result.
    let lead = 0;
    for (let i = 1; i < results.length; i++) {
      if (RESTRICTIVE[results[i] as Result] > RESTRICTIVE[results[lead] as Result]) lead = i;
    }
    const before = states[lead]?.derivations[0];
    for (const to of row.to) {
      const hop: Hop = {
        mapping: row.mapping.key,
        from: [...row.from],
        to,
        relationship: row.relationship,
        result: out,
      };
      addDerivation(
        next,
        to,
        {
          result: out,
          path: [...(before?.path ?? [row.from[lead] as string]), to],
          rows: [...(before?.rows ?? []), row.mapping.key],
          hops: [...(before?.hops ?? []), hop],
        },
        max,
      );
    }
  }
  return next;
}

/** The catalog of an item id (`catalog:ref` or `catalog@version:ref`). */
export function catalogOfId(id: string): string {
  const colon = id.indexOf(":");
  const head = colon < 0 ? id : id.slice(0, colon);
  const at = head.indexOf("@");
  return at < 0 ? head : head.slice(0, at);
}

/**
 * Derives results on every catalog reachable through crosswalks from results on the items of one
 * catalog. Each simple path of crosswalks (no catalog twice) is followed; along a path every hop
 * applies its relationship, so the weakest link wins; where paths disagree the most restrictive
 * result wins. Every derived result keeps its derivations. Pure: no I/O, deterministic.
 */
export function infer(
  set: CrosswalkSet,
  input: ReadonlyMap<string, Result>,
  options: InferenceOptions = {},
): Map<string, DerivedResult> {
  const max = options.maxDerivations ?? 5;
  const catalogs = new Set([...input.keys()].map(catalogOfId));
  if (catalogs.size > 1) throw new Error(`results must be on one catalog, got ${[...catalogs].join(", ")}`);
  const origin = [...catalogs][0];
  const out = new Map<string, ItemState>();
  if (origin === undefined) return new Map();

  const start = new Map<string, ItemState>();
  for (const [id, result] of input) {
    start.set(id, { result, derivations: [{ result, path: [id], rows: [], hops: [] }] });
  }
  const visited = new Set<string>([origin]);
  const walk = (catalog: string, current: Map<string, ItemState>) => {
    for (const edge of set.from(catalog)) {
      if (visited.has(edge.to)) continue;
      const next = step(edge, current, max);
      if (next.size === 0) continue;
      for (const [id, state] of next) for (const d of state.derivations) addDerivation(out, id, d, max);
      visited.add(edge.to);
      walk(edge.to, next);
      visited.delete(edge.to);
    }
  };
  walk(origin, start);

  const results = new Map<string, DerivedResult>();
  for (const id of [...out.keys()].sort()) {
    const state = out.get(id) as ItemState;
    state.derivations.sort(better);
    results.set(id, { item: id, result: state.result, derivedFrom: state.derivations.slice(0, max) });
  }
  return results;
}
