import { createRequire } from "node:module";

/**
 * The string length JSON Schema's `minLength`/`maxLength` count (code points), as the generated SBOM
 * validators call it (scripts/generate-sbom-validators.mjs). ajv's own function walks every string
 * character by character; a large SBOM has hundreds of thousands of ids and references under
 * `minLength: 1`. A string without surrogate code units (every one-byte string among them) has as
 * many code points as code units, which the engine's RegExp finds without a walk in script: only the
 * others go to ajv's function. src/collect/sbom/schema-lengths.test.ts compares both.
 */
const ajvUcs2length = createRequire(import.meta.url)("ajv/dist/runtime/ucs2length").default as (
  s: string,
) => number;

const SURROGATE = /[\uD800-\uDFFF]/;

export function ucs2length(s: string): number {
  return SURROGATE.test(s) ? ajvUcs2length(s) : s.length;
}
