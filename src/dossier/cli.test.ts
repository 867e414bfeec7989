import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../test/helpers/cli.js";
import { type ForgedEntry, forgeZip, zeroBomb } from "../../test/helpers/zip-forge.js";
import { loadCatalogs } from "../catalog/files.js";
import { registerDossierCommands } from "../cli/dossier.js";
import { CairnError, formatProblem } from "../core/problem.js";
import { loadCrosswalks } from "../crosswalk/files.js";
import { syntheticInput } from "./synthetic.js";

const { registry } = loadCatalogs();
const { set } = loadCrosswalks(registry);
let root: string;

/** Runs `cairn dossier ...` in process; returns the exit code and what it printed. */
async function dossier(...args: string[]): Promise<{ code: number; out: string; problems: string[] }> {
  const program = new Command("cairn").option("--json").exitOverride();
  registerDossierCommands(program);
  for (const c of program.commands) {
    c.exitOverride();
    for (const s of c.commands) s.exitOverride();
  }
  let out = "";
  const write = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => {
    out += chunk;
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    await program.parseAsync(args, { from: "user" });
    return { code: 0, out, problems: [] };
  } catch (e) {
    if (e instanceof CairnError) return { code: e.exitCode, out, problems: e.problems.map(formatProblem) };
    throw e;
  } finally {
    process.stdout.write = write;
    process.stderr.write = err;
  }
}

/** An assessment folder as `cairn assess` lays it out: assessment.json, profile.json, evidence/. */
function writeFolder(dir: string): void {
  // A small profile keeps the test fast; dossier.test.ts covers the full one.
  const input = syntheticInput(registry, set, { items: 40 });
  mkdirSync(join(dir, "evidence"), { recursive: true });
  writeFileSync(join(dir, "assessment.json"), `${JSON.stringify(input.assessment, null, 2)}\n`);
  writeFileSync(join(dir, "profile.json"), `${JSON.stringify(input.profile, null, 2)}\n`);
  for (const [path, bytes] of input.evidenceFiles) writeFileSync(join(dir, path), bytes);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "cairn-dossier-"));
  writeFolder(join(root, "assessment"));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("cairn dossier", { timeout: 120_000 }, () => {
  it("build writes the folder and the zip; verify accepts both; a changed file is named, exit 1", async () => {
    const out = join(root, "dossier");
    const b = await dossier("dossier", "build", join(root, "assessment"), "-o", out);
    expect(b.problems).toEqual([]);
    expect(b.code).toBe(0);
    expect(b.out).toContain("written");
    expect(existsSync(join(out, "report.pdf"))).toBe(true);
    expect(existsSync(join(out, "oscal", "assessment-results.json"))).toBe(true);
    expect(existsSync(`${out}.zip`)).toBe(true);

    expect((await dossier("dossier", "verify", out)).code).toBe(0);
    expect((await dossier("dossier", "verify", `${out}.zip`)).code).toBe(0);

    writeFileSync(join(out, "matrix.csv"), `${readFileSync(join(out, "matrix.csv"), "utf8")}x`);
    const v = await dossier("dossier", "verify", out);
    expect(v.code).toBe(1);
    expect(v.problems.some((p) => p.startsWith("matrix.csv: changed"))).toBe(true);

    // A second build into the same folder needs --force, and gives the same bytes.
    expect((await dossier("dossier", "build", join(root, "assessment"), "-o", out)).code).toBe(2);
    const zip = readFileSync(`${out}.zip`);
    expect((await dossier("dossier", "build", join(root, "assessment"), "-o", out, "--force")).code).toBe(0);
    expect(readFileSync(`${out}.zip`).equals(zip)).toBe(true);
    expect((await dossier("dossier", "verify", out)).code).toBe(0);
  });

  it("build refuses an assessment whose evidence file was changed, unless --draft", async () => {
    const dir = join(root, "tampered");
    writeFolder(dir);
    const a = JSON.parse(readFileSync(join(dir, "assessment.json"), "utf8"));
    writeFileSync(join(dir, a.evidence[0].file.path), "not the recorded bytes");
    const r = await dossier("dossier", "build", dir, "-o", join(root, "tampered-dossier"));
    expect(r.code).toBe(1);
    expect(r.problems.some((p) => p.includes("(E-0001).file") && p.includes("SHA-256 is"))).toBe(true);
    expect(existsSync(join(root, "tampered-dossier"))).toBe(false);

    const d = await dossier(
      "--json",
      "dossier",
      "build",
      dir,
      "-o",
      join(root, "tampered-dossier"),
      "--draft",
    );
    expect(d.code).toBe(0);
    expect(JSON.parse(d.out)).toMatchObject({ draft: true });
    expect(JSON.parse(readFileSync(join(root, "tampered-dossier", "manifest.json"), "utf8")).draft).toBe(
      true,
    );
  });

  it("builds a DRAFT by itself while something required is open, and a final one with --final and --by", async () => {
    const dir = join(root, "open");
    writeFolder(dir);
    const d = await dossier("--json", "dossier", "build", dir, "-o", join(root, "open-dossier"));
    expect(d.code).toBe(0);
    const built = JSON.parse(d.out);
    expect(built.draft).toBe(true);
    expect(built.open).toMatch(/required items? not decided/);
    const f = await dossier(
      "--json",
      "dossier",
      "build",
      dir,
      "-o",
      join(root, "final-dossier"),
      "--final",
      "shipped to the pilot site",
      "--by",
      "Ada Assessor",
    );
    expect(f.code).toBe(0);
    expect(JSON.parse(f.out)).toMatchObject({
      draft: false,
      final: { reason: "shipped to the pilot site", by: "Ada Assessor" },
    });
    const usage = await dossier("dossier", "build", dir, "-o", join(root, "x"), "--final", "why");
    expect(usage.code).toBe(2);
  });

  it("an assessment of the wrong shape is an error naming the field", async () => {
    const dir = join(root, "bad-shape");
    writeFolder(dir);
    const a = JSON.parse(readFileSync(join(dir, "assessment.json"), "utf8"));
    a.findings[2].verdict = "great";
    delete a.release.version;
    writeFileSync(join(dir, "assessment.json"), JSON.stringify(a));
    const r = await dossier("dossier", "build", dir, "-o", join(root, "bad-shape-dossier"), "--draft");
    expect(r.code).toBe(1);
    expect(r.problems.some((p) => p.endsWith("findings[2].verdict: has the wrong type or value"))).toBe(true);
    expect(r.problems.some((p) => p.endsWith("release.version: missing"))).toBe(true);
  });
});

/** The files of a dossier zip, in the order they are in it (fflate keeps it), as forge entries. */
function entriesOf(zip: Uint8Array): ForgedEntry[] {
  return Object.entries(unzipSync(zip)).map(([name, data]) => ({ name, data }));
}

describe("cairn dossier verify refuses ambiguous and hostile zips (issue 15)", () => {
  let genuine: ForgedEntry[];
  beforeAll(async () => {
    const out = join(root, "hostile-base");
    expect((await dossier("dossier", "build", join(root, "assessment"), "-o", out)).code).toBe(0);
    genuine = entriesOf(new Uint8Array(readFileSync(`${out}.zip`)));
  });
  const write = (name: string, bytes: Uint8Array) => {
    const path = join(root, name);
    writeFileSync(path, bytes);
    return path;
  };

  it("the same entries forged byte by byte verify (the forge is faithful)", async () => {
    const v = await dossier("dossier", "verify", write("faithful.zip", forgeZip(genuine)));
    expect(v.problems).toEqual([]);
    expect(v.code).toBe(0);
  });

  it("a forged report.html placed before the genuine one", async () => {
    const forged = { name: "report.html", data: new TextEncoder().encode("<h1>All requirements pass</h1>") };
    const v = await dossier("dossier", "verify", write("duplicate.zip", forgeZip([forged, ...genuine])));
    expect(v.code).toBe(1);
    expect(v.problems.join("\n")).toMatch(/\("report\.html"\): the name appears twice/);
  });

  it("an entry whose local-header name differs from its central-directory name", async () => {
    const renamed = genuine.map((e) =>
      e.name === "report.html" ? { ...e, localName: "report.htm\u0000" } : e,
    );
    const v = await dossier("dossier", "verify", write("mismatch.zip", forgeZip(renamed)));
    expect(v.code).toBe(1);
    expect(v.problems.join("\n")).toMatch(/\("report\.html"\): the local header names it/);
  });

  it("an entry named __proto__ (or constructor) is not hidden from the check", async () => {
    const extra = [
      { name: "__proto__", data: new TextEncoder().encode("x") },
      { name: "constructor", data: new TextEncoder().encode("y") },
    ];
    const v = await dossier("dossier", "verify", write("proto.zip", forgeZip([...genuine, ...extra])));
    expect(v.code).toBe(1);
    expect(v.problems).toContain("__proto__: added: not listed in the manifest");
    expect(v.problems).toContain("constructor: added: not listed in the manifest");
  });

  it("a 1.5 MB zip that inflates to 1.4 GiB is refused in its own process without growing its memory", () => {
    const bomb = zeroBomb(1400);
    const honest = write(
      "bomb-honest.zip",
      forgeZip([
        ...genuine,
        {
          name: "evidence/zeros.bin",
          data: new Uint8Array(),
          compressed: bomb,
          // Under the per-entry limit (1 GiB), so that the ratio is what refuses it.
          declaredSize: 900 * 1024 * 1024,
          crc: 0,
        },
      ]),
    );
    const lying = write(
      "bomb-lying.zip",
      forgeZip([
        ...genuine,
        { name: "evidence/zeros.bin", data: new Uint8Array(), compressed: bomb, declaredSize: 1024, crc: 0 },
      ]),
    );
    expect(readFileSync(lying).length).toBeLessThan(1.6e6);
    for (const [zip, message] of [
      [honest, /compressed \d+ to 1; at most 100 to 1/],
      [lying, /inflates past its declared 1024 bytes/],
    ] as const) {
      // The built CLI in a child process, which reports its peak memory (KiB) when it is done.
      const script = `const { run } = await import(${JSON.stringify(`${ROOT}dist/src/cli/main.js`)}); const code = await run(["dossier", "verify", ${JSON.stringify(zip)}]); process.stdout.write("\\nmaxRSS=" + process.resourceUsage().maxRSS + " code=" + code + "\\n");`;
      const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(r.stderr).toMatch(message);
      const m = /maxRSS=(\d+) code=(\d+)/.exec(r.stdout);
      expect(m?.[2]).toBe("1");
      expect(Number(m?.[1])).toBeLessThan(250 * 1024);
    }
  });
});
