import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixture } from "../../test/helpers/cli.js";
import type { Catalog } from "./model.js";
import { parseCatalog } from "./parse.js";
import { CatalogRegistry } from "./registry.js";

function load(name: string): Catalog {
  const r = parseCatalog(readFileSync(fixture("catalogs", name), "utf8"), name, "yaml");
  if (!r.catalog) throw new Error(JSON.stringify(r.problems));
  return r.catalog;
}

describe("CatalogRegistry", () => {
  const v1 = load("diff/widget-baseline@1.0.yaml");
  const v2 = load("diff/widget-baseline@2.0.yaml");
  const registry = new CatalogRegistry([v1, v2]);

  it("resolves a bare catalog id to the newest version", () => {
    expect(registry.get("widget-baseline")?.key).toBe("widget-baseline@2.0");
    expect(registry.get("widget-baseline@1.0")?.key).toBe("widget-baseline@1.0");
    expect(registry.versions("widget-baseline").map((c) => c.meta.version)).toEqual(["2.0", "1.0"]);
  });

  it("looks items up by id, versioned id and printed label", () => {
    expect(registry.item("widget-baseline:2.2")?.title).toBe("Rollback");
    expect(registry.item("widget-baseline:1.2")).toBeUndefined();
    expect(registry.item("widget-baseline@1.0:1.2")?.title).toBe("Physical identifier");
    expect(registry.item("widget-baseline:2.1")).toBe(v2.byRef.get("2.1"));
  });

  it("gives ancestors and children", () => {
    const item = registry.item("widget-baseline:2.1");
    if (!item) throw new Error("missing");
    expect(registry.ancestors(item).map((i) => i.ref)).toEqual(["2"]);
    const parent = registry.item("widget-baseline:2");
    if (!parent) throw new Error("missing");
    expect(registry.children(parent).map((i) => i.ref)).toEqual(["2.1", "2.2"]);
  });

  it("explains an unknown catalog or version", () => {
    expect(() => registry.require("widget-baseline@3.0")).toThrow(/has no version "3.0"; versions: 2.0, 1.0/);
    expect(() => registry.require("nope")).toThrow(/unknown catalog "nope"; catalogs: widget-baseline/);
  });

  it("refuses the same version twice", () => {
    expect(() => new CatalogRegistry([v1, v1])).toThrow(/loaded twice/);
  });
});
