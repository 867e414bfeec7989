import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { registryOf, syntheticCatalog, syntheticCrosswalk } from "../../test/helpers/synthetic.js";
import type { CatalogFile } from "../catalog/model.js";
import { checkCatalog } from "../catalog/parse.js";
import { buildMatrix, catalogPath } from "./matrix.js";
import { matricesToXlsx, matrixToCsv, matrixToHtml, matrixToMarkdown } from "./matrix-render.js";
import { CrosswalkSet } from "./set.js";

const treeFile: CatalogFile = {
  format: "cairn-catalog/1",
  catalog: {
    id: "t",
    title: "tree",
    publisher: "tests",
    version: "1",
    published: "2024-01",
    status: "final",
    source: { reference: "tests" },
    terms: "full-text",
    verification: "checked",
  },
  items: [
    { ref: "1", label: "1", kind: "capability", title: "One" },
    { ref: "1.1", label: "1.1", kind: "element", title: "One one", parent: "1" },
    { ref: "1.2", label: "1.2", kind: "element", title: "One two", parent: "1" },
    { ref: "2", label: "2", kind: "capability", title: "=SUM(A1)" },
  ],
};
const T = checkCatalog(treeFile, "t").catalog;
if (!T) throw new Error("fixture");
const B = syntheticCatalog("b", ["x", "y", "z"]);
const C = syntheticCatalog("c", ["p", "q"]);
const registry = registryOf(T, B, C);
const set = new CrosswalkSet([
  syntheticCrosswalk(registry, "t", "b", [
    [["1.1"], "equal", ["x"]],
    [["1.2"], "intersects-with", ["y"]],
    [["1.2"], "subset-of", ["x"]],
  ]),
  syntheticCrosswalk(registry, "b", "c", [
    [["x"], "equal", ["p"]],
    [["y"], "subset-of", ["q"]],
  ]),
]);

describe("buildMatrix", () => {
  it("puts direct mappings in cells with their relationship", () => {
    const m = buildMatrix(set, T, [B]);
    expect(m.rows.map((r) => r.item)).toEqual(["t:1", "t:1.1", "t:1.2", "t:2"]);
    expect(m.rows[1]?.cells.b).toEqual([
      { id: "b:x", label: "x", title: "b x", relationship: "equal", derived: false },
    ]);
    expect(m.rows[2]?.cells.b?.map((c) => [c.label, c.relationship])).toEqual([
      ["x", "subset-of"],
      ["y", "intersects-with"],
    ]);
    expect(m.rows[0]?.cells.b).toEqual([]);
  });

  it("rolls descendants up into a row cut by depth, keeping the strongest relationship", () => {
    const m = buildMatrix(set, T, [B], { depth: 1 });
    expect(m.rows.map((r) => r.item)).toEqual(["t:1", "t:2"]);
    expect(m.rows[0]?.cells.b?.map((c) => [c.label, c.relationship, c.from])).toEqual([
      ["x", "equal", ["t:1.1", "t:1.2"]],
      ["y", "intersects-with", ["t:1.2"]],
    ]);
  });

  it("composes a chain of crosswalks where no direct one exists, marked derived", () => {
    expect(catalogPath(set, "t", "c")?.map((e) => e.crosswalk.meta.id)).toEqual(["t--b", "b--c"]);
    const m = buildMatrix(set, T, [C]);
    expect(m.rows[1]?.cells.c).toEqual([
      { id: "c:p", label: "p", title: "c p", relationship: "equal", derived: true, via: ["b"] },
    ]);
    // 1.2 ∩ y ⊂ q: an overlap with a part of q is still an overlap with q.
    expect(m.rows[2]?.cells.c?.map((c) => [c.label, c.relationship])).toEqual([
      ["p", "subset-of"],
      ["q", "intersects-with"],
    ]);
  });

  it("renders csv (formula-safe), markdown, html and xlsx", async () => {
    const m = buildMatrix(set, T, [B, C], { depth: 1 });
    const csv = matrixToCsv(m, { b: "B text" });
    expect(csv.split("\r\n")[0]).toBe("Item,Title,B text,c");
    expect(csv).toContain(`"'=SUM(A1)"`);
    expect(matrixToMarkdown(m)).toContain("| 1 | One | x =, y ∩ | p =*, q ∩* |");
    const html = matrixToHtml(m);
    expect(html).toContain("<table>");
    expect(html).not.toContain("<script");
    const buf = await matricesToXlsx([m], { b: "B text" });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    // Named after the text: its short title when known, else its id, never the versioned key.
    const ws = wb.getWorksheet("t");
    expect(ws?.getRow(1).values).toEqual([undefined, "Item", "Title", "B text", "c"]);
    expect(ws?.getCell("C2").value).toBe("x =, y ∩");
    expect(ws?.views[0]).toMatchObject({ state: "frozen", ySplit: 1, xSplit: 1 });
    expect(ws?.autoFilter).toBeDefined();
  });

  it("names sheets after the texts within Excel's rules, adds verdict, source and evidence columns and further tables", async () => {
    const m = buildMatrix(set, T, [B, C]);
    const other = { ...m, anchor: "t@2" };
    const titles = { t: "Text: a [very] long/odd title that goes on and on", b: "B", c: "C" };
    const buf = await matricesToXlsx([m, other], titles, {
      facts: (item) =>
        item === "t:1.1"
          ? { verdict: "pass", source: "measures", evidence: ["E-1 Report (evidence/a.txt)", "E-2 Link"] }
          : undefined,
      tables: [
        {
          name: "Measures",
          header: ["Id", "Title"],
          rows: [["M-001", "Signed firmware"]],
          note: "the design",
        },
      ],
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const names = wb.worksheets.map((w) => w.name);
    // 31 characters at most, none of \ / ? * [ ] :, the version told apart when a text comes twice.
    expect(names).toEqual([
      "Text- a -very- long-odd title t",
      "Text- a -very- long-odd title 2",
      "Measures",
      "Legend",
    ]);
    for (const n of names) expect(n.length).toBeLessThanOrEqual(31);
    const ws = wb.worksheets[0];
    expect(ws?.getRow(1).values).toEqual([
      undefined,
      "Item",
      "Title",
      "Verdict",
      "Source",
      "Evidence",
      "B",
      "C",
    ]);
    const row = (label: string) => {
      let found: ExcelJS.Row | undefined;
      ws?.eachRow((r) => {
        if (r.getCell(1).value === label) found = r;
      });
      return found;
    };
    expect(row("1.1")?.getCell(3).value).toBe("pass");
    expect(row("1.1")?.getCell(4).value).toBe("measures");
    expect(row("1.1")?.getCell(5).value).toBe("E-1 Report (evidence/a.txt)\nE-2 Link");
    expect(row("1.1")?.getCell(6).value).toBe("x =");
    expect(row("1")?.getCell(3).value ?? null).toBeNull();
    expect(wb.getWorksheet("Measures")?.getRow(2).values).toEqual([undefined, "M-001", "Signed firmware"]);
    expect(String(wb.getWorksheet("Legend")?.getRow(3).getCell(1).value)).toBe("Measures: the design");
  });
});
