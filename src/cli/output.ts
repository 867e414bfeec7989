import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { CairnError } from "../core/problem.js";

export interface Column<T> {
  header: string;
  value: (row: T) => string | number;
  /** Cap for free text columns so a table stays readable; JSON output is never cut. */
  max?: number;
  align?: "left" | "right";
}

function cut(text: string, max: number | undefined): string {
  const one = text.replace(/\s+/g, " ").trim();
  if (max === undefined || one.length <= max) return one;
  return `${one.slice(0, max - 1)}…`;
}

/** A plain aligned text table: readable in a terminal, diff-able in a CI log. */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => cut(String(c.value(r)), c.max)));
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...cells.map((row) => (row[i] as string).length)),
  );
  const line = (values: string[]) =>
    values
      .map((v, i) => {
        const w = widths[i] as number;
        if (i === values.length - 1 && columns[i]?.align !== "right") return v;
        return columns[i]?.align === "right" ? v.padStart(w) : v.padEnd(w);
      })
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join("\n");
}

export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** YAML output; the yaml module is loaded only when asked for. */
export function toYaml(value: unknown, options: { lineWidth?: number } = {}): string {
  const { stringify } = createRequire(import.meta.url)("yaml") as typeof import("yaml");
  return stringify(value, options);
}

export function print(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

export function writeOutput(file: string | undefined, content: string | Uint8Array): void {
  if (file === undefined || file === "-") {
    process.stdout.write(content);
    return;
  }
  writeFileSync(file, content);
}

export function parseChoice<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  // A value the command does not know is invalid input (exit 1); usage (exit 2) is the command line's shape.
  throw new CairnError(`${name} must be one of: ${allowed.join(", ")} (got "${value}")`);
}

export function parsePositiveInt(name: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new CairnError(`${name} must be a positive whole number (got "${value}")`);
  return Number(value);
}

let exitCode = 0;

/** For commands whose outcome is a finding rather than an error (check, lint): exit 1 without a message. */
export function setExitCode(code: number): void {
  exitCode = code;
}

/** Read and reset by the CLI runner after each command. */
export function takeExitCode(): number {
  const c = exitCode;
  exitCode = 0;
  return c;
}
