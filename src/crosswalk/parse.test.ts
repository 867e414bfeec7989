import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixture } from "../../test/helpers/cli.js";
import { loadCatalogs } from "../catalog/files.js";
import { formatProblem } from "../core/problem.js";
import { parseCrosswalk } from "./parse.js";

const { registry } = loadCatalogs({ extra: [fixture("catalogs", "diff")] });

function parse(name: string) {
  return parseCrosswalk(readFileSync(fixture("crosswalks", name), "utf8"), name, "yaml", registry);
}

describe("parseCrosswalk", () => {
  it("loads a valid crosswalk with full item ids and row keys", () => {
    const { crosswalk, problems } = parse("widget-baseline--nist-ir-8259a.yaml");
    expect(problems).toEqual([]);
    expect(crosswalk?.sourceKey).toBe("widget-baseline@2.0");
    expect(crosswalk?.mappings[1]).toMatchObject({
      key: "widget-baseline--nist-ir-8259a#r2",
      sources: ["widget-baseline:2"],
      targets: ["nist-ir-8259a:5"],
      relationship: "subset-of",
    });
  });

  it("names the file, row, id and item of every bad row", () => {
    const { crosswalk, problems } = parse("bad-rows.yaml");
    expect(crosswalk).toBeUndefined();
    expect(problems.map(formatProblem)).toEqual([
      'bad-rows.yaml mappings[1] (id r2).sources[0]: "9.9" is not an item of widget-baseline@2.0',
      "bad-rows.yaml mappings[2] (id r3): duplicate of mappings[0]: 1 -> 1",
      "bad-rows.yaml mappings[3] (id r4): contradicts mappings[0] (equal vs subset-of): 1 -> 1",
      "bad-rows.yaml mappings[4] (id r1).id: duplicate row id (first at mappings[0])",
    ]);
  });

  it("refuses a catalog version that is not loaded", () => {
    const text = readFileSync(fixture("crosswalks", "widget-baseline--nist-ir-8259a.yaml"), "utf8").replace(
      'version: "2.0"',
      'version: "7.0"',
    );
    const { problems } = parseCrosswalk(text, "x.yaml", "yaml", registry);
    expect(problems.map(formatProblem)).toEqual([
      "x.yaml crosswalk.source: catalog widget-baseline@7.0 is not loaded",
    ]);
  });

  it("reports schema errors with their line", () => {
    const text = readFileSync(fixture("crosswalks", "widget-baseline--nist-ir-8259a.yaml"), "utf8").replace(
      "relationship: equal, rationale: syntactic",
      "relationship: same, rationale: syntactic",
    );
    const { problems } = parseCrosswalk(text, "x.yaml", "yaml", registry);
    expect(problems).toHaveLength(1);
    expect(formatProblem(problems[0] as never)).toMatch(
      /^x\.yaml:13:\d+ mappings\[2\] \(id r3\)\.relationship: must be one of: "equal"/,
    );
  });
});
