import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Collector } from "./contract.js";
import { securityTxtCollector } from "./security-txt/index.js";

const collectors: Collector[] = [securityTxtCollector];
const doc = readFileSync(new URL("../../docs/collectors-part2.md", import.meta.url), "utf8");

describe("collector check ids (part 2)", () => {
  for (const c of collectors)
    it(`${c.kind}: every check id is documented and unique`, () => {
      const ids = c.checks.map((d) => d.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(doc, id).toContain(`\`${id}\``);
    });
});
