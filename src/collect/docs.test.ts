import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Collector } from "./contract.js";
import { csafCollector } from "./csaf/index.js";
import { firmwareCollector } from "./firmware/index.js";
import { mudCollector } from "./mud/index.js";
import { scanCollector } from "./scan/index.js";
import { securityTxtCollector } from "./security-txt/index.js";
import { x509Collector } from "./x509/index.js";

const collectors: Collector[] = [
  securityTxtCollector,
  csafCollector,
  x509Collector,
  firmwareCollector,
  scanCollector,
  mudCollector,
];
const doc = readFileSync(new URL("../../docs/collectors-part2.md", import.meta.url), "utf8");

describe("collector check ids (part 2)", () => {
  for (const c of collectors)
    it(`${c.kind}: every check id is documented and unique`, () => {
      const ids = c.checks.map((d) => d.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) {
        // The CSAF library tests are documented as one row per group (csaf.mandatory.6.1.N...).
        const row = id.replace(/^(csaf\.(?:mandatory|optional|informative)\.6\.[123])\..*$/, "$1.N");
        expect(doc, id).toContain(`\`${row}\``);
      }
    });
});
