import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, ROOT } from "./helpers/cli.js";

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

  it("a missing or mistaken path to collect from, or to build a dossier of", async () => {
    const missing = await cli("collect", "sbom", join(dir, "nope.cdx.json"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`no file to read at ${join(dir, "nope.cdx.json")}: check the path`);
    const folder = await cli("collect", "sbom", tmpdir());
    expect(folder.code).toBe(1);
    expect(folder.stderr).toContain(`${tmpdir()} is a folder: give the path of the file to read itself`);
    const nowhere = await cli("dossier", "build", join(dir, "nowhere"), "-o", join(dir, "out1"));
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toBe(
      `cairn: no folder ${join(dir, "nowhere")}: give the assessment folder (it is read relative to ${process.cwd()})\n`,
    );
    const empty = join(dir, "empty");
    mkdirSync(empty);
    const none = await cli("dossier", "build", empty, "-o", join(dir, "out2"));
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`no assessment in ${empty} (no assessment.json)`);
    const shaped = join(dir, "shaped");
    mkdirSync(join(shaped, "assessment.json"), { recursive: true });
    for (const args of [
      ["dossier", "build", shaped, "-o", join(dir, "out3")],
      ["assess", "status", shaped],
    ]) {
      const r = await cli(...args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr).toContain(
        `${join(shaped, "assessment.json")} is a folder: the assessment must be a file`,
      );
    }
    const catalog = await cli("catalog", "validate", tmpdir());
    expect(catalog.stderr).toBe(`cairn: ${tmpdir()} is a folder: give the path of the catalog file itself\n`);
    const crosswalk = await cli("crosswalk", "validate", join(dir, "nope.yaml"));
    expect(crosswalk.stderr).toContain(`no crosswalk file at ${join(dir, "nope.yaml")}: check the path`);
    for (const r of [missing, folder, nowhere, none, catalog, crosswalk])
      expect(r.stderr).not.toMatch(/ENOENT|EISDIR|internal error/);
  });
});

describe("a reader that stops early", () => {
  it("closing the pipe (| head) ends the command quietly, with no EPIPE stack trace", () => {
    // The help is longer than the one line head reads; sh reports the CLI's own exit status.
    const r = spawnSync(
      "sh",
      ["-c", "node bin/cairn.js profile new --help | head -1 >/dev/null; exit 0", "sh"],
      { cwd: ROOT, encoding: "utf8" },
    );
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|at /);
  });
});
