import type { Collector } from "../contract.js";
import { SBOM_CHECKS } from "./check-ids.js";
import { isJsonName, sniffSbom } from "./detect.js";

export const sbomCollector: Collector = {
  kind: "sbom",
  title: "Software bill of materials (CycloneDX 1.4-1.7 JSON, SPDX 2.2/2.3 JSON, SPDX 3.0.1 JSON-LD)",
  detect(bytes, name) {
    const family = sniffSbom(bytes);
    if (family) return 0.9;
    return isJsonName(name) && /(sbom|bom|cdx|spdx)/i.test(name ?? "") ? 0.3 : 0;
  },
  async collect(input, context) {
    const { analyseSbom } = await import("./analyse.js");
    return analyseSbom(input, context);
  },
  checks: SBOM_CHECKS,
};
