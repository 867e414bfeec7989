/**
 * The collector contract: what every collector (SBOM, vulnerability feeds, security.txt, CSAF, MUD,
 * X.509, signed firmware, scanner results) returns for one input. Collectors are pure: bytes and a
 * context in, a report out. Reading files, storing evidence, bounding time and memory (a worker
 * thread with resource limits, see run.ts) and printing belong to the edges.
 *
 * A collector never records a verdict. It proposes one per item with a strength that says what the
 * check can prove, and a person (or the assessment core's rules) decides; a proposal never overrides
 * a verdict a person recorded.
 */
import type { EvidenceStrength } from "../assessment/model.js";

export type CheckOutcome = "pass" | "fail" | "warn" | "info";

/** One check a collector ran. `id` is stable and documented (docs/collectors.md): scripts key on it. */
export interface CollectorCheck {
  id: string;
  result: CheckOutcome;
  message: string;
  /** Where in the input: a JSON pointer, `line 12`, a field name, a certificate index... */
  location?: string;
}

export type ProposedVerdict = "pass" | "fail" | "inconclusive";

/** A verdict the collector suggests for one catalog item, with how much the checks behind it prove. */
export interface CollectorProposal {
  /** `<catalog>:<ref>`, e.g. `eu-cra:annex-i.part-ii.1`. Items outside the profile are dropped later. */
  item: string;
  verdict: ProposedVerdict;
  strength: EvidenceStrength;
  /** Why, in one or two sentences, naming the checks that decided it. */
  reason: string;
  /** Ids of the checks the proposal rests on. */
  checks?: string[];
}

export interface CollectorInputInfo {
  sha256: string;
  bytes: number;
  /** The file name as given (never a path used for storage). */
  name?: string;
}

export interface CollectorTool {
  name: string;
  version: string;
}

/**
 * The report of one collector run: the fields every kind shares, plus kind-specific sections
 * (`components`, `vulnerabilities`, `fields`, `certificates`, ...) under their own names.
 */
export interface CollectorReport {
  kind: string;
  /** The concrete format detected, e.g. `cyclonedx-1.6-json`, `spdx-2.3-json`, `security.txt`. */
  format: string;
  /** The input is well-formed and valid against its specification (schema or grammar). */
  valid: boolean;
  checks: CollectorCheck[];
  proposals: CollectorProposal[];
  input: CollectorInputInfo;
  tool: CollectorTool;
  /**
   * Evidence tags the input deserves when stored (pitfall checks read them: `sbom`, `fips-140-3`...).
   * Only what the checks established: a tag is a claim the dossier repeats.
   */
  tags?: string[];
  [section: string]: unknown;
}

/** What a collector may know about the assessment it collects for; every field is optional. */
export interface CollectorContext {
  /** The day the checks are judged on (expiry, "at release"), YYYY-MM-DD. */
  date: string;
  product?: { manufacturer: string; model: string; id?: string };
  release?: { version: string; date?: string; supportEnd?: string };
  /** Kind-specific options: keys, trust anchors, feeds folder, which optional tests to run... */
  options?: Record<string, unknown>;
  /**
   * Set by the runner: report progress of long work (phase name, and done/total when known). The
   * CLI shows it on a terminal after a second; collectors call it at most every few thousand items.
   */
  progress?: (phase: string, done?: number, total?: number) => void;
}

/** Bounds on one collector run. Defaults in DEFAULT_LIMITS; each is adjustable by the caller. */
export interface CollectorLimits {
  /** Largest input accepted, in bytes. */
  maxInputBytes: number;
  /** Wall-clock limit for one run, in milliseconds. */
  timeoutMs: number;
  /** Heap limit of the worker that runs the collector, in MiB. */
  maxHeapMb: number;
}

export const DEFAULT_LIMITS: CollectorLimits = {
  maxInputBytes: 256 * 1024 * 1024,
  timeoutMs: 120_000,
  maxHeapMb: 2048,
};

export interface CollectorInput {
  bytes: Uint8Array;
  info: CollectorInputInfo;
}

/**
 * A kind-specific option, offered by `cairn collect` as `--<name>` and passed in `context.options`.
 * Values naming files or folders are read by the collector's `prepare` (at the edge, in the runner's
 * worker, within the same limits).
 */
export interface CollectorOption {
  /** Long option name without dashes, e.g. `feeds`; the value lands in `context.options[name]`. */
  name: string;
  /** Placeholder shown in help, e.g. `<folder>`. */
  arg: string;
  description: string;
  /** Repeatable option: the value is a string array. */
  repeatable?: boolean;
  default?: string;
}

/** A documented check: its stable id and what it verifies. */
export interface CheckDefinition {
  id: string;
  description: string;
}

export interface Collector {
  /** `sbom`, `vulns`, `security-txt`, `csaf`, `mud`, `x509`, `firmware`, `scan`... */
  kind: string;
  title: string;
  /**
   * How sure the collector is that the input is its kind, 0 (no) to 1 (certain): used when the
   * kind is not given. Must be cheap: look at the first bytes, not parse the whole input.
   */
  detect(bytes: Uint8Array, name: string | undefined): number;
  collect(input: CollectorInput, context: CollectorContext): CollectorReport | Promise<CollectorReport>;
  /** Every check id this collector can emit. */
  checks: readonly CheckDefinition[];
  /** Kind-specific options the CLI offers (`cairn collect <kind> --help`). */
  options?: readonly CollectorOption[];
  /**
   * Edge-side loading before `collect`, run in the same worker and limits: reads what the options
   * name (a feeds folder, VEX files, trust anchors) and returns the options `collect` receives.
   * Kept apart from `collect`, which stays pure.
   */
  prepare?(options: Record<string, unknown>): Promise<Record<string, unknown>>;
}
