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

/**
 * Readiness and pitfalls on the assessment's own date, as the server's dossier worker computes
 * them. (They were loaded by a variable specifier once, so that the dossier built without these
 * modules; in the bundled CLI that specifier never resolved and every dossier left both out.)
 */
export async function readinessAndPitfalls(
  assessment: Assessment,
  profile: Profile,
  registry: CatalogRegistry,
  crosswalks: CrosswalkSet,
): Promise<{ readiness: MarketReadiness[]; pitfalls: Pitfall[]; notes: string[] }> {
  const [{ computeReadiness }, { lintAssessment }] = await Promise.all([
    import("../assessment/readiness.js"),
    import("../assessment/pitfalls.js"),
  ]);
  const asOf = assessment.updated.slice(0, 10);
  return {
    readiness: computeReadiness(assessment, profile, registry, crosswalks, undefined, { asOf }),
    pitfalls: lintAssessment(assessment, profile, asOf),
    notes: [],
  };
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
    .option(
      "--final <reason>",
      "issue the dossier final although something required is open (it is a DRAFT by itself then); the reason and --by are printed on every page",
    )
    .option("--by <name>", "who issues it final (with --final)")
    .option("--force", "replace an earlier dossier in <dir>")
    .option(
      "--sign-key <pem>",
      "sign the manifest with this private key (PEM: Ed25519, RSA >= 2048 or ECDSA): writes manifest.json.p7s, a detached CMS signature",
    )
    .option(
      "--sign-cert <pem>",
      "the signing key's X.509 certificate and the chain above it (PEM); without it the signature carries a self-issued certificate for the key",
    )
    .action(async (folderArg: string | undefined, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const dir = assessmentFolder(folderArg, opts.dir);
      const out = String(opts.output).replace(/[\\/]+$/, "");
      if (!out) throw new UsageError("-o needs a folder name");
      if (opts.signCert !== undefined && opts.signKey === undefined)
        throw new UsageError("--sign-cert needs --sign-key (the certificate's private key)");
      const signer =
        opts.signKey === undefined
          ? undefined
          : await loadSigner(
              String(opts.signKey),
              opts.signCert === undefined ? undefined : String(opts.signCert),
            );
      const { readAssessmentFolder } = await import("../dossier/read-assessment.js");
      const { buildDossier } = await import("../dossier/build.js");
      const { writeDossier } = await import("../dossier/files.js");
      const { openSummary } = await import("../dossier/status.js");
      const folder = readAssessmentFolder(dir);
      const registry = catalogRegistry(opts);
      const crosswalks = crosswalkSet(opts);
      const extra = await readinessAndPitfalls(folder.assessment, folder.profile, registry, crosswalks);
      const draft = opts.draft === true;
      const finalReason = typeof opts.final === "string" ? opts.final.trim() : undefined;
      const by = typeof opts.by === "string" ? opts.by.trim() : undefined;
      if (finalReason !== undefined && (!finalReason || !by))
        throw new UsageError("--final needs a reason and --by <name>: both are printed on every page");
      if (by !== undefined && finalReason === undefined)
        throw new UsageError("--by goes with --final <reason>");
      const { progress } = await import("./progress.js");
      const bar = progress("cairn dossier build");
      const result = await buildDossier(
        {
          assessment: folder.assessment,
          profile: folder.profile,
          registry,
          crosswalks,
          readiness: extra.readiness,
          pitfalls: extra.pitfalls,
          evidenceFiles: folder.evidenceFiles,
          draft,
          ...(finalReason && by ? { final: { reason: finalReason, by } } : {}),
          profileSha256: folder.profileSha256,
          toolVersion: toolVersion(),
        },
        {
          ...(signer ? { signer } : {}),
          onProgress: (fraction, phase) => bar.update(phase, Math.round(fraction * 100)),
        },
      ).finally(() => bar.stop());
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
            draft: result.draft === true,
            ...(result.final ? { final: result.final } : {}),
            open: result.open ? openSummary(result.open) : "",
            manifestSha256: result.manifest?.manifestSha256,
            signed: signer !== undefined,
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
      const open = result.open ? openSummary(result.open) : "";
      if (result.draft && !draft && open)
        process.stderr.write(
          `cairn: built as a DRAFT: ${open} (listed on the report's first page). Decide them, or give --final <reason> --by <name>.\n`,
        );
      if (result.final) process.stderr.write(`cairn: issued final by ${result.final.by} despite ${open}\n`);
      print(
        `written ${out}/ (${result.files.size} files) and ${zipPath}${result.draft ? " [DRAFT]" : ""}; manifest sha256 ${result.manifest?.manifestSha256}${signer ? "; manifest signed (manifest.json.p7s)" : ""}`,
      );
    });

  dossier
    .command("verify")
    .description(
      "re-check a dossier (folder or zip) against its manifest and, when signed, the manifest's signature: exit 1 naming any file changed, missing or added, a zip that tools could read differently, or a signer other than the one given",
    )
    .argument("<dossier>", "dossier folder or zip")
    .option(
      "--key <pem>",
      "require the manifest to be signed with this key (PEM public key, or the private key)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option(
      "--cert <pem>",
      "require the signer's certificate to chain to a certificate in this PEM file (a root, an intermediate or the signer's own)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .action(async (path: string, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts & { key: string[]; cert: string[] }>();
      const trust = await loadTrust(opts.key, opts.cert);
      const { verifyDossierAt } = await import("../dossier/files.js");
      const r = await verifyDossierAt(path, trust);
      const sig = r.signature;
      if (opts.json) {
        print(
          toJson({
            ok: r.ok,
            manifestIntact: r.manifestIntact,
            manifestSha256: r.manifest?.manifestSha256,
            changed: r.changed,
            missing: r.missing,
            added: r.added,
            signature: sig
              ? { valid: sig.valid, trusted: sig.trusted, signer: sig.signer }
              : { present: false },
          }),
        );
        if (!r.ok) throw new CairnError(`${path} does not verify`, r.problems);
        return;
      }
      if (!r.ok) throw new CairnError(`${path} does not verify`, r.problems);
      print(
        `ok: ${r.manifest?.files.length ?? 0} files match manifest.json (manifest sha256 ${r.manifest?.manifestSha256})${r.manifest?.draft ? " [DRAFT]" : ""}`,
      );
      if (sig?.signer) {
        const who = `${sig.signer.subject}${sig.signer.selfIssued ? "" : `, issued by ${sig.signer.issuer}`} (key sha256 ${sig.signer.keySha256})`;
        print(
          sig.trusted
            ? `signed by ${who}: the ${opts.key.length > 0 ? "key" : "certificate"} given`
            : `signed by ${who}; not checked against a key or certificate you trust (give --key or --cert)`,
        );
      } else print("not signed");
    });
}

function readPem(option: string, file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(
      `${option} ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
}

async function loadSigner(keyFile: string, certFile: string | undefined) {
  const { signerFromPem } = await import("../dossier/signature.js");
  try {
    return signerFromPem(
      readPem("--sign-key", keyFile),
      certFile === undefined ? undefined : readPem("--sign-cert", certFile),
    );
  } catch (err) {
    if (err instanceof CairnError) throw err;
    throw new CairnError(
      `cannot sign with ${keyFile}${certFile ? ` and ${certFile}` : ""}: ${(err as Error).message}`,
    );
  }
}

async function loadTrust(keyFiles: string[], certFiles: string[]) {
  if (keyFiles.length === 0 && certFiles.length === 0) return {};
  const { createPublicKey } = await import("node:crypto");
  const { certificatesFromPem } = await import("../dossier/signature.js");
  const keys = keyFiles.map((file) => {
    try {
      return createPublicKey(readPem("--key", file));
    } catch (err) {
      if (err instanceof CairnError) throw err;
      throw new CairnError(`--key ${file}: not a PEM public or private key (${(err as Error).message})`);
    }
  });
  const anchors = certFiles.flatMap((file) => {
    try {
      return certificatesFromPem(readPem("--cert", file));
    } catch (err) {
      if (err instanceof CairnError) throw err;
      throw new CairnError(`--cert ${file}: ${(err as Error).message}`);
    }
  });
  return { keys, anchors };
}
