import { Ajv } from "ajv";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, duplicatePair } from "./unique-items.js";

// ajv's own uniqueItems (nested loop, deep equality) is the reference the linear check must agree with.
const ajv = new Ajv({ allErrors: false });
const reference = ajv.compile({
  type: "array",
  items: { $ref: "#/definitions/any" },
  uniqueItems: true,
  definitions: { any: {} },
});

function referencePair(items: unknown[]): [number, number] | undefined {
  if (reference(items)) return undefined;
  const p = reference.errors?.[0]?.params as { i: number; j: number };
  return [p.i, p.j];
}

// Small alphabets so that duplicates, equal-but-reordered objects and near-misses are frequent.
const leaf = fc.oneof(
  fc.constantFrom("a", "b", "", "1"),
  fc.constantFrom(0, 1, -0, 1.5),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.array(tie("v"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("k", "l", "m"), tie("v"), { maxKeys: 3, noNullPrototype: true }),
  ),
})).v;

describe("uniqueItems in linear time", () => {
  it("gives ajv's verdict and error pair on long arrays too (the hash-table path)", () => {
    const item = fc.oneof(
      leaf,
      // Objects as JSON.parse makes them (an ordinary prototype).
      fc.record({ "bom-ref": fc.constantFrom("r1", "r2", "r3", "r4"), v: value }, { noNullPrototype: true }),
      fc.record(
        { ref: fc.integer({ min: 0, max: 400 }), dependsOn: fc.array(leaf, { maxLength: 2 }) },
        { noNullPrototype: true },
      ),
      fc.integer({ min: -300, max: 300 }),
      fc.string({ maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.array(item, { minLength: 17, maxLength: 200 }), (items) => {
        expect(duplicatePair(items)).toEqual(referencePair(items));
      }),
      { numRuns: 1500 },
    );
    // Distinct long arrays of every kind of key: no pair.
    const many = Array.from({ length: 5000 }, (_, i) => ({ "bom-ref": `pkg:npm/p-${i}@1.0.0`, n: i }));
    expect(duplicatePair(many)).toBeUndefined();
    expect(duplicatePair(many.map((m) => m["bom-ref"]))).toBeUndefined();
    expect(duplicatePair(Array.from({ length: 5000 }, (_, i) => i * 1.5))).toBeUndefined();
    expect(duplicatePair([...many, { n: 7, "bom-ref": "pkg:npm/p-7@1.0.0" }])).toEqual([5000, 7]);
    expect(
      duplicatePair([Number.NaN, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, Number.NaN]),
    ).toEqual(referencePair([Number.NaN, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, Number.NaN]));
  });

  it("gives ajv's verdict and error pair on random arrays", () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 12 }), (items) => {
        expect(duplicatePair(items)).toEqual(referencePair(items));
      }),
      { numRuns: 3000 },
    );
  });

  it("gives ajv's verdict on arrays of records bucketed by one member (the bom-ref case)", () => {
    // Records with a usually distinct member, sometimes shared, sometimes missing or an object:
    // the bucketing by that member must never hide a duplicate nor invent one.
    const record = fc.record(
      {
        ref: fc.oneof(fc.constantFrom("r1", "r2", "r3", 1, null), fc.constant({ x: 1 })),
        name: fc.constantFrom("a", "b"),
        hashes: fc.array(fc.constantFrom("h1", "h2"), { maxLength: 2 }),
      },
      { requiredKeys: ["name"], noNullPrototype: true },
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(record, leaf), { maxLength: 40 }), (items) => {
        expect(duplicatePair(items)).toEqual(referencePair(items));
      }),
      { numRuns: 3000 },
    );
  });

  it("treats objects with the same keys in another order as equal, as deep equality does", () => {
    expect(
      duplicatePair([
        { a: 1, b: [1, { c: 2 }] },
        { b: [1, { c: 2 }], a: 1 },
      ]),
    ).toEqual([1, 0]);
    expect(duplicatePair([{ a: 1 }, { a: "1" }, [1], ["1"], 1, "1"])).toBeUndefined();
  });

  it("serialises 100,000-deep nesting without overflowing the stack", () => {
    let deep: unknown = 0;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(canonicalJson(deep).length).toBe(200_001);
    expect(duplicatePair([deep, deep])).toEqual([1, 0]);
  });

  it("stays linear: 200,000 distinct objects in well under a second", () => {
    const items = Array.from({ length: 200_000 }, (_, i) => ({
      type: "library",
      "bom-ref": `c${i}`,
      name: `p${i}`,
    }));
    const t = performance.now();
    expect(duplicatePair(items)).toBeUndefined();
    expect(performance.now() - t).toBeLessThan(2000);
  });
});
