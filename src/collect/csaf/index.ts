/**
 * The CSAF 2.0 collector: advisories and VEX documents checked with the BSI CSAF validator library
 * (schema and mandatory tests; optional and informative tests on request), the product tree
 * matched against the assessed product, and the distribution metadata (provider-metadata.json,
 * aggregator.json) checked against section 7.
 */
import { CairnError } from "../../core/problem.js";
import type {
  CheckDefinition,
  Collector,
  CollectorContext,
  CollectorInput,
  CollectorProposal,
} from "../contract.js";
import { listOption } from "../support/option-files.js";
import {
  buildReport,
  CAIRN_COLLECTOR_VERSION,
  CheckList,
  dayStart,
  decodeUtf8,
  head,
  isRecord,
  optionStrings,
  parseJson,
} from "../support/report.js";
import { matchProduct, productsOf, relationshipsOf, vulnerabilitiesOf } from "./product-tree.js";
import { checkAggregator, checkProviderMetadata, isAggregator, isProviderMetadata } from "./provider.js";
import {
  CSAF_TEST_TITLES,
  type CsafTestGroup,
  checkId,
  documentTest,
  EXCLUDED_TESTS,
  groupOf,
  type LibraryResult,
  schemaTest,
  sectionsOf,
} from "./tests.js";

export const CSAF_CHECKS: readonly CheckDefinition[] = [
  { id: "csaf.json", description: "The input is JSON (UTF-8)." },
  { id: "csaf.schema", description: "The document validates against the official CSAF 2.0 JSON schema." },
  ...CSAF_TEST_TITLES.filter(([s]) => !(s in EXCLUDED_TESTS)).map(([section, title]) => ({
    id: checkId(section),
    description: `CSAF 2.0 ${groupOf(section)} test ${section}: ${title}.`,
  })),
  { id: "csaf.test-error", description: "A library test threw on this document (reported, never a crash)." },
  {
    id: "csaf.profile",
    description: "The document's category and the CSAF profile it is tested against (info).",
  },
  {
    id: "csaf.status",
    description: "The document is final (a draft or interim document is not a publication).",
  },
  {
    id: "csaf.product-tree.product",
    description:
      "The product tree names the assessed product (manufacturer and model, as vendor/product_name branches or product names).",
  },
  { id: "csaf.product-tree.release", description: "The product tree names the assessed release version." },
  {
    id: "csaf.provider.schema",
    description: "provider-metadata.json conforms to the CSAF provider metadata structure.",
  },
  {
    id: "csaf.provider.canonical-url",
    description: "The canonical URL is https; the well-known location is noted (requirement 9).",
  },
  { id: "csaf.provider.tls", description: "Every URL a client fetches is https (requirement 3)." },
  { id: "csaf.provider.role", description: "The role the provider declares (info)." },
  {
    id: "csaf.provider.distribution",
    description: "Providers declare a directory or ROLIE distribution (requirements 11-17).",
  },
  {
    id: "csaf.provider.openpgp-keys",
    description:
      "OpenPGP keys with fingerprints are listed; required of trusted providers (requirements 19-20).",
  },
  { id: "csaf.provider.last-updated", description: "last_updated is not after the assessment date." },
  { id: "csaf.aggregator.schema", description: "aggregator.json conforms to the CSAF aggregator structure." },
  { id: "csaf.aggregator.tls", description: "Every URL a client fetches is https." },
  {
    id: "csaf.aggregator.disjoint",
    description: "At least two disjoint issuing parties are listed (requirement 22).",
  },
  {
    id: "csaf.aggregator.mirrors",
    description:
      "A lister mirrors nothing on its own domain; an aggregator mirrors two disjoint parties there (7.2.4, 7.2.5).",
  },
];

const TOOL = {
  name: "cairn csaf collector (@secvisogram/csaf-validator-lib 2.0.10)",
  version: CAIRN_COLLECTOR_VERSION,
};
const PROFILES: Record<string, string> = {
  csaf_base: "CSAF Base",
  csaf_security_incident_response: "Security Incident Response",
  csaf_informational_advisory: "Informational Advisory",
  csaf_security_advisory: "Security Advisory",
  csaf_vex: "VEX",
};
const MAX_MESSAGES_PER_TEST = 50;

function groupsFrom(context: CollectorContext): CsafTestGroup[] {
  const asked = optionStrings(context.options, "tests");
  const groups = new Set<CsafTestGroup>(["mandatory"]);
  for (const a of asked) {
    if (a === "all") {
      groups.add("optional");
      groups.add("informative");
    } else if (a === "optional" || a === "informative" || a === "mandatory") groups.add(a);
    else throw new CairnError(`--tests: unknown test group "${a}" (mandatory, optional, informative, all)`);
  }
  return [...groups];
}

async function runTest(
  checks: CheckList,
  id: string,
  label: string,
  test: (doc: unknown) => LibraryResult | Promise<LibraryResult>,
  doc: unknown,
  group: CsafTestGroup | "schema",
): Promise<boolean> {
  let r: LibraryResult;
  try {
    r = await test(doc);
  } catch (e) {
    checks.warn("csaf.test-error", `${label} could not run on this document: ${(e as Error).message}`);
    return group !== "mandatory" && group !== "schema";
  }
  // Mandatory tests report errors; optional ones warnings; informative ones infos.
  const findings =
    group === "optional" ? (r.warnings ?? []) : group === "informative" ? (r.infos ?? []) : (r.errors ?? []);
  const result = group === "optional" ? "warn" : group === "informative" ? "info" : "fail";
  const failed =
    group === "mandatory" || group === "schema"
      ? r.isValid === false || findings.length > 0
      : findings.length > 0;
  if (!failed) {
    checks.pass(id, `${label}: passed`);
    return true;
  }
  for (const f of findings.slice(0, MAX_MESSAGES_PER_TEST))
    checks.add(id, result, `${label}: ${f.message}`, f.instancePath || "/");
  if (findings.length > MAX_MESSAGES_PER_TEST)
    checks.add(id, result, `${label}: ${findings.length - MAX_MESSAGES_PER_TEST} more findings not listed`);
  if (findings.length === 0) checks.add(id, result, `${label}: not valid`);
  return false;
}

async function collectAdvisory(
  doc: Record<string, unknown>,
  input: CollectorInput,
  context: CollectorContext,
  checks: CheckList,
) {
  const groups = groupsFrom(context);
  const schemaOk = await runTest(
    checks,
    "csaf.schema",
    "CSAF 2.0 JSON schema",
    await schemaTest(),
    doc,
    "schema",
  );
  let mandatoryOk = true;
  for (const section of sectionsOf(groups)) {
    const title = CSAF_TEST_TITLES.find(([s]) => s === section)?.[1] ?? "";
    const ok = await runTest(
      checks,
      checkId(section),
      `${section} ${title}`,
      await documentTest(section),
      doc,
      groupOf(section),
    );
    if (groupOf(section) === "mandatory") mandatoryOk &&= ok;
  }
  const document = isRecord(doc.document) ? doc.document : {};
  const tracking = isRecord(document.tracking) ? document.tracking : {};
  const category = typeof document.category === "string" ? document.category : "";
  checks.info(
    "csaf.profile",
    `category ${category || "(none)"}: ${PROFILES[category] ?? "CSAF Base (any other category)"} profile`,
  );
  const final = tracking.status === "final";
  if (final) checks.pass("csaf.status", "final");
  else
    checks.warn(
      "csaf.status",
      `status ${String(tracking.status)}: not a final publication`,
      "/document/tracking/status",
    );

  const products = productsOf(doc);
  const relationships = relationshipsOf(doc);
  let match: ReturnType<typeof matchProduct> | undefined;
  if (context.product) {
    match = matchProduct(products, relationships, context.product, context.release?.version);
    const who = `${context.product.manufacturer} ${context.product.model}`;
    if (match.productIds.length > 0)
      checks.pass(
        "csaf.product-tree.product",
        `${who} is product ${match.productIds.slice(0, 10).join(", ")}`,
      );
    else checks.warn("csaf.product-tree.product", `no product of the tree names ${who}`, "/product_tree");
    if (context.release) {
      if (match.releaseIds.length > 0)
        checks.pass(
          "csaf.product-tree.release",
          `release ${context.release.version} is ${match.releaseIds.join(", ")}`,
        );
      else if (match.rangeIds.length > 0)
        checks.info(
          "csaf.product-tree.release",
          `the product is named with version ranges (${match.rangeIds.join(", ")}), not evaluated`,
        );
      else if (match.productIds.length > 0)
        checks.warn("csaf.product-tree.release", `release ${context.release.version} is not named`);
    }
  }
  const only = match ? new Set(match.productIds) : undefined;
  const vulnerabilities = vulnerabilitiesOf(doc, only);
  const valid = schemaOk && mandatoryOk;
  const proposals = proposeAdvisory(valid, final, category, match, vulnerabilities, checks);
  const format = `csaf-2.0-${category || "unknown"}`;
  return buildReport("csaf", format, valid, checks, proposals, input, TOOL, {
    document: {
      title: document.title,
      category,
      id: tracking.id,
      version: tracking.version,
      status: tracking.status,
      initialReleaseDate: tracking.initial_release_date,
      currentReleaseDate: tracking.current_release_date,
      publisher: isRecord(document.publisher) ? document.publisher.name : undefined,
    },
    products: products.slice(0, 10_000),
    productMatch: match,
    vulnerabilities,
    testsRun: groups,
    testsExcluded: EXCLUDED_TESTS,
  });
}

/**
 * A valid, final advisory that names the product shows the manufacturer discloses and shares
 * vulnerability information for it: support for a pass (one advisory does not show that every
 * fixed vulnerability is disclosed). An invalid one is inconclusive: the disclosure exists, but
 * not as a conformant machine-readable advisory.
 */
function proposeAdvisory(
  valid: boolean,
  final: boolean,
  category: string,
  match: ReturnType<typeof matchProduct> | undefined,
  vulns: ReturnType<typeof vulnerabilitiesOf>,
  checks: CheckList,
): CollectorProposal[] {
  if (category !== "csaf_security_advisory" && category !== "csaf_vex") return [];
  const basis = ["csaf.schema", "csaf.status", "csaf.product-tree.product"];
  const failing = [...new Set(checks.items.filter((c) => c.result === "fail").map((c) => c.id))];
  const named = match === undefined ? undefined : match.productIds.length > 0;
  let verdict: CollectorProposal["verdict"] = "pass";
  let reason: string;
  if (!valid) {
    verdict = "inconclusive";
    reason = `the CSAF document is not valid (${failing.slice(0, 8).join(", ")})`;
  } else if (!final) {
    verdict = "inconclusive";
    reason = "the CSAF document is valid but not final";
  } else if (named === false) {
    verdict = "inconclusive";
    reason = "a valid advisory, but its product tree does not name the assessed product";
  } else
    reason = `a valid, final CSAF ${category === "csaf_vex" ? "VEX document" : "advisory"}${named ? " naming the assessed product" : ""}`;
  const fixedFor = vulns.filter((v) => (v.statuses.fixed?.length ?? 0) > 0 || v.vendorFix.length > 0).length;
  const out: CollectorProposal[] = [];
  const items = [
    "eu-cra:annex-i.part-ii.6",
    "nist-ir-8259b:3.2.a",
    "nist-sp-800-213a:C.2.a",
    "nist-ir-8259b:3.1.e",
    "nist-sp-800-213a:C.1.d",
  ];
  for (const item of items) out.push({ item, verdict, strength: "supports", reason, checks: basis });
  if (category === "csaf_security_advisory")
    out.push({
      item: "eu-cra:annex-i.part-ii.4",
      verdict: verdict === "pass" && fixedFor === 0 ? "inconclusive" : verdict,
      strength: "supports",
      reason:
        verdict === "pass"
          ? fixedFor > 0
            ? `${reason}, disclosing ${fixedFor} fixed vulnerabilities`
            : `${reason}, but no vulnerability is marked fixed`
          : reason,
      checks: basis,
    });
  return out;
}

export const csafCollector: Collector = {
  kind: "csaf",
  title: "CSAF 2.0 advisories, VEX and provider metadata",
  checks: CSAF_CHECKS,
  options: [
    {
      name: "tests",
      arg: "<groups>",
      description:
        "CSAF test groups to run besides the mandatory ones: optional, informative or all (repeatable or comma-separated)",
      repeatable: true,
    },
  ],

  async prepare(options) {
    const tests = listOption(options, "tests");
    for (const t of tests)
      if (!["mandatory", "optional", "informative", "all"].includes(t))
        throw new CairnError(`--tests: unknown test group "${t}" (mandatory, optional, informative, all)`);
    return tests.length > 0 ? { ...options, tests } : options;
  },

  detect(bytes, name) {
    const start = head(bytes, 4096);
    if (!/^\s*\{/.test(start)) return 0;
    if (/"csaf_version"\s*:\s*"2\.0"/.test(start)) return 0.95;
    if (/"document"\s*:/.test(start) && /"csaf_version"/.test(start)) return 0.9;
    if (/"metadata_version"\s*:\s*"2\.0"/.test(start) && /"canonical_url"/.test(start)) return 0.9;
    if (/"aggregator_version"\s*:\s*"2\.0"/.test(start)) return 0.9;
    if (name && /provider-metadata\.json$|aggregator\.json$/i.test(name)) return 0.5;
    return 0;
  },

  async collect(input, context) {
    const checks = new CheckList(CSAF_CHECKS);
    const text = decodeUtf8(input.bytes);
    const parsed = text === undefined ? { ok: false as const, error: "not UTF-8" } : parseJson(text);
    if (!parsed.ok || !isRecord(parsed.value)) {
      checks.fail(
        "csaf.json",
        parsed.ok ? "the top level is not a JSON object" : `not JSON: ${parsed.error}`,
      );
      return buildReport("csaf", "unknown", false, checks, [], input, TOOL);
    }
    checks.pass("csaf.json", "JSON object");
    const doc = parsed.value;
    if (isProviderMetadata(doc)) {
      const { role } = checkProviderMetadata(doc, checks, dayStart(context.date));
      const valid = !checks.failed("csaf.provider.schema");
      return buildReport("csaf", "csaf-2.0-provider-metadata", valid, checks, [], input, TOOL, { role });
    }
    if (isAggregator(doc)) {
      const { category } = checkAggregator(doc, checks);
      const valid = !checks.failed("csaf.aggregator.schema");
      return buildReport("csaf", "csaf-2.0-aggregator", valid, checks, [], input, TOOL, { category });
    }
    return collectAdvisory(doc, input, context, checks);
  },
};

export default csafCollector;
