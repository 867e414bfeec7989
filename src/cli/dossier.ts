import { readFileSync } from "node:fs";
import type { Command } from "commander";
import type { Assessment } from "../assessment/model.js";
import type { MarketReadiness, Pitfall } from "../assessment/report-types.js";
import type { CatalogRegistry } from "../catalog/registry.js";
import { bundledPath } from "../core/paths.js";
import { CairnError, formatProblem, UsageError } from "../core/problem.js";
import type { CrosswalkSet } from "../crosswalk/set.js";
import type { Profile } from "../profile/model.js";
import { assessmentFolder } from "./assessment-arg.js";
import { catalogRegistry, crosswalkSet, type GlobalOptions } from "./context.js";
import { print, toJson } from "./output.js";

type Opts = GlobalOptions & Record<string, unknown>;

function toolVersion(): string {
  try {
    return (
      (JSON.parse(readFileSync(bundledPath("package.json"), "utf8")) as { version?: string }).version ??
      "0.0.0"
    );
  } catch {
    return "0.0.0";
  }
}

// Readiness and pitfalls come from the assessment modules when they are there; the dossier does
// not depend on them to build. Specifiers are variables so that the build does not require them.
const READINESS_MODULE = "../assessment/readiness.js";
const PITFALLS_MODULE = "../assessment/pitfalls.js";

async function optionalModule(spec: string): Promise<Record<string, unknown> | undefined> {
  try {
    return (await import(spec)) as Record<string, unknown>;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") return undefined;
    throw err;
  }
}

function isReadiness(v: unknown): v is MarketReadiness[] {
  return (
    Array.isArray(v) &&
    v.every(
      (r) =>
        typeof r === "object" &&
        r !== null &&
        typeof r.market === "string" &&
        typeof r.label === "string" &&
        typeof r.catalog === "string" &&
        Array.isArray(r.items) &&
        typeof r.counts === "object" &&
        r.counts !== null,
    )
  );
}

function isPitfalls(v: unknown): v is Pitfall[] {
  return (
    Array.isArray(v) &&
    v.every(
      (p) =>
        typeof p === "object" &&
        p !== null &&
        typeof p.id === "string" &&
        (p.severity === "error" || p.severity === "warning") &&
        typeof p.title === "string" &&
        typeof p.message === "string",
    )
  );
}

/** Readiness and pitfalls if their modules exist; a module of another shape is reported, not fatal. */
export async function readinessAndPitfalls(
  assessment: Assessment,
  profile: Profile,
  registry: CatalogRegistry,
  crosswalks: CrosswalkSet,
): Promise<{ readiness: MarketReadiness[]; pitfalls: Pitfall[]; notes: string[] }> {
  const notes: string[] = [];
  let readiness: MarketReadiness[] = [];
  let pitfalls: Pitfall[] = [];
  const r = await optionalModule(READINESS_MODULE);
  if (!r) notes.push("readiness: module not available, left out");
  else if (typeof r.computeReadiness === "function") {
    // Readiness on the assessment's own date: which requirements apply then (CRA, RED dates).
    const out = (r.computeReadiness as (...args: unknown[]) => unknown)(
      assessment,
      profile,
      registry,
      crosswalks,
      undefined,
      { asOf: assessment.updated.slice(0, 10) },
    );
    if (isReadiness(out)) readiness = out;
    else notes.push("readiness: computeReadiness returned an unexpected shape, left out");
  } else notes.push("readiness: the module has no computeReadiness, left out");
  const p = await optionalModule(PITFALLS_MODULE);
  if (!p) notes.push("pitfalls: module not available, left out");
  else if (typeof p.lintAssessment === "function") {
    // The assessment's own date, never today: the dossier must not depend on when it is built.
    const out = (p.lintAssessment as (...args: unknown[]) => unknown)(
      assessment,
      profile,
      assessment.updated,
    );
    if (isPitfalls(out)) pitfalls = out;
    else notes.push("pitfalls: lintAssessment returned an unexpected shape, left out");
  } else notes.push("pitfalls: the module has no lintAssessment, left out");
  return { readiness, pitfalls, notes };
}

export function registerDossierCommands(program: Command): void {
  const dossier = program
    .command("dossier")
    .description("the assessment dossier: report (HTML, PDF), matrix, OSCAL, CycloneDX, evidence, manifest");

  dossier
    .command("build")
    .description(
      "build the dossier of an assessment folder (assessment.json, its profile, evidence/) into <dir> and <dir>.zip",
    )
    .argument("[folder]", "assessment folder (default: the current folder)")
    .option("--dir <folder>", "the assessment folder (the same as [folder])")
    .requiredOption(
      "-o, --output <dir>",
      "folder to write the dossier to (new or empty); the zip goes beside it",
    )
    .option("--draft", "build even if the assessment does not validate; every page is marked DRAFT")
    .option("--force", "replace an earlier dossier in <dir>")
    .action(async (folderArg: string | undefined, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const dir = assessmentFolder(folderArg, opts.dir);
      const out = String(opts.output).replace(/[\\/]+$/, "");
      if (!out) throw new UsageError("-o needs a folder name");
      const { readAssessmentFolder } = await import("../dossier/read-assessment.js");
      const { buildDossier } = await import("../dossier/build.js");
      const { writeDossier } = await import("../dossier/files.js");
      const folder = readAssessmentFolder(dir);
      const registry = catalogRegistry(opts);
      const crosswalks = crosswalkSet(opts);
      const extra = await readinessAndPitfalls(folder.assessment, folder.profile, registry, crosswalks);
      const draft = opts.draft === true;
      const result = await buildDossier({
        assessment: folder.assessment,
        profile: folder.profile,
        registry,
        crosswalks,
        readiness: extra.readiness,
        pitfalls: extra.pitfalls,
        evidenceFiles: folder.evidenceFiles,
        draft,
        profileSha256: folder.profileSha256,
        toolVersion: toolVersion(),
      });
      if (!result.built || !result.zip)
        throw new CairnError(
          `the assessment does not validate: no dossier built (give --draft to build one marked DRAFT)`,
          result.problems,
        );
      const zipPath = `${out}.zip`;
      writeDossier(out, result.files, { path: zipPath, bytes: result.zip }, { force: opts.force === true });
      if (opts.json) {
        print(
          toJson({
            output: out,
            zip: zipPath,
            draft,
            manifestSha256: result.manifest?.manifestSha256,
            files: result.manifest?.files,
            problems: result.problems,
            notes: extra.notes,
          }),
        );
        return;
      }
      for (const n of extra.notes) process.stderr.write(`cairn: ${n}\n`);
      if (result.problems.length > 0) {
        process.stderr.write(`cairn: DRAFT built despite ${result.problems.length} problem(s):\n`);
        for (const p of result.problems) process.stderr.write(`  ${formatProblem(p)}\n`);
      }
      print(
        `written ${out}/ (${result.files.size} files) and ${zipPath}${draft ? " [DRAFT]" : ""}; manifest sha256 ${result.manifest?.manifestSha256}`,
      );
    });

  dossier
    .command("verify")
    .description(
      "re-check a dossier (folder or zip) against its manifest: exit 1 naming any file changed, missing or added",
    )
    .argument("<dossier>", "dossier folder or zip")
    .action(async (path: string, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const { readDossier } = await import("../dossier/files.js");
      const { verifyDossier } = await import("../dossier/manifest.js");
      const { files, skipped } = readDossier(path);
      const r = verifyDossier(files);
      for (const s of skipped) {
        r.added.push(s);
        r.problems.push({ source: s, message: "added: not a regular file" });
        r.ok = false;
      }
      if (opts.json) {
        print(
          toJson({
            ok: r.ok,
            manifestIntact: r.manifestIntact,
            manifestSha256: r.manifest?.manifestSha256,
            changed: r.changed,
            missing: r.missing,
            added: r.added,
          }),
        );
        if (!r.ok) throw new CairnError(`${path} does not verify`, r.problems);
        return;
      }
      if (!r.ok) throw new CairnError(`${path} does not verify`, r.problems);
      print(
        `ok: ${r.manifest?.files.length ?? 0} files match manifest.json (manifest sha256 ${r.manifest?.manifestSha256})${r.manifest?.draft ? " [DRAFT]" : ""}`,
      );
    });
}
