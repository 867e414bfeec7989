import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadCatalogs } from "../catalog/files.js";
import { loadCrosswalks } from "../crosswalk/files.js";
import { checkContext } from "./context.js";
import { loadBundledRules } from "./files.js";

const { registry } = loadCatalogs();
const { set } = loadCrosswalks(registry);
const rules = loadBundledRules(registry, set);

const valid = {
  impact: { confidentiality: "low", integrity: "moderate", availability: "high" },
  environment: "office",
  connectivity: "internal-network",
  data: ["public"],
  lifetimeYears: 5,
  markets: ["us-federal"],
};

/** Keys that name methods of every object, and the context's own keys. */
const key = fc.constantFrom(
  "toString",
  "valueOf",
  "toJSON",
  "hasOwnProperty",
  "constructor",
  "__proto__",
  "impact",
  "confidentiality",
  "environment",
  "data",
  "markets",
  "lifetimeYears",
  "name",
);
/** JSON values as a request body parses them, with hostile keys. */
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.string(),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(key, fc.string()), tie("value"), { maxKeys: 5 }),
  ),
})).value;

describe("checkContext on hostile values", () => {
  it("never calls a method of the user's objects: {toString: 1} anywhere is a problem naming the field", () => {
    const r = checkContext(
      { ...valid, impact: { ...valid.impact, confidentiality: { toString: 1 } } },
      rules,
    );
    expect(r.problems).toEqual([
      {
        source: "context",
        location: "impact.confidentiality",
        message: "an object is not allowed; allowed: low, moderate, high",
      },
    ]);
    const proto = JSON.parse('{"__proto__": {"environment": "office"}, "toString": 1}');
    expect(checkContext(proto, rules).problems.map((p) => p.location)).toContain("__proto__");
  });

  it("returns problems, never throws, for 10,000 arbitrary JSON values in and around a context", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          json,
          fc
            .record({ field: fc.constantFrom(...Object.keys(valid)), value: json })
            .map(({ field, value }) => ({
              ...valid,
              [field]: value,
            })),
          json.map((value) => ({ ...valid, impact: { ...valid.impact, integrity: value } })),
        ),
        (value) => {
          const r = checkContext(value, rules);
          expect(r.context !== undefined || r.problems.length > 0).toBe(true);
        },
      ),
      { numRuns: 10_000 },
    );
  });
});
