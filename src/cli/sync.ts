import { createHash } from "node:crypto";
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Command } from "commander";
import type { Assessment } from "../assessment/model.js";
import { CairnError } from "../core/problem.js";
import { assessmentFolder } from "./assessment-arg.js";
import type { GlobalOptions } from "./context.js";
import { print, toJson } from "./output.js";
import { progress } from "./progress.js";
import { ServerClient, ServerError } from "./server-client.js";

type Opts = GlobalOptions & Record<string, unknown>;

/**
 * What a folder knows of its copy on a server: kept in `.cairn/remote.json` beside assessment.json
 * (not one of the files that travel), written by every push and pull. The findings' versions and
 * evidence ids at the last sync tell, when a push is refused, what changed on which side.
 */
export interface RemoteState {
  server: string;
  id: string;
  revision: number;
  /** SHA-256 of assessment.json as last sent or received: a pull refuses to overwrite local changes. */
  assessmentSha256: string;
  findings: Record<string, number>;
  evidence: string[];
}

const REMOTE_FILE = join(".cairn", "remote.json");
const sha256 = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");

function readRemote(dir: string): RemoteState | undefined {
  const file = join(dir, REMOTE_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as RemoteState;
  } catch {
    throw new CairnError(`${file} is not valid JSON: remove it to push as a new assessment`);
  }
}

function writeAtomic(file: string, content: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

function remoteOf(server: string, id: string, revision: number, text: string, a: Assessment): RemoteState {
  return {
    server,
    id,
    revision,
    assessmentSha256: sha256(text),
    findings: Object.fromEntries(a.findings.map((f) => [f.item, f.version ?? 1])),
    evidence: a.evidence.map((e) => e.id),
  };
}

/** A refused push, in the user's words: what changed on the server, here, and on both sides since the last sync. */
export function describeConflict(
  base: RemoteState,
  local: Assessment,
  server: { revision: number; findings: Record<string, number>; evidence: string[] },
): string[] {
  const there = Object.keys(server.findings).filter((i) => server.findings[i] !== base.findings[i]);
  const here = local.findings.filter((f) => (f.version ?? 1) !== base.findings[f.item]).map((f) => f.item);
  const both = there.filter((i) => here.includes(i));
  const lines = [
    `the server's copy changed since your last sync (revision ${base.revision} -> ${server.revision}):`,
  ];
  const list = (items: string[]) =>
    `${items.slice(0, 12).join(", ")}${items.length > 12 ? `, and ${items.length - 12} more` : ""}`;
  const onlyThere = there.filter((i) => !both.includes(i));
  const onlyHere = here.filter((i) => !both.includes(i));
  if (both.length > 0) lines.push(`  changed on both sides: ${list(both)}`);
  if (onlyThere.length > 0) lines.push(`  changed on the server: ${list(onlyThere)}`);
  if (onlyHere.length > 0) lines.push(`  changed here: ${list(onlyHere)}`);
  const evThere = server.evidence.filter((e) => !base.evidence.includes(e));
  const evHere = local.evidence.map((e) => e.id).filter((e) => !base.evidence.includes(e));
  if (evThere.length > 0) lines.push(`  evidence added on the server: ${list(evThere)}`);
  if (evHere.length > 0) lines.push(`  evidence added here: ${list(evHere)}`);
  if (lines.length === 1) lines.push("  (the assessment's own fields: status, title, release or profile)");
  lines.push(
    "nothing was pushed or merged: pull into another folder, bring your changes over, and push from there",
  );
  return lines;
}

export function registerSyncCommands(program: Command): void {
  program
    .command("push")
    .description(
      "send an assessment folder to a Cairn server (its evidence files first); refused if the server's copy changed since the last pull",
    )
    .argument("[folder]", "assessment folder (default: the current folder)")
    .option("--dir <folder>", "the assessment folder (the same as [folder])")
    .requiredOption("--server <url>", "the Cairn server")
    .option("--token-env <var>", "environment variable holding the API token", "CAIRN_TOKEN")
    .action(async (folder: string | undefined, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const dir = assessmentFolder(folder, opts.dir);
      const client = ServerClient.fromEnv(String(opts.server), String(opts.tokenEnv));
      const { checkPackage } = await import("../assessment/package.js");
      const { readAssessmentFolder, verifyEvidenceFiles } = await import("../assessment/store.js");
      const assessmentFile = join(dir, "assessment.json");
      if (!existsSync(assessmentFile))
        throw new CairnError(`no assessment in ${dir} (no assessment.json): give the assessment folder`);
      const assessmentText = readFileSync(assessmentFile, "utf8");
      const head = JSON.parse(assessmentText) as Partial<Assessment>;
      const profileFile = join(dir, head.profile?.file ?? "profile.json");
      if (!existsSync(profileFile)) throw new CairnError(`${profileFile}: the profile file is missing`);
      const profileText = readFileSync(profileFile, "utf8");
      // Every problem at once, before anything is sent.
      const checked = checkPackage({ assessmentText, profileText });
      const problems = [...checked.problems];
      if (checked.assessment && checked.profile)
        for (const x of verifyEvidenceFiles(readAssessmentFolder(dir)))
          problems.push({ source: x.path, location: x.id, message: x.problem });
      if (problems.length > 0 || !checked.assessment)
        throw new CairnError(`${dir} cannot be pushed: nothing was sent`, problems);
      const a = checked.assessment;
      const remote = readRemote(dir);
      const sameServer = remote && remote.server === client.origin;

      const bar = progress("cairn push");
      try {
        bar.update("checking files");
        const { missing } = await client.json<{ missing: string[] }>("POST", "api/blobs/missing", {
          sha256: checked.files,
        });
        let sent = 0;
        for (const sha of missing) {
          bar.update("sending evidence files", sent, missing.length);
          const e = a.evidence.find((x) => x.file?.sha256 === sha);
          if (!e?.file) continue;
          await client.json(
            "PUT",
            `api/blobs/${sha}`,
            Readable.from(createReadStream(join(dir, e.file.path))),
            {
              "content-type": "application/octet-stream",
              "content-length": String(statSync(join(dir, e.file.path)).size),
            },
          );
          sent++;
        }
        bar.update("sending the assessment");
        let result: { id: string; revision: number; changed?: boolean };
        if (sameServer && remote) {
          try {
            result = await client.json("PUT", `api/assessments/${encodeURIComponent(remote.id)}/package`, {
              assessmentText,
              profileText,
              expectRevision: remote.revision,
            });
          } catch (err) {
            if (err instanceof ServerError && err.code === "stale-revision" && err.current)
              throw new CairnError(
                describeConflict(
                  remote,
                  a,
                  err.current as { revision: number; findings: Record<string, number>; evidence: string[] },
                ).join("\n"),
              );
            throw err;
          }
        } else
          result = {
            ...(await client.json<{ id: string; revision: number }>("POST", "api/assessments/import", {
              assessmentText,
              profileText,
            })),
            changed: true,
          };
        writeAtomic(
          join(dir, REMOTE_FILE),
          toJson(remoteOf(client.origin, result.id, result.revision, assessmentText, a)),
        );
        bar.stop();
        const out = {
          server: client.origin,
          id: result.id,
          revision: result.revision,
          changed: result.changed !== false,
          filesSent: sent,
        };
        if (opts.json) return print(toJson(out));
        print(
          result.changed === false
            ? `${client.origin}: assessment ${result.id} is already at this state (revision ${result.revision})`
            : `${client.origin}: pushed ${a.id} as assessment ${result.id}, revision ${result.revision} (${sent} evidence file${sent === 1 ? "" : "s"} sent)`,
        );
      } finally {
        bar.stop();
      }
    });

  program
    .command("pull")
    .description("write an assessment stored on a Cairn server into a folder, byte for byte as it was pushed")
    .argument("<id>", "the assessment's id on the server (asm_...)")
    .option("-o, --output <folder>", "the folder to write (default: the current folder)")
    .requiredOption("--server <url>", "the Cairn server")
    .option("--token-env <var>", "environment variable holding the API token", "CAIRN_TOKEN")
    .action(async (id: string, _o, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      const dir = String(opts.output ?? ".");
      const client = ServerClient.fromEnv(String(opts.server), String(opts.tokenEnv));
      // A folder may receive this assessment only: never another one, never over unsent changes.
      const assessmentFile = join(dir, "assessment.json");
      if (existsSync(assessmentFile)) {
        const remote = readRemote(dir);
        if (!remote || remote.server !== client.origin || remote.id !== id)
          throw new CairnError(
            `${dir} holds another assessment${remote ? ` (${remote.id} on ${remote.server})` : ""}: pull into an empty folder`,
          );
        if (sha256(readFileSync(assessmentFile)) !== remote.assessmentSha256)
          throw new CairnError(
            `${dir}/assessment.json has changes not pushed: push them first, or pull into another folder`,
          );
      }
      const bar = progress("cairn pull");
      try {
        bar.update("reading the assessment");
        const pkg = await client.json<{
          id: string;
          revision: number;
          assessmentText: string;
          profileText: string;
          profileFile: string;
          files: { sha256: string; path: string; size: number }[];
        }>("GET", `api/assessments/${encodeURIComponent(id)}/package`);
        if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(pkg.profileFile))
          throw new CairnError(
            `the server names the profile file "${pkg.profileFile}": not a plain file name`,
          );
        let done = 0;
        for (const f of pkg.files) {
          bar.update("fetching evidence files", done++, pkg.files.length);
          if (!/^evidence\/[0-9a-f]{64}(-[A-Za-z0-9._-]+)?$/.test(f.path))
            throw new CairnError(`the server names an evidence file "${f.path}": not a path Cairn writes`);
          const target = join(dir, f.path);
          if (existsSync(target) && sha256(readFileSync(target)) === f.sha256) continue;
          const r = await client.stream(`api/assessments/${encodeURIComponent(id)}/files/${f.sha256}`);
          mkdirSync(dirname(target), { recursive: true });
          const tmp = `${target}.${process.pid}.tmp`;
          const hash = createHash("sha256");
          try {
            await pipeline(
              Readable.fromWeb(r.body as import("node:stream/web").ReadableStream),
              async function* (chunks: AsyncIterable<Buffer>) {
                for await (const c of chunks) {
                  hash.update(c);
                  yield c;
                }
              },
              createWriteStream(tmp),
            );
          } catch (err) {
            rmSync(tmp, { force: true });
            throw err;
          }
          if (hash.digest("hex") !== f.sha256) {
            rmSync(tmp, { force: true });
            throw new CairnError(
              `${f.path}: the file received does not match its SHA-256; nothing was written`,
            );
          }
          renameSync(tmp, target);
        }
        mkdirSync(join(dir, "evidence"), { recursive: true });
        writeAtomic(join(dir, pkg.profileFile), pkg.profileText);
        writeAtomic(assessmentFile, pkg.assessmentText);
        const a = JSON.parse(pkg.assessmentText) as Assessment;
        writeAtomic(
          join(dir, REMOTE_FILE),
          toJson(remoteOf(client.origin, pkg.id, pkg.revision, pkg.assessmentText, a)),
        );
        bar.stop();
        if (opts.json)
          return print(
            toJson({
              server: client.origin,
              id: pkg.id,
              revision: pkg.revision,
              dir,
              files: pkg.files.length,
            }),
          );
        print(
          `${dir}: assessment ${a.id} from ${client.origin} (${pkg.id}, revision ${pkg.revision}), ${pkg.files.length} evidence files`,
        );
      } finally {
        bar.stop();
      }
    });
}
