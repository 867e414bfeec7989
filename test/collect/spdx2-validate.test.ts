import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { describe, expect, it } from "vitest";
import { prng } from "../../bench/fuzz-inputs.js";
import type { CollectorReport } from "../../src/collect/contract.js";
import { analyseSbom } from "../../src/collect/sbom/analyse.js";
import { validateAgainstSchema } from "../../src/collect/sbom/validate.js";
import { fixture } from "../helpers/cli.js";

// The official SPDX 2.2 and 2.3 JSON schemas (schemas/third-party/, spdx-spec v2.2.2 and v2.3) and
// the official examples (test/fixtures/sbom/spdx-spec-example-*, SOURCES.md). The reference for our
// generated validators is ajv compiling the same schema at run time with the same options.

type Json = Record<string, unknown>;
const text = (file: string) => readFileSync(fixture("sbom", file), "utf8");
const example = (v: string): Json => JSON.parse(text(`spdx-spec-example-v${v}.spdx.json`)) as Json;
const schema = (v: string): Json =>
  JSON.parse(
    readFileSync(new URL(`../../schemas/third-party/spdx-${v}.schema.json`, import.meta.url), "utf8"),
  );

async function collect(doc: unknown): Promise<CollectorReport> {
  const bytes = Buffer.from(JSON.stringify(doc), "utf8");
  const info = { sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length };
  return analyseSbom({ bytes, info }, { date: "2026-10-01" });
}
const check = (r: CollectorReport, id: string) => r.checks.find((c) => c.id === id);

const runtime = new Map<string, ValidateFunction>();
function runtimeValidate(v: string, doc: unknown): { valid: boolean; first?: ErrorObject } {
  let validate = runtime.get(v);
  if (!validate) {
    validate = new Ajv({ strict: false, strictSchema: false, allErrors: false }).compile(schema(v));
    runtime.set(v, validate);
  }
  const valid = validate(doc);
  return { valid, ...(validate.errors?.[0] ? { first: validate.errors[0] } : {}) };
}

const REPLACEMENTS: unknown[] = [
  null,
  7,
  "",
  "NOASSERTION",
  "OTHER",
  "DEPENDS_ON",
  "SHA256",
  true,
  [],
  {},
  ["x"],
  { extra: 1 },
];

/** One edit at a random node: delete a key, replace a value, add a property, or repeat an array item. */
function mutate(doc: Json, r: () => number): Json {
  const out = structuredClone(doc);
  let node: unknown = out;
  for (;;) {
    const o = node as Record<string | number, unknown>;
    const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(o);
    if (keys.length === 0) return out;
    const k = keys[Math.floor(r() * keys.length)] as string | number;
    const child = o[k];
    const descend = child !== null && typeof child === "object" && r() < 0.75;
    if (descend) {
      node = child;
      continue;
    }
    const op = Math.floor(r() * 4);
    if (op === 0 && !Array.isArray(node)) delete o[k];
    else if (op === 1 && !Array.isArray(node)) o[`x${Math.floor(r() * 10)}`] = child;
    else if (op === 2 && Array.isArray(node)) node.push(structuredClone(child));
    else o[k] = REPLACEMENTS[Math.floor(r() * REPLACEMENTS.length)];
    return out;
  }
}

describe("SPDX 2 validation against the official schemas", () => {
  it.each(["2.2", "2.3"])("the official SPDX %s example is valid against its schema", async (v) => {
    expect(await validateAgainstSchema(`spdx-${v}`, example(v))).toMatchObject({ valid: true });
    expect(runtimeValidate(v, example(v)).valid).toBe(true);
    const r = await collect(example(v));
    expect(r).toMatchObject({ format: `spdx-${v}-json`, valid: true });
    expect(check(r, "sbom.schema")?.result).toBe("pass");
    expect(check(r, "spdx.required")?.result).toBe("pass");
  });

  it("our SPDX 2.3 fixture is valid against the 2.3 schema", async () => {
    expect(
      await validateAgainstSchema("spdx-2.3", JSON.parse(text("spdx-2.3-gateway.spdx.json"))),
    ).toMatchObject({ valid: true });
  });

  it("the two schemas spell the package manager category differently (2.2 PACKAGE_MANAGER, 2.3 PACKAGE-MANAGER)", async () => {
    // The 2.2 example, relabelled 2.3, fails the 2.3 schema at its one purl reference: a real
    // difference between the official schemas, not one of ours.
    const doc = { ...example("2.2"), spdxVersion: "SPDX-2.3" };
    const r = await collect(doc);
    expect(check(r, "sbom.schema")).toMatchObject({
      result: "fail",
      location: "/packages/2/externalRefs/0/referenceCategory",
    });
    expect(check(r, "sbom.schema")?.message).toContain(
      'must be one of "OTHER", "PERSISTENT-ID", "SECURITY", "PACKAGE-MANAGER"',
    );
    expect(r.valid).toBe(false);
  });

  const invalid: [string, string, (d: Json) => void, string, string][] = [
    ["2.3", "a missing required field", (d) => delete d.name, "/", "must have required property 'name'"],
    [
      "2.2",
      "a missing required field inside a package",
      (d) => delete (d.packages as Json[])[1]?.downloadLocation,
      "/packages/1",
      "must have required property 'downloadLocation'",
    ],
    [
      "2.3",
      "a wrong type",
      (d) => {
        ((d.packages as Json[])[0] as Json).filesAnalyzed = "yes";
      },
      "/packages/0/filesAnalyzed",
      "must be boolean",
    ],
    [
      "2.2",
      "a bad enum value",
      (d) => {
        ((d.relationships as Json[])[0] as Json).relationshipType = "FRIEND_OF";
      },
      "/relationships/0/relationshipType",
      "must be equal to one of the allowed values",
    ],
    [
      "2.3",
      "a bad enum value",
      (d) => {
        ((d.annotations as Json[])[0] as Json).annotationType = "NOTE";
      },
      "/annotations/0/annotationType",
      'must be one of "OTHER", "REVIEW"',
    ],
    [
      "2.3",
      "a property the schema does not know",
      (d) => {
        d.documentVersion = "1";
      },
      "/",
      'has property "documentVersion", which the schema does not allow',
    ],
  ];
  it.each(invalid)("SPDX %s: %s fails with its location", async (v, _name, change, location, message) => {
    const doc = example(v);
    change(doc);
    const r = await collect(doc);
    expect(r.valid).toBe(false);
    expect(check(r, "sbom.schema")).toMatchObject({ result: "fail", location });
    expect(check(r, "sbom.schema")?.message).toContain(message);
    expect(runtimeValidate(v, doc).valid).toBe(false);
  });

  it("spdx.required still catches what the schemas do not check", async () => {
    const doc = example("2.3");
    delete doc.documentNamespace;
    doc.dataLicense = "MIT";
    const r = await collect(doc);
    expect(check(r, "sbom.schema")?.result).toBe("pass");
    expect(check(r, "spdx.required")).toMatchObject({
      result: "fail",
      message: 'mandatory SPDX 2 document fields missing or wrong: documentNamespace, dataLicense "CC0-1.0"',
    });
    expect(r.valid).toBe(false);
  });

  it("an SPDX 2 version without a bundled schema is checked for its mandatory fields only", async () => {
    const r = await collect({ ...example("2.2"), spdxVersion: "SPDX-2.1" });
    expect(r.format).toBe("spdx-2.1-json");
    expect(check(r, "sbom.schema")).toMatchObject({
      result: "warn",
      location: "/spdxVersion",
      message:
        "no official JSON schema for SPDX 2.1 is bundled (SPDX 2.2, 2.3 and 3.0.1 are): only the mandatory fields were checked (docs/collectors.md)",
    });
    expect(check(r, "spdx.required")?.result).toBe("pass");
    expect(r.valid).toBe(true);
  });

  it.each(["2.2", "2.3"])(
    "SPDX %s: same verdict and first error as ajv compiling the schema at run time, on 400 mutations",
    async (v) => {
      const r = prng(v === "2.2" ? 22 : 23);
      const base = example(v);
      let valid = 0;
      let invalidCount = 0;
      for (let i = 0; i < 400; i++) {
        const doc = mutate(base, r);
        const ours = await validateAgainstSchema(`spdx-${v}`, doc);
        const ref = runtimeValidate(v, doc);
        expect(ours.valid, JSON.stringify(ref.first)).toBe(ref.valid);
        if (ref.first) expect(ours.error?.location).toBe(ref.first.instancePath || "/");
        if (ref.valid) valid++;
        else invalidCount++;
      }
      // Both verdicts occur often enough for the comparison to mean something.
      expect(valid).toBeGreaterThan(40);
      expect(invalidCount).toBeGreaterThan(40);
    },
    60_000,
  );
});
