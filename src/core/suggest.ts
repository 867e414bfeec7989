/**
 * "Did you mean": the candidates closest to what was typed, for error messages. An id whose last
 * part is exactly what was typed comes first (`5.2` -> `nist-ir-8259a:5.2`), then ids within a
 * small edit distance of the whole or of the part after the colon.
 */
export function suggest(input: string, candidates: Iterable<string>, max = 3): string[] {
  const typed = input.trim().toLowerCase();
  if (!typed) return [];
  const scored: { id: string; score: number }[] = [];
  for (const id of candidates) {
    const lower = id.toLowerCase();
    const ref = lower.slice(lower.indexOf(":") + 1);
    let score: number;
    if (ref === typed || lower.endsWith(`:${typed}`)) score = 0;
    else {
      const d = Math.min(distance(typed, lower, 3), distance(typed, ref, 3));
      if (d > Math.max(1, Math.min(3, Math.floor(typed.length / 3)))) continue;
      score = d;
    }
    scored.push({ id, score });
  }
  scored.sort((x, y) => x.score - y.score || x.id.length - y.id.length || (x.id < y.id ? -1 : 1));
  return scored.slice(0, max).map((s) => s.id);
}

/** Levenshtein distance, given up (returned as limit + 1) once it is certain to exceed `limit`. */
export function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      row.push(v);
      if (v < best) best = v;
    }
    if (best > limit) return limit + 1;
    prev = row;
  }
  return prev[b.length] as number;
}

/** ` Did you mean a, b or c?`, or nothing. */
export function didYouMean(suggestions: string[]): string {
  if (suggestions.length === 0) return "";
  const last = suggestions[suggestions.length - 1];
  const list = suggestions.length === 1 ? last : `${suggestions.slice(0, -1).join(", ")} or ${last}`;
  return `; did you mean ${list}?`;
}
