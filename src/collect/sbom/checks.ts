import type { CollectorCheck, CollectorContext } from "../contract.js";
import { type ComponentFacts, componentFacts, Has, isContact } from "./component-facts.js";
import { KeyIndex } from "./key-index.js";
import {
  componentLabel,
  type SbomComponent,
  type SbomDocument,
  type SbomReference,
  SuffixReference,
} from "./model.js";

/**
 * Checks beyond the schema, on the common model: NTIA minimum elements, BSI TR-03183-2 v2.1.0 fields,
 * referential integrity, the product the SBOM describes, hashes, licences, lifecycle and support end,
 * cryptographic assets. Pure: the model and the context in, checks out.
 */

type Check = CollectorCheck;

/**
 * "12 of 340 components lack a supplier name (e.g. zlib@1.3, ...)": the count and the first three
 * that lack the thing (a 100,000-component SBOM should not build a list per check).
 */
function coverage(
  id: string,
  facts: ComponentFacts,
  bit: number,
  what: string,
  failAs: "fail" | "warn",
): Check {
  const { components: all, has } = facts;
  if (all.length === 0) return { id, result: "info", message: `no components to check for ${what}` };
  let count = 0;
  const examples: SbomComponent[] = [];
  for (let i = 0; i < has.length; i++) {
    if (((has[i] as number) & bit) !== 0) continue;
    count++;
    if (examples.length < 3) examples.push(all[i] as SbomComponent);
  }
  if (count === 0) return { id, result: "pass", message: `all ${all.length} components have ${what}` };
  const first = examples[0] as SbomComponent;
  return {
    id,
    result: failAs,
    message: `${count} of ${all.length} components lack ${what} (e.g. ${examples.map((c) => componentLabel(c)).join(", ")})`,
    location: first.location,
  };
}

const idIndexes = new WeakMap<SbomDocument, KeyIndex>();

/** Each declared id with the position of its first declaration in `declaredIds`, made once per document. */
function idIndex(doc: SbomDocument): KeyIndex {
  let index = idIndexes.get(doc);
  if (index === undefined) {
    index = new KeyIndex(doc.declaredIds.map((d) => d.ref));
    idIndexes.set(doc, index);
  }
  return index;
}

interface DependencyGraph {
  /** Per declared id (by position in `declaredIds`): whether a dependency entry names it (`ref`, `dependsOn`). */
  mentioned: Uint8Array;
  /** The dependency entries' references that name no element, when they count as references. */
  dangling: SbomReference[];
}

const graphs = new WeakMap<SbomDocument, DependencyGraph>();

/**
 * One walk of the dependency graph for the NTIA coverage and the integrity checks, one lookup per
 * reference: on a large SBOM these lookups are memory bound and were the checks' largest cost.
 */
function dependencyGraph(doc: SbomDocument): DependencyGraph {
  let graph = graphs.get(doc);
  if (graph !== undefined) return graph;
  const index = idIndex(doc);
  const declared = doc.declaredIds;
  const mentioned = new Uint8Array(declared.length);
  const dangling: SbomReference[] = [];
  const check = doc.dependenciesAreReferences;
  // Tools write the graph in the order of the components (an entry per component, a dependsOn list
  // of them in turn): the declaration after the last one found is tried first, a comparison of two
  // strings instead of a hash-table lookup. Only without duplicate ids, where any declaration of an
  // id is its first.
  const guess = index.distinct === declared.length;
  let next = 0;
  const find = (ref: string): number | undefined => {
    if (guess && next < declared.length && (declared[next] as SbomReference).ref === ref) return next++;
    const i = index.get(ref);
    if (i !== undefined) next = i + 1;
    return i;
  };
  for (const d of doc.dependencies) {
    const i = find(d.ref);
    if (i !== undefined) mentioned[i] = 1;
    else if (check && !d.ref.startsWith("urn:cdx:")) dangling.push(new SuffixReference(d.ref, d, "/ref"));
    const on = d.dependsOn;
    for (let j = 0; j < on.length; j++) {
      const ref = on[j] as string;
      const k = find(ref);
      if (k !== undefined) mentioned[k] = 1;
      else if (check && !ref.startsWith("urn:cdx:"))
        dangling.push({ ref, location: d.pointer?.("dependsOn", j) ?? `${d.location}/dependsOn/${j}` });
    }
    const provides = check ? (d.provides ?? []) : [];
    for (let j = 0; j < provides.length; j++) {
      const ref = provides[j] as string;
      if (!index.has(ref) && !ref.startsWith("urn:cdx:"))
        dangling.push({ ref, location: d.pointer?.("provides", j) ?? `${d.location}/provides/${j}` });
    }
  }
  graph = { mentioned, dangling };
  graphs.set(doc, graph);
  return graph;
}

function validTimestamp(ts: string | undefined): boolean {
  return (
    ts !== undefined &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(ts) &&
    !Number.isNaN(Date.parse(ts))
  );
}

export function ntiaChecks(doc: SbomDocument): Check[] {
  const facts = componentFacts(doc);
  const checks: Check[] = [
    coverage("ntia.supplier", facts, Has.supplier, "a supplier name", "fail"),
    coverage("ntia.name", facts, Has.name, "a name", "fail"),
    coverage("ntia.version", facts, Has.version, "a version", "fail"),
    coverage(
      "ntia.identifiers",
      facts,
      Has.identifier,
      "another unique identifier (purl, CPE or SWID)",
      "fail",
    ),
  ];
  // Dependency relationship: at least the primary component's direct dependencies (NTIA: "at a minimum, top-level").
  const primaryRef = doc.primary?.ref;
  const primaryDeps = primaryRef ? doc.dependencies.find((d) => d.ref === primaryRef) : undefined;
  if (doc.components.length === 0)
    checks.push({
      id: "ntia.dependencies",
      result: "info",
      message: "the SBOM lists no components: there are no dependency relationships to check",
    });
  else if (!doc.hasDependencyData)
    checks.push({
      id: "ntia.dependencies",
      result: "fail",
      message: "the SBOM records no dependency relationships",
    });
  else if (primaryRef !== undefined && (primaryDeps?.dependsOn.length ?? 0) === 0)
    checks.push({
      id: "ntia.dependencies",
      result: "fail",
      message: `the primary component (${primaryRef}) has no dependencies listed: NTIA asks at least for its direct dependencies`,
    });
  else {
    const index = idIndex(doc);
    const { mentioned } = dependencyGraph(doc);
    // A component whose id no element declares (not seen in the formats read) is looked up by name.
    let undeclared: Set<string> | undefined;
    const mentionedElsewhere = () => {
      undeclared ??= new Set(doc.dependencies.flatMap((d) => [d.ref, ...d.dependsOn]));
      return undeclared;
    };
    let looseCount = 0;
    let firstLoose: SbomComponent | undefined;
    for (const c of doc.components) {
      if (c.type === "cryptographic-asset") continue;
      const ref = c.ref;
      // Without duplicate ids, a component's own declaration is its id's first.
      const i =
        ref === undefined
          ? undefined
          : c.declaration !== undefined && index.distinct === doc.declaredIds.length
            ? c.declaration
            : index.get(ref);
      if (i === undefined ? ref === undefined || !mentionedElsewhere().has(ref) : mentioned[i] === 0) {
        looseCount++;
        firstLoose ??= c;
      }
    }
    checks.push(
      firstLoose === undefined
        ? {
            id: "ntia.dependencies",
            result: "pass",
            message: `dependency relationships cover all ${doc.components.length} components`,
          }
        : {
            id: "ntia.dependencies",
            result: "warn",
            message: `dependency relationships are given, but ${looseCount} of ${doc.components.length} components appear in none (e.g. ${componentLabel(firstLoose)})`,
            location: firstLoose.location,
          },
    );
  }
  checks.push(
    doc.authors.length > 0
      ? { id: "ntia.author", result: "pass", message: `SBOM author: ${doc.authors.slice(0, 3).join(", ")}` }
      : {
          id: "ntia.author",
          result: "fail",
          message: "the SBOM names no author (person, organisation or tool)",
        },
  );
  checks.push(
    validTimestamp(doc.timestamp)
      ? { id: "ntia.timestamp", result: "pass", message: `SBOM timestamp ${doc.timestamp}` }
      : {
          id: "ntia.timestamp",
          result: "fail",
          message: doc.timestamp
            ? `the SBOM timestamp "${doc.timestamp}" is not an ISO 8601 date-time`
            : "the SBOM has no timestamp",
        },
  );
  return checks;
}

/**
 * BSI TR-03183-2 v2.1.0 (2025-08-20), section 4 and the required fields of 5.2.1 and 5.2.2, mapped to
 * CycloneDX with the BSI's property taxonomy (`bsi:component:*`) and to SPDX 3.0.1. A national
 * guideline, not a minimum for every market: a missing field warns, it does not fail.
 */
export function bsiChecks(doc: SbomDocument): Check[] {
  const facts = componentFacts(doc);
  const cdx = doc.family === "cyclonedx";
  const v = doc.specVersion.split(".").map(Number);
  const formatOk = cdx ? (v[0] ?? 0) === 1 && (v[1] ?? 0) >= 6 : (v[0] ?? 0) >= 3;
  const checks: Check[] = [
    formatOk
      ? {
          id: "bsi.format",
          result: "pass",
          message: `${cdx ? "CycloneDX" : "SPDX"} ${doc.specVersion} meets the minimum format version`,
        }
      : {
          id: "bsi.format",
          result: "warn",
          message: `${cdx ? "CycloneDX" : "SPDX"} ${doc.specVersion} is below the minimum of TR-03183-2 v2.1.0 (CycloneDX 1.6 or SPDX 3.0.1)`,
        },
    doc.creatorContacts.some(isContact)
      ? { id: "bsi.sbom-creator", result: "pass", message: "the SBOM creator has an e-mail address or URL" }
      : { id: "bsi.sbom-creator", result: "warn", message: "the SBOM creator has no e-mail address or URL" },
    validTimestamp(doc.timestamp)
      ? { id: "bsi.timestamp", result: "pass", message: "the SBOM has a timestamp" }
      : { id: "bsi.timestamp", result: "warn", message: "the SBOM has no valid timestamp" },
    doc.serialNumber
      ? { id: "bsi.sbom-uri", result: "pass", message: `SBOM URI: ${doc.serialNumber}` }
      : {
          id: "bsi.sbom-uri",
          result: "warn",
          message: "the SBOM has no URI (CycloneDX serialNumber, SPDX document id)",
        },
  ];
  const rows: [string, string, number][] = [
    ["bsi.component-creator", "a creator e-mail address or URL", Has.creatorContact],
    ["bsi.component-name", "a name", Has.nameField],
    ["bsi.component-version", "a version", Has.versionField],
    ["bsi.filename", "a file name (bsi:component:filename)", Has.fileName],
    ["bsi.distribution-licences", "a concluded (distribution) licence", Has.concludedLicence],
    ["bsi.original-licences", "a declared (original) licence", Has.declaredLicence],
    ["bsi.deployable-hash", "a SHA-512 hash of the deployable form", Has.sha512Deployable],
    ["bsi.executable", "the executable property (bsi:component:executable)", Has.executable],
    ["bsi.archive", "the archive property (bsi:component:archive)", Has.archive],
    ["bsi.structured", "the structured property (bsi:component:structured)", Has.structured],
    ["bsi.source-uri", "a source code URI", Has.sourceUri],
    ["bsi.deployable-uri", "a URI of the deployable form", Has.deployableUri],
    ["bsi.identifiers", "another unique identifier (CPE, SWID or purl)", Has.identifier],
  ];
  for (const [id, what, bit] of rows) checks.push(coverage(id, facts, bit, what, "warn"));
  checks.push(
    doc.hasDependencyData
      ? { id: "bsi.dependencies", result: "pass", message: "dependencies are recorded" }
      : { id: "bsi.dependencies", result: "warn", message: "no dependencies are recorded" },
  );
  checks.push(
    doc.vulnerabilities.length === 0
      ? {
          id: "bsi.no-vulnerabilities",
          result: "pass",
          message: "the SBOM carries no vulnerability information",
        }
      : {
          id: "bsi.no-vulnerabilities",
          result: "warn",
          message: `the SBOM carries ${doc.vulnerabilities.length} vulnerability entries: TR-03183-2 keeps them out of the SBOM (publish them as VEX or CSAF)`,
          location: "/vulnerabilities",
        },
  );
  return checks;
}

export function integrityChecks(doc: SbomDocument): Check[] {
  const checks: Check[] = [];
  const seen = idIndex(doc);
  const declared = doc.declaredIds;
  const dups: { ref: string; location: string; first: string }[] = [];
  // As many distinct ids as declarations: nothing is declared twice, and nothing to look up.
  for (let i = 0; seen.distinct < declared.length && i < declared.length; i++) {
    const d = declared[i] as SbomReference;
    const first = seen.get(d.ref) as number;
    if (first !== i)
      dups.push({ ref: d.ref, location: d.location, first: (declared[first] as SbomReference).location });
  }
  checks.push(
    dups.length === 0
      ? {
          id: "ref.duplicates",
          result: "pass",
          message: `${doc.declaredIds.length} element ids, all distinct`,
        }
      : {
          id: "ref.duplicates",
          result: "fail",
          message: `${dups.length} duplicate element ids (e.g. "${dups[0]?.ref}" at ${dups[0]?.location}, first at ${dups[0]?.first})`,
          location: dups[0]?.location,
        },
  );
  // Resolution first (one map lookup); where a reference sits matters only for the few that do not resolve.
  const dangling = [...dependencyGraph(doc).dangling];
  for (const r of doc.references) if (!seen.has(r.ref) && !r.ref.startsWith("urn:cdx:")) dangling.push(r);
  const unresolved = (loc: (l: string) => boolean) => dangling.filter((r) => loc(r.location));
  const isDep = (l: string) =>
    l.startsWith("/dependencies/") || l.startsWith("/relationships/") || l.startsWith("/@graph/");
  const badDeps = unresolved(isDep);
  checks.push(
    badDeps.length === 0
      ? { id: "ref.dependencies", result: "pass", message: "every dependency reference resolves" }
      : {
          id: "ref.dependencies",
          result: "fail",
          message: `${badDeps.length} dependency references name no element (e.g. "${badDeps[0]?.ref}")`,
          location: badDeps[0]?.location,
        },
  );
  const badOther = unresolved((l) => !isDep(l));
  checks.push(
    badOther.length === 0
      ? { id: "ref.references", result: "pass", message: "every other element reference resolves" }
      : {
          id: "ref.references",
          result: "fail",
          message: `${badOther.length} references name no element (e.g. "${badOther[0]?.ref}")`,
          location: badOther[0]?.location,
        },
  );
  return checks;
}

function norm(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, "");
}
function normVersion(s: string): string {
  return s.trim().replace(/^v(?=\d)/i, "");
}

/** Whether the SBOM describes the product and release under assessment (when the context names them). */
export function productChecks(doc: SbomDocument, context: CollectorContext): Check[] {
  const p = doc.primary;
  if (!p)
    return [
      {
        id: "sbom.primary",
        result: "fail",
        message:
          "the SBOM does not say which component it describes (CycloneDX metadata.component, SPDX documentDescribes)",
      },
    ];
  const checks: Check[] = [
    {
      id: "sbom.primary",
      result: "pass",
      message: `the SBOM describes ${componentLabel(p)}`,
      location: p.location,
    },
  ];
  const product = context.product;
  const release = context.release;
  if (!product && !release) {
    checks.push({
      id: "sbom.product",
      result: "info",
      message: "no product or release given to compare the described component with",
    });
    return checks;
  }
  const problems: string[] = [];
  if (product) {
    const name = norm(`${p.group ?? ""}${p.name ?? ""}`);
    const model = norm(product.model);
    if (
      !name ||
      !model ||
      !(name.includes(model) || (model.includes(norm(p.name ?? "")) && norm(p.name ?? "") !== ""))
    )
      problems.push(`its name "${p.name ?? ""}" does not name the model "${product.model}"`);
  }
  if (release && normVersion(p.version ?? "") !== normVersion(release.version))
    problems.push(`its version "${p.version ?? "(none)"}" is not the release "${release.version}"`);
  checks.push(
    problems.length === 0
      ? {
          id: "sbom.product",
          result: "pass",
          message:
            `the described component is ${product ? `${product.model} ` : ""}${release ? `release ${release.version}` : ""}`.trim(),
          location: p.location,
        }
      : {
          id: "sbom.product",
          result: "fail",
          message: `the SBOM may describe another product or release: ${problems.join("; ")}`,
          location: p.location,
        },
  );
  if (
    product &&
    p.supplier &&
    !norm(p.supplier).includes(norm(product.manufacturer)) &&
    !norm(product.manufacturer).includes(norm(p.supplier))
  )
    checks.push({
      id: "sbom.manufacturer",
      result: "warn",
      message: `the described component's supplier "${p.supplier}" is not the manufacturer "${product.manufacturer}"`,
      location: p.location,
    });
  return checks;
}

export function hashChecks(doc: SbomDocument): Check[] {
  const facts = componentFacts(doc);
  const checks: Check[] = [coverage("hash.present", facts, Has.hash, "a hash", "warn")];
  const malformed = facts.malformedHashes;
  const weakOnly = facts.weakHashOnly;
  checks.push(
    malformed.length === 0
      ? { id: "hash.format", result: "pass", message: "every hash value has its algorithm's length in hex" }
      : {
          id: "hash.format",
          result: "fail",
          message: `${malformed.length} hash values do not fit their algorithm (e.g. ${malformed[0]?.alg} of ${componentLabel(malformed[0]?.c as SbomComponent)})`,
          location: malformed[0]?.c.location,
        },
  );
  checks.push(
    weakOnly.length === 0
      ? { id: "hash.strength", result: "pass", message: "no component relies on MD5 or SHA-1 hashes alone" }
      : {
          id: "hash.strength",
          result: "warn",
          message: `${weakOnly.length} components have only MD5/SHA-1-class hashes (e.g. ${componentLabel(weakOnly[0] as SbomComponent)})`,
          location: weakOnly[0]?.location,
        },
  );
  return checks;
}

export function licenceChecks(doc: SbomDocument, knownIds: ReadonlySet<string>): Check[] {
  const facts = componentFacts(doc);
  const checks: Check[] = [coverage("licence.present", facts, Has.licence, "licence information", "warn")];
  // Components share a few licence values (MIT, Apache-2.0...): each value is read once, and its
  // unknown ids count once per use.
  const unknownIdsOf = (value: string): string[] => {
    const ids: string[] = [];
    const tokens = value.split(/[\s()]+/).filter(Boolean);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i] as string;
      if (t === "AND" || t === "OR" || t === "and" || t === "or") continue;
      if (t === "WITH" || t === "with") {
        i++;
        continue;
      }
      const id = t.replace(/\+$/, "");
      if (/^(LicenseRef-|DocumentRef-)/.test(id) || knownIds.has(id)) continue;
      ids.push(id);
    }
    return ids;
  };
  let count = 0;
  let example: { c: SbomComponent; id: string; rank: number } | undefined;
  for (const [value, use] of facts.licenceValues) {
    const ids = unknownIdsOf(value);
    if (ids.length === 0) continue;
    count += use.uses * ids.length;
    if (example === undefined || use.rank < example.rank)
      example = { c: use.first, id: ids[0] as string, rank: use.rank };
  }
  checks.push(
    example === undefined
      ? {
          id: "licence.ids",
          result: "pass",
          message: "every licence id is on the SPDX licence list (or a LicenseRef)",
        }
      : {
          id: "licence.ids",
          result: "warn",
          message: `${count} licence ids are not on the SPDX licence list (e.g. "${example.id}" of ${componentLabel(example.c)})`,
          location: example.c.location,
        },
  );
  return checks;
}

const SUPPORT_END = /(end[-_ ]?of[-_ ]?(support|life)|support[-_ ]?end|(^|:)eol)$/i;

function supportEnd(c: SbomComponent): string | undefined {
  for (const [name, values] of c.properties) {
    if (SUPPORT_END.test(name)) {
      const v = values.find((x) => /^\d{4}-\d{2}-\d{2}/.test(x));
      if (v) return v.slice(0, 10);
    }
  }
  return undefined;
}

export function lifecycleChecks(doc: SbomDocument, context: CollectorContext): Check[] {
  const checks: Check[] = [];
  if (doc.lifecycles.length > 0)
    checks.push({
      id: "lifecycle.phase",
      result: "info",
      message: `SBOM lifecycle: ${doc.lifecycles.join(", ")}`,
    });
  const productEnd = doc.primary ? supportEnd(doc.primary) : undefined;
  const declared = context.release?.supportEnd;
  if (productEnd) {
    if (productEnd < context.date)
      checks.push({
        id: "lifecycle.support-end",
        result: "fail",
        message: `the described component's support ended on ${productEnd} (before ${context.date})`,
        location: doc.primary?.location,
      });
    else if (declared && declared !== productEnd)
      checks.push({
        id: "lifecycle.support-end",
        result: "warn",
        message: `the SBOM gives support end ${productEnd}, the release declares ${declared}`,
        location: doc.primary?.location,
      });
    else
      checks.push({
        id: "lifecycle.support-end",
        result: "pass",
        message: `support until ${productEnd}`,
        location: doc.primary?.location,
      });
  } else
    checks.push({
      id: "lifecycle.support-end",
      result: "info",
      message: "the SBOM declares no support end for the described component",
    });
  const horizon = declared ?? productEnd;
  const ending: { c: SbomComponent; end: string }[] = [];
  for (const c of doc.components) {
    const end = supportEnd(c);
    if (end && (end < context.date || (horizon !== undefined && end < horizon))) ending.push({ c, end });
  }
  if (ending.length > 0)
    checks.push({
      id: "lifecycle.component-support",
      result: "warn",
      message: `${ending.length} components' support ends before the product's (e.g. ${componentLabel(ending[0]?.c as SbomComponent)} on ${ending[0]?.end})`,
      location: ending[0]?.c.location,
    });
  return checks;
}

const WEAK_ALGORITHMS = /^(md2|md4|md5|sha-?1|des|3des|tdea|triple-?des|rc2|rc4|blowfish)(\b|[-_])/i;
const CMVP_CERTIFICATE =
  /csrc\.nist\.gov\/projects\/cryptographic-module-validation-program\/certificate\/\d+/i;

export interface CryptoSummary {
  assets: number;
  fips140_3Claims: string[];
  fips140_3WithCertificate: string[];
}

export function cryptoChecks(doc: SbomDocument): { checks: Check[]; summary: CryptoSummary } {
  const isAsset = (c: SbomComponent) => c.crypto !== undefined || c.type === "cryptographic-asset";
  const assets = doc.components.filter(isAsset);
  if (doc.primary && isAsset(doc.primary)) assets.unshift(doc.primary);
  const summary: CryptoSummary = { assets: assets.length, fips140_3Claims: [], fips140_3WithCertificate: [] };
  if (assets.length === 0)
    return {
      checks: [{ id: "cbom.assets", result: "info", message: "no cryptographic assets are listed (CBOM)" }],
      summary,
    };
  const byType = new Map<string, number>();
  for (const a of assets)
    byType.set(a.crypto?.assetType ?? "unknown", (byType.get(a.crypto?.assetType ?? "unknown") ?? 0) + 1);
  const checks: Check[] = [
    {
      id: "cbom.assets",
      result: "info",
      message: `${assets.length} cryptographic assets: ${[...byType].map(([t, n]) => `${n} ${t}`).join(", ")}`,
    },
  ];
  const weak = assets.filter(
    (a) =>
      WEAK_ALGORITHMS.test(a.name ?? "") ||
      (a.crypto?.classicalSecurityLevel !== undefined && a.crypto.classicalSecurityLevel < 112),
  );
  checks.push(
    weak.length === 0
      ? {
          id: "cbom.weak-algorithms",
          result: "pass",
          message: "no cryptographic asset is a broken or sub-112-bit algorithm",
        }
      : {
          id: "cbom.weak-algorithms",
          result: "warn",
          message: `${weak.length} cryptographic assets are broken or below 112-bit security (e.g. ${weak[0]?.name})`,
          location: weak[0]?.location,
        },
  );
  const older: SbomComponent[] = [];
  for (const a of assets) {
    const levels = a.crypto?.certificationLevels ?? [];
    const label = componentLabel(a);
    if (levels.some((l) => l.startsWith("fips140-3"))) {
      summary.fips140_3Claims.push(label);
      if (a.externalRefs.some((r) => r.type === "certification-report" && CMVP_CERTIFICATE.test(r.url)))
        summary.fips140_3WithCertificate.push(label);
    } else if (levels.some((l) => l.startsWith("fips140-1") || l.startsWith("fips140-2"))) older.push(a);
  }
  if (summary.fips140_3Claims.length === 0)
    checks.push({
      id: "cbom.fips140-3",
      result: "info",
      message: "no cryptographic asset claims FIPS 140-3 validation",
    });
  else if (summary.fips140_3WithCertificate.length === summary.fips140_3Claims.length)
    checks.push({
      id: "cbom.fips140-3",
      result: "pass",
      message: `${summary.fips140_3Claims.length} assets claim FIPS 140-3 validation, each with a CMVP certificate reference`,
    });
  else
    checks.push({
      id: "cbom.fips140-3",
      result: "warn",
      message: `${summary.fips140_3Claims.length - summary.fips140_3WithCertificate.length} of ${summary.fips140_3Claims.length} FIPS 140-3 claims name no CMVP certificate (externalReferences type certification-report)`,
    });
  if (older.length > 0)
    checks.push({
      id: "cbom.fips140-2",
      result: "warn",
      message: `${older.length} assets claim FIPS 140-1/140-2 only: certificates under those standards are historical for new acquisitions`,
      location: older[0]?.location,
    });
  return { checks, summary };
}
