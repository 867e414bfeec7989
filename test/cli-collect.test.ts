import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { syntheticCycloneDx } from "../bench/sbom-gen.js";
import { runCollector } from "../src/collect/run.js";
import { cli, fixture } from "./helpers/cli.js";

const COMPLETE = fixture("sbom", "cyclonedx-1.5-hub-complete.cdx.json");
const FIRMWARE = fixture("sbom", "cyclonedx-1.6-thermostat-firmware.cdx.json");

describe("cairn collect", () => {
  it("--json prints exactly the contract's report and exits 0 for a valid SBOM with no failing check", async () => {
    const r = await cli(
      "collect",
      COMPLETE,
      "--json",
      "--model",
      "hub-firmware",
      "--release",
      "3.1.0",
      "--date",
      "2026-06-01",
    );
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report).slice(0, 7)).toEqual([
      "kind",
      "format",
      "valid",
      "checks",
      "proposals",
      "input",
      "tool",
    ]);
    expect(report).toMatchObject({
      kind: "sbom",
      format: "cyclonedx-1.5-json",
      valid: true,
      input: { name: "cyclonedx-1.5-hub-complete.cdx.json" },
    });
    expect(report.input.sha256).toMatch(/^[0-9a-f]{64}$/);
    for (const c of report.checks)
      expect(Object.keys(c).every((k) => ["id", "result", "message", "location"].includes(k))).toBe(true);
    for (const p of report.proposals) expect(p.item).toMatch(/^[a-z0-9-]+:[A-Za-z0-9.()-]+$/);
  });

  it("exits 1 on failing checks and prints a readable report", async () => {
    const r = await cli("collect", "sbom", FIRMWARE);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^cyclonedx-1\.6-thermostat-firmware\.cdx\.json: sbom cyclonedx-1\.6-json, valid/,
    );
    expect(r.stdout).toMatch(/FAIL\s+ntia\.identifiers/);
    expect(r.stdout).toContain("proposals (a person decides");
  });

  it("exits 1 for invalid input and 2 for usage errors", async () => {
    expect((await cli("collect", fixture("sbom", "truncated.cdx.json"))).code).toBe(1);
    const unknown = await cli("collect", "blueprint", COMPLETE);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown collector kind "blueprint"');
    expect((await cli("collect")).code).toBe(2);
    // A bad option value is invalid input (exit 1), as everywhere in the CLI.
    expect((await cli("collect", COMPLETE, "--timeout-s", "zero")).code).toBe(1);
    const missing = await cli("collect", "sbom", "/nonexistent/sbom.json");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no file to read at /nonexistent/sbom.json: check the path");
    expect(missing.stderr).not.toMatch(/ENOENT/);
  });

  it("says what it cannot detect", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "cairn-collect-")), "notes.txt");
    writeFileSync(file, "hello");
    const r = await cli("collect", file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("cannot tell what kind of input notes.txt is");
  });

  it("feeds import / list, then collect vulns with VEX files", async () => {
    const data = mkdtempSync(join(tmpdir(), "cairn-feeds-"));
    const imp = await cli("feeds", "import", fixture("vulns", "feeds"), "--data", data, "--json");
    // One OSV record of the fixtures has no id: what is good is imported, exit 1 for the rejected one.
    expect(imp.code).toBe(1);
    expect(
      JSON.parse(imp.stdout).imports.map((i: { kind: string; records: number }) => [i.kind, i.records]),
    ).toEqual([
      ["kev", 2],
      ["nvd", 2],
      ["osv", 4],
    ]);
    const list = await cli("feeds", "list", "--data", data);
    expect(list.stdout).toMatch(/kev\s+known_exploited_vulnerabilities\.json\s+2\s+2026-09-30/);
    const v = await cli(
      "collect",
      "vulns",
      FIRMWARE,
      "--feeds",
      data,
      "--vex",
      fixture("vulns", "vex", "openvex-requests.json"),
      "--date",
      "2026-10-01",
    );
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/FAIL\s+vulns\.kev\s+2 known exploited vulnerabilities/);
    expect(v.stdout).toMatch(
      /requests@2\.31\.0\s+GHSA-9wx4-h78v-vm56 CVE-2024-35195\s+purl\s+not_affected\s+not_affected \(openvex\)/,
    );
    const none = await cli("collect", "vulns", FIRMWARE, "--feeds", join(data, "nope"));
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("no feeds folder");
  });
});

describe("collector limits", () => {
  const context = { date: "2026-10-01" };
  it("refuses an input over the size limit before reading it", async () => {
    const r = await runCollector({ kind: "sbom", file: COMPLETE, context, limits: { maxInputBytes: 100 } });
    expect(r).toMatchObject({ ok: false, failure: { code: "input-too-large" } });
    if (!r.ok) expect(r.failure.message).toContain("--max-input-mb");
  });

  it("stops a run that passes the time limit", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "cairn-big-")), "big.cdx.json");
    writeFileSync(file, JSON.stringify(syntheticCycloneDx(20_000)));
    const r = await runCollector({ kind: "sbom", file, context, limits: { timeoutMs: 50 } });
    expect(r).toMatchObject({ ok: false, failure: { code: "timeout" } });
    if (!r.ok) expect(r.failure.message).toContain("--timeout-s");
  });

  it("stops a run that needs more heap than allowed", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "cairn-big-")), "big.cdx.json");
    writeFileSync(file, JSON.stringify(syntheticCycloneDx(60_000)));
    const r = await runCollector({ kind: "sbom", file, context, limits: { maxHeapMb: 16 } });
    expect(r).toMatchObject({ ok: false, failure: { code: "heap" } });
    if (!r.ok) expect(r.failure.message).toContain("--max-heap-mb");
  }, 60_000);

  it("runs within the limits and reports the detected kind", async () => {
    const r = await runCollector({ file: COMPLETE, context });
    expect(r.ok && r.kind).toBe("sbom");
    expect(r.ok && r.report.input.bytes).toBe(readFileSync(COMPLETE).length);
  });
});
