/**
 * Crosswalk loader fuzz (issue 15): 10,000 hostile inputs against the bundled catalogs and the
 * widget fixture, each answered with problems that name the place, never an exception.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadCatalogs } from "../../src/catalog/files.js";
import { parseStructured } from "../../src/core/structured-text.js";
import { parseCrosswalk } from "../../src/crosswalk/parse.js";
import { fixture } from "../helpers/cli.js";
import { aliasBomb, documents } from "./generators.js";

const { registry } = loadCatalogs({ extra: [fixture("catalogs", "diff", "widget-baseline@2.0.yaml")] });
const base = parseStructured(
  readFileSync(fixture("crosswalks", "widget-baseline--nist-ir-8259a.yaml"), "utf8"),
  "widget",
  "yaml",
).value;

describe("crosswalk loader fuzz", () => {
  it("the base document is a valid crosswalk", () => {
    expect(parseCrosswalk(JSON.stringify(base), "fuzz.json", "json", registry).problems).toEqual([]);
  });

  it("answers 10,000 hostile documents with a crosswalk or problems, never an exception", () => {
    let problems = 0;
    fc.assert(
      fc.property(documents(base), ({ text, format }) => {
        const r = parseCrosswalk(text, "fuzz", format, registry);
        expect(r.crosswalk !== undefined || r.problems.length > 0).toBe(true);
        for (const p of r.problems) {
          expect(p.source).toBe("fuzz");
          expect(p.message.length).toBeGreaterThan(0);
        }
        if (r.problems.length > 0) problems++;
      }),
      { numRuns: 10_000 },
    );
    expect(problems).toBeGreaterThan(5_000);
  }, 300_000);

  it("a row id that is not a string does not break the message that names the row", () => {
    const doc = structuredClone(base) as { mappings: Record<string, unknown>[] };
    (doc.mappings[0] as Record<string, unknown>).id = { toString: 1 };
    const r = parseCrosswalk(JSON.stringify(doc), "x.json", "json", registry);
    expect(r.problems.map((p) => p.location)).toContain("mappings[0].id");
    expect(parseCrosswalk(aliasBomb(), "bomb.yaml", "yaml", registry).problems[0]?.message).toMatch(
      /too many aliases/,
    );
  });
});
