/**
 * Catalog loader fuzz (issue 15): 10,000 hostile inputs, each answered with problems that name
 * the place (or a catalog), never an exception. CLI-level: `cairn catalog validate` exits 1.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCatalog } from "../../src/catalog/parse.js";
import { parseStructured } from "../../src/core/structured-text.js";
import { fixture } from "../helpers/cli.js";
import { aliasBomb, documents } from "./generators.js";

const base = parseStructured(
  readFileSync(fixture("catalogs", "diff", "widget-baseline@2.0.yaml"), "utf8"),
  "widget",
  "yaml",
).value;

describe("catalog loader fuzz", () => {
  it("the base document is a valid catalog", () => {
    expect(parseCatalog(JSON.stringify(base), "fuzz.json", "json").problems).toEqual([]);
  });

  it("answers 10,000 hostile documents with a catalog or problems, never an exception", () => {
    let problems = 0;
    fc.assert(
      fc.property(documents(base), ({ text, format }) => {
        const r = parseCatalog(text, "fuzz", format);
        expect(r.catalog !== undefined || r.problems.length > 0).toBe(true);
        for (const p of r.problems) {
          expect(p.source).toBe("fuzz");
          expect(typeof p.message).toBe("string");
          expect(p.message.length).toBeGreaterThan(0);
        }
        if (r.problems.length > 0) problems++;
      }),
      { numRuns: 10_000 },
    );
    // The mixture is mostly broken documents: most runs must have been refused.
    expect(problems).toBeGreaterThan(5_000);
  }, 300_000);

  it("the YAML alias limit is a problem of the file, not an internal error", () => {
    const r = parseCatalog(aliasBomb(), "bomb.yaml", "yaml");
    expect(r.problems).toEqual([
      {
        source: "bomb.yaml",
        message:
          "malformed YAML: too many aliases (more than 100 resolved): refused as a resource exhaustion attack",
      },
    ]);
    expect(parseCatalog("a: *later\nb: &later 1\n", "x.yaml", "yaml").problems[0]?.message).toMatch(
      /^malformed YAML: /,
    );
    // YAML 1.1 merge keys: a merge of a scalar cannot be resolved.
    expect(parseCatalog("%YAML 1.1\n---\na: &m 1\n<<: *m\n", "x.yaml", "yaml").problems[0]?.message).toMatch(
      /^malformed YAML: Merge sources must be maps/,
    );
  });
});
