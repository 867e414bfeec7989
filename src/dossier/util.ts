import { createHash } from "node:crypto";

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

const encoder = new TextEncoder();
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function json(value: unknown): Uint8Array {
  return utf8(`${JSON.stringify(value, null, 2)}\n`);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** A calendar date (YYYY-MM-DD) or a date-time with a zone; anything else is a bad date. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== "string") return false;
  if (DATE.test(value)) {
    const d = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
  }
  return DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

/** A date or date-time as an RFC 3339 date-time in UTC, seconds precision (dates at midnight UTC). */
export function toDateTime(value: string): string {
  const d = new Date(DATE.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(d.getTime())) return "1970-01-01T00:00:00Z";
  return `${d.toISOString().slice(0, 19)}Z`;
}

export function toDate(value: string): Date {
  return new Date(toDateTime(value));
}

/** The calendar date part of a date or date-time, for comparisons at day granularity. */
export function dayOf(value: string): string {
  return toDateTime(value).slice(0, 10);
}

/** Stable sort by a string key, code-unit order (never locale dependent). */
export function byKey<T>(list: readonly T[], key: (x: T) => string): T[] {
  return [...list].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
