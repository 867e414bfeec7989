import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { shareJtdMetaSchema } from "./jtd-meta-cache.js";

// The class the validator library's modules construct (ajv/dist/jtd.js, resolved from the library).
const fromLibrary = createRequire(
  createRequire(import.meta.url).resolve("@secvisogram/csaf-validator-lib/package.json"),
);
type Jtd = {
  compile(schema: unknown): (data: unknown) => boolean;
  getSchema(id: string): unknown;
};
const JtdAjv = fromLibrary("ajv/dist/jtd.js") as new (opts?: object) => Jtd;

describe("one JTD meta-schema per process", () => {
  it("shares the compiled meta-schema between instances with the same options, and still checks schemas with it", () => {
    shareJtdMetaSchema();
    const a = new JtdAjv();
    const b = new JtdAjv();
    const validate = a.compile({ properties: { id: { type: "string" } } });
    b.compile({ elements: { type: "uint8" } });
    expect(a.getSchema("JTD-meta-schema")).toBe(b.getSchema("JTD-meta-schema"));
    expect(validate({ id: "x" })).toBe(true);
    expect(validate({ id: 1 })).toBe(false);
    // An invalid JTD schema is refused as before: the meta-schema check still runs.
    expect(() => new JtdAjv().compile({ type: "no-such-type" })).toThrow(/schema is invalid/);
    expect(() => b.compile({ elements: { properties: {}, type: "string" } })).toThrow(/schema is invalid/);
  });

  it("compiles its own meta-schema for an instance with other options", () => {
    shareJtdMetaSchema();
    const plain = new JtdAjv();
    plain.compile({ type: "string" });
    const other = new JtdAjv({ allErrors: true });
    other.compile({ type: "string" });
    expect(other.getSchema("JTD-meta-schema")).not.toBe(plain.getSchema("JTD-meta-schema"));
  });
});
