import { createHash } from "node:crypto";
import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { basename, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileErrorMessage } from "../core/file-errors.js";
import { withoutControlCharacters } from "../core/file-name.js";
import { CairnError, type Problem } from "../core/problem.js";
import { schemaProblems } from "../core/schema-validation.js";
import { parseStructured } from "../core/structured-text.js";
import validateAssessmentSchema from "../generated/assessment.validator.js";
import { readProfileFile } from "../profile/files.js";
import type { Profile } from "../profile/model.js";
import type { Assessment } from "./model.js";
import type { AssessmentHandle, StoredAssessment, Transition } from "./service.js";

/**
 * An assessment kept as a folder in the manufacturer's own repository:
 *   assessment.json   the assessment (findings, evidence records, statements)
 *   profile.json      the profile it is assessed against
 *   evidence/         evidence files, named by content hash
 */
export const ASSESSMENT_FILE = "assessment.json";
export const MAX_ASSESSMENT_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_EVIDENCE_BYTES = 256 * 1024 * 1024;

export interface AssessmentFolder {
  dir: string;
  assessment: Assessment;
  profile: Profile;
  /** SHA-256 of the profile file as it is now (differs from assessment.profile.sha256 when it changed). */
  profileSha256: string;
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** An assessment from the text of its assessment.json: the assessment, or the problems naming where it is wrong. */
export function parseAssessmentText(
  text: string,
  source: string,
): { assessment?: Assessment; problems: Problem[] } {
  const parsed = parseStructured(text, source, "json");
  if (parsed.value === undefined) return { problems: parsed.problems };
  if (!validateAssessmentSchema(parsed.value))
    return { problems: schemaProblems(validateAssessmentSchema.errors ?? [], { source, text, limit: 30 }) };
  return { assessment: parsed.value as Assessment, problems: [] };
}

export function readAssessmentFolder(dir: string): AssessmentFolder {
  const file = join(dir, ASSESSMENT_FILE);
  if (!existsSync(file))
    throw new CairnError(
      `no assessment in ${dir} (no ${ASSESSMENT_FILE}); give the assessment folder, or create one with cairn assess init <folder>`,
    );
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_ASSESSMENT_BYTES)
      throw new CairnError(`${file}: ${size} bytes; at most ${MAX_ASSESSMENT_BYTES}`);
    text = readFileSync(file, "utf8");
  } catch (err) {
    if (err instanceof CairnError) throw err;
    throw new CairnError(
      (err as NodeJS.ErrnoException).code === "EISDIR"
        ? `${file} is a folder: the assessment must be a file (remove or rename the folder)`
        : fileErrorMessage(file, err, "assessment"),
    );
  }
  const { assessment, problems } = parseAssessmentText(text, file);
  if (!assessment) throw new CairnError(`${file} is not a valid assessment`, problems);
  const profilePath = join(dir, assessment.profile.file);
  try {
    const profile = readProfileFile(profilePath);
    return { dir, assessment, profile, profileSha256: sha256(readFileSync(profilePath)) };
  } catch (err) {
    // The profile the assessment names is part of the folder: a missing or unreadable one is
    // invalid input (exit 1), named from assessment.json.
    if (err instanceof CairnError && err.exitCode === 1) throw err;
    const why = err instanceof CairnError ? err.message : fileErrorMessage(profilePath, err, "profile file");
    throw new CairnError(
      `${file}: profile.file names ${assessment.profile.file}, which cannot be read (${why})`,
    );
  }
}

/** The text of assessment.json as Cairn writes it: pushed and pulled copies compare byte for byte. */
export function assessmentText(assessment: Assessment): string {
  return `${JSON.stringify(assessment, null, 2)}\n`;
}

/** Writes a file through a temporary file and a rename: a crash never leaves half a file. */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

/** Writes assessment.json atomically. */
export function writeAssessment(dir: string, assessment: Assessment): void {
  writeFileAtomic(join(dir, ASSESSMENT_FILE), assessmentText(assessment));
}

const LOCK_FILE = ".cairn.lock";
const LOCK_WAIT_MS = 10_000;
const LOCK_STALE_MS = 10 * 60_000;

function lockHolder(file: string): { pid: number; stale: boolean } | undefined {
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    let alive = Number.isInteger(pid) && pid > 0;
    if (alive) {
      try {
        process.kill(pid, 0);
      } catch (err) {
        alive = (err as NodeJS.ErrnoException).code === "EPERM";
      }
    }
    return { pid, stale: !alive || Date.now() - statSync(file).mtimeMs > LOCK_STALE_MS };
  } catch {
    return undefined;
  }
}

/**
 * Runs `fn` holding the folder's lock file, so two cairn processes never interleave their
 * read-change-write of one assessment (the second waits, then reads what the first wrote). A lock
 * left by a process that died is taken over.
 */
export async function withFolderLock<T>(dir: string, fn: () => Promise<T> | T): Promise<T> {
  const file = join(dir, LOCK_FILE);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const holder = lockHolder(file);
      if (holder?.stale) {
        rmSync(file, { force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new CairnError(
          `another cairn process (pid ${holder?.pid ?? "?"}) is changing ${dir}; try again, or remove ${file} if no such process runs`,
        );
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(file, { force: true });
  }
}

/** An assessment folder as the assessment service's store: what `cairn assess` changes. */
export class FolderAssessment implements AssessmentHandle {
  constructor(readonly dir: string) {}

  async read(): Promise<StoredAssessment> {
    const f = readAssessmentFolder(this.dir);
    return { assessment: f.assessment, profile: f.profile, revision: 0 };
  }

  async transact<T extends Transition>(
    change: (current: StoredAssessment) => T,
  ): Promise<{ stored: StoredAssessment; transition: T }> {
    return withFolderLock(this.dir, () => {
      const f = readAssessmentFolder(this.dir);
      const current: StoredAssessment = { assessment: f.assessment, profile: f.profile, revision: 0 };
      const transition = change(current);
      if (transition.events.length === 0) return { stored: current, transition };
      if (transition.profile) {
        const name = transition.profile.file;
        if (basename(name) !== name || name === ASSESSMENT_FILE)
          throw new CairnError(
            `profile file name ${name} must be a plain file name beside ${ASSESSMENT_FILE}`,
          );
        writeFileAtomic(join(this.dir, name), transition.profile.text);
      }
      writeAssessment(this.dir, transition.assessment);
      return {
        stored: {
          assessment: transition.assessment,
          profile: transition.profile?.profile ?? f.profile,
          revision: 0,
        },
        transition,
      };
    });
  }
}

const MEDIA: Record<string, string> = {
  ".pdf": "application/pdf",
  ".json": "application/json",
  ".txt": "text/plain",
  ".md": "text/markdown",
  ".html": "text/html",
  ".xml": "application/xml",
  ".csv": "text/csv",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".zip": "application/zip",
  ".pem": "application/x-pem-file",
  ".crt": "application/x-x509-ca-cert",
  ".der": "application/x-x509-ca-cert",
};

/** A file name safe to use after the hash: the original's characters outside [A-Za-z0-9._-] replaced. */
export function safeName(name: string): string {
  return (
    basename(name)
      .replace(/[^A-Za-z0-9._-]+/g, "_")
      .replace(/^[._-]+/, "")
      .slice(0, 80) || "file"
  );
}

/** Where an evidence file sits in an assessment folder: by content hash, with a tidy name after it. */
export function evidenceFilePath(sha256: string, name: string): string {
  return `evidence/${sha256}-${safeName(name)}`;
}

/**
 * Copies an evidence file into evidence/<sha256>-<name>, hashing it while it streams, with a size
 * limit. The stored name comes from the content hash, never from a path the user gave.
 */
export async function storeEvidenceFile(
  dir: string,
  source: string,
  maxBytes = DEFAULT_MAX_EVIDENCE_BYTES,
): Promise<{ name: string; path: string; sha256: string; size: number; mediaType: string }> {
  let size: number;
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(source);
  } catch (err) {
    throw new CairnError(fileErrorMessage(source, err, "evidence file"));
  }
  if (st.isDirectory())
    throw new CairnError(
      `${source} is a folder: give the path of the evidence file itself (zip a folder first if it is the evidence)`,
    );
  if (!st.isFile()) throw new CairnError(`${source} is not a regular file: give an evidence file`);
  size = st.size;
  if (size > maxBytes)
    throw new CairnError(`${source}: ${size} bytes; evidence files may be at most ${maxBytes}`);
  mkdirSync(join(dir, "evidence"), { recursive: true });
  const tmp = join(dir, "evidence", `.incoming-${process.pid}-${Date.now()}`);
  const hash = createHash("sha256");
  let seen = 0;
  try {
    await pipeline(
      createReadStream(source),
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          seen += chunk.length;
          if (seen > maxBytes) throw new CairnError(`${source}: larger than ${maxBytes} bytes`);
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(tmp),
    );
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  const digest = hash.digest("hex");
  const name = safeName(source);
  const rel = evidenceFilePath(digest, source);
  const target = join(dir, rel);
  if (existsSync(target)) rmSync(tmp);
  else renameSync(tmp, target);
  const ext = /\.[A-Za-z0-9]+$/.exec(name)?.[0]?.toLowerCase() ?? "";
  let mediaType = MEDIA[ext] ?? "application/octet-stream";
  try {
    const { fileTypeFromFile } = await import("file-type");
    const sniffed = await fileTypeFromFile(target);
    if (sniffed) mediaType = sniffed.mime;
  } catch {
    // Sniffing is a refinement: the extension's type stands when the sniffer cannot tell.
  }
  // The original name is kept as a label only: without control or bidi characters.
  return {
    name: withoutControlCharacters(basename(source)) || name,
    path: rel,
    sha256: digest,
    size: seen,
    mediaType,
  };
}

/** Evidence files whose content no longer matches the recorded hash, or that are missing. */
export function verifyEvidenceFiles(
  folder: AssessmentFolder,
): { id: string; path: string; problem: string }[] {
  const out: { id: string; path: string; problem: string }[] = [];
  for (const e of folder.assessment.evidence) {
    if (!e.file) continue;
    const path = join(folder.dir, e.file.path);
    if (!existsSync(path)) out.push({ id: e.id, path: e.file.path, problem: "missing" });
    else if (sha256(readFileSync(path)) !== e.file.sha256)
      out.push({ id: e.id, path: e.file.path, problem: "SHA-256 does not match the record" });
  }
  return out;
}
