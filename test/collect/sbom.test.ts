import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CollectorContext, CollectorReport } from "../../src/collect/contract.js";
import { analyseSbom } from "../../src/collect/sbom/analyse.js";
import { sbomCollector } from "../../src/collect/sbom/collector.js";
import { fixture } from "../helpers/cli.js";

async function collect(file: string, context: Partial<CollectorContext> = {}): Promise<CollectorReport> {
  const bytes = readFileSync(fixture("sbom", file));
  const info = { sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length, name: file };
  return analyseSbom({ bytes, info }, { date: "2026-10-01", ...context });
}

const result = (r: CollectorReport, id: string) => r.checks.find((c) => c.id === id)?.result;
const ids = new Set(sbomCollector.checks.map((c) => c.id));

describe("SBOM collector", () => {
  it("reads a CycloneDX 1.6 firmware SBOM: schema, NTIA, integrity, CBOM and FIPS claims", async () => {
    const r = await collect("cyclonedx-1.6-thermostat-firmware.cdx.json", {
      product: { manufacturer: "Northwind Controls", model: "thermo-os" },
      release: { version: "4.2.0", supportEnd: "2031-12-31" },
    });
    expect(r).toMatchObject({ kind: "sbom", format: "cyclonedx-1.6-json", valid: true });
    expect(result(r, "sbom.schema")).toBe("pass");
    expect(result(r, "sbom.product")).toBe("pass");
    expect(result(r, "ntia.supplier")).toBe("pass");
    // The radio blob has no purl, CPE or SWID: NTIA's "other unique identifiers" fails.
    expect(r.checks.find((c) => c.id === "ntia.identifiers")).toMatchObject({
      result: "fail",
      location: "/components/5",
    });
    expect(result(r, "ntia.dependencies")).toBe("pass");
    expect(result(r, "lifecycle.support-end")).toBe("pass");
    expect(result(r, "cbom.weak-algorithms")).toBe("warn");
    expect(result(r, "cbom.fips140-3")).toBe("pass");
    expect(result(r, "hash.strength")).toBe("warn");
    expect(r.tags).toEqual(["sbom", "cbom", "fips-140-3"]);
    expect(r.proposals.find((p) => p.item === "eu-cra:annex-i.part-ii.1")).toMatchObject({
      verdict: "inconclusive",
      strength: "supports",
    });
    expect(r.proposals.find((p) => p.item === "nist-ir-8259a:3.1")).toMatchObject({
      verdict: "pass",
      strength: "supports",
    });
    for (const c of r.checks) expect(ids.has(c.id), c.id).toBe(true);
  });

  it("a complete SBOM for the release assessed supports CRA Annex I Part II (1)", async () => {
    const r = await collect("cyclonedx-1.5-hub-complete.cdx.json", {
      product: { manufacturer: "Northwind Controls", model: "hub-firmware" },
      release: { version: "3.1.0" },
    });
    expect(r.valid).toBe(true);
    expect(r.checks.filter((c) => c.result === "fail")).toEqual([]);
    expect(r.proposals.find((p) => p.item === "eu-cra:annex-i.part-ii.1")).toMatchObject({
      verdict: "pass",
      strength: "supports",
    });
    expect(r.proposals.find((p) => p.item === "nist-ir-8425:P1.2")).toMatchObject({ verdict: "pass" });
    // CycloneDX 1.5 is below TR-03183-2 v2.1.0's minimum: a warning, not a failure.
    expect(result(r, "bsi.format")).toBe("warn");
  });

  it("notices an SBOM of another release", async () => {
    const r = await collect("cyclonedx-1.5-hub-complete.cdx.json", {
      product: { manufacturer: "Northwind Controls", model: "hub-firmware" },
      release: { version: "3.2.0" },
    });
    expect(r.checks.find((c) => c.id === "sbom.product")?.message).toContain('is not the release "3.2.0"');
    expect(r.proposals.find((p) => p.item === "eu-cra:annex-i.part-ii.1")?.verdict).toBe("inconclusive");
  });

  it.each([
    ["cyclonedx-1.4-hub.cdx.json", "cyclonedx-1.4-json"],
    ["cyclonedx-1.7-hub.cdx.json", "cyclonedx-1.7-json"],
    ["spdx-3.0.1-sensor.spdx3.json", "spdx-3.0.1-jsonld"],
  ])("validates %s against its official schema", async (file, format) => {
    const r = await collect(file);
    expect(r.format).toBe(format);
    expect(result(r, "sbom.schema")).toBe("pass");
    expect(r.valid).toBe(true);
  });

  it("reads SPDX 2.3: packages, DESCRIBES, CONTAINS/DEPENDS_ON, creators with contacts", async () => {
    const r = await collect("spdx-2.3-gateway.spdx.json");
    expect(r).toMatchObject({ format: "spdx-2.3-json", valid: true });
    expect(result(r, "spdx.required")).toBe("pass");
    expect(r.checks.find((c) => c.id === "sbom.schema")).toMatchObject({
      result: "pass",
      message: "valid against the SPDX 2.3 JSON schema (spdx-spec v2.3, schemas/spdx-schema.json)",
    });
    expect(r.sbom).toMatchObject({ primary: { name: "edge-gateway-image@1.8.2" }, componentCount: 3 });
    expect(result(r, "ntia.dependencies")).toBe("pass");
    expect(result(r, "bsi.sbom-creator")).toBe("pass");
    expect(result(r, "ref.dependencies")).toBe("pass");
  });

  it("finds duplicate ids, dangling dependency references and hashes of the wrong length", async () => {
    const r = await collect("broken-references.cdx.json");
    expect(r.valid).toBe(true);
    expect(r.checks.find((c) => c.id === "ref.duplicates")).toMatchObject({
      result: "fail",
      location: "/components/1/bom-ref",
    });
    expect(r.checks.find((c) => c.id === "ref.dependencies")).toMatchObject({
      result: "fail",
      location: "/dependencies/0/dependsOn/1",
    });
    expect(r.checks.find((c) => c.id === "hash.format")).toMatchObject({
      result: "fail",
      location: "/components/1",
    });
  });

  it("points a dangling reference at its place in the document, past entries that are not strings", async () => {
    const doc = JSON.parse(readFileSync(fixture("sbom", "broken-references.cdx.json"), "utf8"));
    doc.dependencies[0].dependsOn.unshift(7, { ref: "x" });
    const bytes = Buffer.from(JSON.stringify(doc));
    const r = await analyseSbom(
      { bytes, info: { sha256: "x", bytes: bytes.length } },
      { date: "2026-10-01" },
    );
    expect(r.valid).toBe(false);
    expect(r.checks.find((c) => c.id === "ref.dependencies")).toMatchObject({
      result: "fail",
      location: "/dependencies/0/dependsOn/3",
    });
  });

  it("names each author once, and does not pass dependencies vacuously when there are no components", async () => {
    // rollup-plugin-sbom 3.2.3 names vite, rollup and rolldown both as tools and as tool components.
    const r = await collect("npm-rollup-plugin-sbom-3.2.3.cdx.json");
    expect(r.checks.find((c) => c.id === "ntia.author")?.message).toBe("SBOM author: vite, rollup, rolldown");
    expect((r.sbom as { authors: string[] }).authors).toEqual(["vite", "rollup", "rolldown"]);
    expect(r.checks.find((c) => c.id === "sbom.components")?.result).toBe("fail");
    expect(r.checks.find((c) => c.id === "ntia.dependencies")).toMatchObject({
      result: "info",
      message: "the SBOM lists no components: there are no dependency relationships to check",
    });
  });

  it("rejects a repeated component as the schema's uniqueItems does", async () => {
    const r = await collect("invalid-duplicate-component.cdx.json");
    expect(r.valid).toBe(false);
    expect(r.checks.find((c) => c.id === "sbom.schema")?.message).toContain(
      "must NOT have duplicate items (items ## 1 and 2 are identical)",
    );
    expect(r.proposals[0]).toMatchObject({ item: "eu-cra:annex-i.part-ii.1", verdict: "fail" });
  });

  it("reports truncated input and unsupported versions without throwing", async () => {
    const t = await collect("truncated.cdx.json");
    expect(t).toMatchObject({ valid: false, format: "unknown" });
    expect(t.checks[0]).toMatchObject({ id: "sbom.json", result: "fail" });
    const u = await collect("unsupported-1.3.cdx.json");
    expect(u.checks.find((c) => c.id === "sbom.format")).toMatchObject({
      result: "fail",
      location: "/specVersion",
    });
  });

  it("detects SBOMs from their first bytes", () => {
    const head = (f: string) => readFileSync(fixture("sbom", f)).subarray(0, 4096);
    expect(sbomCollector.detect(head("cyclonedx-1.5-hub-complete.cdx.json"), "x.json")).toBeGreaterThan(0.5);
    expect(sbomCollector.detect(head("spdx-2.3-gateway.spdx.json"), undefined)).toBeGreaterThan(0.5);
    expect(sbomCollector.detect(head("spdx-3.0.1-sensor.spdx3.json"), undefined)).toBeGreaterThan(0.5);
    expect(sbomCollector.detect(new TextEncoder().encode('{"hello": 1}'), "notes.txt")).toBe(0);
  });
});
