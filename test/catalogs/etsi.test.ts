// Checks the generated ETSI catalogs (EN 303 645 V2.1.1, TS 103 701 V1.1.1) as committed.
// Reads only files in the repository: the shared reference texts need not be present.
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";

type PropValue = string | number | boolean | string[];

interface Item {
  ref: string;
  label: string;
  kind: string;
  title: string;
  parent?: string;
  props?: Record<string, PropValue>;
  verification?: string;
  notes?: string;
  [key: string]: unknown;
}

interface CatalogFile {
  format: string;
  catalog: Record<string, unknown>;
  items: Item[];
}

function load(name: string): CatalogFile {
  return JSON.parse(readFileSync(new URL(`../../catalogs/${name}`, import.meta.url), "utf8")) as CatalogFile;
}

const en = load("etsi-en-303-645.json");
const ts = load("etsi-ts-103-701.json");
const enByRef = new Map(en.items.map((i) => [i.ref, i]));
const tsByRef = new Map(ts.items.map((i) => [i.ref, i]));
const provisions = en.items.filter((i) => i.kind === "provision");
const clauses = en.items.filter((i) => i.kind === "clause");
const testSets = ts.items.filter((i) => i.kind === "test-objective");
const testGroups = ts.items.filter((i) => i.kind === "test-group");
const testCases = ts.items.filter((i) => i.kind === "test-case");

function prop(item: Item | undefined, key: string): PropValue | undefined {
  return item?.props?.[key];
}

function count<T>(list: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of list) out[key(t)] = (out[key(t)] ?? 0) + 1;
  return out;
}

describe.each([
  ["etsi-en-303-645", en],
  ["etsi-ts-103-701", ts],
])("%s: file", (id, file) => {
  it("validates against the catalog schema", () => {
    const schema = JSON.parse(
      readFileSync(new URL("../../schemas/catalog.schema.json", import.meta.url), "utf8"),
    ) as object;
    const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(schema);
    expect(validate(file), JSON.stringify(validate.errors)).toBe(true);
  });

  it("has ids-only terms and ETSI metadata", () => {
    expect(file.catalog.id).toBe(id);
    expect(file.catalog.terms).toBe("ids-only");
    expect(file.catalog.publisher).toBe("ETSI");
    expect(file.catalog.status).toBe("final");
    expect(String(file.catalog.license)).toMatch(/ETSI/);
  });

  it("has unique refs, parents defined before children", () => {
    const seen = new Set<string>();
    for (const item of file.items) {
      expect(seen.has(item.ref), item.ref).toBe(false);
      if (item.parent !== undefined)
        expect(seen.has(item.parent), `${item.ref} -> ${item.parent}`).toBe(true);
      seen.add(item.ref);
    }
  });

  it("carries no source text: no text field, short own-words titles", () => {
    for (const item of file.items) {
      expect(item).not.toHaveProperty("text");
      expect(item.title.length, item.ref).toBeLessThanOrEqual(90);
      expect(item.title, item.ref).not.toMatch(/\b(shall|should)\b/i);
      const condition = prop(item, "condition");
      if (condition !== undefined) expect(String(condition)).not.toMatch(/\b(shall|should)\b/i);
    }
  });
});

describe("etsi-en-303-645", () => {
  it("has the metadata of V2.1.1", () => {
    expect(en.catalog.version).toBe("2.1.1");
    expect(en.catalog.published).toBe("2020-06");
    expect(en.catalog.kinds).toEqual(["clause", "provision"]);
  });

  it("has all 68 provisions under 15 clauses", () => {
    expect(provisions).toHaveLength(68);
    expect(clauses.map((c) => c.ref)).toEqual([
      "4",
      "5.1",
      "5.2",
      "5.3",
      "5.4",
      "5.5",
      "5.6",
      "5.7",
      "5.8",
      "5.9",
      "5.10",
      "5.11",
      "5.12",
      "5.13",
      "6",
    ]);
    expect(count(provisions, (p) => p.parent ?? "")).toEqual({
      "4": 1,
      "5.1": 5,
      "5.2": 3,
      "5.3": 16,
      "5.4": 4,
      "5.5": 8,
      "5.6": 9,
      "5.7": 2,
      "5.8": 3,
      "5.9": 3,
      "5.10": 1,
      "5.11": 4,
      "5.12": 3,
      "5.13": 1,
      "6": 5,
    });
  });

  it("attaches every provision to its clause", () => {
    for (const p of provisions) {
      expect(p.label).toBe(p.ref);
      const parent = enByRef.get(p.parent ?? "");
      expect(parent?.kind, p.ref).toBe("clause");
      expect(p.ref.replace(/-\d+$/, ""), p.ref).toBe(p.parent);
    }
  });

  it("includes 4-1 (reporting implementation) as a shall", () => {
    const p = enByRef.get("4-1");
    expect(p?.kind).toBe("provision");
    expect(p?.parent).toBe("4");
    expect(prop(p, "modal")).toBe("shall");
    expect(prop(p, "conditional")).toBe(false);
    expect(prop(p, "status")).toBe("M");
    expect(p?.verification).toBe("to-verify");
  });

  it("counts 33 shall and 35 should", () => {
    expect(count(provisions, (p) => String(prop(p, "modal")))).toEqual({ shall: 33, should: 35 });
  });

  it("derives status from modal and conditional (Table B.1 notation)", () => {
    for (const p of provisions) {
      const modal = prop(p, "modal");
      const conditional = prop(p, "conditional");
      expect(typeof conditional, p.ref).toBe("boolean");
      expect(prop(p, "status"), p.ref).toBe(`${modal === "shall" ? "M" : "R"}${conditional ? " C" : ""}`);
      expect(prop(p, "condition") !== undefined, p.ref).toBe(conditional);
    }
    expect(count(provisions, (p) => String(prop(p, "status")))).toEqual({
      M: 20,
      "M C": 13,
      R: 25,
      "R C": 10,
    });
  });

  it("takes each status from Table B.1 (second source: a public reproduction, ids and statuses only)", () => {
    const b1 = JSON.parse(
      readFileSync(
        new URL("../../reference/etsi/en-303-645-v2.1.1-table-b1-statuses.json", import.meta.url),
        "utf8",
      ),
    ) as { provisions: { id: string; status: string; conditions: number[] }[] };
    // The reproduction prints 5.3-10 "M (11, 12)": condition numbers make it M C (its own caveat).
    const expected = new Map(
      b1.provisions.map((p) => [
        p.id,
        p.conditions.length > 0 && !p.status.endsWith("C") ? `${p.status} C` : p.status,
      ]),
    );
    expect(expected.get("5.3-10")).toBe("M C");
    for (const p of provisions) {
      if (p.ref === "4-1") continue; // not in the reproduction
      expect(prop(p, "status"), p.ref).toBe(expected.get(p.ref));
      const numbers = b1.provisions.find((x) => x.id === p.ref)?.conditions.map(String) ?? [];
      if (numbers.length > 0) expect(prop(p, "tableB1Conditions"), p.ref).toEqual(numbers);
      else expect(prop(p, "tableB1Conditions"), p.ref).toBeUndefined();
    }
    expect(provisions.filter((p) => prop(p, "conditional") === true)).toHaveLength(23);
  });

  it("has the 14 provisions the review found wrongly conditional as unconditional", () => {
    const m = ["5.1-3", "5.4-1", "5.4-4", "5.5-5", "5.5-7", "5.8-2", "5.8-3", "6-3"];
    const r = ["5.5-4", "5.5-6", "5.7-2", "5.8-1", "5.11-2", "5.11-4"];
    for (const ref of m) expect(prop(enByRef.get(ref), "status"), ref).toBe("M");
    for (const ref of r) expect(prop(enByRef.get(ref), "status"), ref).toBe("R");
    for (const ref of [...m, ...r]) expect(prop(enByRef.get(ref), "condition"), ref).toBeUndefined();
  });

  it("spot checks", () => {
    const expectations: [string, string, string][] = [
      ["5.1-1", "shall", "M C"],
      ["5.1-5", "shall", "M C"],
      ["5.2-1", "shall", "M"],
      ["5.2-2", "should", "R"],
      ["5.3-1", "should", "R"],
      ["5.3-6", "should", "R C"],
      ["5.3-10", "shall", "M C"],
      ["5.3-13", "shall", "M"],
      ["5.4-3", "shall", "M"],
      ["5.5-1", "shall", "M"],
      ["5.6-4", "shall", "M C"],
      ["5.7-2", "should", "R"],
      ["5.10-1", "should", "R C"],
      ["5.13-1", "shall", "M"],
      ["6-1", "shall", "M"],
      ["6-4", "should", "R C"],
      ["6-5", "shall", "M C"],
    ];
    for (const [ref, modal, status] of expectations) {
      const p = enByRef.get(ref);
      expect(prop(p, "modal"), ref).toBe(modal);
      expect(prop(p, "status"), ref).toBe(status);
    }
    expect(enByRef.get("5.2-1")?.notes).toMatch(/transcription/);
  });

  it("marks the transcribed provisions checked and the added ones to-verify", () => {
    expect(provisions.filter((p) => p.verification !== "checked").map((p) => p.ref)).toEqual(["4-1"]);
    expect(clauses.filter((c) => c.verification !== "checked").map((c) => c.ref)).toEqual(["4"]);
  });
});

describe("etsi-ts-103-701", () => {
  it("has the metadata of V1.1.1", () => {
    expect(ts.catalog.version).toBe("1.1.1");
    expect(ts.catalog.published).toBe("2021-08");
    expect(ts.catalog.kinds).toEqual(["test-objective", "test-group", "test-case"]);
  });

  it("has one test set per EN clause", () => {
    expect(testSets.map((s) => s.label)).toEqual(clauses.map((c) => `TSO ${c.ref}`));
    for (const s of testSets) {
      expect(s.parent).toBeUndefined();
      expect(enByRef.get(String(prop(s, "enClause")).replace("etsi-en-303-645:", ""))?.kind).toBe("clause");
    }
    expect(prop(tsByRef.get("TSO-6"), "clause")).toBe("5.14");
    expect(prop(tsByRef.get("TSO-4"), "clause")).toBeUndefined();
  });

  it("links every test group to an existing EN provision, and every provision to one group", () => {
    expect(testGroups).toHaveLength(68);
    const linked = new Map<string, string[]>();
    for (const g of testGroups) {
      expect(g.label).toBe(`Test group ${g.ref}`);
      expect(tsByRef.get(g.parent ?? "")?.kind, g.ref).toBe("test-objective");
      const target = String(prop(g, "provision"));
      expect(target).toBe(`etsi-en-303-645:${g.ref}`);
      const provisionRef = target.replace("etsi-en-303-645:", "");
      expect(enByRef.get(provisionRef)?.kind, g.ref).toBe("provision");
      linked.set(provisionRef, [...(linked.get(provisionRef) ?? []), g.ref]);
    }
    for (const p of provisions) expect(linked.get(p.ref), p.ref).toHaveLength(1);
  });

  it("has 109 test cases inside their groups", () => {
    expect(testCases).toHaveLength(109);
    for (const c of testCases) {
      expect(c.label).toBe(`Test case ${c.ref}`);
      expect(tsByRef.get(c.parent ?? "")?.kind, c.ref).toBe("test-group");
      expect(c.ref.startsWith(`${c.parent}-`), c.ref).toBe(true);
    }
    for (const g of testGroups) {
      expect(
        testCases.some((c) => c.parent === g.ref),
        g.ref,
      ).toBe(true);
    }
  });

  it("labels test cases conceptual or functional as the TS does", () => {
    expect(count(testCases, (c) => String(prop(c, "testKind")))).toEqual({
      conceptual: 62,
      functional: 46,
      "conceptual/functional": 1,
    });
    expect(prop(tsByRef.get("4-1-1"), "testKind")).toBe("conceptual");
    expect(prop(tsByRef.get("5.1-1-2"), "testKind")).toBe("functional");
    expect(prop(tsByRef.get("5.3-10-1"), "testKind")).toBe("conceptual/functional");
    expect(prop(tsByRef.get("5.8-3-1"), "testKind")).toBe("functional");
  });

  it("keeps the TS clause numbers and IXIT references", () => {
    expect(prop(tsByRef.get("5.1-1"), "clause")).toBe("5.1.1");
    expect(prop(tsByRef.get("5.1-1-1"), "clause")).toBe("5.1.1.1");
    expect(prop(tsByRef.get("6-5-2"), "clause")).toBe("5.14.5.2");
    expect(prop(tsByRef.get("5.1-1-1"), "ixit")).toEqual(["IXIT 1-AuthMech"]);
    for (const item of ts.items) {
      const ixit = prop(item, "ixit");
      if (ixit === undefined) continue;
      expect(Array.isArray(ixit), item.ref).toBe(true);
      for (const ref of ixit as string[]) expect(ref).toMatch(/^IXIT \d+-[A-Za-z]+$/);
    }
  });

  it("flags the reconstructed 4-1 test set and group", () => {
    expect(tsByRef.get("TSO-4")?.notes).toMatch(/4-1-1/);
    expect(tsByRef.get("4-1")?.notes).toMatch(/4-1-1/);
    expect(tsByRef.get("4-1")?.parent).toBe("TSO-4");
  });
});
