import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { cli, fixture, ROOT } from "./helpers/cli.js";

const OUT = join(ROOT, "test-artifacts", "cli-crosswalk");
mkdirSync(OUT, { recursive: true });

function file(name: string, content: unknown): string {
  const path = join(OUT, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

describe("cairn crosswalk", () => {
  it("list --json gives every bundled crosswalk with its rows and provenance", async () => {
    const r = await cli("crosswalk", "list", "--json");
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { id: string; rowCount: number; provenance: string }[];
    expect(list.map((c) => c.id)).toEqual(
      expect.arrayContaining([
        "nist-sp-800-213a--nist-sp-800-53",
        "nist-ir-8259a--nist-sp-800-213a",
        "nist-ir-8259b--nist-sp-800-213a",
        "nist-ir-8425--nist-ir-8259a",
        "nist-ir-8259a--etsi-en-303-645",
        "nist-ir-8259a--eu-cra",
        "etsi-en-303-645--eu-cra",
        "etsi-en-303-645--etsi-ts-103-701",
      ]),
    );
    expect(list.find((c) => c.id === "nist-sp-800-213a--nist-sp-800-53")).toMatchObject({
      provenance: "official-draft",
    });
  });

  it("show --json gives the provenance and the rows", async () => {
    const r = await cli("crosswalk", "show", "etsi-en-303-645--etsi-ts-103-701", "--json");
    const doc = JSON.parse(r.stdout);
    expect(doc.crosswalk.provenance.kind).toBe("derived");
    expect(doc.mappings).toHaveLength(68);
    expect((await cli("crosswalk", "show", "nope")).code).toBe(1);
  });

  it("validate names the file, row, id and item of a bad row; exit 1", async () => {
    const r = await cli(
      "--catalogs",
      fixture("catalogs", "diff"),
      "crosswalk",
      "validate",
      fixture("crosswalks", "bad-rows.yaml"),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'bad-rows.yaml mappings[1] (id r2).sources[0]: "9.9" is not an item of widget-baseline@2.0',
    );
    const ok = await cli(
      "--catalogs",
      fixture("catalogs", "diff"),
      "crosswalk",
      "validate",
      fixture("crosswalks", "widget-baseline--nist-ir-8259a.yaml"),
    );
    expect(ok.code).toBe(0);
  });

  it("gaps --json gives coverage per target item and the source items that reach nothing", async () => {
    const r = await cli("crosswalk", "gaps", "--from", "nist-ir-8259a", "--to", "etsi-en-303-645", "--json");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const byId = new Map(report.targets.map((t: { item: string }) => [t.item, t]));
    expect(byId.get("etsi-en-303-645:5.3-9")).toMatchObject({ coverage: "full" });
    expect(["full", "partial", "none"]).toContain(
      (byId.get("etsi-en-303-645:5.6-1") as { coverage: string }).coverage,
    );
    expect(byId.get("etsi-en-303-645:4-1")).toMatchObject({ coverage: "none", sources: [] });
    expect(report.unmappedSources).toContain("nist-ir-8259a:5.3");
    expect(report.counts.full + report.counts.partial + report.counts.none).toBe(report.targets.length);
  });

  it("infer --json derives results with their paths and rows", async () => {
    const results = file("results-8259a.json", {
      "nist-ir-8259a:5": "pass",
      "nist-ir-8259a:5.2": "pass",
      "nist-ir-8259a:1": "fail",
      "nist-ir-8259a:1.1": "fail",
    });
    const r = await cli("crosswalk", "infer", "--results", results, "--to", "etsi-en-303-645", "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<
      string,
      { result: string; derivedFrom: { path: string[]; rows: string[] }[] }
    >;
    expect(out["etsi-en-303-645:5.3-9"]?.result).toBe("pass");
    expect(out["etsi-en-303-645:5.3-9"]?.derivedFrom[0]?.path[0]).toMatch(/^nist-ir-8259a:5/);
    expect(out["etsi-en-303-645:5.3-9"]?.derivedFrom[0]?.rows[0]).toMatch(/^nist-ir-8259a--etsi-en-303-645#/);
    expect(Object.keys(out).every((k) => k.startsWith("etsi-en-303-645:"))).toBe(true);
  });

  it("infer refuses unknown ids, bad results, two catalogs and a catalog with no path", async () => {
    const unknown = await cli(
      "crosswalk",
      "infer",
      "--results",
      file("r1.json", { "nist-ir-8259a:9.9": "pass", "nist-ir-8259a:1": "great" }),
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('"nist-ir-8259a:9.9": unknown item id');
    expect(unknown.stderr).toContain(
      '"nist-ir-8259a:1": result must be one of pass, partial, fail, not-applicable, unknown',
    );
    const two = await cli(
      "crosswalk",
      "infer",
      "--results",
      file("r2.json", { "nist-ir-8259a:1": "pass", "eu-cra:annex-i": "pass" }),
    );
    expect(two.code).toBe(1);
    expect(two.stderr).toContain("results must be on one catalog");
    const noPath = await cli(
      "--catalogs",
      fixture("catalogs", "diff"),
      "crosswalk",
      "infer",
      "--results",
      file("r3.json", { "nist-ir-8259a:1": "pass" }),
      "--to",
      "widget-baseline",
    );
    expect(noPath.code).toBe(1);
    expect(noPath.stderr).toContain("no crosswalk path from nist-ir-8259a to widget-baseline");
    const malformed = await cli("crosswalk", "infer", "--results", file("r4.json", "{oops"));
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain("malformed JSON");
  });
});

describe("cairn matrix", () => {
  it("--json gives columns and rows with cells of ids and relationships", async () => {
    const r = await cli(
      "matrix",
      "--anchor",
      "nist-ir-8259a",
      "--columns",
      "etsi-en-303-645,eu-cra,nist-sp-800-53",
      "--json",
    );
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout);
    expect(m.columns).toEqual(["etsi-en-303-645", "eu-cra", "nist-sp-800-53"]);
    const row = m.rows.find((x: { item: string }) => x.item === "nist-ir-8259a:5.2");
    expect(row.cells["etsi-en-303-645"]).toContainEqual({
      id: "etsi-en-303-645:5.3-9",
      relationship: "superset-of",
    });
    // SP 800-53 is reached only through SP 800-213A: derived cells say so.
    const derived = m.rows.flatMap(
      (x: { cells: Record<string, { derived?: boolean; via?: string[] }[]> }) => x.cells["nist-sp-800-53"],
    );
    expect(derived.length).toBeGreaterThan(0);
    expect(
      derived.every(
        (c: { derived?: boolean; via?: string[] }) =>
          c.derived === true && c.via?.includes("nist-sp-800-213a"),
      ),
    ).toBe(true);
  });

  it("writes xlsx with frozen header and filters, csv and md", async () => {
    const out = join(OUT, "matrix.xlsx");
    const r = await cli(
      "matrix",
      "--anchor",
      "nist-ir-8259a,nist-ir-8259b",
      "--columns",
      "etsi-en-303-645,eu-cra",
      "--depth",
      "1",
      "--format",
      "xlsx",
      "-o",
      out,
    );
    expect(r.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    // Sheets are named after the texts (their short titles), not their ids.
    expect(wb.worksheets.map((w) => w.name)).toEqual(["NISTIR 8259A", "NISTIR 8259B", "Legend"]);
    const ws = wb.worksheets[0];
    expect(ws?.getRow(1).values).toEqual([undefined, "Item", "Title", "ETSI EN 303 645", "EU CRA"]);
    expect(ws?.rowCount).toBe(7);
    const csv = await cli(
      "matrix",
      "--anchor",
      "nist-ir-8259a",
      "--columns",
      "eu-cra",
      "--depth",
      "1",
      "--format",
      "csv",
    );
    expect(csv.stdout.split("\r\n")[0]).toBe("Item,Title,EU CRA");
    const md = await cli("matrix", "--anchor", "nist-ir-8259a", "--columns", "eu-cra", "--format", "md");
    expect(md.stdout).toContain("| Item | Title | EU CRA |");
    const noOut = await cli("matrix", "--anchor", "nist-ir-8259a", "--format", "xlsx");
    expect(noOut.code).toBe(2);
  });

  it("the matrix JSON file is what a spreadsheet-free pipeline reads", async () => {
    const out = join(OUT, "matrix.json");
    await cli("matrix", "--anchor", "etsi-en-303-645", "--columns", "etsi-ts-103-701", "-o", out, "--json");
    const m = JSON.parse(readFileSync(out, "utf8"));
    const provisions = m.rows.filter((r: { item: string }) => r.item.split(":")[1]?.includes("-"));
    expect(provisions).toHaveLength(68);
    expect(
      provisions.every((r: { cells: Record<string, unknown[]> }) => r.cells["etsi-ts-103-701"]?.length === 1),
    ).toBe(true);
  });
});
