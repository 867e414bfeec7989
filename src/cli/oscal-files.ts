/**
 * Reading OSCAL documents named by untrusted profiles. A profile's import href decides which file
 * Cairn opens, so the reader confines it: only regular files (never a FIFO, a device or a
 * socket: a FIFO blocks forever, /dev/zero never ends), only inside the allowed folders (the
 * profile's folder, the folders of the --catalog files, the --import-root folders; symbolic links
 * are followed and the real path checked), at most MAX_OSCAL_BYTES, nested at most MAX_NESTING
 * deep, and no error message ever quotes the content (Node's JSON errors do: a profile importing
 * /etc/passwd must not print its first line). Remote hrefs are never fetched: the document must be
 * given as a local file with --catalog.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { CairnError } from "../core/problem.js";
import { type ImportLoader, LoadedDocument } from "../oscal/resolve/types.js";

/** OSCAL documents are untrusted input: NIST's full SP 800-53 5.1.1 catalog is about 10 MB. */
export const MAX_OSCAL_BYTES = 32 * 1024 * 1024;
/** Deepest nesting of JSON arrays and objects read (NIST's catalogs use about 16). */
export const MAX_NESTING = 256;
/** All documents of one resolution together. */
export const MAX_TOTAL_BYTES = 256 * 1024 * 1024;

/** Reads one OSCAL JSON file: a regular file, size- and depth-limited; errors never quote content. */
export function readOscalJson(file: string, label = file, budget?: { left: number }): unknown {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat below then refuses it.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CairnError(
      code === "ENOENT" ? `no such file: ${label}` : `${label}: cannot be opened (${code})`,
    );
  }
  let buf: Buffer;
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new CairnError(`${label}: not a regular file`);
    if (st.size > MAX_OSCAL_BYTES)
      throw new CairnError(`${label}: ${st.size} bytes; an OSCAL document may be at most ${MAX_OSCAL_BYTES}`);
    if (budget) {
      budget.left -= st.size;
      if (budget.left < 0)
        throw new CairnError(`${label}: the imported documents exceed ${MAX_TOTAL_BYTES} bytes in all`);
    }
    buf = Buffer.allocUnsafe(st.size);
    let got = 0;
    while (got < st.size) {
      const n = readSync(fd, buf, got, st.size - got, got);
      if (n === 0) break;
      got += n;
    }
    buf = buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
  return parseOscalJson(buf, label);
}

/** JSON text of an untrusted document: depth-limited, errors name the position, never the content. */
export function parseOscalJson(buf: Uint8Array, label: string): unknown {
  const depth = nesting(buf, MAX_NESTING);
  if (depth < 0) throw new CairnError(`${label}: JSON nested deeper than ${MAX_NESTING} levels`);
  try {
    return JSON.parse(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString("utf8"));
  } catch (err) {
    // V8's message quotes the text ("root:x:0:0"... is not valid JSON): keep the position only.
    const at = /position (\d+)/.exec((err as Error).message)?.[1];
    throw new CairnError(`${label}: not valid JSON${at !== undefined ? ` (at byte ${at})` : ""}`);
  }
}

/**
 * Maximum nesting of arrays and objects in JSON text, or -1 beyond `max`: JSON.parse itself copes
 * with any depth, but a 32 MB file of "[" costs it a minute and gigabytes.
 */
export function nesting(buf: Uint8Array, max: number): number {
  let d = 0;
  let deepest = 0;
  const n = buf.length;
  for (let i = 0; i < n; i++) {
    const b = buf[i];
    if (b === 34) {
      for (i++; i < n; i++) {
        const c = buf[i];
        if (c === 92) i++;
        else if (c === 34) break;
      }
    } else if (b === 91 || b === 123) {
      if (++d > max) return -1;
      if (d > deepest) deepest = d;
    } else if (b === 93 || b === 125) d--;
  }
  return deepest;
}

export interface ImportPolicy {
  /** Local files given for imports (--catalog): matched by file name, always allowed. */
  catalogs: string[];
  /** More folders imports may read from (--import-root). */
  roots: string[];
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/**
 * Where a profile file really is, as the loader names the documents it reads: the resolver detects
 * circular imports by this location, so the profile being resolved must be named the same way
 * (else a profile importing itself is read once more before the cycle is seen).
 */
export function profileLocation(file: string): string {
  return real(file);
}

function inside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * The loader for `resolveProfile`: reads import hrefs (already resolved against the importing
 * document by the resolver) as local files, confined as described above, caching each real path
 * once. A remote href, or a local one that does not exist, is served by the --catalog file of
 * the same name, or by the only --catalog given.
 */
export function importLoader(profileFile: string, policy: ImportPolicy): ImportLoader {
  const catalogs = policy.catalogs.map((c) => real(c));
  const roots = [
    dirname(real(profileFile)),
    ...catalogs.map((c) => dirname(c)),
    ...policy.roots.map((r) => real(r)),
  ];
  const cache = new Map<string, unknown>();
  const budget = { left: MAX_TOTAL_BYTES };
  const read = (path: string, label: string): LoadedDocument => {
    let doc = cache.get(path);
    if (doc === undefined) {
      doc = readOscalJson(path, label, budget);
      cache.set(path, doc);
    }
    return new LoadedDocument(doc, path);
  };
  const given = (href: string): string | undefined => {
    const name = basename(href.replace(/[?#].*$/, ""));
    const byName = catalogs.find((g) => basename(g) === name);
    if (byName) return byName;
    if (catalogs.length === 1) return catalogs[0];
    return undefined;
  };
  return (href: string) => {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href)?.[1]?.toLowerCase();
    if (scheme !== undefined && scheme !== "file") {
      const local = given(href);
      if (local) return read(local, local);
      throw new CairnError(
        `${href}: Cairn does not fetch URLs; give the document as a local file with --catalog <file>`,
      );
    }
    let path: string;
    try {
      path = scheme === "file" ? fileURLToPath(href) : href;
    } catch {
      throw new CairnError(`${href}: not a usable file URL`);
    }
    const full = isAbsolute(path) ? path : resolve(path);
    let target: string;
    try {
      target = realpathSync(full);
    } catch {
      const local = given(href);
      if (local) return read(local, local);
      throw new CairnError(
        `${href}: no such file; Cairn does not fetch URLs; give the document as a local file with --catalog <file>`,
      );
    }
    if (!catalogs.includes(target) && !roots.some((r) => inside(target, r)))
      throw new CairnError(
        `${href}: outside the folders imports may read (the profile's folder, the --catalog files' folders, --import-root folders): refused`,
      );
    return read(target, href);
  };
}
