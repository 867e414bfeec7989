import { readFileSync } from "node:fs";
import type { ValidateFunction } from "ajv";
import { bundledPath } from "../core/paths.js";
import type { Problem } from "../core/problem.js";
import { compileSchema } from "../core/schema-compile.js";
import { schemaProblems } from "../core/schema-validation.js";

export type OscalModel = "catalog" | "profile" | "assessment-results" | "component";

const cache = new Map<OscalModel, ValidateFunction>();

/** The official OSCAL 1.2.1 JSON schema for one model, compiled once per process. */
export function oscalValidator(model: OscalModel): ValidateFunction {
  let v = cache.get(model);
  if (!v) {
    const schema = JSON.parse(
      readFileSync(bundledPath("schemas", "oscal", `oscal_${model}_schema.json`), "utf8"),
    );
    // NIST's schemas use keywords and formats ajv's strict mode rejects; they are valid draft-07.
    v = compileSchema(schema, { strict: false, allowUnionTypes: true }, true);
    cache.set(model, v);
  }
  return v;
}

export function validateOscal(model: OscalModel, value: unknown, source: string, text?: string): Problem[] {
  const validate = oscalValidator(model);
  if (validate(value)) return [];
  return schemaProblems(validate.errors ?? [], { source, text, limit: 50 });
}
