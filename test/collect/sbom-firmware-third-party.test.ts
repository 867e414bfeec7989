import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CollectorReport } from "../../src/collect/contract.js";
import { analyseSbom } from "../../src/collect/sbom/analyse.js";
import { fixture } from "../helpers/cli.js";

// A firmware SBOM another tool wrote (test/fixtures/sbom/firmware/SOURCES.md): the uSWID tool's EDK II
// example. What Cairn reports is checked against what the file states, read here from the raw JSON.

const file = fixture("sbom", "firmware", "python-uswid-edk2.cdx.json");
const bytes = readFileSync(file);
const raw = JSON.parse(bytes.toString("utf8")) as {
  specVersion: string;
  metadata?: unknown;
  dependencies?: unknown;
  components: {
    type: string;
    name: string;
    version: string;
    cpe: string;
    supplier: { name: string };
    hashes?: unknown;
    licenses: { license: { id: string } }[];
  }[];
};

async function collect(): Promise<CollectorReport> {
  const info = { sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length };
  return analyseSbom({ bytes, info }, { date: "2026-10-01" });
}
const check = (r: CollectorReport, id: string) => r.checks.find((c) => c.id === id);

describe("third-party firmware SBOM: python-uswid's EDK II example", () => {
  const [edk2] = raw.components;

  it("is a valid CycloneDX 1.6 SBOM of one firmware component, as the file is", async () => {
    expect(raw.components).toHaveLength(1);
    expect(edk2?.type).toBe("firmware");
    const r = await collect();
    expect(r).toMatchObject({ kind: "sbom", format: `cyclonedx-${raw.specVersion}-json`, valid: true });
    expect(check(r, "sbom.schema")?.result).toBe("pass");
    expect(r.sbom).toMatchObject({ specVersion: raw.specVersion, componentCount: 1, dependencyCount: 0 });
  });

  it("finds what the file lacks: no metadata (described component, author, timestamp), no dependencies", async () => {
    expect(raw.metadata).toBeUndefined();
    expect(raw.dependencies).toBeUndefined();
    const r = await collect();
    expect((r.sbom as { primary?: unknown }).primary).toBeUndefined();
    for (const id of ["sbom.primary", "ntia.author", "ntia.timestamp", "ntia.dependencies"])
      expect(check(r, id)?.result, id).toBe("fail");
  });

  it("finds what the component states: supplier, name, version, CPE, an SPDX licence id, and no hash", async () => {
    expect(edk2?.supplier.name).toBe("EDK II developers");
    expect(edk2?.cpe).toMatch(/^cpe:2\.3:a:tianocore:edk2:/);
    expect(edk2?.licenses.map((l) => l.license.id)).toEqual(["BSD-2-Clause"]);
    expect(edk2?.hashes).toBeUndefined();
    const r = await collect();
    for (const id of ["ntia.supplier", "ntia.name", "ntia.version", "ntia.identifiers", "licence.ids"])
      expect(check(r, id)?.result, id).toBe("pass");
    expect(check(r, "hash.present")).toMatchObject({
      result: "warn",
      message: `1 of 1 components lack a hash (e.g. ${edk2?.name}@${edk2?.version})`,
    });
  });
});
