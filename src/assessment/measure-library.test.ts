import { describe, expect, it } from "vitest";
import { loadCatalogs } from "../catalog/files.js";
import { MEASURE_LIBRARY } from "./measure-library.js";

describe("the measure library", () => {
  const { registry } = loadCatalogs();

  it("links only elements the NISTIR 8259A and 8259B catalogs hold, each once per measure", () => {
    for (const m of MEASURE_LIBRARY) {
      expect(m.links.length, m.id).toBeGreaterThan(0);
      const items = m.links.map((l) => l.item);
      expect(new Set(items).size, m.id).toBe(items.length);
      for (const l of m.links) {
        expect(registry.item(l.item), `${m.id}: ${l.item}`).toBeDefined();
        expect(l.item).toMatch(/^nist-ir-8259[ab]:/);
      }
    }
    expect(new Set(MEASURE_LIBRARY.map((m) => m.id)).size).toBe(MEASURE_LIBRARY.length);
  });

  it("implements every NISTIR 8259A capability element", () => {
    const linked = new Set(MEASURE_LIBRARY.flatMap((m) => m.links.map((l) => l.item)));
    const leaves = ["1.1", "1.2", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "4.1", "4.2", "4.3"]
      .concat(["5.1", "5.2", "5.3", "5.4", "5.5", "5.6.a", "5.6.b", "6.1", "6.2", "6.3", "6.4", "6.5"])
      .map((r) => `nist-ir-8259a:${r}`);
    for (const id of leaves) {
      expect(registry.item(id), id).toBeDefined();
      expect(linked.has(id), id).toBe(true);
    }
  });
});
