/**
 * The CSAF 2.0 document tests (section 6), run by the BSI validator library
 * (@secvisogram/csaf-validator-lib). Each library module compiles its JSON schemas when imported,
 * which costs seconds, so only the groups asked for are imported, once per process, and the JTD
 * meta-schema they are each checked against is compiled once (./jtd-meta-cache.ts).
 */

import { shareJtdMetaSchema } from "./jtd-meta-cache.js";

export type CsafTestGroup = "mandatory" | "optional" | "informative";

/** Section numbers and titles of CSAF 2.0 section 6 (the titles as the standard's headings). */
export const CSAF_TEST_TITLES: ReadonlyArray<readonly [string, string]> = [
  ["6.1.1", "Missing Definition of Product ID"],
  ["6.1.2", "Multiple Definition of Product ID"],
  ["6.1.3", "Circular Definition of Product ID"],
  ["6.1.4", "Missing Definition of Product Group ID"],
  ["6.1.5", "Multiple Definition of Product Group ID"],
  ["6.1.6", "Contradicting Product Status"],
  ["6.1.7", "Multiple Scores with same Version per Product"],
  ["6.1.8", "Invalid CVSS"],
  ["6.1.9", "Invalid CVSS computation"],
  ["6.1.10", "Inconsistent CVSS"],
  ["6.1.11", "CWE"],
  ["6.1.12", "Language"],
  ["6.1.13", "PURL"],
  ["6.1.14", "Sorted Revision History"],
  ["6.1.15", "Translator"],
  ["6.1.16", "Latest Document Version"],
  ["6.1.17", "Document Status Draft"],
  ["6.1.18", "Released Revision History"],
  ["6.1.19", "Revision History Entries for Pre-release Versions"],
  ["6.1.20", "Non-draft Document Version"],
  ["6.1.21", "Missing Item in Revision History"],
  ["6.1.22", "Multiple Definition in Revision History"],
  ["6.1.23", "Multiple Use of Same CVE"],
  ["6.1.24", "Multiple Definition in Involvements"],
  ["6.1.25", "Multiple Use of Same Hash Algorithm"],
  ["6.1.26", "Prohibited Document Category Name"],
  ["6.1.27.1", "Document Notes"],
  ["6.1.27.2", "Document References"],
  ["6.1.27.3", "Vulnerabilities"],
  ["6.1.27.4", "Product Tree"],
  ["6.1.27.5", "Vulnerability Notes"],
  ["6.1.27.6", "Product Status"],
  ["6.1.27.7", "VEX Product Status"],
  ["6.1.27.8", "Vulnerability ID"],
  ["6.1.27.9", "Impact Statement"],
  ["6.1.27.10", "Action Statement"],
  ["6.1.27.11", "Vulnerabilities"],
  ["6.1.28", "Translation"],
  ["6.1.29", "Remediation without Product Reference"],
  ["6.1.30", "Mixed Integer and Semantic Versioning"],
  ["6.1.31", "Version Range in Product Version"],
  ["6.1.32", "Flag without Product Reference"],
  ["6.1.33", "Multiple Flags with VEX Justification Codes per Product"],
  ["6.2.1", "Unused Definition of Product ID"],
  ["6.2.2", "Missing Remediation"],
  ["6.2.3", "Missing Score"],
  ["6.2.4", "Build Metadata in Revision History"],
  ["6.2.5", "Older Initial Release Date than Revision History"],
  ["6.2.6", "Older Current Release Date than Revision History"],
  ["6.2.7", "Missing Date in Involvements"],
  ["6.2.8", "Use of MD5 as the only Hash Algorithm"],
  ["6.2.9", "Use of SHA-1 as the only Hash Algorithm"],
  ["6.2.10", "Missing TLP label"],
  ["6.2.11", "Missing Canonical URL"],
  ["6.2.12", "Missing Document Language"],
  ["6.2.13", "Sorting"],
  ["6.2.14", "Use of Private Language"],
  ["6.2.15", "Use of Default Language"],
  ["6.2.16", "Missing Product Identification Helper"],
  ["6.2.17", "CVE in field IDs"],
  ["6.2.18", "Product Version Range without vers"],
  ["6.2.19", "CVSS for Fixed Products"],
  ["6.2.20", "Additional Properties"],
  ["6.3.1", "Use of CVSS v2 as the only Scoring System"],
  ["6.3.2", "Use of CVSS v3.0"],
  ["6.3.3", "Missing CVE"],
  ["6.3.4", "Missing CWE"],
  ["6.3.5", "Use of Short Hash"],
  ["6.3.6", "Use of non-self referencing URLs Failing to Resolve"],
  ["6.3.7", "Use of self referencing URLs Failing to Resolve"],
  ["6.3.8", "Spell check"],
  ["6.3.9", "Branch Categories"],
  ["6.3.10", "Usage of Product Version Range"],
  ["6.3.11", "Usage of V as Version Indicator"],
];

/**
 * Informative tests left out: 6.3.6 and 6.3.7 send HTTP requests to every URL in the document
 * and 6.3.8 runs the hunspell program; a collector is pure and offline.
 */
export const EXCLUDED_TESTS: Readonly<Record<string, string>> = {
  "6.3.6": "resolves URLs over the network",
  "6.3.7": "resolves URLs over the network",
  "6.3.8": "runs the hunspell spell checker (an external program)",
};

export function groupOf(section: string): CsafTestGroup {
  if (section.startsWith("6.1.")) return "mandatory";
  if (section.startsWith("6.2.")) return "optional";
  return "informative";
}

export function checkId(section: string): string {
  return `csaf.${groupOf(section)}.${section}`;
}

export interface LibraryResult {
  isValid?: boolean;
  errors?: { message: string; instancePath: string }[];
  warnings?: { message: string; instancePath: string }[];
  infos?: { message: string; instancePath: string }[];
}
export type DocumentTest = (doc: unknown) => LibraryResult | Promise<LibraryResult>;

const LIB = "@secvisogram/csaf-validator-lib/lib/";
const loaded = new Map<string, Promise<DocumentTest>>();

function load(module: string): Promise<DocumentTest> {
  let p = loaded.get(module);
  if (!p) {
    shareJtdMetaSchema();
    const specifier = `${LIB}${module}`;
    p = import(specifier).then((m: { default: DocumentTest }) => m.default);
    loaded.set(module, p);
  }
  return p;
}

/** The official CSAF 2.0 JSON schema (with the CVSS schemas it references), as the library compiles it. */
export function schemaTest(): Promise<DocumentTest> {
  return load("schemaTests/csaf_2_0.js");
}

export function documentTest(section: string): Promise<DocumentTest> {
  const group = groupOf(section);
  return load(`${group}Tests/${group}Test_${section.replaceAll(".", "_")}.js`);
}

export function sectionsOf(groups: readonly CsafTestGroup[]): string[] {
  return CSAF_TEST_TITLES.map(([s]) => s).filter(
    (s) => groups.includes(groupOf(s)) && !(s in EXCLUDED_TESTS),
  );
}
