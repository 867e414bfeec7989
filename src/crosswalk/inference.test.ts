import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Row, registryOf, syntheticCatalog, syntheticCrosswalk } from "../../test/helpers/synthetic.js";
import { infer, jointResult, RESULTS, type Result, transfer } from "./inference.js";
import type { Crosswalk, Relationship } from "./model.js";
import { CrosswalkSet } from "./set.js";

const refs = (n: number) => Array.from({ length: n }, (_, i) => `r${i + 1}`);
const A = syntheticCatalog("a", refs(6));
const B = syntheticCatalog("b", refs(6));
const C = syntheticCatalog("c", refs(6));
const registry = registryOf(A, B, C);

function results(entries: Record<string, Result>): Map<string, Result> {
  return new Map(Object.entries(entries));
}

function resultOf(set: CrosswalkSet, input: Record<string, Result>, id: string): Result | undefined {
  return infer(set, results(input)).get(id)?.result;
}

describe("transfer and joint results", () => {
  it("carries only what set semantics support", () => {
    for (const r of RESULTS) expect(transfer(r, "equal")).toBe(r);
    // The sources contain the targets: a pass carries, a failure may lie outside the targets.
    expect(RESULTS.map((r) => transfer(r, "superset-of"))).toEqual([
      "pass",
      "unknown",
      "unknown",
      "not-applicable",
      "unknown",
    ]);
    // The sources are part of the targets: at most partial, and a failing part fails them.
    expect(RESULTS.map((r) => transfer(r, "subset-of"))).toEqual([
      "partial",
      "partial",
      "fail",
      "unknown",
      "unknown",
    ]);
    // An overlap: a pass meets the shared part; nothing else is known.
    expect(RESULTS.map((r) => transfer(r, "intersects-with"))).toEqual([
      "partial",
      "unknown",
      "unknown",
      "unknown",
      "unknown",
    ]);
    for (const r of RESULTS) expect(transfer(r, "not-related")).toBe("unknown");
  });

  it("a joint set of sources: all pass passes, any fail fails, some pass is partial", () => {
    expect(jointResult(["pass", "pass"])).toBe("pass");
    expect(jointResult(["pass", "fail"])).toBe("fail");
    expect(jointResult(["pass", "unknown"])).toBe("partial");
    expect(jointResult(["pass", "not-applicable"])).toBe("pass");
    expect(jointResult(["not-applicable", "not-applicable"])).toBe("not-applicable");
    expect(jointResult(["unknown", "unknown"])).toBe("unknown");
  });
});

describe("infer", () => {
  it("carries results through equal and superset-of, caps them through intersects-with", () => {
    const set = new CrosswalkSet([
      syntheticCrosswalk(registry, "a", "b", [
        [["r1"], "equal", ["r1"]],
        [["r2"], "intersects-with", ["r2"]],
        [["r3"], "superset-of", ["r3", "r4"]],
        [["r4"], "superset-of", ["r5"]],
        [["r5"], "subset-of", ["r6"]],
      ]),
    ]);
    const out = infer(
      set,
      results({ "a:r1": "pass", "a:r2": "pass", "a:r3": "pass", "a:r4": "fail", "a:r5": "fail" }),
    );
    expect(out.get("b:r1")?.result).toBe("pass");
    expect(out.get("b:r2")?.result).toBe("partial");
    expect(out.get("b:r3")?.result).toBe("pass");
    expect(out.get("b:r4")?.result).toBe("pass");
    // A failure of a wider requirement says nothing about a narrower one; of a part, it fails the whole.
    expect(out.has("b:r5")).toBe(false);
    expect(out.get("b:r6")?.result).toBe("fail");
    expect(out.get("b:r1")?.derivedFrom[0]).toMatchObject({ path: ["a:r1", "b:r1"], rows: ["a--b#r1"] });
  });

  it("reads a crosswalk backwards with the inverse relationship", () => {
    const set = new CrosswalkSet([
      syntheticCrosswalk(registry, "a", "b", [
        [["r1"], "subset-of", ["r1"]],
        [["r2"], "superset-of", ["r2"]],
      ]),
    ]);
    // b:r1 is a superset of a:r1 (carries); b:r2 is a subset of a:r2 (caps).
    expect(resultOf(set, { "b:r1": "pass" }, "a:r1")).toBe("pass");
    expect(resultOf(set, { "b:r2": "pass" }, "a:r2")).toBe("partial");
  });

  it("a union of sources recorded as jointly covering a target decides it", () => {
    const set = new CrosswalkSet([syntheticCrosswalk(registry, "a", "b", [[["r1", "r2"], "equal", ["r1"]]])]);
    expect(resultOf(set, { "a:r1": "pass", "a:r2": "pass" }, "b:r1")).toBe("pass");
    expect(resultOf(set, { "a:r1": "pass" }, "b:r1")).toBe("partial");
    expect(resultOf(set, { "a:r1": "pass", "a:r2": "fail" }, "b:r1")).toBe("fail");
  });

  it("the weakest link of a path wins", () => {
    const set = new CrosswalkSet([
      syntheticCrosswalk(registry, "a", "b", [[["r1"], "equal", ["r1"]]]),
      syntheticCrosswalk(registry, "b", "c", [[["r1"], "intersects-with", ["r1"]]]),
    ]);
    const out = infer(set, results({ "a:r1": "pass" }));
    expect(out.get("c:r1")).toMatchObject({ result: "partial" });
    expect(out.get("c:r1")?.derivedFrom[0]?.path).toEqual(["a:r1", "b:r1", "c:r1"]);
    expect(out.get("c:r1")?.derivedFrom[0]?.rows).toEqual(["a--b#r1", "b--c#r1"]);
  });

  it("on conflicting paths the most restrictive result wins, and every path is kept", () => {
    const set = new CrosswalkSet([
      syntheticCrosswalk(registry, "a", "c", [[["r1"], "superset-of", ["r1"]]]),
      syntheticCrosswalk(registry, "a", "b", [[["r2"], "equal", ["r1"]]]),
      syntheticCrosswalk(registry, "b", "c", [[["r1"], "subset-of", ["r1"]]]),
    ]);
    // One path shows c:r1 met (a:r1 contains it), the other shows a failing part of it.
    const out = infer(set, results({ "a:r1": "pass", "a:r2": "fail" }));
    expect(out.get("c:r1")?.result).toBe("fail");
    expect(out.get("c:r1")?.derivedFrom.map((d) => [d.result, d.path.length])).toEqual([
      ["fail", 3],
      ["pass", 2],
    ]);
  });

  it("a path showing the target met is not contradicted by one showing part of it met", () => {
    const set = new CrosswalkSet([
      syntheticCrosswalk(registry, "a", "c", [
        [["r1"], "equal", ["r1"]],
        [["r2"], "intersects-with", ["r1"]],
      ]),
    ]);
    expect(resultOf(set, { "a:r1": "pass", "a:r2": "pass" }, "c:r1")).toBe("pass");
    expect(resultOf(set, { "a:r1": "partial", "a:r2": "pass" }, "c:r1")).toBe("partial");
  });

  it("terminates on cycles of crosswalks and never derives results on the input catalog", () => {
    const set = new CrosswalkSet([
      syntheticCrosswalk(registry, "a", "b", [[["r1"], "equal", ["r1"]]]),
      syntheticCrosswalk(registry, "b", "c", [[["r1"], "equal", ["r1"]]]),
      syntheticCrosswalk(registry, "c", "a", [[["r1"], "equal", ["r1"]]]),
    ]);
    const out = infer(set, results({ "a:r1": "fail" }));
    expect([...out.keys()]).toEqual(["b:r1", "c:r1"]);
    expect(out.get("c:r1")?.result).toBe("fail");
  });

  it("refuses results on two catalogs", () => {
    const set = new CrosswalkSet([]);
    expect(() => infer(set, results({ "a:r1": "pass", "b:r1": "pass" }))).toThrow(/one catalog/);
  });
});

// --- properties -------------------------------------------------------------------------------

const REL: Relationship[] = ["equal", "subset-of", "superset-of", "intersects-with", "not-related"];
const itemRef = fc.integer({ min: 1, max: 6 }).map((n) => `r${n}`);
const rowArb = fc.tuple(
  fc.uniqueArray(itemRef, { minLength: 1, maxLength: 3 }),
  fc.constantFrom(...REL),
  fc.uniqueArray(itemRef, { minLength: 1, maxLength: 2 }),
);
const pairs: [string, string][] = [
  ["a", "b"],
  ["b", "c"],
  ["a", "c"],
];
const crosswalksArb = fc
  .tuple(...pairs.map(() => fc.array(rowArb, { maxLength: 8 })))
  .map((rowsPerPair): Crosswalk[] =>
    rowsPerPair.map((rows, i) => {
      const [from, to] = pairs[i] as [string, string];
      // Keep one row per (sources, targets) pair: the loader refuses repeats.
      const seen = new Set<string>();
      const unique = rows.filter(([s, , t]) => {
        const k = `${[...s].sort()}>${[...t].sort()}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
      return syntheticCrosswalk(registry, from, to, unique as Row[]);
    }),
  );
const resultsArb = fc.dictionary(
  itemRef.map((r) => `a:${r}`),
  fc.constantFrom<Result>(...RESULTS),
  { minKeys: 1 },
);
// How good a result is for the product: a requirement that does not apply holds it back no more
// than one that passes. Improving means moving a source up fail < partial < pass. A derived fail
// may give way to "unknown" (the failing path is gone and the rest say nothing), but nothing
// known to be partly or fully met may become unknown.
const RANK: Partial<Record<Result, number>> = { fail: 0, partial: 1, pass: 2, "not-applicable": 2 };
const AFTER_RANK: Record<Result, number> = {
  fail: 0,
  unknown: 0.5,
  partial: 1,
  pass: 2,
  "not-applicable": 2,
};

describe("inference properties", () => {
  it("improving a source never worsens a target", () => {
    fc.assert(
      fc.property(
        crosswalksArb,
        resultsArb,
        fc.nat(),
        fc.constantFrom<Result>("partial", "pass"),
        (cws, input, pick, to) => {
          const set = new CrosswalkSet(cws);
          const keys = Object.keys(input).filter((k) => {
            const r = input[k] as Result;
            return RANK[r] !== undefined && (RANK[r] as number) < (RANK[to] as number);
          });
          if (keys.length === 0) return;
          const key = keys[pick % keys.length] as string;
          const before = infer(set, new Map(Object.entries(input)));
          const after = infer(set, new Map(Object.entries({ ...input, [key]: to })));
          for (const [id, d] of before) {
            const old = RANK[d.result];
            if (old === undefined) continue;
            const now = AFTER_RANK[after.get(id)?.result ?? "unknown"];
            expect(now, `${id}: ${d.result} -> ${after.get(id)?.result}`).toBeGreaterThanOrEqual(old);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("not-related never propagates anything", () => {
    fc.assert(
      fc.property(crosswalksArb, resultsArb, (cws, input) => {
        const out = infer(new CrosswalkSet(cws), new Map(Object.entries(input)));
        for (const d of out.values()) {
          for (const x of d.derivedFrom)
            for (const hop of x.hops) expect(hop.relationship).not.toBe("not-related");
        }
        const onlyUnrelated = cws.map((c) => ({
          ...c,
          mappings: c.mappings.map((m) => ({ ...m, relationship: "not-related" as const })),
        }));
        expect(infer(new CrosswalkSet(onlyUnrelated), new Map(Object.entries(input))).size).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it("the result does not depend on the order crosswalks were loaded in", () => {
    fc.assert(
      fc.property(crosswalksArb, resultsArb, fc.nat(5), (cws, input, rot) => {
        const shuffled = [...cws.slice(rot % cws.length), ...cws.slice(0, rot % cws.length)].reverse();
        const x = infer(new CrosswalkSet(cws), new Map(Object.entries(input)));
        const y = infer(new CrosswalkSet(shuffled), new Map(Object.entries(input)));
        expect([...y.entries()]).toEqual([...x.entries()]);
      }),
      { numRuns: 200 },
    );
  });

  it("results round-trip through equal mappings", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(refs(6), { minLength: 1 }), resultsArb, (targets, input) => {
        // A one-to-one equal crosswalk from a's r1..rk onto a permutation of b's items.
        const rows: Row[] = targets.map((t, i) => [[`r${i + 1}`], "equal", [t]]);
        const set = new CrosswalkSet([syntheticCrosswalk(registry, "a", "b", rows)]);
        const there = infer(set, new Map(Object.entries(input)));
        const onB = new Map([...there.values()].map((d) => [d.item, d.result] as const));
        if (onB.size === 0) return;
        const back = infer(set, onB);
        for (const [id, d] of back) expect(d.result).toBe(input[id]);
        for (const [id, r] of Object.entries(input)) {
          const n = Number(id.slice(3));
          if (n <= targets.length && r !== "unknown") expect(back.get(id)?.result).toBe(r);
        }
      }),
      { numRuns: 200 },
    );
  });
});
