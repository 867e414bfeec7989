import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { collectorKinds, loadCollector } from "./registry.js";

const doc = readFileSync(new URL("../../docs/collectors.md", import.meta.url), "utf8");

describe("collector check ids and options (docs/collectors.md)", () => {
  for (const kind of collectorKinds())
    it(`${kind}: every check id is unique and has its row; every option is documented`, async () => {
      const c = await loadCollector(kind);
      const ids = c.checks.map((d) => d.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(doc, id).toContain(`| \`${id}\` |`);
      expect(doc).toMatch(new RegExp(`^### ${kind}$`, "m"));
      for (const o of c.options ?? []) expect(doc, `--${o.name}`).toContain(`\`--${o.name}\``);
    });
});
