/**
 * The edge of the part-2 collectors: options that name files (keys, trust anchors, a signature, a
 * TUF root, a target) are read here, in the runner's worker, and handed to `collect` as bytes, so
 * `collect` stays pure. Values that are already bytes (callers in code) pass through unchanged.
 * A bad value is the user's error (exit 1) naming the option and the file, never an internal one.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { CairnError } from "../../core/problem.js";

/** Keys, certificates, signatures and metadata are small; a larger file is a mistake, not an input. */
export const MAX_OPTION_FILE_BYTES = 16 * 1024 * 1024;

function readBounded(path: string, option: string, maxBytes: number): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (err as Error).message;
    throw new CairnError(`--${option} ${path}: cannot read the file (${why})`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new CairnError(`--${option} ${path}: not a file`);
    if (st.size > maxBytes)
      throw new CairnError(
        `--${option} ${path}: ${st.size} bytes, over the limit of ${maxBytes} bytes for this option`,
      );
    const buf = Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    return new Uint8Array(buf.buffer, buf.byteOffset, off);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces the file-valued options in `names` by the files' bytes (an array for each, in the order
 * given); other options are returned as they are.
 */
export function readOptionFiles(
  options: Record<string, unknown>,
  names: readonly string[],
  maxBytes: number = MAX_OPTION_FILE_BYTES,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...options };
  for (const name of names) {
    const v = options[name];
    if (v === undefined || v === null) continue;
    const list = Array.isArray(v) ? v : [v];
    out[name] = list.map((x) => {
      if (x instanceof Uint8Array) return x;
      if (typeof x === "string") {
        if (x.trim() === "") throw new CairnError(`--${name}: expected a file name, got an empty value`);
        return readBounded(x, name, maxBytes);
      }
      throw new CairnError(`--${name}: expected a file name`);
    });
  }
  return out;
}

/** A list option given repeatedly or comma-separated (`--tests optional,informative`), flattened. */
export function listOption(options: Record<string, unknown>, name: string): string[] {
  const v = options[name];
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  return list
    .flatMap((x) => String(x).split(","))
    .map((x) => x.trim())
    .filter((x) => x !== "");
}

/** A single-valued option that must be one of `allowed`. */
export function choiceOption(
  options: Record<string, unknown>,
  name: string,
  allowed: readonly string[],
): string | undefined {
  const v = options[name];
  if (v === undefined || v === null) return undefined;
  const s = String(v);
  if (!allowed.includes(s)) throw new CairnError(`--${name}: "${s}" is not one of ${allowed.join(", ")}`);
  return s;
}
