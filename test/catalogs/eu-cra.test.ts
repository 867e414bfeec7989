import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

type PropValue = string | number | boolean | string[];
interface Item {
  ref: string;
  label: string;
  kind: string;
  title: string;
  text?: string;
  parent?: string;
  props?: Record<string, PropValue>;
  verification?: string;
  notes?: string;
}
interface CatalogFile {
  format: string;
  catalog: Record<string, unknown>;
  items: Item[];
}
interface SourcePoint {
  ref: string;
  label: string;
  assessable: boolean;
  text: string;
}

const read = <T>(rel: string): T =>
  JSON.parse(readFileSync(new URL(`../../${rel}`, import.meta.url), "utf8")) as T;

const file = read<CatalogFile>("catalogs/eu-cra.json");
const source = read<{ points: SourcePoint[] }>("reference/eu/cra-annex-i-ii.json").points;
// Annexes I and II: the source file's points. The articles (13(8), 14, 69, 71) are tested below.
const allItems = file.items;
const items = allItems.filter((i) => i.ref.startsWith("annex"));
const byRef = new Map(allItems.map((i) => [i.ref, i]));
const get = (ref: string): Item => {
  const item = byRef.get(ref);
  if (!item) throw new Error(`no item ${ref}`);
  return item;
};
const points = (prefix: string) => items.filter((i) => i.kind === "point" && i.ref.startsWith(prefix));
const letters = "abcdefghijklm".split("");

describe("eu-cra catalog", () => {
  it("has the expected metadata", () => {
    expect(file.format).toBe("cairn-catalog/1");
    expect(file.catalog).toMatchObject({
      id: "eu-cra",
      version: "2024-2847",
      published: "2024-10-23",
      status: "final",
      publisher: "European Parliament and Council of the European Union",
      terms: "full-text",
      license: "EU law; reproduced with acknowledgement of the source (EUR-Lex)",
      kinds: ["annex", "article", "part", "paragraph", "point"],
    });
  });

  it("has the annex and part structure", () => {
    expect(items.filter((i) => i.kind !== "point").map((i) => [i.ref, i.label, i.kind, i.parent])).toEqual([
      ["annex-i", "Annex I", "annex", undefined],
      ["annex-i.part-i", "Part I", "part", "annex-i"],
      ["annex-i.part-ii", "Part II", "part", "annex-i"],
      ["annex-ii", "Annex II", "annex", undefined],
    ]);
    expect(get("annex-i").title).toBe("Essential cybersecurity requirements");
    expect(get("annex-ii").title).toBe("Information and instructions to the user");
    expect(get("annex-i.part-i").title).toBe(
      "Cybersecurity requirements relating to the properties of products with digital elements",
    );
    expect(get("annex-i.part-ii").title).toBe("Vulnerability handling requirements");
  });

  it("has 14 assessable Part I points, 8 Part II points and the Annex II points of the source", () => {
    expect(points("annex-i.part-i.").map((i) => i.ref)).toEqual([
      "annex-i.part-i.1",
      "annex-i.part-i.2",
      ...letters.map((l) => `annex-i.part-i.2.${l}`),
    ]);
    expect(points("annex-i.part-i.").filter((i) => i.props?.assessable === true)).toHaveLength(14);
    expect(get("annex-i.part-i.2").props?.assessable).toBe(false);
    expect(points("annex-i.part-ii.").map((i) => i.ref)).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `annex-i.part-ii.${n}`),
    );
    const annexII = source.filter((p) => p.ref.startsWith("2."));
    expect(annexII).toHaveLength(15);
    expect(points("annex-ii.")).toHaveLength(annexII.length);
    expect(points("annex-ii.").map((i) => i.label)).toEqual(annexII.map((p) => p.label));
  });

  it("has unique refs and parents defined before children", () => {
    const problems: string[] = [];
    const seen = new Map<string, Item>();
    for (const item of items) {
      if (seen.has(item.ref)) problems.push(`${item.ref}: duplicate`);
      if (!/^[A-Za-z0-9][A-Za-z0-9._()/-]*$/.test(item.ref)) problems.push(`${item.ref}: ref pattern`);
      if (item.kind === "point") {
        const parent = item.parent === undefined ? undefined : seen.get(item.parent);
        if (!parent) problems.push(`${item.ref}: parent ${item.parent} not defined before`);
        else if (!item.ref.startsWith(`${parent.ref}.`)) problems.push(`${item.ref}: parent ${parent.ref}`);
      }
      seen.set(item.ref, item);
    }
    expect(problems).toEqual([]);
  });

  it("carries every source point once, with its legal label, assessable flag and ref", () => {
    const catalogPoints = items.filter((i) => i.kind === "point");
    expect(catalogPoints.map((i) => i.props?.sourceRef)).toEqual(source.map((p) => p.ref));
    for (const [n, point] of source.entries()) {
      const item = catalogPoints[n];
      expect(item?.label).toBe(point.label);
      expect(item?.props?.assessable).toBe(point.assessable);
      expect(item?.title.length).toBeGreaterThan(0);
    }
  });

  it("keeps the source text except for the documented corrections to the OJ wording", () => {
    const corrected: string[] = [];
    for (const point of source) {
      const item = items.find((i) => i.props?.sourceRef === point.ref);
      if (item?.text === point.text) continue;
      corrected.push(point.ref);
      expect(item?.notes, point.ref).toMatch(/^text corrected to the OJ wording/);
    }
    expect(corrected).toEqual(["1.1.1", "1.1.2", "1.1.2.g", "1.2.6", "1.2.8", "2.3", "2.8.e", "2.8.f"]);
  });

  it("spot checks (Official Journal wording)", () => {
    expect(get("annex-i.part-i.2.a")).toEqual({
      ref: "annex-i.part-i.2.a",
      label: "Annex I, Part I, point (2)(a)",
      kind: "point",
      title: "No known exploitable vulnerabilities",
      text: "be made available on the market without known exploitable vulnerabilities;",
      parent: "annex-i.part-i.2",
      props: { assessable: true, sourceRef: "1.1.2.a", appliesFrom: "2027-12-11" },
    });
    expect(get("annex-i.part-i.2").text).toBe(
      "On the basis of the cybersecurity risk assessment referred to in Article 13(2) and where applicable, products with digital elements shall:",
    );
    expect(get("annex-i.part-i.2.m").label).toBe("Annex I, Part I, point (2)(m)");
    expect(get("annex-i.part-i.2.g").text).toContain("(data minimisation);");
    expect(get("annex-i.part-ii.8").label).toBe("Annex I, Part II, point (8)");
    expect(get("annex-i.part-ii.8").text).toContain(
      "in relation to a tailor-made product with digital elements, free of charge",
    );
    expect(get("annex-i.part-ii").text).toBe("Manufacturers of products with digital elements shall:");
    expect(get("annex-ii").text).toBe(
      "At minimum, the product with digital elements shall be accompanied by:",
    );
    expect(get("annex-ii.8.e")).toMatchObject({
      label: "Annex II, point (8)(e)",
      parent: "annex-ii.8",
      text: "how the default setting enabling the automatic installation of security updates, as required by Part I, point (2)(c), of Annex I, can be turned off;",
    });
    expect(get("annex-ii.9").text).toBe(
      "If the manufacturer decides to make available the software bill of materials to the user, information on where the software bill of materials can be accessed.",
    );
  });
});

describe("eu-cra: the dates of application and the articles that set them", () => {
  it("dates every assessable Annex item from 11 December 2027 and Article 14 from 11 September 2026", () => {
    for (const i of items.filter((x) => x.props?.assessable === true))
      expect(i.props?.appliesFrom, i.ref).toBe("2027-12-11");
    const reporting = allItems.filter((i) => i.ref.startsWith("art-14") && i.props?.assessable === true);
    expect(reporting.map((i) => i.ref)).toEqual([
      "art-14.1",
      "art-14.2.a",
      "art-14.2.b",
      "art-14.2.c",
      "art-14.3",
      "art-14.4.a",
      "art-14.4.b",
      "art-14.4.c",
    ]);
    for (const i of reporting) expect(i.props?.appliesFrom, i.ref).toBe("2026-09-11");
    expect(get("art-71.2").text).toBe(
      "This Regulation shall apply from 11 December 2027.\n\nHowever, Article 14 shall apply from 11 September 2026 and Chapter IV (Articles 35 to 51) shall apply from 11 June 2026.",
    );
  });

  it("carries the reporting deadlines of Article 14 and the support period of Article 13(8)", () => {
    expect(get("art-14.2.a").props?.deadline).toBe("24 hours of becoming aware");
    expect(get("art-14.2.b").props?.deadline).toBe("72 hours of becoming aware");
    expect(get("art-14.2.c").text).toMatch(
      /^unless the relevant information has already been provided, a final report, no later than 14 days after a corrective or mitigating measure is available/,
    );
    expect(get("art-14.4.c").text).toMatch(
      /within one month after the submission of the incident notification under point \(b\)/,
    );
    expect(get("art-13.8").text).toContain(
      "Without prejudice to the second subparagraph, the support period shall be at least five years. Where the product with digital elements is expected to be in use for less than five years, the support period shall correspond to the expected use time.",
    );
    expect(get("art-69.3").text).toContain(
      "the obligations laid down in Article 14 shall apply to all products",
    );
    for (const i of allItems.filter((x) => x.ref.startsWith("art-")))
      expect(i.verification, i.ref).toBe("to-verify");
  });
});
