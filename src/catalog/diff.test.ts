import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixture } from "../../test/helpers/cli.js";
import { diffCatalogs } from "./diff.js";
import type { Catalog } from "./model.js";
import { parseCatalog } from "./parse.js";

function load(name: string): Catalog {
  const r = parseCatalog(readFileSync(fixture("catalogs", name), "utf8"), name, "yaml");
  if (!r.catalog) throw new Error(JSON.stringify(r.problems));
  return r.catalog;
}

describe("diffCatalogs", () => {
  const v1 = load("diff/widget-baseline@1.0.yaml");
  const v2 = load("diff/widget-baseline@2.0.yaml");

  it("finds added, removed and changed items with the fields that changed", () => {
    const d = diffCatalogs(v1, v2);
    expect(d.added.map((i) => i.ref)).toEqual(["2.2"]);
    expect(d.removed.map((i) => i.ref)).toEqual(["1.2"]);
    expect(d.changed.map((c) => [c.ref, c.changes.map((f) => f.field)])).toEqual([
      ["1", ["text"]],
      ["2.1", ["props"]],
    ]);
    expect(d.changed[1]?.changes[0]).toEqual({
      field: "props",
      before: { modal: "should" },
      after: { modal: "shall" },
    });
    expect(d.unchanged).toBe(3);
  });

  it("is empty between a version and itself, and symmetric in its counts", () => {
    const same = diffCatalogs(v1, v1);
    expect([same.added, same.removed, same.changed]).toEqual([[], [], []]);
    const back = diffCatalogs(v2, v1);
    expect(back.added.map((i) => i.ref)).toEqual(["1.2"]);
    expect(back.removed.map((i) => i.ref)).toEqual(["2.2"]);
    expect(back.changed).toHaveLength(2);
  });
});
