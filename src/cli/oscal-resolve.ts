/**
 * `cairn profile resolve` and `profile import-oscal` share this: read the profile, resolve it with
 * the confined loader of oscal-files.ts, turn resolution errors into a CairnError, and check the
 * catalog before anything is written.
 */
import { existsSync } from "node:fs";
import { CairnError, type Problem, UsageError } from "../core/problem.js";
import {
  type FlatNesting,
  type ImportLoader,
  type ResolveProblem,
  type ResolveResult,
  resolveProfile,
} from "../oscal/profile-resolve.js";
import type { CatalogDocument } from "../oscal/profile-types.js";
import { importLoader, profileLocation, readOscalJson } from "./oscal-files.js";

export interface ResolveFileOptions {
  catalogs: string[];
  importRoots: string[];
  lastModified?: string;
  flatNesting?: FlatNesting;
  timeMs?: number;
  /** Tried before the files (Cairn's own catalogs in import-oscal). */
  before?: (href: string) => unknown;
}

export function readProfileFile(file: string): unknown {
  if (!existsSync(file)) throw new CairnError(`no such file: ${file}`, [], 2);
  return readOscalJson(file);
}

export function resolveProfileFile(
  file: string,
  doc: unknown,
  o: ResolveFileOptions,
): { result: ResolveResult; warnings: ResolveProblem[] } {
  const files = importLoader(file, { catalogs: o.catalogs, roots: o.importRoots });
  const loader: ImportLoader = o.before
    ? (href, base) => (o.before?.(href) as ReturnType<ImportLoader>) ?? files(href, base)
    : files;
  const result = resolveProfile(doc as never, loader, {
    href: file,
    location: profileLocation(file),
    source: file,
    ...(o.lastModified ? { lastModified: o.lastModified } : {}),
    ...(o.flatNesting ? { flatNesting: o.flatNesting } : {}),
    ...(o.timeMs ? { limits: { timeMs: o.timeMs } } : {}),
  });
  const errors = result.problems.filter((p) => p.severity === "error");
  if (errors.length > 0) throw new CairnError(`${file}: resolution failed`, errors);
  return { result, warnings: result.problems.filter((p) => p.severity !== "error") };
}

/** OSCAL's date-time-with-timezone, as the schemas require for metadata.last-modified. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[45][0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$/;

/** --date: a date-time with a time zone, or a date (midnight UTC); anything else is refused. */
export function lastModifiedOption(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const s = String(value);
  const v = /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s;
  if (!DATE_TIME.test(v) || Number.isNaN(Date.parse(v)))
    throw new UsageError(
      `--date must be a date-time with a time zone (2026-01-01T00:00:00Z) or a date (2026-01-01), got "${s}"`,
    );
  return v;
}

/**
 * What every written catalog must pass, cheaply (the full OSCAL schema costs more than the whole
 * resolution: `--validate` runs it). The content comes from imports that passed the shape check
 * (resolve/shape.ts) and from the profile, which passed it too; what the resolver writes itself is
 * checked here: the required metadata, a date-time last-modified, a version 4 or 5 uuid.
 */
export function writtenCatalogProblems(doc: CatalogDocument, source: string): Problem[] {
  const problems: Problem[] = [];
  const c = doc.catalog;
  if (typeof c.uuid !== "string" || !UUID.test(c.uuid))
    problems.push({ source, location: "uuid", message: "not a version 4 or 5 uuid" });
  const m = c.metadata;
  for (const key of ["title", "last-modified", "version", "oscal-version"] as const)
    if (typeof m?.[key] !== "string")
      problems.push({ source, location: `metadata.${key}`, message: "missing" });
  if (typeof m?.["last-modified"] === "string" && !DATE_TIME.test(m["last-modified"]))
    problems.push({
      source,
      location: "metadata.last-modified",
      message: "not a date-time with a time zone",
    });
  return problems;
}
