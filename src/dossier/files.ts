/** Writing a dossier to disk and reading one back (a folder or a zip) for verification. */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { unzipSync } from "fflate";
import { CairnError, UsageError } from "../core/problem.js";
import { DOSSIER_FILES, MANIFEST_FORMAT } from "./model.js";

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

function walk(dir: string, prefix: string, out: Map<string, Uint8Array>, skipped: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    const st = lstatSync(full);
    if (st.isDirectory()) walk(full, rel, out, skipped);
    else if (st.isFile()) out.set(rel, new Uint8Array(readFileSync(full)));
    else skipped.push(rel);
  }
}

/**
 * A dossier's files by relative path, from a folder or a zip. Entries that are neither files nor
 * folders (symbolic links...) are returned in `skipped`: verification reports them as added.
 */
export function readDossier(path: string): { files: Map<string, Uint8Array>; skipped: string[] } {
  if (!existsSync(path)) throw new CairnError(`no such dossier: ${path}`, [], 2);
  const files = new Map<string, Uint8Array>();
  const skipped: string[] = [];
  if (lstatSync(path).isDirectory()) {
    walk(path, "", files, skipped);
    return { files, skipped };
  }
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(new Uint8Array(readFileSync(path)));
  } catch (err) {
    throw new CairnError(`${path} is neither a folder nor a zip: ${(err as Error).message}`);
  }
  for (const [name, bytes] of Object.entries(entries)) {
    if (name.endsWith("/")) continue;
    files.set(name, bytes);
  }
  return { files, skipped };
}
