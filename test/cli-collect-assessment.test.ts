// `cairn collect <file> --assessment <folder>`: the file becomes an evidence record of the
// assessment and the collector's proposals are stored through the assessment core, for a person to
// decide; nothing a person recorded changes.
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, fixture, ROOT } from "./helpers/cli.js";

const EXAMPLE = join(ROOT, "examples", "smart-thermostat", "assessment");
const SBOM = fixture("sbom", "cyclonedx-1.6-thermostat-firmware.cdx.json");

function copy(): string {
  const dir = join(mkdtempSync(join(tmpdir(), "cairn-collect-into-")), "a");
  cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}
const doc = (dir: string) => JSON.parse(readFileSync(join(dir, "assessment.json"), "utf8"));

describe("cairn collect --assessment", () => {
  it("stores the SBOM as evidence and its proposals for the profile's items, leaving every finding as it was", async () => {
    const dir = copy();
    const before = doc(dir);
    const profile = JSON.parse(readFileSync(join(dir, "profile.json"), "utf8"));
    const held = new Set(profile.items.map((i: { id: string }) => i.id));
    const r = await cli(
      "collect",
      SBOM,
      "--assessment",
      dir,
      "--date",
      "2026-10-06",
      "--by",
      "Dana Ortiz",
      "--json",
    );
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    expect(out.kind).toBe("sbom");
    const { stored } = out;
    expect(stored.evidence).toBe(`E-${String(before.evidence.length + 1).padStart(4, "0")}`);
    const inProfile = out.proposals.filter((p: { item: string }) => held.has(p.item));
    expect(stored.proposals).toHaveLength(inProfile.length);
    expect(stored.dropped).toEqual(
      out.proposals.filter((p: { item: string }) => !held.has(p.item)).map((p: { item: string }) => p.item),
    );

    const after = doc(dir);
    expect(after.findings).toEqual(before.findings);
    const e = after.evidence.find((x: { id: string }) => x.id === stored.evidence);
    expect(e).toMatchObject({
      kind: "tool-result",
      tags: expect.arrayContaining(["sbom"]),
      tool: {
        name: expect.any(String),
        command: "cairn collect sbom cyclonedx-1.6-thermostat-firmware.cdx.json",
      },
      addedBy: "Dana Ortiz",
    });
    expect(e.file.sha256).toBe(createHash("sha256").update(readFileSync(SBOM)).digest("hex"));
    // The raw result's hash: the report as the same run without --assessment prints it.
    const { stored: _s, ...report } = out;
    const plain = await cli("collect", SBOM, "--date", "2026-10-06", "--json", "--release", "4.2.0");
    expect(e.tool.outputSha256).toBe(
      createHash("sha256")
        .update(`${JSON.stringify(report, null, 2)}\n`)
        .digest("hex"),
    );
    expect(plain.code).toBeLessThan(2);
    expect(readdirSync(join(dir, "evidence"))).toContain(e.file.path.replace(/^evidence\//, ""));
    for (const id of stored.proposals) {
      const p = after.proposals.find((x: { id: string }) => x.id === id);
      expect(p).toMatchObject({
        kind: "verdict",
        source: { kind: "collector", collector: "sbom", evidence: stored.evidence },
      });
      expect(p.decision).toBeUndefined();
    }
    // Listed for a person to decide, beside the crosswalks' proposals.
    const listed = JSON.parse((await cli("assess", "proposals", dir, "--kind", "verdict", "--json")).stdout);
    expect(listed.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining(stored.proposals));
    // The collector judged the assessment's own product and release.
    expect(JSON.stringify(out.checks)).not.toMatch(/no release given/i);
  });

  it("refuses a folder that is not an assessment, and a done one, writing nothing", async () => {
    const empty = mkdtempSync(join(tmpdir(), "cairn-collect-into-"));
    const r = await cli("collect", SBOM, "--assessment", empty);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(empty);
    expect(readdirSync(empty)).toEqual([]);

    const dir = copy();
    expect((await cli("assess", "update", dir, "--status", "done", "--date", "2026-10-06")).code).toBe(0);
    const before = readFileSync(join(dir, "assessment.json"), "utf8");
    const files = readdirSync(join(dir, "evidence")).length;
    const done = await cli("collect", SBOM, "--assessment", dir);
    expect(done.code).toBe(1);
    expect(done.stderr).toMatch(/the assessment is done/);
    expect(readFileSync(join(dir, "assessment.json"), "utf8")).toBe(before);
    expect(readdirSync(join(dir, "evidence"))).toHaveLength(files);
  });
});
