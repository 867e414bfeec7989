import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { CollectorCheck, CollectorContext, CollectorInput, CollectorReport } from "../contract.js";
import { obj, parseJsonBytes, str } from "../json-access.js";
import {
  bsiChecks,
  cryptoChecks,
  hashChecks,
  integrityChecks,
  licenceChecks,
  lifecycleChecks,
  ntiaChecks,
  productChecks,
} from "./checks.js";
import { componentLabel, type SbomComponent, type SbomDocument } from "./model.js";
import { sbomProposals } from "./proposals.js";
import { readCycloneDx } from "./read-cyclonedx.js";
import { readSpdx2, readSpdx3 } from "./read-spdx.js";
import { hasSchema, validateAgainstSchema } from "./validate.js";

export const TOOL = { name: "cairn-collect-sbom", version: "1" };

let licenceIds: Set<string> | undefined;
/** The SPDX licence ids CycloneDX's schema enumerates (its spdx.schema.json), read once. */
function spdxLicenceIds(): Set<string> {
  if (licenceIds) return licenceIds;
  const require = createRequire(import.meta.url);
  const file = join(
    dirname(require.resolve("@cyclonedx/cyclonedx-library/package.json")),
    "res",
    "schema",
    "spdx.SNAPSHOT.schema.json",
  );
  const schema = JSON.parse(readFileSync(file, "utf8")) as { enum?: string[] };
  licenceIds = new Set(schema.enum ?? []);
  return licenceIds;
}

export interface ParsedSbom {
  doc: SbomDocument;
  format: string;
  schemaKey?: string;
  /** SPDX 2.x: the mandatory fields are checked by hand too (spdx.required). */
  spdx2?: boolean;
}

/** Which format a parsed JSON value is, and the model read from it; undefined when it is no SBOM Cairn reads. */
export function readSbom(value: unknown): ParsedSbom | { error: string; format: string } {
  const root = obj(value);
  if (!root) return { error: "the input is JSON but not an object", format: "unknown" };
  if (root.bomFormat === "CycloneDX") {
    const v = str(root.specVersion) ?? "?";
    const doc = readCycloneDx(root);
    const key = `cyclonedx-${v}`;
    return { doc, format: `cyclonedx-${v}-json`, ...(hasSchema(key) ? { schemaKey: key } : {}) };
  }
  const spdxVersion = str(root.spdxVersion);
  if (spdxVersion?.startsWith("SPDX-2.")) {
    const key = `spdx-${spdxVersion.slice(5)}`;
    return {
      doc: readSpdx2(root),
      format: `${key}-json`,
      spdx2: true,
      ...(hasSchema(key) ? { schemaKey: key } : {}),
    };
  }
  const context = root["@context"];
  if (typeof context === "string" && context.startsWith("https://spdx.org/rdf/3.")) {
    const doc = readSpdx3(root);
    const v = context.match(/rdf\/(3\.[\d.]+)\//)?.[1] ?? doc.specVersion;
    return { doc, format: `spdx-${v}-jsonld`, ...(v === "3.0.1" ? { schemaKey: "spdx-3.0.1" } : {}) };
  }
  return { error: "not a CycloneDX, SPDX 2 or SPDX 3 document", format: "unknown" };
}

/**
 * SPDX 2.x: the document fields its specification makes mandatory (clause 6), checked by hand. Kept
 * beside the official schemas because they check less: neither requires documentNamespace, neither
 * fixes the values of dataLicense and SPDXID, neither forbids empty strings, and 2.2's does not
 * require creationInfo.creators.
 */
function spdx2Required(root: Record<string, unknown>): CollectorCheck {
  const info = obj(root.creationInfo);
  const missing = [
    ["spdxVersion", root.spdxVersion],
    ["dataLicense", root.dataLicense],
    ["SPDXID", root.SPDXID],
    ["name", root.name],
    ["documentNamespace", root.documentNamespace],
    ["creationInfo.created", info?.created],
    ["creationInfo.creators", Array.isArray(info?.creators) && info.creators.length > 0 ? true : undefined],
  ]
    .filter(([, v]) => v === undefined || v === "")
    .map(([k]) => k as string);
  if (root.dataLicense !== undefined && root.dataLicense !== "CC0-1.0") missing.push('dataLicense "CC0-1.0"');
  if (root.SPDXID !== undefined && root.SPDXID !== "SPDXRef-DOCUMENT")
    missing.push('SPDXID "SPDXRef-DOCUMENT"');
  return missing.length === 0
    ? {
        id: "spdx.required",
        result: "pass",
        message: "the document fields SPDX 2 makes mandatory are present",
      }
    : {
        id: "spdx.required",
        result: "fail",
        message: `mandatory SPDX 2 document fields missing or wrong: ${missing.join(", ")}`,
      };
}

function report(
  input: CollectorInput,
  format: string,
  valid: boolean,
  checks: CollectorCheck[],
  extra: Partial<CollectorReport> = {},
): CollectorReport {
  return { kind: "sbom", format, valid, checks, proposals: [], input: input.info, tool: TOOL, ...extra };
}

function componentSummary(c: SbomComponent) {
  return {
    ...(c.ref !== undefined ? { ref: c.ref } : {}),
    name: componentLabel(c),
    ...(c.type ? { type: c.type } : {}),
    ...(c.purl ? { purl: c.purl } : {}),
    ...(c.cpe ? { cpe: c.cpe } : {}),
    location: c.location,
  };
}

export async function analyseSbom(
  input: CollectorInput,
  context: CollectorContext,
): Promise<CollectorReport> {
  context.progress?.("parsing");
  const parsed = parseJsonBytes(input.bytes);
  if (!parsed.ok) {
    const checks: CollectorCheck[] = [
      { id: "sbom.json", result: "fail", message: `the input is ${parsed.message}` },
    ];
    return report(input, "unknown", false, checks, {
      proposals: sbomProposals(undefined, false, checks, undefined),
    });
  }
  const read = readSbom(parsed.value);
  if ("error" in read) {
    const checks: CollectorCheck[] = [
      { id: "sbom.json", result: "pass", message: "the input is JSON" },
      { id: "sbom.format", result: "fail", message: read.error },
    ];
    return report(input, read.format, false, checks, {
      proposals: sbomProposals(undefined, false, checks, undefined),
    });
  }
  const { doc, format } = read;
  const checks: CollectorCheck[] = [{ id: "sbom.json", result: "pass", message: "the input is JSON" }];
  let valid: boolean;
  if (doc.family === "cyclonedx" && !read.schemaKey) {
    checks.push({
      id: "sbom.format",
      result: "fail",
      message: `CycloneDX ${doc.specVersion} is not supported (1.4, 1.5, 1.6 and 1.7 are)`,
      location: "/specVersion",
    });
    valid = false;
  } else {
    checks.push({ id: "sbom.format", result: "pass", message: `${format}` });
    if (read.schemaKey) {
      context.progress?.("validating");
      const r = await validateAgainstSchema(read.schemaKey, parsed.value);
      valid = r.valid;
      checks.push(
        r.valid
          ? { id: "sbom.schema", result: "pass", message: `valid against the ${r.schema}` }
          : {
              id: "sbom.schema",
              result: "fail",
              message: `not valid against the ${r.schema}: ${r.error?.location} ${r.error?.message}`,
              location: r.error?.location,
            },
      );
    } else {
      // SPDX 2 without a bundled schema stands on spdx.required, as before the schemas were; an SPDX 3
      // document other than 3.0.1 has nothing checked its shape, so it does not count as valid.
      valid = read.spdx2 === true;
      checks.push({
        id: "sbom.schema",
        result: "warn",
        message: `no official JSON schema for SPDX ${doc.specVersion} is bundled (SPDX 2.2, 2.3 and 3.0.1 are)${read.spdx2 ? ": only the mandatory fields were checked" : ""} (docs/collectors.md)`,
        ...(read.spdx2 ? { location: "/spdxVersion" } : {}),
      });
    }
    if (read.spdx2) {
      const required = spdx2Required(parsed.value as Record<string, unknown>);
      valid &&= required.result === "pass";
      checks.push(required);
    }
  }
  context.progress?.("checking");
  checks.push(
    doc.components.length > 0
      ? { id: "sbom.components", result: "pass", message: `${doc.components.length} components` }
      : { id: "sbom.components", result: "fail", message: "the SBOM lists no components" },
  );
  checks.push(
    ...productChecks(doc, context),
    ...ntiaChecks(doc),
    ...integrityChecks(doc),
    ...hashChecks(doc),
    ...licenceChecks(doc, spdxLicenceIds()),
    ...lifecycleChecks(doc, context),
  );
  const crypto = cryptoChecks(doc);
  checks.push(...crypto.checks, ...bsiChecks(doc));
  if (doc.vulnerabilities.length > 0)
    checks.push({
      id: "sbom.vex",
      result: "info",
      message: `${doc.vulnerabilities.length} vulnerability statements inside the SBOM (applied by cairn collect vulns)`,
      location: "/vulnerabilities",
    });

  const tags = valid && doc.components.length > 0 ? ["sbom"] : [];
  if (crypto.summary.assets > 0) tags.push("cbom");
  if (
    crypto.summary.fips140_3Claims.length > 0 &&
    crypto.summary.fips140_3WithCertificate.length === crypto.summary.fips140_3Claims.length
  )
    tags.push("fips-140-3");
  return report(input, format, valid, checks, {
    proposals: sbomProposals(doc, valid, checks, crypto.summary),
    tags,
    sbom: {
      family: doc.family,
      specVersion: doc.specVersion,
      ...(doc.serialNumber ? { serialNumber: doc.serialNumber } : {}),
      ...(doc.timestamp ? { timestamp: doc.timestamp } : {}),
      authors: doc.authors,
      ...(doc.primary ? { primary: componentSummary(doc.primary) } : {}),
      componentCount: doc.components.length,
      dependencyCount: doc.dependencies.length,
      cryptoAssets: crypto.summary.assets,
      fips140_3Claims: crypto.summary.fips140_3Claims,
    },
  });
}
