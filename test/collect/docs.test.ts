import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadCollectors } from "../../src/collect/registry.js";
import { ROOT } from "../helpers/cli.js";

describe("docs/collectors.md", () => {
  it("documents every check id of every collector, with its description", async () => {
    const doc = readFileSync(`${ROOT}/docs/collectors.md`, "utf8");
    for (const c of await loadCollectors())
      for (const check of c.checks)
        expect(doc, check.id).toContain(`| \`${check.id}\` | ${check.description.replace(/\|/g, "\\|")} |`);
  });
});
