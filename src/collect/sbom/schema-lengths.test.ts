import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ucs2length } from "./schema-lengths.js";

const ajvUcs2length = createRequire(import.meta.url)("ajv/dist/runtime/ucs2length").default as (
  s: string,
) => number;

describe("schema string lengths", () => {
  it("counts as ajv does, on any string: lone and paired surrogates, non-BMP characters, one-byte text", () => {
    const unit = fc.oneof(
      fc.constantFrom("a", "é", "\u{1F600}", "\uD800", "\uDC00", "\uDBFF", "\uDFFF", "\u00FF", "0"),
      fc.string({ maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 40 }), (parts) => {
        const s = parts.join("");
        expect(ucs2length(s)).toBe(ajvUcs2length(s));
      }),
      { numRuns: 20_000 },
    );
    for (const s of ["", "a", "\u{1F600}", "\uD800", "\uDC00\uD800", "x\u{1F600}y", "\uD800\uDC00\uDC00"])
      expect(ucs2length(s)).toBe(ajvUcs2length(s));
  });

  it("is what the generated SBOM validators call", async () => {
    const { readFileSync } = await import("node:fs");
    const { fileURLToPath } = await import("node:url");
    const source = readFileSync(
      fileURLToPath(new URL("../../generated/cyclonedx-1.6.validator.ts", import.meta.url)),
      "utf8",
    );
    expect(source).toContain("collect/sbom/schema-lengths");
    expect(source).not.toContain("ajv/dist/runtime/ucs2length");
  });
});
