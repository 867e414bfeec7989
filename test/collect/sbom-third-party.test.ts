import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CollectorReport } from "../../src/collect/contract.js";
import { analyseSbom, readSbom } from "../../src/collect/sbom/analyse.js";
import { purlTarget } from "../../src/collect/vulns/match.js";
import { fixture } from "../helpers/cli.js";

// SBOMs others wrote, shipped in npm packages (test/fixtures/sbom/SOURCES.md): what Cairn reports on
// each, checked against what the file itself states (read here from the raw JSON, apart from Cairn).

type Raw = {
  specVersion: string;
  serialNumber?: string;
  metadata: { timestamp: string; component: Record<string, unknown> };
  components?: Record<string, unknown>[];
  dependencies?: { ref: string; dependsOn?: string[] }[];
};

function load(file: string): { bytes: Buffer; raw: Raw } {
  const bytes = readFileSync(fixture("sbom", file));
  return { bytes, raw: JSON.parse(bytes.toString("utf8")) as Raw };
}

async function collect(bytes: Buffer, file: string): Promise<CollectorReport> {
  const info = { sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length, name: file };
  return analyseSbom({ bytes, info }, { date: "2026-10-01" });
}

const check = (r: CollectorReport, id: string) => r.checks.find((c) => c.id === id);
const SUPPLIER_FIELDS = ["supplier", "manufacturer", "author", "authors", "publisher"];

describe("third-party SBOM: @cyclonedx/yarn-plugin-cyclonedx 3.4.0 bom.json", () => {
  const file = "npm-yarn-plugin-cyclonedx-3.4.0.cdx.json";
  const { bytes, raw } = load(file);
  const all = [raw.metadata.component, ...(raw.components ?? [])];

  it("is a valid CycloneDX 1.7 SBOM of the plugin, as the file states", async () => {
    const r = await collect(bytes, file);
    expect(r).toMatchObject({ kind: "sbom", format: "cyclonedx-1.7-json", valid: true });
    expect(check(r, "sbom.schema")?.result).toBe("pass");
    expect(r.sbom).toMatchObject({
      specVersion: raw.specVersion,
      serialNumber: raw.serialNumber,
      timestamp: raw.metadata.timestamp,
      componentCount: raw.components?.length,
      dependencyCount: raw.dependencies?.length,
      primary: { name: "@cyclonedx/yarn-plugin-cyclonedx@3.4.0", type: "application" },
    });
    expect(raw.components).toHaveLength(18);
  });

  it("fails NTIA's supplier element for exactly the components that name none", async () => {
    const r = await collect(bytes, file);
    const without = all.filter((c) => !SUPPLIER_FIELDS.some((k) => k in c));
    expect(without.map((c) => `${c.name}@${c.version}`)).toEqual(["spdx-correct@3.2.0"]);
    expect(check(r, "ntia.supplier")).toMatchObject({
      result: "fail",
      message: `1 of ${all.length} components lack a supplier name (e.g. spdx-correct@3.2.0)`,
    });
    for (const id of ["ntia.name", "ntia.version", "ntia.identifiers", "ntia.dependencies", "ntia.timestamp"])
      expect(check(r, id)?.result, id).toBe("pass");
  });

  it("finds every reference resolving, no hash and only SPDX-listed licence ids, as in the file", async () => {
    const r = await collect(bytes, file);
    const refs = new Set(all.map((c) => c["bom-ref"]));
    const dangling = (raw.dependencies ?? [])
      .flatMap((d) => [d.ref, ...(d.dependsOn ?? [])])
      .filter((x) => !refs.has(x));
    expect(dangling).toEqual([]);
    expect(check(r, "ref.dependencies")?.result).toBe("pass");
    expect(check(r, "ref.duplicates")?.result).toBe("pass");
    expect(all.filter((c) => c.hashes !== undefined)).toEqual([]);
    expect(check(r, "hash.present")).toMatchObject({ result: "warn" });
    expect(check(r, "hash.present")?.message).toMatch(/^19 of 19 components lack a hash/);
    expect(check(r, "licence.ids")?.result).toBe("pass");
  });

  it("reads each real purl (percent-encoded scope, vcs_url qualifier) as its npm package", () => {
    const read = readSbom(raw);
    if ("error" in read) throw new Error(read.error);
    for (const c of read.doc.components) {
      const name = c.group ? `${c.group}/${c.name}` : c.name;
      expect(purlTarget(c.purl as string), c.purl).toMatchObject({
        key: `npm:${name}`,
        ecosystem: "npm",
        version: c.version,
      });
    }
  });
});

describe("third-party SBOM: rollup-plugin-sbom's own build SBOM", () => {
  for (const [file, spec, version] of [
    ["npm-rollup-plugin-sbom-3.2.3.cdx.json", "1.6", "3.2.3"],
    ["npm-rollup-plugin-sbom-4.0.0.cdx.json", "1.7", "4.0.0"],
  ] as const) {
    it(`${file}: valid CycloneDX ${spec}, describes the plugin and lists no components`, async () => {
      const { bytes, raw } = load(file);
      expect(raw.components).toEqual([]);
      const r = await collect(bytes, file);
      expect(r).toMatchObject({ format: `cyclonedx-${spec}-json`, valid: true });
      expect(check(r, "sbom.schema")?.result).toBe("pass");
      expect(check(r, "sbom.components")).toMatchObject({
        result: "fail",
        message: "the SBOM lists no components",
      });
      expect(check(r, "sbom.primary")).toMatchObject({
        result: "pass",
        message: `the SBOM describes rollup-plugin-sbom@${version}`,
      });
      // metadata.supplier gives a URL; the file has no serialNumber.
      expect(check(r, "bsi.sbom-creator")?.result).toBe("pass");
      expect(raw.serialNumber).toBeUndefined();
      expect(check(r, "bsi.sbom-uri")?.result).toBe("warn");
      expect(check(r, "lifecycle.phase")).toMatchObject({ result: "info", message: "SBOM lifecycle: build" });
      // Without components an SBOM proves no inventory: the CRA item is not passed.
      expect(r.proposals.find((p) => p.item === "eu-cra:annex-i.part-ii.1")?.verdict).not.toBe("pass");
    });
  }
});
