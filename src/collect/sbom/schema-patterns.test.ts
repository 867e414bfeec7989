import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EQUIVALENTS, schemaPattern } from "./schema-patterns.js";

const cdxSchemas = join(
  dirname(createRequire(import.meta.url).resolve("@cyclonedx/cyclonedx-library/package.json")),
  "res",
  "schema",
);

// Strings near the accepted ones: hex digits, near-hex letters, a newline, a non-BMP character,
// at and around the accepted lengths.
const near = fc.oneof(
  fc.string({ unit: fc.constantFrom(..."0123456789abcdefABCDEFgG \n", "\u{1F600}"), maxLength: 140 }),
  fc
    .constantFrom(31, 32, 33, 39, 40, 41, 63, 64, 65, 95, 96, 97, 127, 128, 129)
    .chain((n) =>
      fc.tuple(
        fc.string({ unit: fc.constantFrom(..."0123456789abcdefABCDEF"), minLength: n, maxLength: n }),
        fc.constantFrom("", "\n", "g", "\u{1F600}", "0"),
        fc.boolean(),
      ),
    )
    .map(([s, extra, before]) => (before ? extra + s : s + extra)),
);

describe("schema patterns with a hand-written test", () => {
  for (const pattern of Object.keys(EQUIVALENTS)) {
    it(`accepts exactly what ${pattern} accepts`, () => {
      const regexp = new RegExp(pattern, "u");
      const fast = schemaPattern(pattern, "u");
      expect(fast).not.toBeInstanceOf(RegExp);
      fc.assert(
        fc.property(near, (s) => {
          expect(fast.test(s)).toBe(regexp.test(s));
        }),
        { numRuns: 20_000 },
      );
    });

    it(`is a pattern of the bundled CycloneDX schemas: ${pattern}`, () => {
      for (const v of ["1.4", "1.5", "1.6", "1.7"]) {
        const schema = readFileSync(join(cdxSchemas, `bom-${v}.SNAPSHOT.schema.json`), "utf8");
        expect(schema).toContain(JSON.stringify(pattern));
      }
    });
  }

  it("builds a RegExp for every other pattern", () => {
    expect(schemaPattern("^[a-z]{2}$", "u")).toBeInstanceOf(RegExp);
  });
});
