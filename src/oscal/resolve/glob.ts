/**
 * Glob patterns of `matching` (`*` any run of characters, `?` one character, everything else
 * literal; the whole id must match, as NIST's OPRXP does), compiled to a matcher without
 * backtracking: the pattern is split at its stars, the first piece must match at the start, the
 * last at the end, and each middle piece at its leftmost place after the previous one (leftmost
 * is always right for globs, so no choice is ever revisited). Time is at most
 * O(|id| x |pattern|), never exponential: a regular expression built from a crafted pattern such
 * as "*a*a*a*...b" backtracks for minutes.
 */

/** The longest pattern accepted; ids are short, a longer pattern is a mistake or an attack. */
export const MAX_PATTERN_LENGTH = 1024;

export function compileGlob(pattern: string): (id: string) => boolean {
  const pieces = pattern.split("*");
  if (pieces.length === 1) return (id) => id.length === pattern.length && matchAt(id, 0, pattern);
  const first = pieces[0] as string;
  const last = pieces[pieces.length - 1] as string;
  const middle = pieces.slice(1, -1).filter((p) => p !== "");
  const fixed = first.length + last.length + middle.reduce((n, p) => n + p.length, 0);
  return (id) => {
    if (id.length < fixed) return false;
    if (!matchAt(id, 0, first)) return false;
    const end = id.length - last.length;
    if (!matchAt(id, end, last)) return false;
    let at = first.length;
    for (const piece of middle) {
      const found = find(id, at, end, piece);
      if (found < 0) return false;
      at = found + piece.length;
    }
    return true;
  };
}

/** Does `piece` (with `?` wildcards) match `id` at `at`? */
function matchAt(id: string, at: number, piece: string): boolean {
  if (at < 0 || at + piece.length > id.length) return false;
  for (let i = 0; i < piece.length; i++) {
    const c = piece.charCodeAt(i);
    if (c !== 63 /* ? */ && c !== id.charCodeAt(at + i)) return false;
  }
  return true;
}

/** Leftmost place in [from, end - piece.length] where `piece` matches, or -1. */
function find(id: string, from: number, end: number, piece: string): number {
  for (let at = from; at + piece.length <= end; at++) if (matchAt(id, at, piece)) return at;
  return -1;
}
