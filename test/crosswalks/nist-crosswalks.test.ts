// Content checks of the NIST crosswalks in catalogs/mappings/ (see docs/crosswalks/nist.md). Reads the
// files with fs and the bundled catalogs through the loader: no dependency on shared/ reference material.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { build, render } from "../../scripts/crosswalks/nist-sp-800-213a--nist-sp-800-53.js";
import { loadCatalogs } from "../../src/catalog/files.js";

interface Row {
  id?: string;
  sources: string[];
  targets: string[];
  relationship: string;
  rationale?: string;
  review?: string;
  note?: string;
}
interface CrosswalkJson {
  format: string;
  crosswalk: {
    id: string;
    source: { catalog: string; version: string };
    target: { catalog: string; version: string };
    provenance: { kind: string; basis: string; publication?: string };
    notes?: string[];
  };
  mappings: Row[];
}

function read(id: string): { text: string; data: CrosswalkJson } {
  const text = readFileSync(new URL(`../../catalogs/mappings/${id}.json`, import.meta.url), "utf8");
  return { text, data: JSON.parse(text) as CrosswalkJson };
}

function counts(rows: Row[], key: "relationship" | "review"): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) {
    const k = r[key] ?? "";
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** Rows with exactly these sources and targets (order ignored). */
function find(data: CrosswalkJson, sources: string[], targets: string[]): Row | undefined {
  const key = (a: string[]) => [...a].sort().join(",");
  return data.mappings.find((r) => key(r.sources) === key(sources) && key(r.targets) === key(targets));
}

const { registry } = loadCatalogs();

const EXPECTED: Record<
  string,
  { rows: number; kind: string; relationship: Record<string, number>; review: Record<string, number> }
> = {
  "nist-sp-800-213a--nist-sp-800-53": {
    rows: 341,
    kind: "official-draft",
    relationship: { "subset-of": 35, "intersects-with": 306 },
    review: { draft: 341 },
  },
  "nist-ir-8259a--nist-sp-800-213a": {
    rows: 37,
    kind: "authored",
    relationship: { "subset-of": 10, "superset-of": 4, equal: 14, "intersects-with": 9 },
    review: { draft: 37 },
  },
  "nist-ir-8259b--nist-sp-800-213a": {
    rows: 44,
    kind: "authored",
    relationship: { "subset-of": 25, "intersects-with": 19 },
    review: { draft: 44 },
  },
  "nist-ir-8425--nist-ir-8259a": {
    rows: 13,
    kind: "authored",
    relationship: { "intersects-with": 13 },
    review: { draft: 13 },
  },
  "nist-ir-8425--nist-ir-8259b": {
    rows: 4,
    kind: "authored",
    relationship: { "intersects-with": 4 },
    review: { draft: 4 },
  },
};

describe.each(Object.keys(EXPECTED))("crosswalk %s", (id) => {
  const { text, data } = read(id);
  const expected = EXPECTED[id];
  if (!expected) throw new Error(id);

  it("is a cairn-crosswalk/1 file named after its id, 2-space JSON with a final newline", () => {
    expect(data.format).toBe("cairn-crosswalk/1");
    expect(data.crosswalk.id).toBe(id);
    expect(id).toBe(`${data.crosswalk.source.catalog}--${data.crosswalk.target.catalog}`);
    expect(text).toBe(`${JSON.stringify(data, null, 2)}\n`);
    expect(data.crosswalk.provenance.kind).toBe(expected.kind);
    expect(data.crosswalk.provenance.basis.length).toBeGreaterThan(0);
    expect(data.crosswalk.notes?.length ?? 0).toBeGreaterThan(0);
  });

  it("has the expected rows, by relationship and by review status", () => {
    expect(data.mappings).toHaveLength(expected.rows);
    expect(counts(data.mappings, "relationship")).toEqual(expected.relationship);
    expect(counts(data.mappings, "review")).toEqual(expected.review);
  });

  it("gives every row a unique id, a rationale, a review status and a note", () => {
    const ids = data.mappings.map((r) => r.id);
    for (const r of data.mappings) {
      expect(r.id, JSON.stringify(r)).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
      expect(["syntactic", "semantic", "functional"]).toContain(r.rationale);
      expect(["draft", "reviewed", "disputed"]).toContain(r.review);
      expect(r.note?.trim().length ?? 0, r.id).toBeGreaterThan(20);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("names only items of the bundled catalog versions, each once per row", () => {
    const src = registry.get(`${data.crosswalk.source.catalog}@${data.crosswalk.source.version}`);
    const tgt = registry.get(`${data.crosswalk.target.catalog}@${data.crosswalk.target.version}`);
    expect(src).toBeDefined();
    expect(tgt).toBeDefined();
    if (!src || !tgt) return;
    for (const r of data.mappings) {
      expect(r.sources.length).toBeGreaterThan(0);
      expect(r.targets.length).toBeGreaterThan(0);
      for (const s of r.sources) expect(src.byRef.has(s), `${r.id}: source ${s}`).toBe(true);
      for (const t of r.targets) expect(tgt.byRef.has(t), `${r.id}: target ${t}`).toBe(true);
      expect(new Set(r.sources).size).toBe(r.sources.length);
      expect(new Set(r.targets).size).toBe(r.targets.length);
    }
  });

  it("has no duplicate or contradictory rows", () => {
    const seen = new Map<string, string>();
    for (const r of data.mappings) {
      const key = `${[...r.sources].sort().join("+")} -> ${[...r.targets].sort().join("+")}`;
      expect(seen.has(key), `${r.id}: ${key} also as ${seen.get(key)}`).toBe(false);
      seen.set(key, r.relationship);
    }
  });
});

describe("nist-sp-800-213a--nist-sp-800-53 (NIST draft mapping)", () => {
  const { text, data } = read("nist-sp-800-213a--nist-sp-800-53");
  const c213 = registry.get("nist-sp-800-213a@2021-11-online");
  const c53 = registry.get("nist-sp-800-53@5.0.1");
  const row = (ref: string) => data.mappings.find((r) => r.id === ref);

  it("is what the generator builds from reference/ and the bundled catalogs", () => {
    expect(render(build())).toBe(text);
  });

  it("has one row per mapped element and action, keyed by the 213A ref", () => {
    if (!c213) throw new Error("nist-sp-800-213a not loaded");
    const elements = c213.items.filter((i) => i.kind === "element").map((i) => i.ref);
    const actions = c213.items.filter((i) => i.kind === "action").map((i) => i.ref);
    expect(elements).toHaveLength(161);
    expect(actions).toHaveLength(181);
    const sources = data.mappings.map((r) => r.sources.join(","));
    expect(data.mappings.every((r) => r.sources.length === 1 && r.id === r.sources[0])).toBe(true);
    expect(sources.filter((s) => s.startsWith("T"))).toEqual(elements);
    expect(sources.filter((s) => !s.startsWith("T"))).toEqual(actions.filter((a) => a !== "B.2.a.4.2"));
  });

  it("skips the 33 rows without a control and says so in the notes", () => {
    const notes = data.crosswalk.notes?.join("\n") ?? "";
    expect(notes).toContain("Skipped, no control in NIST's cell: 33 rows");
    expect(notes).toContain("B.2.a.4.2");
    if (!c213) throw new Error("nist-sp-800-213a not loaded");
    const sections = c213.items.filter((i) => i.kind === "section").map((i) => i.ref);
    expect(sections).toHaveLength(32);
    for (const s of sections) expect(notes).toContain(s);
    expect(row("B.2.a.4.2")).toBeUndefined();
  });

  it("targets only active controls and enhancements of SP 800-53 5.0.1", () => {
    if (!c53) throw new Error("nist-sp-800-53 not loaded");
    for (const r of data.mappings)
      for (const t of r.targets) {
        const item = c53.byRef.get(t);
        expect(item?.kind, t).toMatch(/^control(-enhancement)?$/);
        expect(item?.props.withdrawn, t).toBe(false);
      }
  });

  it("is draft, functional, official-draft throughout", () => {
    expect(data.crosswalk.provenance.publication).toBe(
      "NIST SP 800-213A draft mapping to SP 800-53 Rev. 5 (IoT Device Cybersecurity Requirement Catalogs repository)",
    );
    for (const r of data.mappings) {
      expect(r.rationale).toBe("functional");
      expect(r.review).toBe("draft");
      expect(["subset-of", "intersects-with"]).toContain(r.relationship);
      if (r.relationship === "subset-of") {
        expect(r.targets, r.id).toHaveLength(1);
        expect(r.id?.startsWith("T"), r.id).toBe(true);
      }
    }
  });

  it("maps unique logical identification to IA-3 and keeps the enhancements the raw cells name", () => {
    expect(row("T1.1.1")).toMatchObject({ targets: ["IA-3"], relationship: "subset-of" });
    expect(row("T1.1.3")?.targets).toEqual(["IA-4"]);
    expect(row("A.1.a.1.1")?.targets).toEqual(["SA-8(32)"]);
    expect(row("T4.1.2")?.targets).toEqual(["IA-2(1)", "IA-2(2)"]);
    expect(row("T4.2.1")?.targets).toEqual(["AC-7", "AC-9", "AC-2(3)", "AC-2(5)", "AC-2(2)"]);
    expect(row("T4.6.6")?.targets).toEqual(["AC-2", "AC-2(7)", "AC-2(1)", "AC-2(9)", "IA-4", "AC-3"]);
    expect(row("T3.4.1")?.targets).toEqual(["SC-8(1)"]);
    expect(row("T3.4.2")?.targets).toEqual(["SC-8"]);
    expect(row("T5.1.5")?.targets).toEqual(["SI-7(15)"]);
    expect(row("T7.5.3")?.targets).toEqual(["CM-2(7)", "CP-12"]);
    expect(row("T2.5.3")?.targets).toEqual(["CM-6", "CM-5"]);
    expect(row("T6.2.1")?.targets).toEqual(["SI-4", "CA-7"]);
    // "(ORGANIZATIONAL USERS)" is part of IA-2's title, not an enhancement number.
    expect(row("T4.1.1")?.targets).toEqual(["IA-2"]);
    expect(row("D.1.c.1.1")?.targets).toEqual(["AC-2", "AC-3"]);
  });
});

describe("nist-ir-8259a--nist-sp-800-213a", () => {
  const { data } = read("nist-ir-8259a--nist-sp-800-213a");

  it("maps each 8259A capability to the 213A capability of the same definition", () => {
    for (const n of ["1", "2", "3", "4", "5", "6"])
      expect(find(data, [n], [`T${n}`])?.relationship, n).toBe("subset-of");
    expect(find(data, ["1"], ["T1"])?.review).toBe("draft");
  });

  it("maps the unique logical identifier to T1.1.1 and spot-checks other elements", () => {
    expect(find(data, ["1.1"], ["T1.1.1"])).toMatchObject({ relationship: "equal", review: "draft" });
    expect(find(data, ["1.2"], ["T1.4.1"])?.relationship).toBe("equal");
    expect(find(data, ["4.1"], ["T4.9.3"])?.relationship).toBe("equal");
    expect(find(data, ["6.3"], ["T4.9.5"])?.relationship).toBe("equal");
    // 213A asks for these only when updates are automatic: 8259A asks for more.
    expect(find(data, ["5.2"], ["T5.2.2"])?.relationship).toBe("superset-of");
    expect(find(data, ["5.5"], ["T5.2.3"])?.relationship).toBe("superset-of");
    // 3.3 and 5.6 jointly give the list T2.5.3 gathers.
    expect(find(data, ["3.3", "5.6"], ["T2.5.3"])?.relationship).toBe("equal");
  });

  it("leaves only roll-back (5.3) unmapped and says so", () => {
    const c = registry.get("nist-ir-8259a@2020-05");
    if (!c) throw new Error("nist-ir-8259a not loaded");
    const mapped = new Set(data.mappings.flatMap((r) => r.sources));
    expect(c.items.map((i) => i.ref).filter((r) => !mapped.has(r))).toEqual(["5.3"]);
    expect(data.crosswalk.notes?.join("\n")).toContain("5.3");
  });
});

describe("nist-ir-8259b--nist-sp-800-213a", () => {
  const { data } = read("nist-ir-8259b--nist-sp-800-213a");

  it("maps the four capabilities to A-D and the actions to the sub-capabilities", () => {
    expect(find(data, ["1"], ["A"])?.relationship).toBe("subset-of");
    expect(find(data, ["2"], ["B"])?.relationship).toBe("subset-of");
    expect(find(data, ["3"], ["C"])?.relationship).toBe("subset-of");
    expect(find(data, ["4"], ["D"])?.relationship).toBe("intersects-with");
    for (const [s, t] of [
      ["1.1", "A.1"],
      ["1.2", "A.2"],
      ["2.1", "B.1"],
      ["3.2", "C.2"],
    ] as const)
      expect(find(data, [s], [t])?.relationship, s).toBe("subset-of");
    for (const n of ["1", "2", "3", "4", "5", "6"])
      expect(find(data, [`4.${n}`], [`D.${n}`])?.relationship, n).toBe("intersects-with");
    expect(find(data, ["1.1.f"], ["A.1.e"])?.relationship).toBe("subset-of");
  });

  it("leaves exactly the four examples with no 213A counterpart unmapped, and lists them", () => {
    const c = registry.get("nist-ir-8259b@2021-08");
    if (!c) throw new Error("nist-ir-8259b not loaded");
    const mapped = new Set(data.mappings.flatMap((r) => r.sources));
    const unmapped = c.items.map((i) => i.ref).filter((r) => !mapped.has(r));
    expect(unmapped).toEqual(["1.1.e", "1.3.c", "3.1.f", "3.1.h"]);
    const notes = data.crosswalk.notes?.join("\n") ?? "";
    for (const r of unmapped) expect(notes).toContain(r);
  });

  it("records no equal or superset-of row (213A always adds actions)", () => {
    for (const r of data.mappings) expect(["subset-of", "intersects-with"]).toContain(r.relationship);
  });
});

describe("nist-ir-8425 to the baselines", () => {
  const a = read("nist-ir-8425--nist-ir-8259a").data;
  const b = read("nist-ir-8425--nist-ir-8259b").data;

  it("maps P1-P6 to 8259A 1-6 and D1-D4 to 8259B 1-4, as overlaps only", () => {
    for (const n of ["1", "2", "3", "4", "5", "6"])
      expect(find(a, [`P${n}`], [n])?.relationship, n).toBe("intersects-with");
    for (const n of ["1", "2", "3", "4"])
      expect(find(b, [`D${n}`], [n])?.relationship, n).toBe("intersects-with");
    expect(find(a, ["P1"], ["1"])?.note).toContain("physical");
  });

  it("maps the transcribed outcomes except P2.3", () => {
    const mapped = new Set(a.mappings.flatMap((r) => r.sources));
    for (const o of ["P1.1", "P1.2", "P2.1", "P2.2", "P3.1", "P3.2", "P3.3"])
      expect(mapped.has(o), o).toBe(true);
    expect(mapped.has("P2.3")).toBe(false);
    expect(a.crosswalk.notes?.join("\n")).toContain("P2.3");
  });
});
