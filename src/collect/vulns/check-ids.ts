import type { CheckDefinition } from "../contract.js";

/** Every check the vulnerability collector emits (docs/collectors.md lists them from here). */
export const VULN_CHECKS: readonly CheckDefinition[] = [
  {
    id: "vulns.sbom",
    description: "The input is an SBOM Cairn reads (CycloneDX 1.4-1.7, SPDX 2.x, SPDX 3.0.1).",
  },
  {
    id: "vulns.feeds",
    description:
      "Imported feeds are available (cairn feeds import): OSV/NVD advisories and the CISA KEV catalog, with their counts and dates.",
  },
  { id: "vulns.feed-age", description: "No feed is older than 30 days on the assessment date (warn)." },
  {
    id: "vulns.identified",
    description:
      "Every component has a package URL or CPE; the others are matched by name as candidates only and listed (warn).",
  },
  {
    id: "vulns.unchecked",
    description:
      "Components that could not be checked: no version, or a version their ecosystem's ordering cannot place in an advisory's ranges (warn).",
  },
  {
    id: "vulns.known",
    description:
      "Known vulnerabilities affecting components without a VEX statement resolving them (warn: exploitability not established).",
  },
  {
    id: "vulns.kev",
    description:
      "Known exploited vulnerabilities (CISA KEV) affecting components, matched by purl or CPE, without a VEX not_affected or fixed.",
  },
  { id: "vulns.kev-candidates", description: "KEV vulnerabilities matched by component name only (warn)." },
  {
    id: "vulns.vex",
    description:
      "VEX statements read (CycloneDX analysis in the SBOM, CSAF VEX, OpenVEX) and how many matches they cover (info).",
  },
];
