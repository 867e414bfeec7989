import { describe, expect, it } from "vitest";
import { loadBundledGlossary, loadCatalogs } from "../../src/catalog/files.js";
import { SearchIndex } from "../../src/catalog/search.js";
import { cli } from "../helpers/cli.js";

// Search over the bundled catalogs with the field glossary, on the words engineers type (issue 16:
// before the glossary "SBOM" found 1 item, "VDP" 0, "vulnerability disclosure" in NISTIR 8259B 0,
// "default password" 2; the third-market catalogs of issue 13 add Singapore CLS level 3's binary
// analysis to "SBOM" and CLS level 1's and UK PSTI's password requirements to "default password").

const { registry } = loadCatalogs();
const glossary = loadBundledGlossary();
const index = new SearchIndex(registry.latest(), { glossary });
const plain = new SearchIndex(registry.latest());
const ids = (q: string, catalog?: string, limit = 20) =>
  index.search(q, { limit, ...(catalog ? { catalog } : {}) }).map((h) => h.item.id);

describe("search over the bundled catalogs", () => {
  it("finds the SBOM items of the CRA by the abbreviation", () => {
    expect(plain.query("SBOM").complete).toBe(2);
    const r = index.query("SBOM");
    expect(r.complete).toBeGreaterThan(1);
    expect(ids("SBOM", undefined, 4)).toEqual(
      expect.arrayContaining(["eu-cra:annex-ii.9", "eu-cra:annex-i.part-ii.1"]),
    );
    expect(r.concepts[0]?.alsoSearched).toContain("software bill of materials");
  });

  it("finds vulnerability disclosure by VDP and CVD, and in NISTIR 8259B by its own words", () => {
    expect(plain.query("VDP").total).toBe(0);
    for (const q of ["VDP", "CVD"])
      expect(ids(q)).toEqual(
        expect.arrayContaining(["etsi-en-303-645:5.2-1", "eu-cra:annex-i.part-ii.5", "nist-ir-8259b:2"]),
      );
    expect(plain.query("vulnerability disclosure", { catalog: "nist-ir-8259b" }).complete).toBe(0);
    const b = index.query("vulnerability disclosure", { catalog: "nist-ir-8259b" });
    expect(b.complete).toBeGreaterThanOrEqual(2);
    expect(b.hits.slice(0, 2).map((h) => h.item.id)).toEqual(["nist-ir-8259b:2", "nist-ir-8259b:2.1"]);
  });

  it("finds default passwords in EN 303 645 and SP 800-53's default authenticators", () => {
    expect(plain.query("default password").complete).toBe(4);
    const r = index.query("default password");
    expect(r.complete).toBeGreaterThanOrEqual(6);
    expect(ids("default password", undefined, 3)).toContain("etsi-en-303-645:5.1");
    expect(ids("default password", undefined, 6)).toContain("nist-sp-800-53:IA-5(5)");
  });

  it("knows OTA, FIPS, PSIRT and secure boot", () => {
    expect(ids("OTA", undefined, 10)).toContain("nist-ir-8259a:5");
    expect(ids("FIPS", undefined, 3)).toContain("nist-sp-800-53:SC-13(1)");
    expect(ids("PSIRT", undefined, 5)).toContain("etsi-en-303-645:5.2");
    expect(ids("secure boot")[0]).toBe("etsi-en-303-645:5.7-1");
    expect(ids("secure boot")).toContain("nist-sp-800-53:SI-7(9)");
  });

  it("ranks partial matches after complete ones and suggests near words for a typo", () => {
    const r = index.query("rollback firmware update");
    // Some items have every word, many more have some: the complete first, then by words missing.
    expect(r.complete).toBeGreaterThan(0);
    expect(r.total).toBeGreaterThan(r.complete);
    const all = index.search("rollback firmware update", { limit: 1000 });
    expect(all).toHaveLength(r.total);
    const missing = all.map((h) => h.missing.length);
    expect(missing.slice(0, r.complete).every((n) => n === 0)).toBe(true);
    expect(missing).toEqual([...missing].sort((a, b) => a - b));
    expect(new Set(missing)).toEqual(new Set([0, 1, 2]));
    expect(index.query("pasword").suggestions[0]).toBe("password");
    expect(index.query("vulnerabilty disclosure").suggestions).toContain("vulnerability disclosure");
  });

  it("has no glossary group that finds nothing", () => {
    const idle = glossary.groups
      .filter((g) => index.query(g.terms[0] as string).complete === 0)
      .map((g) => g.id);
    expect(idle).toEqual([]);
  });

  it("is what `cairn catalog search` answers, with the words it missed", async () => {
    const r = await cli("catalog", "search", "VDP", "--json", "--limit", "5");
    expect(r.code).toBe(0);
    const hits = JSON.parse(r.stdout) as { id: string; matched: string[] }[];
    expect(hits.map((h) => h.id)).toEqual(ids("VDP", undefined, 5));
    expect(hits[0]?.matched).toEqual(["VDP"]);
    const typo = await cli("catalog", "search", "pasword");
    expect(typo.stdout).toContain('no item matches "pasword"; try: "password"');
  });
});
