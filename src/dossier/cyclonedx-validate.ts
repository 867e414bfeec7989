import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { Problem } from "../core/problem.js";
import { schemaProblems } from "../core/schema-validation.js";

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

let cached: ValidateFunction | undefined;

/** The official CycloneDX 1.6 JSON schema as shipped by @cyclonedx/cyclonedx-library. */
function schemaDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("@cyclonedx/cyclonedx-library/package.json")), "res", "schema");
}

/**
 * The CycloneDX 1.6 JSON schema compiled once per process, with the SPDX licence and JSF
 * signature schemas it references (registered under the names the bom schema uses for them).
 */
export function cycloneDxValidator(): ValidateFunction {
  if (cached) return cached;
  const dir = schemaDir();
  const read = (f: string) => JSON.parse(readFileSync(join(dir, f), "utf8")) as Record<string, unknown>;
  const bom = read("bom-1.6.SNAPSHOT.schema.json");
  const base = "http://cyclonedx.org/schema/";
  const ajv = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  // Formats of draft 7 that ajv-formats leaves out; the bom schema uses them for URLs and e-mails.
  ajv.addFormat("iri-reference", true);
  ajv.addFormat("iri", true);
  ajv.addFormat("idn-email", true);
  for (const name of ["spdx.SNAPSHOT.schema.json", "jsf-0.82.SNAPSHOT.schema.json"]) {
    const s = read(name);
    // The bom schema refers to them by file name relative to its own $id.
    s.$id = `${base}${name}`;
    ajv.addSchema(s);
  }
  cached = ajv.compile(bom);
  return cached;
}

export function validateCycloneDx(doc: unknown, source: string): Problem[] {
  const validate = cycloneDxValidator();
  if (validate(doc)) return [];
  return schemaProblems(validate.errors ?? [], { source, limit: 50 });
}
