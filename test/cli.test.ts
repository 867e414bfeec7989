import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, cliProcess, fixture } from "./helpers/cli.js";

const DIFF = fixture("catalogs", "diff");

describe("cairn catalog", () => {
  it("list --json gives id, version and itemCount for every bundled catalog", async () => {
    const r = await cli("catalog", "list", "--json");
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { id: string; version: string; itemCount: number }[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.id).toMatch(/^[a-z0-9-]+$/);
      expect(typeof row.version).toBe("string");
      expect(row.itemCount).toBeGreaterThan(0);
    }
  });

  it("list shows a table", async () => {
    const r = await cli("catalog", "list", "--catalogs", DIFF);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ID\s+VERSION\s+STATUS\s+TERMS\s+ITEMS/);
    expect(r.stdout).toMatch(/widget-baseline\s+2\.0\s+final\s+full-text\s+6/);
  });

  it("show --json gives the catalog and its items, --depth limits them", async () => {
    const r = await cli("catalog", "show", "widget-baseline@1.0", "--json", "--catalogs", DIFF);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.catalog).toMatchObject({ id: "widget-baseline", version: "1.0", itemCount: 6 });
    expect(doc.items[1]).toMatchObject({
      id: "widget-baseline:1.1",
      label: "1.1",
      kind: "element",
      parent: "widget-baseline:1",
    });
    const top = JSON.parse(
      (await cli("catalog", "show", "widget-baseline", "--depth", "1", "--json", "--catalogs", DIFF)).stdout,
    );
    expect(top.items.map((i: { id: string }) => i.id)).toEqual([
      "widget-baseline:1",
      "widget-baseline:2",
      "widget-baseline:3",
    ]);
  });

  it("show renders yaml and markdown, and writes to a file", async () => {
    const yaml = await cli("catalog", "show", "widget-baseline", "--format", "yaml", "--catalogs", DIFF);
    expect(yaml.stdout).toContain("id: widget-baseline:2.2");
    const dir = mkdtempSync(join(tmpdir(), "cairn-"));
    const md = await cli(
      "catalog",
      "show",
      "widget-baseline",
      "--format",
      "md",
      "-o",
      join(dir, "w.md"),
      "--catalogs",
      DIFF,
    );
    expect(md.code).toBe(0);
    expect(readFileSync(join(dir, "w.md"), "utf8")).toContain("  - **2.2** Rollback");
  });

  it("item gives ancestors and children", async () => {
    const r = await cli("catalog", "item", "widget-baseline:2", "--json", "--catalogs", DIFF);
    const doc = JSON.parse(r.stdout);
    expect(doc.item.id).toBe("widget-baseline:2");
    expect(doc.ancestors).toEqual([]);
    expect(doc.children.map((c: { id: string }) => c.id)).toEqual([
      "widget-baseline:2.1",
      "widget-baseline:2.2",
    ]);
    const child = JSON.parse(
      (await cli("catalog", "item", "widget-baseline:2.2", "--json", "--catalogs", DIFF)).stdout,
    );
    expect(child.ancestors.map((a: { id: string }) => a.id)).toEqual(["widget-baseline:2"]);
  });

  it("an unknown item or catalog, or a bad option value, is exit 1 with a hint", async () => {
    const r = await cli("catalog", "item", "widget-baseline:9.9", "--catalogs", DIFF);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown item "widget-baseline:9.9" in widget-baseline@2.0');
    const u = await cli("catalog", "show", "widget-baseline", "--depth", "zero", "--catalogs", DIFF);
    expect(u.code).toBe(1);
    expect(u.stderr).toContain("--depth must be a positive whole number");
    const c = await cli("catalog", "show", "no-such-catalog");
    expect(c.code).toBe(1);
    expect(c.stderr).toContain('unknown catalog "no-such-catalog"');
  });

  it("search ranks and filters", async () => {
    const r = await cli(
      "catalog",
      "search",
      "rollback",
      "--json",
      "--catalogs",
      DIFF,
      "--catalog",
      "widget-baseline",
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)[0]).toMatchObject({
      id: "widget-baseline:2.2",
      kind: "element",
      title: "Rollback",
    });
  });

  it("validate: a valid file is exit 0, problems are exit 1 with file, line and item", async () => {
    const ok = await cli("catalog", "validate", fixture("catalogs", "diff", "widget-baseline@1.0.yaml"));
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("valid catalog widget-baseline@1.0, 6 items");
    const bad = await cli("catalog", "validate", fixture("catalogs", "bad", "structure.json"));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/structure\.json:16:14 items\[1\] \(ref 1\)\.ref: duplicate ref "1"/);
    expect(bad.stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace without --debug
    const json = await cli("catalog", "validate", fixture("catalogs", "bad", "cycle.json"), "--json");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      valid: false,
      problems: [{ message: "parent cycle: a -> c -> b -> a" }],
    });
    const missing = await cli("catalog", "validate", "/nonexistent/catalog.json");
    expect(missing.code).toBe(2);
  });

  it("diff two versions of a catalog by id@version or by file", async () => {
    const r = await cli(
      "catalog",
      "diff",
      "widget-baseline@1.0",
      "widget-baseline@2.0",
      "--json",
      "--catalogs",
      DIFF,
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      from: "widget-baseline@1.0",
      to: "widget-baseline@2.0",
      added: ["widget-baseline@2.0:2.2"],
      removed: ["widget-baseline@1.0:1.2"],
      changed: [{ ref: "1" }, { ref: "2.1" }],
      unchanged: 3,
    });
    const t = await cli(
      "catalog",
      "diff",
      fixture("catalogs", "diff", "widget-baseline@1.0.yaml"),
      fixture("catalogs", "diff", "widget-baseline@2.0.yaml"),
    );
    expect(t.stdout).toContain("1 added, 1 removed, 2 changed, 3 unchanged");
    expect(t.stdout).toContain('    props: {"modal":"should"} -> {"modal":"shall"}');
  });

  it("rejects an invalid catalog passed with --catalogs, naming it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cairn-"));
    writeFileSync(join(dir, "broken.json"), "{");
    const r = await cli("catalog", "list", "--catalogs", dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("broken.json:1:2: malformed JSON");
  });
});

describe("cairn docs", () => {
  it("prints the family as a table, mermaid, dot and json", async () => {
    const table = await cli("docs");
    expect(table.stdout).toMatch(/NISTIR 8259A\s+2020-05\s+Manufacturers/);
    expect(table.stdout).toMatch(/SP 800-213\s+cites\s+NISTIR 8259A/);
    const mermaid = await cli("docs", "--format", "mermaid");
    expect(mermaid.stdout).toContain("flowchart LR");
    expect(mermaid.stdout).toContain("nist_sp_800_213a -->|extends| nist_ir_8259a");
    const dot = await cli("docs", "--format", "dot");
    expect(dot.stdout).toContain('"nist_ir_8425" -> "nist_ir_8259a"'.replace(/_/g, "-"));
    const json = JSON.parse((await cli("docs", "--json")).stdout);
    expect(json.documents.length).toBeGreaterThanOrEqual(11);
    const bad = await cli("docs", "--format", "svg");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--format must be one of: table, mermaid, dot, json (got "svg")');
  });
});

describe("the built cairn command", () => {
  it("runs as a process with documented exit codes", () => {
    const ok = cliProcess("catalog", "list", "--json");
    expect(ok.code).toBe(0);
    expect(Array.isArray(JSON.parse(ok.stdout))).toBe(true);
    const usage = cliProcess("catalog", "frobnicate");
    expect(usage.code).toBe(2);
    const help = cliProcess("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(
      "Exit codes: 0 ok, 1 findings or invalid input, 2 usage errors, 3 internal error",
    );
  });
});
