import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KeyIndex } from "./key-index.js";

// A Map keyed the same way (SameValueZero), first position kept, is the reference.
function reference(keys: readonly unknown[]): Map<unknown, number> {
  const m = new Map<unknown, number>();
  keys.forEach((k, i) => {
    if (!m.has(k)) m.set(k, i);
  });
  return m;
}

describe("KeyIndex", () => {
  it("finds each key's first position and counts distinct keys as a Map does", () => {
    const key = fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.constantFrom("a", "b", "", "pkg:npm/a@1"),
      fc.integer({ min: -50, max: 50 }),
      fc.constantFrom(0, -0, 1.5, Number.NaN, 2 ** 40, -(2 ** 40), 2 ** 53 + 2),
      fc.constantFrom(true, false, null, undefined),
    );
    fc.assert(
      fc.property(fc.array(key, { maxLength: 300 }), fc.array(key, { maxLength: 20 }), (keys, probes) => {
        const index = new KeyIndex(keys);
        const ref = reference(keys);
        expect(index.distinct).toBe(ref.size);
        for (const k of [...keys, ...probes]) expect(index.get(k)).toBe(ref.get(k));
      }),
      { numRuns: 2000 },
    );
  });

  it("holds 200,000 distinct ids", () => {
    const keys = Array.from({ length: 200_000 }, (_, i) => `pkg:npm/p-${i}@1.0.0`);
    const index = new KeyIndex(keys);
    expect(index.distinct).toBe(200_000);
    expect(index.get("pkg:npm/p-123456@1.0.0")).toBe(123_456);
    expect(index.has("pkg:npm/p-200000@1.0.0")).toBe(false);
  });
});
