/**
 * What every collector of part 2 shares: a check list that only accepts documented ids, report
 * assembly, and bounded text decoding. Pure: no file or network access.
 */
import { createHash } from "node:crypto";
import type {
  CheckDefinition,
  CheckOutcome,
  CollectorCheck,
  CollectorInput,
  CollectorProposal,
  CollectorReport,
  CollectorTool,
} from "../contract.js";

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Collects checks, refusing ids that are not in the collector's documented list: scripts key on
 * the ids, so an undocumented one is a bug, not data.
 */
export class CheckList {
  readonly items: CollectorCheck[] = [];
  private readonly known: ReadonlySet<string>;

  constructor(definitions: readonly CheckDefinition[]) {
    this.known = new Set(definitions.map((d) => d.id));
  }

  add(id: string, result: CheckOutcome, message: string, location?: string): CollectorCheck {
    if (!this.known.has(id)) throw new Error(`undocumented check id ${id}`);
    const check: CollectorCheck =
      location === undefined ? { id, result, message } : { id, result, message, location };
    this.items.push(check);
    return check;
  }

  pass(id: string, message: string, location?: string): CollectorCheck {
    return this.add(id, "pass", message, location);
  }
  fail(id: string, message: string, location?: string): CollectorCheck {
    return this.add(id, "fail", message, location);
  }
  warn(id: string, message: string, location?: string): CollectorCheck {
    return this.add(id, "warn", message, location);
  }
  info(id: string, message: string, location?: string): CollectorCheck {
    return this.add(id, "info", message, location);
  }

  /** The outcomes recorded for one id (or for ids starting with a prefix ending in "."). */
  outcomes(idOrPrefix: string): CheckOutcome[] {
    const prefix = idOrPrefix.endsWith(".");
    return this.items
      .filter((c) => (prefix ? c.id.startsWith(idOrPrefix) : c.id === idOrPrefix))
      .map((c) => c.result);
  }

  failed(idOrPrefix: string): boolean {
    return this.outcomes(idOrPrefix).includes("fail");
  }

  passed(id: string): boolean {
    const o = this.outcomes(id);
    return o.length > 0 && o.every((r) => r === "pass");
  }

  get anyFailure(): boolean {
    return this.items.some((c) => c.result === "fail");
  }
}

export function buildReport(
  kind: string,
  format: string,
  valid: boolean,
  checks: CheckList,
  proposals: CollectorProposal[],
  input: CollectorInput,
  tool: CollectorTool,
  sections: Record<string, unknown> = {},
): CollectorReport {
  return {
    ...sections,
    kind,
    format,
    valid,
    checks: checks.items,
    proposals,
    input: input.info,
    tool,
  };
}

/** Strict UTF-8 decoding; `undefined` when the bytes are not UTF-8. A leading BOM is dropped. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    return undefined;
  }
}

/** The first bytes as latin1 text, for cheap `detect` sniffing. */
export function head(bytes: Uint8Array, n = 512): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(n, bytes.byteLength)).toString("latin1");
}

/** Parses JSON, returning the error message instead of throwing. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The context day (YYYY-MM-DD) as an instant: its start, in UTC. */
export function dayStart(date: string): Date {
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) throw new Error(`invalid context date ${date}`);
  return d;
}

/** Option values come from the CLI (strings, file bytes) or from code; these read them safely. */
export function optionBytes(options: Record<string, unknown> | undefined, key: string): Uint8Array[] {
  const v = options?.[key];
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => {
    if (x instanceof Uint8Array) return x;
    if (typeof x === "string") return new TextEncoder().encode(x);
    throw new Error(`option ${key}: expected file contents (bytes or text)`);
  });
}

export function optionString(options: Record<string, unknown> | undefined, key: string): string | undefined {
  const v = options?.[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new Error(`option ${key}: expected a string`);
  return v;
}

export function optionStrings(options: Record<string, unknown> | undefined, key: string): string[] {
  const v = options?.[key];
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : typeof v === "string" ? v.split(",") : [v];
  return list.map((x) => String(x).trim()).filter((x) => x !== "");
}

export const CAIRN_COLLECTOR_VERSION = "0.1.0";
