import { describe, expect, it } from "vitest";
import { loadCatalogs } from "../../src/catalog/files.js";
import { countKinds } from "../../src/catalog/model.js";
import { loadBundledFamily } from "../../src/family/files.js";

const { registry, catalogs, problems } = loadCatalogs();

describe("bundled catalogs", () => {
  it("all load and validate without a problem", () => {
    expect(problems).toEqual([]);
  });

  it("are the catalogs the product covers", () => {
    expect(registry.latest().map((c) => c.meta.id)).toEqual(
      expect.arrayContaining([
        "nist-ir-8259a",
        "nist-ir-8259b",
        "nist-sp-800-213a",
        "nist-ir-8425",
        "etsi-en-303-645",
        "etsi-ts-103-701",
        "eu-cra",
        "nist-sp-800-53",
      ]),
    );
  });

  it("each record carries its source, version, terms and verification", () => {
    for (const c of catalogs) {
      expect(c.meta.source.reference.length, c.key).toBeGreaterThan(0);
      expect(c.meta.source.basis ?? "", `${c.key} says what it was built from`).not.toBe("");
      expect(c.meta.version, c.key).toMatch(/\S/);
      for (const item of c.items) expect(["checked", "to-verify"]).toContain(item.verification);
    }
  });

  it("ids-only catalogs carry no source text", () => {
    for (const c of catalogs.filter((x) => x.meta.terms === "ids-only")) {
      expect(
        c.items.filter((i) => i.text !== undefined).map((i) => i.id),
        c.key,
      ).toEqual([]);
    }
  });

  it("counts the capabilities the guide names", () => {
    const a = registry.require("nist-ir-8259a");
    expect(countKinds(a).capability).toBe(6);
    expect(registry.require("nist-ir-8259b").items.filter((i) => i.kind === "capability")).toHaveLength(4);
    const k425 = registry.require("nist-ir-8425").items.filter((i) => i.kind === "capability");
    expect(k425).toHaveLength(10);
  });

  it("every item id is unique across catalogs and resolves to itself", () => {
    const seen = new Set<string>();
    for (const c of registry.latest()) {
      for (const item of c.items) {
        expect(seen.has(item.id)).toBe(false);
        seen.add(item.id);
        expect(registry.item(item.id)).toBe(item);
      }
    }
  });
});

describe("the document family", () => {
  const family = loadBundledFamily();
  it("names only catalogs that are bundled", () => {
    for (const d of family.documents.filter((x) => x.catalog)) {
      expect(registry.get(d.catalog as string), `${d.id} -> ${d.catalog}`).toBeDefined();
    }
  });

  it("holds the guide's cross-references", () => {
    const edges = new Set(family.edges.map((e) => `${e.from} ${e.type} ${e.to}`));
    for (const e of [
      "nist-sp-800-213 cites nist-ir-8259a",
      "nist-sp-800-213 cites nist-ir-8259b",
      "nist-sp-800-213a extends nist-ir-8259a",
      "nist-sp-800-213a extends nist-ir-8259b",
      "nist-ir-8259 prerequisite-of nist-ir-8259a",
      "nist-ir-8259 prerequisite-of nist-ir-8259b",
      "nist-ir-8425 specialises nist-ir-8259a",
      "iot-cia-2020 mandates nist-sp-800-213",
      "nist-ir-8259a maps-to etsi-en-303-645",
    ]) {
      expect(edges.has(e), e).toBe(true);
    }
    const dates = Object.fromEntries(family.documents.map((d) => [d.id, d.date]));
    expect(dates).toMatchObject({
      "nist-ir-8259": "2020-05",
      "nist-ir-8259a": "2020-05",
      "nist-ir-8259b": "2021-08",
      "nist-sp-800-213": "2021-11",
      "nist-sp-800-213a": "2021-11",
      "nist-ir-8425": "2022-09",
      "iot-cia-2020": "2020-12-04",
      "eo-14028": "2021-05-12",
    });
  });
});
