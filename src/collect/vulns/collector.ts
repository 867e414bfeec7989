import type { Collector } from "../contract.js";
import { isJsonName, sniffSbom } from "../sbom/detect.js";
import { VULN_CHECKS } from "./check-ids.js";

export const vulnsCollector: Collector = {
  kind: "vulns",
  title:
    "Known vulnerabilities of an SBOM's components, from offline feeds (OSV, NVD, CISA KEV), with VEX applied",
  // An SBOM is the input, but `sbom` is the better guess for one: this kind is asked for by name.
  detect(bytes, name) {
    return sniffSbom(bytes) || isJsonName(name) ? 0.2 : 0;
  },
  options: [
    {
      name: "feeds",
      arg: "<folder>",
      description: "feeds folder made by cairn feeds import (default ./.cairn/feeds, or $CAIRN_FEEDS)",
    },
    {
      name: "vex",
      arg: "<file>",
      description: "VEX document to apply: CSAF VEX, OpenVEX or CycloneDX (repeatable)",
      repeatable: true,
    },
  ],
  async prepare(options) {
    const { prepareVulns } = await import("./prepare.js");
    return prepareVulns(options);
  },
  async collect(input, context) {
    const { analyseVulns } = await import("./analyse.js");
    return analyseVulns(input, context);
  },
  checks: VULN_CHECKS,
};
