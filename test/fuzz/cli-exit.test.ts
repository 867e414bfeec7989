/**
 * The fuzzers' findings at the command line: a hostile catalog, crosswalk or assessment folder is
 * exit 1 with the file named, never exit 3 (internal error).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { aliasBomb } from "./generators.js";

const dir = mkdtempSync(join(tmpdir(), "cairn-cli-exit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe("hostile files at the command line", () => {
  it("catalog validate: an alias bomb, an alias before its anchor, a non-string ref: exit 1 naming the file", async () => {
    for (const [name, text] of <[string, string][]>[
      ["bomb.yaml", aliasBomb()],
      ["early-alias.yaml", "format: *f\nx: &f cairn-catalog/1\n"],
      [
        "ref.json",
        JSON.stringify({ format: "cairn-catalog/1", catalog: {}, items: [{ ref: { toString: 1 } }] }),
      ],
    ]) {
      const r = await cli("catalog", "validate", file(name, text));
      expect(r.code, name).toBe(1);
      expect(r.stderr, name).toContain(name);
      expect(r.stderr).not.toMatch(/internal error/);
    }
  });

  it("crosswalk validate: a row id of the wrong type, an alias bomb: exit 1", async () => {
    const doc = {
      format: "cairn-crosswalk/1",
      crosswalk: { id: 1 },
      mappings: [{ id: { toString: 1 }, sources: "x" }],
    };
    for (const [name, text] of <[string, string][]>[
      ["rows.json", JSON.stringify(doc)],
      ["cw-bomb.yaml", aliasBomb()],
    ]) {
      const r = await cli("crosswalk", "validate", file(name, text));
      expect(r.code, name).toBe(1);
      expect(r.stderr).not.toMatch(/internal error/);
    }
  });

  it("check: an assessment.json that is a folder, or of the wrong shape: exit 1", async () => {
    const a = join(dir, "a1");
    mkdirSync(join(a, "assessment.json"), { recursive: true });
    const r = await cli("check", a);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/assessment\.json is a folder: the assessment must be a file/);
    expect(r.stderr).not.toMatch(/EISDIR/);
    const b = join(dir, "a2");
    mkdirSync(b);
    writeFileSync(
      join(b, "assessment.json"),
      JSON.stringify({ format: "cairn-assessment/1", findings: { toString: 1 } }),
    );
    const s = await cli("check", b);
    expect(s.code).toBe(1);
    expect(s.stderr).not.toMatch(/internal error/);
  });
});
