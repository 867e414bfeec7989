// Defensive access to parsed JSON of unknown shape: collectors read invalid inputs too (to report
// as much as they can), so a wrong type must give "absent", never a crash.

export type Json = unknown;

export function obj(v: Json): Record<string, Json> | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, Json>) : undefined;
}

export function arr(v: Json): Json[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: Json): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function num(v: Json): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** A JSON pointer segment (RFC 6901). */
export function ptr(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}/${key}`;
  if (!key.includes("~") && !key.includes("/")) return `${base}/${key}`;
  return `${base}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

/** Parses JSON text from bytes, without a UTF-8 byte order mark. */
export function parseJsonBytes(
  bytes: Uint8Array,
): { ok: true; value: Json } | { ok: false; message: string } {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, message: "not valid UTF-8 text" };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return { ok: true, value: JSON.parse(text) as Json };
  } catch (err) {
    const e = err as Error;
    if (e instanceof RangeError) return { ok: false, message: "too deeply nested to parse" };
    return { ok: false, message: `not JSON: ${e.message}` };
  }
}
