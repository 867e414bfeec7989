/** Synthetic CycloneDX SBOMs of any size, for comparison tests and benchmarks (not for verdicts on real data). */
export function syntheticCycloneDx(components: number, specVersion = "1.6"): Record<string, unknown> {
  const list: Record<string, unknown>[] = [];
  for (let i = 0; i < components; i++) {
    const version = `${1 + (i % 9)}.${i % 50}.${i % 7}`;
    list.push({
      type: "library",
      "bom-ref": `pkg:npm/pkg-${i}@${version}`,
      supplier: { name: `Supplier ${i % 97}` },
      name: `pkg-${i}`,
      version,
      purl: `pkg:npm/pkg-${i}@${version}`,
      hashes: [{ alg: "SHA-256", content: i.toString(16).padStart(8, "0").repeat(8) }],
      licenses: [{ license: { id: i % 3 === 0 ? "MIT" : "Apache-2.0" } }],
    });
  }
  return {
    bomFormat: "CycloneDX",
    specVersion,
    serialNumber: "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
    version: 1,
    metadata: {
      timestamp: "2026-01-01T00:00:00Z",
      authors: [{ name: "bench", email: "bench@example.com" }],
      component: {
        type: "firmware",
        "bom-ref": "root",
        name: "fw",
        version: "1.0",
        supplier: { name: "ACME" },
        purl: "pkg:generic/acme/fw@1.0",
      },
    },
    components: list,
    dependencies: [
      { ref: "root", dependsOn: list.map((c) => c["bom-ref"]) },
      ...list.map((c, i) => ({
        ref: c["bom-ref"],
        dependsOn: i + 1 < list.length && i % 10 === 0 ? [list[i + 1]?.["bom-ref"]] : [],
      })),
    ],
  };
}

/**
 * Advisories against the synthetic components' npm packages: several per package name across the
 * first `packages` names, each with ECOSYSTEM or SEMVER ranges (some affecting the synthetic
 * versions, most not), plus records for packages no component has.
 */
export function syntheticAdvisories(
  count: number,
  packages: number,
): import("../src/collect/vulns/model.js").Advisory[] {
  const out: import("../src/collect/vulns/model.js").Advisory[] = [];
  for (let i = 0; i < count; i++) {
    const pkg = i % 3 === 0 ? `unrelated-${i}` : `pkg-${i % packages}`;
    const major = 1 + (i % 9);
    out.push({
      id: `GHSA-bench-${i}`,
      aliases: [`CVE-2099-${String(i).padStart(6, "0")}`],
      source: "osv",
      modified: "2026-01-01T00:00:00Z",
      affected: [
        {
          ecosystem: "npm",
          name: pkg,
          ranges: [
            {
              type: i % 2 ? "SEMVER" : "ECOSYSTEM",
              events: [{ introduced: `${major}.0.0` }, { fixed: `${major}.${(i * 7) % 50}.0` }],
            },
          ],
          versions: [],
        },
      ],
    });
  }
  return out;
}
