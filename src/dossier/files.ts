/** Writing a dossier to disk and reading one back (a folder or a zip) for verification. */
import { createHash } from "node:crypto";
import {
  createReadStream,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { CairnError, UsageError } from "../core/problem.js";
import { type FileDigest, verifyManifest } from "./manifest.js";
import { DOSSIER_FILES, MANIFEST_FORMAT, type VerifyResult } from "./model.js";
import type { TrustOptions } from "./signature.js";
import { sha256Hex } from "./util.js";
import { DEFAULT_ZIP_LIMITS, StrictZip, ZipFormatError, type ZipLimits } from "./zip-read.js";

/** True when the folder holds a Cairn dossier manifest (the only non-empty folder `--force` replaces). */
function isDossierFolder(dir: string): boolean {
  try {
    const m = JSON.parse(readFileSync(join(dir, DOSSIER_FILES.manifest), "utf8")) as { format?: unknown };
    return m.format === MANIFEST_FORMAT;
  } catch {
    return false;
  }
}

/**
 * Writes the dossier's files under `dir` and the zip beside it. The folder must be new or empty;
 * with `force`, a folder that holds an earlier dossier is replaced (never any other folder).
 */
export function writeDossier(
  dir: string,
  files: ReadonlyMap<string, Uint8Array>,
  zip: { path: string; bytes: Uint8Array } | undefined,
  options: { force?: boolean } = {},
): void {
  if (existsSync(dir)) {
    if (!lstatSync(dir).isDirectory()) throw new UsageError(`${dir} exists and is not a folder`);
    if (readdirSync(dir).length > 0) {
      if (!options.force)
        throw new UsageError(`${dir} is not empty (give --force to replace an earlier dossier there)`);
      if (!isDossierFolder(dir))
        throw new UsageError(`${dir} is not empty and holds no Cairn dossier: it is left alone`);
      rmSync(dir, { recursive: true });
    }
  }
  mkdirSync(dir, { recursive: true });
  for (const [path, bytes] of files) {
    if (path.startsWith("/") || path.split("/").includes(".."))
      throw new CairnError(`refusing to write ${path}`);
    const full = join(dir, ...path.split("/"));
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, bytes);
  }
  if (zip) writeFileSync(zip.path, zip.bytes);
}

/** Every file of a dossier as verification needs it: digests for all, bytes for the manifest and its signature. */
export interface DossierContents {
  digests: Map<string, FileDigest>;
  manifest?: Uint8Array;
  signature?: Uint8Array;
  /** Entries that are neither files nor folders (symbolic links...): verification reports them as added. */
  skipped: string[];
}

/** The manifest and the signature are read whole; nothing else is. */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

const KEEP = new Set<string>([DOSSIER_FILES.manifest, DOSSIER_FILES.signature]);

function walk(
  dir: string,
  prefix: string,
  out: { path: string; full: string; size: number }[],
  skipped: string[],
  limits: ZipLimits,
): void {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    const st = lstatSync(full);
    if (st.isDirectory()) walk(full, rel, out, skipped, limits);
    else if (st.isFile()) {
      if (out.length >= limits.maxEntries)
        throw new CairnError(`${dir}: more than ${limits.maxEntries} files; not a dossier`);
      out.push({ path: rel, full, size: st.size });
    } else skipped.push(rel);
  }
}

async function hashFile(full: string, max: number): Promise<FileDigest> {
  const hash = createHash("sha256");
  let size = 0;
  await pipeline(createReadStream(full), async (chunks: AsyncIterable<Buffer>) => {
    for await (const chunk of chunks) {
      size += chunk.length;
      if (size > max) throw new CairnError(`${full}: larger than ${max} bytes`);
      hash.update(chunk);
    }
  });
  return { sha256: hash.digest("hex"), size };
}

async function readFolder(path: string, limits: ZipLimits): Promise<DossierContents> {
  const listed: { path: string; full: string; size: number }[] = [];
  const skipped: string[] = [];
  walk(path, "", listed, skipped, limits);
  const contents: DossierContents = { digests: new Map(), skipped };
  let total = 0;
  for (const f of listed) {
    total += f.size;
    if (f.size > limits.maxEntryBytes || total > limits.maxTotalBytes)
      throw new CairnError(`${f.full}: the dossier's files exceed the size limits`);
    if (KEEP.has(f.path)) {
      if (f.size > MAX_MANIFEST_BYTES)
        throw new CairnError(`${f.full}: ${f.size} bytes; at most ${MAX_MANIFEST_BYTES}`);
      const bytes = new Uint8Array(readFileSync(f.full));
      if (f.path === DOSSIER_FILES.manifest) contents.manifest = bytes;
      else contents.signature = bytes;
    }
    contents.digests.set(f.path, await hashFile(f.full, limits.maxEntryBytes));
  }
  return contents;
}

function zipError(path: string, err: unknown): unknown {
  if (err instanceof ZipFormatError)
    return new CairnError(`${path} is not a dossier zip Cairn accepts`, [
      { source: path, message: err.message },
    ]);
  return err;
}

async function readZipFile(path: string, limits: ZipLimits): Promise<DossierContents> {
  let zip: StrictZip;
  try {
    zip = StrictZip.open(path, limits);
  } catch (err) {
    throw zipError(path, err);
  }
  const contents: DossierContents = { digests: new Map(), skipped: [] };
  try {
    for (const entry of zip.entries) {
      if (entry.directory) continue;
      if (KEEP.has(entry.name)) {
        const bytes = await zip.bytes(entry, MAX_MANIFEST_BYTES);
        if (entry.name === DOSSIER_FILES.manifest) contents.manifest = bytes;
        else contents.signature = bytes;
        contents.digests.set(entry.name, { sha256: sha256Hex(bytes), size: bytes.length });
        continue;
      }
      const hash = createHash("sha256");
      await zip.stream(entry, (chunk) => hash.update(chunk));
      contents.digests.set(entry.name, { sha256: hash.digest("hex"), size: entry.size });
    }
  } catch (err) {
    throw zipError(path, err);
  } finally {
    zip.close();
  }
  return contents;
}

/**
 * Reads a dossier (a folder or a zip) for verification: every file's SHA-256 and size, streamed,
 * and the bytes of the manifest and its signature. A zip is read strictly (`zip-read.ts`): a zip
 * that two tools could read differently, or that inflates past the limits, is refused, naming the
 * entry.
 */
export async function readDossierContents(
  path: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<DossierContents> {
  if (!existsSync(path)) throw new CairnError(`no such dossier: ${path}`, [], 2);
  if (lstatSync(path).isDirectory()) return readFolder(path, limits);
  return readZipFile(path, limits);
}

/**
 * A dossier's files by relative path, bytes in memory (for tests and small dossiers; verification
 * uses `readDossierContents`, which streams). The zip is read as strictly as for verification.
 */
export async function readDossier(
  path: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<{ files: Map<string, Uint8Array>; skipped: string[] }> {
  if (!existsSync(path)) throw new CairnError(`no such dossier: ${path}`, [], 2);
  const files = new Map<string, Uint8Array>();
  if (lstatSync(path).isDirectory()) {
    const listed: { path: string; full: string; size: number }[] = [];
    const skipped: string[] = [];
    walk(path, "", listed, skipped, limits);
    for (const f of listed) files.set(f.path, new Uint8Array(readFileSync(f.full)));
    return { files, skipped };
  }
  let zip: StrictZip | undefined;
  try {
    zip = StrictZip.open(path, limits);
    for (const entry of zip.entries)
      if (!entry.directory) files.set(entry.name, await zip.bytes(entry, limits.maxEntryBytes));
  } catch (err) {
    throw zipError(path, err);
  } finally {
    zip?.close();
  }
  return { files, skipped: [] };
}

/**
 * Verifies a dossier (folder or zip) where it lies: reads it strictly and streamed, checks it
 * against its manifest, and checks the manifest's signature when there is one (against `trust`
 * when given). With `trust` holding a key or a certificate, an unsigned dossier does not verify.
 */
export async function verifyDossierAt(
  path: string,
  trust: TrustOptions = {},
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<VerifyResult> {
  const contents = await readDossierContents(path, limits);
  const result = verifyManifest(contents.manifest, contents.digests);
  for (const s of contents.skipped) {
    result.added.push(s);
    result.problems.push({ source: s, message: "added: not a regular file" });
  }
  const wantsTrust = (trust.keys?.length ?? 0) > 0 || (trust.anchors?.length ?? 0) > 0;
  if (contents.signature && contents.manifest) {
    const { verifyManifestSignature } = await import("./signature.js");
    result.signature = verifyManifestSignature(contents.manifest, contents.signature, trust);
    result.problems.push(...result.signature.problems);
    if (
      wantsTrust &&
      result.signature.valid &&
      !result.signature.trusted &&
      result.signature.problems.length === 0
    )
      result.problems.push({ source: DOSSIER_FILES.signature, message: "the signer is not the one given" });
  } else if (wantsTrust) {
    result.problems.push({
      source: DOSSIER_FILES.signature,
      message: "missing: the dossier is not signed, so its issuer cannot be checked",
    });
  }
  result.ok = result.problems.length === 0;
  return result;
}
