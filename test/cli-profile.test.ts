import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateOscal } from "../src/oscal/validate.js";
import { cli, cliProcess, ROOT } from "./helpers/cli.js";

const OUT = join(ROOT, "test-artifacts", "cli-profile");
mkdirSync(OUT, { recursive: true });
const OSCAL = join(ROOT, "reference", "nist", "oscal");

describe("cairn profile", () => {
  it("new --json gives the context, items with stringency, method and because, and the requirements", async () => {
    const r = await cli(
      "profile",
      "new",
      "--confidentiality",
      "moderate",
      "--integrity",
      "high",
      "--availability",
      "moderate",
      "--environment",
      "medical",
      "--connectivity",
      "internet-exposed",
      "--data",
      "personal,health",
      "--lifetime",
      "10",
      "--market",
      "us-federal,eu-cra",
      "--date",
      "2026-11-27",
      "--json",
    );
    expect(r.code).toBe(0);
    const p = JSON.parse(r.stdout);
    expect(p.context).toMatchObject({
      environment: "medical",
      connectivity: "internet-exposed",
      lifetimeYears: 10,
      markets: ["eu-cra", "us-federal"],
    });
    expect(p.highWaterMark).toBe("high");
    expect(p.requirements).toEqual({ fips140_3: true, independentAssessment: true, minSupportYears: 10 });
    const item = p.items.find((i: { id: string }) => i.id === "nist-ir-8259a:4");
    expect(item).toMatchObject({ stringency: "high", method: "independent-assessment" });
    expect(item.because.map((b: { rule: string }) => b.rule)).toContain("NET-EXPOSED");
    expect(p.items.some((i: { catalog: string }) => i.catalog === "eu-cra")).toBe(true);
  });

  it("an unknown or missing context value is exit 1 with the allowed values; nothing defaults", async () => {
    const r = await cli(
      "profile",
      "new",
      "--confidentiality",
      "low",
      "--integrity",
      "low",
      "--availability",
      "low",
      "--environment",
      "moon",
      "--connectivity",
      "isolated",
      "--data",
      "public",
      "--market",
      "us-federal",
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('context environment: "moon" is not allowed; allowed: industrial, medical');
    expect(r.stderr).toContain("context lifetimeYears: missing; a whole number of years from 1 to 40");
  });

  it("presets, show, explain, clauses and diff work on files and presets", async () => {
    const presets = JSON.parse((await cli("profile", "presets", "--json")).stdout);
    expect(presets.map((p: { id: string }) => p.id)).toEqual([
      "temperature-sensor-industrial",
      "temperature-sensor-industrial-minimal",
      "medical-device-military-hospital",
      "ip-camera-sensitive-site",
      "building-automation-controller",
      "consumer-smart-plug-us-label",
      "consumer-camera-eu-uk",
      "smart-door-lock-asia",
    ]);
    const file = join(OUT, "camera.json");
    expect(
      (
        await cli(
          "profile",
          "new",
          "--preset",
          "ip-camera-sensitive-site",
          "--date",
          "2026-11-27",
          "-o",
          file,
        )
      ).code,
    ).toBe(0);
    const shown = JSON.parse((await cli("profile", "show", file, "--json")).stdout);
    expect(shown.id).toBe("ip-camera-sensitive-site");
    const explained = JSON.parse(
      (await cli("profile", "explain", file, "nist-sp-800-213a:T1.1.1", "--json")).stdout,
    );
    expect(explained[0].because[0]).toMatchObject({ rule: "FED-BASELINE-213A", controls: ["IA-3"] });
    const md = await cli("profile", "clauses", file, "--format", "md");
    expect(md.stdout).toMatch(/^# Acquisition requirements: IP surveillance camera/);
    const html = await cli("profile", "clauses", "preset:temperature-sensor-industrial", "--format", "html");
    expect(html.stdout).toContain("<h2>Capability requirements</h2>");
    const diff = JSON.parse(
      (await cli("profile", "diff", "preset:temperature-sensor-industrial", file, "--json")).stdout,
    );
    expect(diff.baseline).toEqual({ before: "LOW", after: "MODERATE" });
    expect(diff.added.length).toBeGreaterThan(100);
  });

  it("tailor keeps a log and a visible warning for a removed core item", async () => {
    const file = join(OUT, "sensor.json");
    await cli(
      "profile",
      "new",
      "--preset",
      "temperature-sensor-industrial",
      "--date",
      "2026-11-27",
      "-o",
      file,
    );
    const r = await cli(
      "profile",
      "tailor",
      file,
      "--remove",
      "nist-ir-8259a:5.3",
      "--rationale",
      "No rollback on this sensor",
      "--author",
      "A. Buyer",
      "--date",
      "2026-11-28",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("WARNING: core item nist-ir-8259a:5.3");
    const p = JSON.parse(readFileSync(file, "utf8"));
    expect(p.tailoring).toEqual([
      {
        action: "remove",
        item: "nist-ir-8259a:5.3",
        rationale: "No rollback on this sensor",
        author: "A. Buyer",
        at: "2026-11-28",
      },
    ]);
    expect(p.warnings).toHaveLength(1);
    expect((await cli("profile", "show", file)).stdout).toContain("WARNING: core item nist-ir-8259a:5.3");
    const noRationale = await cli("profile", "tailor", file, "--add", "nist-ir-8259a:5.3", "--author", "x");
    expect(noRationale.code).toBe(2);
  });

  it("export-oscal writes an OSCAL profile valid against the 1.2.1 schema", async () => {
    const r = await cli("profile", "export-oscal", "preset:consumer-smart-plug-us-label");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(validateOscal("profile", doc, "export")).toEqual([]);
    expect(doc.profile.imports.length).toBe(3);
  });

  it("resolve turns NIST's HIGH baseline profile into the HIGH catalog, as a whole process", () => {
    const out = join(OUT, "high-resolved.json");
    const r = cliProcess(
      "profile",
      "resolve",
      join(OSCAL, "sp800-53b-rev5.0.1-high-baseline-profile.oscal.json"),
      "--catalog",
      join(OSCAL, "sp800-53-rev5.0.1-catalog.oscal.json"),
      "-o",
      out,
      "--date",
      "2026-11-27T00:00:00Z",
      "--json",
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ controls: 370 });
    const resolved = JSON.parse(readFileSync(out, "utf8"));
    const nist = JSON.parse(
      readFileSync(join(OSCAL, "sp800-53-rev5.0.1-high-resolved-catalog.oscal.json"), "utf8"),
    );
    expect(resolved.catalog.groups).toEqual(nist.catalog.groups);
  });

  it("resolve, bundled, loads no runtime dependency and not node:child_process (start-up cost)", () => {
    // What a whole-process resolution loads besides its own chunks: Node's built-in modules it
    // needs, no package from node_modules (ajv is loaded only with --validate) and not the
    // child_process module commander requires for executable subcommands Cairn does not have.
    const script = `
      import { createRequire } from "node:module";
      const main = await import("./dist/cli/main.js");
      const code = await main.run(process.argv.slice(1));
      const packages = Object.keys(createRequire(import.meta.url).cache).filter((f) => f.includes("node_modules"));
      const builtins = process.moduleLoadList.filter((m) => /^NativeModule child_process$/.test(m));
      console.error(JSON.stringify({ code, packages, builtins }));`;
    const r = spawnSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        script,
        "--",
        "profile",
        "resolve",
        join(OSCAL, "sp800-53b-rev5.0.1-high-baseline-profile.oscal.json"),
        "--catalog",
        join(OSCAL, "sp800-53-rev5.0.1-catalog.oscal.json"),
        "-o",
        join(OUT, "high-resolved-loads.json"),
      ],
      { cwd: ROOT, encoding: "utf8" },
    );
    const seen = JSON.parse(r.stderr.trim().split("\n").at(-1) as string);
    expect(seen).toEqual({ code: 0, packages: [], builtins: [] });
  });

  it("resolve never fetches a remote import: without a local file it stops and says so", () => {
    const r = cliProcess(
      "profile",
      "resolve",
      join(OSCAL, "sp800-53b-rev5.0.1-high-baseline-profile.oscal.json"),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Cairn does not fetch URLs; give the document as a local file with --catalog");
  });

  it("import-oscal round-trips Cairn's own export and imports NIST's baselines into a context", async () => {
    const exported = join(OUT, "plug.oscal.json");
    await cli("profile", "export-oscal", "preset:consumer-smart-plug-us-label", "-o", exported);
    const back = JSON.parse(
      (await cli("profile", "import-oscal", exported, "--date", "2026-11-27", "--json")).stdout,
    );
    const original = JSON.parse(
      (await cli("profile", "show", "preset:consumer-smart-plug-us-label", "--json")).stdout,
    );
    const pick = (p: { items: { id: string; stringency: string; obligation: string }[] }) =>
      p.items.map((i) => [i.id, i.stringency, i.obligation]);
    expect(pick(back)).toEqual(pick(original));
    expect(back.context).toEqual(original.context);

    const low = join(OSCAL, "sp800-53b-rev5-low-baseline-profile.oscal.json");
    const catalog = join(OSCAL, "sp800-53-rev5.0.1-catalog.oscal.json");
    const none = await cli("profile", "import-oscal", low, "--catalog", catalog);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("carries no device context: give --preset <name>");
    const withCtx = JSON.parse(
      (
        await cli(
          "profile",
          "import-oscal",
          low,
          "--catalog",
          catalog,
          "--preset",
          "temperature-sensor-industrial",
          "--json",
        )
      ).stdout,
    );
    expect(withCtx.items).toHaveLength(149);
    expect(withCtx.items.every((i: { catalog: string }) => i.catalog === "nist-sp-800-53")).toBe(true);
    expect(withCtx.items[0].because[0].rule).toBe("OSCAL-IMPORT");
  });
});
