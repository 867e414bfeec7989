import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "./helpers/cli.js";

// Errors in the user's words: a path that is missing or a folder says so and what to do, never
// ENOENT, EISDIR or "internal error", and exits 1 (invalid input).

const dir = mkdtempSync(join(tmpdir(), "cairn-errors-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("file errors", () => {
  it("a folder or a missing path given as a file", async () => {
    const a = join(dir, "a");
    const init = (profile: string, where: string) =>
      cli(
        "assess",
        "init",
        "--profile",
        profile,
        "--product-id",
        "t1",
        "--manufacturer",
        "M",
        "--model",
        "X",
        "--category",
        "c",
        "--release",
        "1.0",
        "--release-date",
        "2026-01-01",
        "--dir",
        where,
      );
    const folder = await init(tmpdir(), join(dir, "b"));
    expect(folder.code).toBe(1);
    expect(folder.stderr).toBe(`cairn: ${tmpdir()} is a folder: give the path of the profile file itself\n`);
    const missing = await init(join(dir, "nope.json"), join(dir, "c"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`no profile file at ${join(dir, "nope.json")}: check the path`);

    expect((await init("preset:temperature-sensor-industrial", a)).code).toBe(0);
    const ev = await cli("assess", "evidence", "add", "--dir", a, "--file", tmpdir(), "--title", "x");
    expect(ev.code).toBe(1);
    expect(ev.stderr).toBe(
      `cairn: ${tmpdir()} is a folder: give the path of the evidence file itself (zip a folder first if it is the evidence)\n`,
    );
    const set = await cli(
      "assess",
      "set",
      "nist-ir-8259a:1",
      "--dir",
      a,
      "--verdict",
      "pass",
      "--evidence",
      "nope.pdf",
    );
    expect(set.code).toBe(1);
    expect(set.stderr).toContain("no evidence file at nope.pdf: check the path");
    for (const r of [folder, missing, ev, set]) expect(r.stderr).not.toMatch(/ENOENT|EISDIR|internal error/);
    const profile = await cli("profile", "show", tmpdir());
    expect(profile.stderr).toContain("is a folder: give the path of the profile file itself");
  });
});
