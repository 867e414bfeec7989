/**
 * Checks and proposals for OSV-Scanner output. The proposals are the vulnerability collector's
 * (src/collect/vulns/analyse.ts): CRA Annex I Part I (2)(a) and EN 18031-1 GEC-1 fail on a known
 * exploited vulnerability (CISA KEV), strength proves-only-when-failing; a scan that reports
 * nothing supports a pass; open vulnerabilities without a KEV entry leave it inconclusive. No
 * NISTIR 8259A, SP 800-213A or EN 303 645 item asks for the absence of known vulnerabilities at
 * release (see docs/collectors.md, vulns), so none is proposed for them.
 */
import type { CollectorContext, CollectorInput, CollectorProposal, CollectorReport } from "../contract.js";
import { buildReport, CAIRN_COLLECTOR_VERSION, CheckList, decodeUtf8, parseJson } from "../support/report.js";
import type { FeedInfo, KevEntry } from "../vulns/model.js";
import { OSV_SCANNER_CHECKS } from "./index.js";
import { isOsvScannerOutput, type OsvGroup, type OsvPackage, readOsvScanner, type Severity } from "./read.js";

const TOOL = { name: "cairn osv-scanner collector", version: CAIRN_COLLECTOR_VERSION };
const MAX_LISTED = 200;
const ITEMS = ["eu-cra:annex-i.part-i.2.a", "cen-en-18031-1:GEC-1"];

interface KevFinding {
  pkg: OsvPackage;
  group: OsvGroup;
  kev: KevEntry;
}

const label = (p: OsvPackage) =>
  `${p.ecosystem ? `${p.ecosystem}/` : ""}${p.name}${p.version ? `@${p.version}` : ""}`;
const groupName = (g: OsvGroup) => g.ids.join("/");

function severityText(g: OsvGroup): string {
  if (g.severitySource === "max_severity") return `${g.severity} (CVSS ${g.score})`;
  if (g.severitySource === "database_specific") return `${g.severity} (advisory rating)`;
  return g.vectors.length > 0 ? `unscored (${g.vectors[0]})` : "severity unknown";
}

function first<T>(list: T[], show: (x: T) => string, n = 5): string {
  const shown = list.slice(0, n).map(show);
  return `${shown.join(", ")}${list.length > n ? `, and ${list.length - n} more` : ""}`;
}

function proposals(
  kevOpen: KevFinding[],
  groups: number,
  kevKnown: boolean,
  packages: number,
): CollectorProposal[] {
  if (kevOpen.length > 0)
    return ITEMS.map((item) => ({
      item,
      verdict: "fail",
      strength: "proves-only-when-failing",
      reason: `OSV-Scanner reports ${kevOpen.length} known exploited vulnerabilities (CISA KEV) in shipped packages: ${first(kevOpen, (k) => `${k.kev.cve} in ${label(k.pkg)}`)}.`,
      checks: ["osv-scanner.kev"],
    }));
  if (groups === 0)
    return ITEMS.map((item) => ({
      item,
      verdict: "pass",
      strength: "supports",
      reason:
        "OSV-Scanner reports no known vulnerability in the sources it scanned. This supports, but cannot prove, the absence of known exploitable vulnerabilities: it is as complete as the scanned lockfiles or SBOMs and osv.dev's data, and the output does not list the packages found clean.",
      checks: ["osv-scanner.vulnerable-package", "osv-scanner.kev"],
    }));
  return ITEMS.map((item) => ({
    item,
    verdict: "inconclusive",
    strength: "supports",
    reason: `${kevKnown ? "No KEV vulnerability is reported, but" : "No CISA KEV catalog was available, and"} ${groups} known vulnerabilities are open in ${packages} packages (exploitability not established).`,
    checks: ["osv-scanner.vulnerable-package", "osv-scanner.kev"],
  }));
}

export function analyseOsvScanner(input: CollectorInput, context: CollectorContext): CollectorReport {
  const checks = new CheckList(OSV_SCANNER_CHECKS);
  const text = decodeUtf8(input.bytes);
  const parsed = text === undefined ? undefined : parseJson(text);
  if (!parsed?.ok || !isOsvScannerOutput(parsed.value)) {
    checks.fail(
      "osv-scanner.format",
      text === undefined
        ? "not UTF-8 text"
        : parsed && !parsed.ok
          ? `not JSON: ${parsed.error}`
          : "JSON, but not OSV-Scanner output (an object with a results array of sources)",
    );
    return buildReport("osv-scanner", "unknown", false, checks, [], input, TOOL);
  }
  context.progress?.("reading");
  const out = readOsvScanner(parsed.value);
  for (const p of out.problems) checks.fail("osv-scanner.format", p.message, p.location);
  if (out.problemCount > out.problems.length)
    checks.fail(
      "osv-scanner.format",
      `and ${out.problemCount - out.problems.length} more entries of the wrong shape`,
    );
  if (out.problemCount === 0)
    checks.pass(
      "osv-scanner.format",
      `OSV-Scanner JSON: ${out.sources.length} sources, ${out.packages.length} packages reported`,
    );
  const valid = out.problemCount === 0;

  checks.info(
    "osv-scanner.sources",
    out.sources.length === 0
      ? "no source reported (the scanner found no vulnerable or licence-checked package)"
      : first(out.sources, (s) => `${s.type}:${s.path} (${s.packages} packages)`, 20),
  );

  const vulnerable = out.packages.filter((p) => p.groups.length > 0);
  const groups = vulnerable.flatMap((p) => p.groups.map((group) => ({ pkg: p, group })));
  for (const p of vulnerable.slice(0, MAX_LISTED))
    checks.warn(
      "osv-scanner.vulnerable-package",
      `${label(p)} (${p.sourceType}:${p.source}): ${first(p.groups, (g) => `${groupName(g)} ${severityText(g)}${g.fixed.length ? `, fixed in ${g.fixed.join(", ")}` : ""}`, 10)}`,
      p.location,
    );
  if (vulnerable.length > MAX_LISTED)
    checks.warn(
      "osv-scanner.vulnerable-package",
      `and ${vulnerable.length - MAX_LISTED} more vulnerable packages`,
    );
  if (vulnerable.length === 0)
    checks.pass("osv-scanner.vulnerable-package", "no known vulnerability reported");

  const bySeverity: Record<Severity, number> = {
    critical: 0,
    high: 0,
    medium: 0,
    low: 0,
    none: 0,
    unknown: 0,
  };
  for (const { group } of groups) bySeverity[group.severity]++;
  const counts = (Object.keys(bySeverity) as Severity[])
    .filter((s) => bySeverity[s] > 0)
    .map((s) => `${bySeverity[s]} ${s}`)
    .join(", ");
  if (groups.length === 0) checks.pass("osv-scanner.severity", "no vulnerability to rate");
  else if (bySeverity.critical + bySeverity.high > 0)
    checks.warn("osv-scanner.severity", `${groups.length} vulnerabilities: ${counts}`);
  else checks.info("osv-scanner.severity", `${groups.length} vulnerabilities: ${counts}`);

  const catalog = context.options?.feeds as { kev: Map<string, KevEntry>; feeds: FeedInfo[] } | undefined;
  const kev = catalog?.kev;
  const kevOpen: KevFinding[] = [];
  if (kev && kev.size > 0) {
    for (const { pkg, group } of groups)
      for (const a of group.aliases) {
        const entry = kev.get(a.toUpperCase());
        if (entry) {
          kevOpen.push({ pkg, group, kev: entry });
          break;
        }
      }
    for (const k of kevOpen.slice(0, MAX_LISTED))
      checks.fail(
        "osv-scanner.kev",
        `${k.kev.cve} (${groupName(k.group)}) in ${label(k.pkg)} is a known exploited vulnerability (CISA KEV, added ${k.kev.dateAdded ?? "?"})`,
        k.pkg.location,
      );
    if (kevOpen.length === 0)
      checks.pass(
        "osv-scanner.kev",
        `none of ${groups.length} reported vulnerabilities is among the ${kev.size} CISA KEV entries`,
      );
  } else
    checks.info(
      "osv-scanner.kev",
      "no CISA KEV catalog imported (cairn feeds import, option feeds): known exploitation not checked",
    );

  const uncalled = groups.filter((g) => g.group.called === false);
  if (groups.some((g) => g.group.called !== undefined))
    checks.info(
      "osv-scanner.call-analysis",
      uncalled.length === 0
        ? "call analysis ran: every analysed vulnerability is called"
        : `${uncalled.length} vulnerabilities are not called by the scanned code (still counted): ${first(uncalled, (g) => `${groupName(g.group)} in ${label(g.pkg)}`)}`,
    );
  const fixable = groups.filter((g) => g.group.fixed.length > 0).length;
  if (groups.length > 0)
    checks.info(
      "osv-scanner.fix-available",
      `${fixable} of ${groups.length} vulnerabilities have a fixed version`,
    );

  const violating = out.packages.filter((p) => p.licenseViolations.length > 0);
  for (const p of violating.slice(0, MAX_LISTED))
    checks.warn(
      "osv-scanner.licenses",
      `${label(p)}: ${p.licenseViolations.join(", ")} not in the allowlist${out.licenseAllowlist.length ? ` (${out.licenseAllowlist.join(", ")})` : ""}`,
      p.location,
    );
  const licensed = out.packages.filter((p) => p.licenses.length > 0);
  if (violating.length === 0 && licensed.length > 0)
    checks.info(
      "osv-scanner.licenses",
      `${licensed.length} packages with licences${out.licenseAllowlist.length ? `, none outside the allowlist (${out.licenseAllowlist.join(", ")})` : ""}`,
    );

  return buildReport(
    "osv-scanner",
    "osv-scanner-json",
    valid,
    checks,
    valid ? proposals(kevOpen, groups.length, !!kev && kev.size > 0, vulnerable.length) : [],
    input,
    TOOL,
    {
      tags: ["vulnerability-scan"],
      osvScanner: {
        sources: out.sources,
        summary: {
          packages: out.packages.length,
          vulnerablePackages: vulnerable.length,
          vulnerabilities: groups.length,
          bySeverity,
          kev: kevOpen.length,
          fixable,
          licenseViolations: violating.length,
        },
        packages: out.packages.slice(0, 10_000).map(({ location, ...p }) => p),
        ...(catalog
          ? {
              kevCatalogs: catalog.feeds.map((f) => ({
                file: f.file,
                records: f.records,
                feedDate: f.feedDate,
              })),
            }
          : {}),
      },
    },
  );
}
