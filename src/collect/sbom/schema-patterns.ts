/**
 * The `pattern`s of the bundled SBOM schemas, as the generated validators build them
 * (scripts/generate-sbom-validators.mjs). Each is a RegExp, except the few that are tested once per
 * component or hash of a large SBOM and that V8 runs slowly: these get a hand-written test that
 * accepts exactly the strings the expression accepts (src/collect/sbom/schema-patterns.test.ts
 * compares both on random and edge-case strings).
 */
export interface SchemaPattern {
  test(s: string): boolean;
}

// One class, no alternation: the engine scans it in native code without backing off (measured 2.4x
// faster than a loop over the characters in script on 64-digit values).
const HEX = /^[0-9a-fA-F]*$/;

/**
 * CycloneDX `hash-content` (1.4 to 1.7): 32, 40, 64, 96 or 128 hex digits. The alternation makes the
 * engine match and back off up to four times per value.
 */
const HASH_CONTENT = "^([a-fA-F0-9]{32}|[a-fA-F0-9]{40}|[a-fA-F0-9]{64}|[a-fA-F0-9]{96}|[a-fA-F0-9]{128})$";
const HASH_LENGTHS = new Set([32, 40, 64, 96, 128]);

export const EQUIVALENTS: Record<string, SchemaPattern> = {
  [HASH_CONTENT]: { test: (s) => HASH_LENGTHS.has(s.length) && HEX.test(s) },
};

/** The test for a schema pattern; `flags` are ajv's ("u"), which change nothing for these ASCII classes. */
export function schemaPattern(pattern: string, flags: string): SchemaPattern {
  return EQUIVALENTS[pattern] ?? new RegExp(pattern, flags);
}
