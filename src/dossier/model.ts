/**
 * The assessment dossier: everything a reviewer needs about one assessment, as a folder of files
 * (and a zip of that folder) whose every byte follows from the input. The build is pure: no clock,
 * no file system, no randomness; the CLI reads the assessment folder and writes the result.
 */
import type { Assessment } from "../assessment/model.js";
import type { MarketReadiness, Pitfall } from "../assessment/report-types.js";
import type { CatalogRegistry } from "../catalog/registry.js";
import type { Problem } from "../core/problem.js";
import type { CrosswalkSet } from "../crosswalk/set.js";
import type { Profile } from "../profile/model.js";
import type { SignatureCheck } from "./signature.js";
import type { FinalOverride, OpenMatters } from "./status.js";

export interface DossierInput {
  assessment: Assessment;
  profile: Profile;
  registry: CatalogRegistry;
  /** The crosswalks the consolidated matrix is built from. */
  crosswalks: CrosswalkSet;
  readiness: MarketReadiness[];
  pitfalls: Pitfall[];
  /** Evidence file bytes by path relative to the assessment folder (`evidence/<sha256>-name.pdf`). */
  evidenceFiles: Map<string, Uint8Array>;
  /**
   * Build even when validation finds problems; every page is then marked DRAFT. A dossier is also
   * a DRAFT, without asking, while anything required is open (see `openMatters`), unless `final`.
   */
  draft: boolean;
  /**
   * Issue the dossier as final although something required is open: who and why, printed on
   * every page. Ignored when nothing is open; never overrides validation problems.
   */
  final?: FinalOverride;
  /** SHA-256 of the profile file as read, checked against `assessment.profile.sha256` when given. */
  profileSha256?: string;
  /** Audit trail entries to append to the report and to write as audit-trail.json. */
  auditTrail?: unknown[];
  /** The version of Cairn written into the outputs (default "0.1.0"); never read from the environment here. */
  toolVersion?: string;
}

/** Fixed relative paths of the dossier's files. Evidence keeps the paths recorded in the assessment. */
export const DOSSIER_FILES = {
  html: "report.html",
  pdf: "report.pdf",
  xlsx: "matrix.xlsx",
  csv: "matrix.csv",
  oscalResults: "oscal/assessment-results.json",
  oscalProfile: "oscal/profile.json",
  cyclonedx: "cyclonedx/attestation.cdx.json",
  auditTrail: "audit-trail.json",
  manifest: "manifest.json",
  /** The manifest's detached CMS signature (DER), when the dossier is signed: see docs/dossier.md. */
  signature: "manifest.json.p7s",
} as const;

export const MANIFEST_FORMAT = "cairn-dossier-manifest/1";

export interface ManifestEntry {
  path: string;
  sha256: string;
  size: number;
}

/**
 * manifest.json: every other file of the dossier with its SHA-256 and size, sorted by path.
 * `manifestSha256` is the SHA-256 of manifest.json's own bytes in which that value is written as
 * the empty string (see docs/dossier.md).
 */
export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  assessment: { id: string; title: string; updated: string };
  product: { manufacturer: string; model: string; release: string };
  /** The dossier's one timestamp: the assessment's `updated` date, never the clock. */
  generated: string;
  draft: boolean;
  /** Issued final although something required was open: who and why. */
  final?: FinalOverride;
  tool: { name: "Cairn"; version: string };
  /**
   * Where the organisation's audit chain stood at the trail's last entry (the server's dossiers):
   * kept with the dossier, outside the database, so a later rewrite of the chain is detected
   * (`cairn audit verify --anchors manifest.json`).
   */
  auditAnchor?: { chain: string; seq: number; hash: string };
  files: ManifestEntry[];
  manifestSha256: string;
}

export interface DossierResult {
  /** False when validation found problems and `draft` was not set: nothing is built. */
  built: boolean;
  /** Validation problems; when built as a draft they are listed in the report too. */
  problems: Problem[];
  /** Whether the dossier built is a DRAFT: asked for, or something required is open without `final`. */
  draft?: boolean;
  /** What is open (listed on the report's first page). */
  open?: OpenMatters;
  /** The override the dossier was issued final under, when something was open. */
  final?: FinalOverride;
  /** Relative path to bytes, sorted by path, manifest.json included. */
  files: Map<string, Uint8Array>;
  /** The same tree as one zip (entries sorted by path, fixed mtime). */
  zip?: Uint8Array;
  manifest?: Manifest;
}

export interface VerifyResult {
  ok: boolean;
  /** Files whose bytes differ from the manifest. */
  changed: string[];
  /** Files the manifest lists that are absent. */
  missing: string[];
  /** Files present that the manifest does not list. */
  added: string[];
  /** Whether manifest.json's own SHA-256 matches `manifestSha256`. */
  manifestIntact: boolean;
  problems: Problem[];
  manifest?: Manifest;
  /** The manifest's signature, when the dossier has one (see signature.ts). */
  signature?: SignatureCheck;
}
