import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { analyseSbom } from "../../src/collect/sbom/analyse.js";
import { validateAgainstSchema } from "../../src/collect/sbom/validate.js";
import { fixture } from "../helpers/cli.js";

// The CycloneDX specification's own JSON test vectors (test/fixtures/sbom/cyclonedx-spec/SOURCES.md):
// each file's name states the verdict its version's schema gives (valid-*/invalid-*), and the
// official library's strict validator is the reference implementation of that schema. Cairn's
// validator must agree with both on every vector.
const require = createRequire(import.meta.url);
const { Validation } = require("@cyclonedx/cyclonedx-library") as {
  Validation: { JsonStrictValidator: new (v: string) => { validate(text: string): Promise<unknown> } };
};

const VERSIONS = ["1.4", "1.5", "1.6", "1.7"] as const;
const DIR = fixture("sbom", "cyclonedx-spec");

// One library validator per version: compiling a schema costs far more than validating a vector.
const libraryValidators = new Map<string, { validate(text: string): Promise<unknown> }>();
function library(version: string) {
  let v = libraryValidators.get(version);
  if (!v) {
    v = new Validation.JsonStrictValidator(version);
    libraryValidators.set(version, v);
  }
  return v;
}

const vectors = VERSIONS.flatMap((version) =>
  readdirSync(`${DIR}/${version}`)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => ({ version, file, named: file.startsWith("valid-") })),
);

/** Components at any depth of the document's `components` (nested `components` included). */
function countComponents(list: unknown): number {
  if (!Array.isArray(list)) return 0;
  let n = 0;
  for (const c of list) n += 1 + countComponents((c as { components?: unknown }).components);
  return n;
}

describe("CycloneDX specification test vectors", () => {
  it("are all there, each named valid- or invalid-", () => {
    // The counts of the specification commit SOURCES.md names: a lost file would shrink the checks silently.
    expect(VERSIONS.map((v) => vectors.filter((x) => x.version === v).length)).toEqual([51, 58, 70, 90]);
    expect(vectors.filter((x) => !x.named && !x.file.startsWith("invalid-"))).toEqual([]);
    expect(vectors.filter((x) => x.named)).toHaveLength(171);
  });

  for (const version of VERSIONS) {
    it(`${version}: Cairn's schema verdict is the file name's and the library's on every vector`, async () => {
      const disagreements: string[] = [];
      for (const { file, named } of vectors.filter((x) => x.version === version)) {
        const text = readFileSync(`${DIR}/${version}/${file}`, "utf8");
        const ours = await validateAgainstSchema(`cyclonedx-${version}`, JSON.parse(text));
        const theirs = (await library(version).validate(text)) === null;
        if (ours.valid !== named || ours.valid !== theirs)
          disagreements.push(
            `${file}: name ${named}, library ${theirs}, Cairn ${ours.valid} ${ours.error?.location ?? ""} ${ours.error?.message ?? ""}`,
          );
      }
      expect(disagreements).toEqual([]);
    }, 60_000);
  }

  const valid = vectors.filter((x) => x.named);
  it.each(valid.map((x) => [`${x.version}/${x.file}`, x.version, x.file] as const))(
    "analyses %s as a valid SBOM without throwing",
    async (_label, version, file) => {
      const bytes = readFileSync(`${DIR}/${version}/${file}`);
      const raw = JSON.parse(bytes.toString("utf8")) as {
        specVersion: string;
        serialNumber?: string;
        components?: unknown[];
        dependencies?: unknown[];
      };
      const info = {
        sha256: createHash("sha256").update(bytes).digest("hex"),
        bytes: bytes.length,
        name: file,
      };
      const r = await analyseSbom({ bytes, info }, { date: "2026-10-01" });
      expect(r).toMatchObject({ kind: "sbom", format: `cyclonedx-${version}-json`, valid: true });
      expect(r.checks.find((c) => c.id === "sbom.schema")?.result).toBe("pass");
      // What the report says of the document is what the document holds.
      expect(r.sbom).toMatchObject({
        family: "cyclonedx",
        specVersion: raw.specVersion,
        componentCount: countComponents(raw.components),
        dependencyCount: raw.dependencies?.length ?? 0,
        ...(raw.serialNumber ? { serialNumber: raw.serialNumber } : {}),
      });
    },
  );
});
