import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, resolve } from "node:path";
import { CairnError } from "../core/problem.js";

/** OSCAL documents are untrusted input: refuse anything far larger than NIST's full SP 800-53. */
export const MAX_OSCAL_BYTES = 64 * 1024 * 1024;

export function readOscalJson(file: string): unknown {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new CairnError(`no such file: ${file}`, [], 2);
  }
  if (size > MAX_OSCAL_BYTES)
    throw new CairnError(`${file}: ${size} bytes; an OSCAL document may be at most ${MAX_OSCAL_BYTES}`);
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new CairnError(`${file}: malformed JSON: ${(err as Error).message}`);
  }
}

/**
 * Finds the local file for an import href. Cairn never fetches a URL named in a document (no
 * requests on a document's say-so): remote hrefs must be given as local files with --catalog,
 * matched by file name, or by being the only one given.
 */
export function importFinder(profileFile: string, given: string[]): (href: string) => string {
  return (href: string) => {
    const remote = /^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith("file:");
    if (!remote) {
      const path = href.startsWith("file:") ? new URL(href).pathname : href;
      const local = isAbsolute(path) ? path : resolve(dirname(profileFile), path);
      if (existsSync(local)) return local;
    }
    const name = basename(href.replace(/[?#].*$/, ""));
    const byName = given.find((g) => basename(g) === name);
    if (byName) return byName;
    if (given.length === 1) return given[0] as string;
    throw new CairnError(
      `cannot load import "${href}": Cairn does not fetch URLs; give the document as a local file with --catalog <file>`,
    );
  };
}
