/** Types shared by the phases of profile resolution (import, merge, modify, finish). */
import type { Problem } from "../../core/problem.js";
import type {
  CatalogDocument,
  Control,
  Group,
  OscalProfile,
  OscalProfileDoc,
  Param,
  ResolvedCatalog,
} from "../profile-types.js";
import type { OscalCatalog } from "../types.js";

/** What `loadImport` may return: a catalog or profile, with or without its document wrapper. */
export type ImportedDocument =
  | CatalogDocument
  | OscalProfileDoc
  | { catalog: OscalCatalog }
  | ResolvedCatalog
  | OscalCatalog
  | OscalProfile;

/**
 * A loaded document with the location it was read from (for files, the real path). Circular
 * imports are detected by this location, so a loader that knows where a document really is (two
 * hrefs may name one file) should return one of these.
 */
export class LoadedDocument {
  constructor(
    readonly document: unknown,
    readonly location: string,
  ) {}
}

/**
 * Returns the document an import points to. `href` is the import's href (or, for an import of a
 * back-matter resource, one of the resource's rlinks) already resolved against `base`, the href of
 * the importing document (RFC 3986 for URLs, POSIX join for plain paths): the loader must not join
 * it again. Return `undefined` or throw when the document cannot be obtained; a thrown message is
 * reported as it is, so it must not quote the document's content.
 */
export type ImportLoader = (href: string, base?: string) => ImportedDocument | LoadedDocument | undefined;

/**
 * How `flat` treats child controls. "keep" (the default, docs/decisions/0004-flat-keeps-nesting.md):
 * no groups, but an included child control stays inside its included parent, as NIST's
 * requirement tests and its reference resolver (OPRXP) do. "unnest": every control directly under
 * the catalog, as the specification's text and NIST's older examples read.
 */
export type FlatNesting = "keep" | "unnest";

export interface ResolveLimits {
  /** Wall-clock limit of one resolution, in milliseconds (default 10,000). */
  timeMs?: number;
  /** Longest chain of profiles importing profiles (default 16). */
  depth?: number;
  /** Imports resolved in all, nested profiles included (default 256). */
  imports?: number;
  /** Controls in all selections together, before merging (default 200,000). */
  controls?: number;
}

export interface ResolveOptions {
  /** Name of the profile for problems; default `options.href` or "profile". */
  source?: string;
  /** Where the profile came from: the base for relative imports and the source-profile link. */
  href?: string;
  /** Canonical location of the profile (for circular import detection); default `href`. */
  location?: string;
  /** metadata.last-modified of the result; default: the time of resolution. */
  lastModified?: string;
  /** Value of the resolution-tool prop; default {@link RESOLUTION_TOOL}. */
  tool?: string;
  flatNesting?: FlatNesting;
  limits?: ResolveLimits;
}

export type Severity = "error" | "warning" | "info";

/** A Problem with a severity: "error" means the spec requires resolution to stop (see docs). */
export interface ResolveProblem extends Problem {
  severity: Severity;
}

export interface ResolveResult {
  /** The resolved catalog (the object under a catalog document's `catalog` key). */
  catalog: ResolvedCatalog;
  /** The same catalog wrapped as an OSCAL JSON document (`{ catalog }`), ready to write. */
  document: CatalogDocument;
  problems: ResolveProblem[];
}

export const RESOLUTION_TOOL = "Cairn OSCAL profile resolver";
/** The OSCAL version whose schemas Cairn validates against; caps the result's oscal-version. */
export const TOOL_OSCAL_VERSION = "1.2.1";
/** Fixed namespace of the name-based (version 5) UUIDs given to resolved catalogs. */
export const RESOLVED_UUID_NAMESPACE = "1f0c5e2a-7b4d-5c8e-9a36-c41f2d9e8b70";
/** The OSCAL namespace: objects without an `ns` are in it (the spec's note on by-ns). */
export const OSCAL_NS = "http://csrc.nist.gov/ns/oscal";

export const DEFAULT_LIMITS: Required<ResolveLimits> = {
  timeMs: 10_000,
  depth: 16,
  imports: 256,
  controls: 200_000,
};

// ---------------------------------------------------------------------------------------------
// internal structures

export type Report = (location: string, message: string, severity?: Severity) => void;

/** Thrown when a limit is reached; caught by resolveProfile and reported as an error problem. */
export class ResolutionStopped extends Error {}

/** A control in an imported catalog, with its place in the control hierarchy. */
export interface TreeNode {
  control: Control;
  parent: TreeNode | undefined;
  kids: TreeNode[];
}

export interface CatalogIndex {
  all: TreeNode[];
  byId: Map<string, TreeNode[]>;
}

/** A group of an imported catalog that holds included controls (or must be kept). */
export interface SelGroup {
  src: Group;
  /** Groups with equal keys at the same level are one group in the result. */
  key: string;
  parent: SelGroup | undefined;
  children: SelGroup[];
  keep: boolean;
}

/** An included control of one import. */
export interface Entry {
  control: Control;
  /** Nearest included ancestor control in the same import. */
  parent: Entry | undefined;
  /** The group the control sits in (for top-level controls of a group and their descendants). */
  group: SelGroup | undefined;
  /** For a duplicate dropped by combine use-first/merge: the kept first copy. */
  dropped?: Entry;
  /** Parent after combination (a dropped parent is replaced by its kept copy). */
  rparent?: Entry;
  rkids: Entry[];
}

export interface Selection {
  entries: Entry[];
  groups: SelGroup[];
  /** The catalog's loose params. */
  params: Param[];
  /** Params of the imported groups (loose params of a flat result). */
  groupParams: Param[];
  /**
   * Params of controls that were not included: candidates for loose params, kept only when the
   * result refers to them (a selected control that inserts a parameter of an excluded one).
   */
  strayParams: Param[];
}

export interface Body {
  params?: Param[];
  controls?: Control[];
  groups?: Group[];
}

export interface Run {
  loader: ImportLoader;
  options: ResolveOptions;
  lastModified: string;
  problems: ResolveProblem[];
  indexes: Map<ResolvedCatalog, CatalogIndex>;
  globs: Map<string, (id: string) => boolean>;
  limits: Required<ResolveLimits>;
  deadline: number;
  imports: number;
  controls: number;
  ticks: number;
}

/** Checks the time limit every 4096 calls (cheap enough for inner loops). */
export function tick(run: Run): void {
  if ((++run.ticks & 4095) === 0) checkTime(run);
}

export function checkTime(run: Run): void {
  if (Date.now() > run.deadline)
    throw new ResolutionStopped(
      `resolution stopped after ${run.limits.timeMs} ms (the time limit): the profile or its imports are too large or too deep`,
    );
}
