import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { syntheticCycloneDx } from "../../bench/sbom-gen.js";
import { validateAgainstSchema } from "../../src/collect/sbom/validate.js";
import { fixture } from "../helpers/cli.js";

// The official library's strict validator is the reference: same schema, same formats, quadratic
// uniqueItems. Ours must give the same verdict on every input, only faster.
const require = createRequire(import.meta.url);
const { Validation } = require("@cyclonedx/cyclonedx-library") as {
  Validation: { JsonStrictValidator: new (v: string) => { validate(text: string): Promise<unknown> } };
};

const libraryValidators = new Map<string, { validate(text: string): Promise<unknown> }>();
async function libraryVerdict(version: string, text: string): Promise<boolean> {
  let v = libraryValidators.get(version);
  if (!v) {
    v = new Validation.JsonStrictValidator(version);
    libraryValidators.set(version, v);
  }
  return (await v.validate(text)) === null;
}

async function ourVerdict(version: string, text: string): Promise<boolean> {
  return (await validateAgainstSchema(`cyclonedx-${version}`, JSON.parse(text))).valid;
}

type Doc = Record<string, unknown> & {
  components: Record<string, unknown>[];
  dependencies: { ref: string; dependsOn: string[] }[];
};

describe("CycloneDX validation: same verdicts as @cyclonedx/cyclonedx-library", () => {
  const dir = fixture("sbom");
  const files = readdirSync(dir).filter((f) => f.endsWith(".cdx.json"));
  it.each(files)("fixture %s", async (file) => {
    const text = readFileSync(`${dir}/${file}`, "utf8");
    let version: string;
    try {
      version = (JSON.parse(text) as { specVersion: string }).specVersion;
    } catch {
      return expect(() => JSON.parse(text)).toThrow();
    }
    if (!["1.4", "1.5", "1.6", "1.7"].includes(version)) return;
    expect(await ourVerdict(version, text)).toBe(await libraryVerdict(version, text));
  });

  // Mid-sized inputs, where the library still finishes in seconds: valid, and one defect each.
  const variants: [string, (d: Doc) => void, boolean][] = [
    ["valid", () => {}, true],
    [
      "a component repeated (uniqueItems)",
      (d) => d.components.push(structuredClone(d.components[300] as Record<string, unknown>)),
      false,
    ],
    [
      "a dependsOn entry repeated (uniqueItems on strings)",
      (d) => d.dependencies[0]?.dependsOn.push(d.dependencies[0].dependsOn[5] as string),
      false,
    ],
    [
      "equal components with keys in another order",
      (d) => d.components.push(Object.fromEntries(Object.entries(d.components[7] as object).reverse())),
      false,
    ],
    [
      "near-duplicate components (one hash differs)",
      (d) => {
        const c = structuredClone(d.components[9] as Record<string, unknown>);
        (c.hashes as { content: string }[])[0] = { alg: "SHA-256", content: "0".repeat(64) } as never;
        d.components.push(c);
      },
      true,
    ],
    [
      "a wrong enum value deep inside",
      (d) => ((d.components[400] as Record<string, unknown>).type = "gadget"),
      false,
    ],
    [
      "a bad date-time",
      (d) => ((d.metadata as Record<string, unknown>).timestamp = "2026-13-01T00:00:00Z"),
      false,
    ],
  ];
  it.each(variants)(
    "%s (600 components)",
    async (_name, change, expected) => {
      const doc = syntheticCycloneDx(600) as Doc;
      change(doc);
      const text = JSON.stringify(doc);
      const lib = await libraryVerdict("1.6", text);
      expect(lib).toBe(expected);
      expect(await ourVerdict("1.6", text)).toBe(lib);
    },
    60_000,
  );
});
