/**
 * OSV-Scanner results imported (`osv-scanner --format json`): the known vulnerabilities the scanner
 * found per package, their severity, and, with a feeds folder holding the CISA KEV catalog, which
 * are known to be exploited. A kind of its own rather than a format of `scan`: its findings are
 * the vulnerability collector's (CRA Annex I Part I (2)(a)), not a network scanner's, and it reads
 * the vulnerability feeds (`--feeds`) as that collector does.
 */
import { existsSync, statSync } from "node:fs";
import { CairnError } from "../../core/problem.js";
import type { CheckDefinition, Collector } from "../contract.js";
import { head } from "../support/report.js";

export const OSV_SCANNER_CHECKS: readonly CheckDefinition[] = [
  {
    id: "osv-scanner.format",
    description:
      "The input is OSV-Scanner JSON output: results of sources (path, type), each with packages, their vulnerabilities and groups; entries of the wrong shape are listed.",
  },
  {
    id: "osv-scanner.sources",
    description:
      "The sources scanned (lockfiles, SBOMs, images, git) and how many packages each reports (info).",
  },
  {
    id: "osv-scanner.vulnerable-package",
    description:
      "A package with known vulnerabilities, grouped by alias as the scanner grouped them, with severity and fixed versions (warn each; pass when none).",
  },
  {
    id: "osv-scanner.severity",
    description:
      "Vulnerability groups by severity (the scanner's max_severity CVSS score, else the advisory's own rating): warn when any is high or critical.",
  },
  {
    id: "osv-scanner.kev",
    description:
      "No reported vulnerability (id or alias) is in the CISA KEV catalog of the imported feeds (option feeds); info without a catalog.",
  },
  {
    id: "osv-scanner.call-analysis",
    description:
      "Groups the scanner's call analysis marks as not called (info: still counted, the analysis covers only some ecosystems).",
  },
  {
    id: "osv-scanner.fix-available",
    description: "How many vulnerability groups have a fixed version named by their advisories (info).",
  },
  {
    id: "osv-scanner.licenses",
    description:
      "Licence violations against the allowlist the scanner was given (warn each); the licence summary when present (info).",
  },
];

export const osvScannerCollector: Collector = {
  kind: "osv-scanner",
  title: "OSV-Scanner results (JSON): known vulnerabilities per package, severity, CISA KEV",
  checks: OSV_SCANNER_CHECKS,
  options: [
    {
      name: "feeds",
      arg: "<folder>",
      description:
        "feeds folder made by cairn feeds import (default ./.cairn/feeds, or $CAIRN_FEEDS): only its CISA KEV catalog is read; without one, exploitation is not judged",
    },
  ],

  async prepare(options) {
    const { feedsDir, loadKevCatalog } = await import("../vulns/feed-store.js");
    const named = typeof options.feeds === "string" ? options.feeds : undefined;
    const dir = feedsDir(named);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      if (named !== undefined) throw new CairnError(`--feeds ${named}: no feeds folder there`);
      return { ...options, feeds: undefined };
    }
    return { ...options, feeds: loadKevCatalog(dir) };
  },

  detect(bytes) {
    const start = head(bytes, 4096);
    if (!/^\s*\{/.test(start) || !/"results"\s*:/.test(start)) return 0;
    if (/"(source|packageSource)"\s*:\s*\{/.test(start) && /"packages"\s*:/.test(start)) return 0.9;
    if (/"experimental_config"\s*:/.test(start)) return 0.9;
    if (/^\s*\{\s*"results"\s*:\s*\[\s*\]\s*\}\s*$/.test(start)) return 0.6;
    return 0;
  },

  async collect(input, context) {
    const { analyseOsvScanner } = await import("./analyse.js");
    return analyseOsvScanner(input, context);
  },
};

export default osvScannerCollector;
