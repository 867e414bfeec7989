import { Ajv, type Options, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

// Runtime schema compilation, for large schemas used by one command (OSCAL). The project's own
// schemas are compiled at build time (scripts/generate-validators.mjs) so that starting up does
// not import ajv at all.

/** Compiles a JSON Schema once; validation is then a plain function call. */
export function compileSchema<T>(
  schema: object,
  options: Options = {},
  formats = false,
): ValidateFunction<T> {
  const ajv = new Ajv({ allErrors: true, strict: true, ...options });
  if (formats) addFormats(ajv);
  return ajv.compile<T>(schema);
}

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;
