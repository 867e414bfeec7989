/**
 * Assessments: a release of a product against a profile, one finding per required item, backed by
 * evidence that is never changed once recorded (a new revision supersedes it). Shaped after ETSI
 * TS 103 701: implementation statements, supplier information (IXIT), verdicts and evidence.
 */

export type AssessmentKind = "self-attestation" | "second-party" | "third-party";
export type AssessmentStatus = "planned" | "in-progress" | "in-review" | "done";
export type ImplementationSupport = "supported" | "not-supported" | "not-applicable";
export type Verdict = "pass" | "fail" | "inconclusive" | "not-applicable" | "not-assessed";
export type Method = "examine" | "interview" | "test";
export type EvidenceKind = "file" | "link" | "attestation" | "tool-result";
export type EvidenceStrength = "proves" | "proves-only-when-failing" | "supports" | "none";

export const VERDICTS: readonly Verdict[] = [
  "pass",
  "fail",
  "inconclusive",
  "not-applicable",
  "not-assessed",
];
export const METHODS: readonly Method[] = ["examine", "interview", "test"];
export const SUPPORTS: readonly ImplementationSupport[] = ["supported", "not-supported", "not-applicable"];
export const STRENGTHS: readonly EvidenceStrength[] = [
  "proves",
  "proves-only-when-failing",
  "supports",
  "none",
];
export const ASSESSMENT_KINDS: readonly AssessmentKind[] = [
  "self-attestation",
  "second-party",
  "third-party",
];
export const ASSESSMENT_STATUSES: readonly AssessmentStatus[] = [
  "planned",
  "in-progress",
  "in-review",
  "done",
];

export interface Product {
  id: string;
  manufacturer: string;
  model: string;
  category: string;
}

/** The device under test: what exactly was assessed. */
export interface Release {
  /** Firmware or software version. */
  version: string;
  hardwareVersion?: string;
  /** ISO date the release was published or frozen for assessment. */
  date: string;
  /** ISO date security updates end for this release (declared support period). */
  supportEnd?: string;
  /** How the unit under test is identified (serial, certificate fingerprint, MAC...). */
  identity?: Record<string, string>;
}

export interface Assessor {
  name: string;
  organisation?: string;
  role?: string;
}

export interface ImplementationStatement {
  support: ImplementationSupport;
  /** How the item is implemented, or why it is not. */
  detail?: string;
}

export interface SignOff {
  reviewer: string;
  date: string;
}

export interface Finding {
  /** The profile item, `<catalog>:<ref>`. */
  item: string;
  statement?: ImplementationStatement;
  verdict: Verdict;
  method?: Method;
  notes?: string;
  /** Evidence record ids backing the verdict. */
  evidence: string[];
  signOff?: SignOff;
  /** What the verdict was given against, to tell when it goes stale. */
  basis?: { release: string; profileItem: string };
  updated?: { by: string; date: string };
  /**
   * Bumped by every change (absent: 1, never changed). A writer names the version it read, so of
   * two people editing one finding the second learns of the first instead of overwriting it.
   */
  version?: number;
}

export interface EvidenceRecord {
  /** Stable id, e.g. E-0007; a revision keeps the id of the record it supersedes in `supersedes`. */
  id: string;
  kind: EvidenceKind;
  title: string;
  strength: EvidenceStrength;
  /** Free tags that pitfall checks read: sbom, vdp, security-txt, fips-140-3, support-period... */
  tags: string[];
  /** file: stored under evidence/ by content hash; never a path the user chose. */
  file?: { name: string; path: string; sha256: string; size: number; mediaType: string };
  url?: string;
  text?: string;
  tool?: { name: string; version: string; command?: string; outputSha256?: string };
  /** ISO date from which the evidence holds, and until which (if it expires). */
  effective: string;
  expires?: string;
  addedBy: string;
  addedAt: string;
  supersedes?: string;
}

/** EN 303 645 conformance statement: per provision, the supplier's declaration (Table B.1 style). */
export interface ConformanceStatement {
  provisions: Record<string, { support: ImplementationSupport; justification?: string }>;
}

export interface Assessment {
  format: "cairn-assessment/1";
  id: string;
  title: string;
  kind: AssessmentKind;
  status: AssessmentStatus;
  assessors: Assessor[];
  product: Product;
  release: Release;
  /** The profile file beside assessment.json and its hash when the assessment last took it in. */
  profile: { file: string; id: string; sha256: string };
  created: string;
  updated: string;
  findings: Finding[];
  /** Findings of items a new profile no longer requires: kept, never dropped. */
  retiredFindings?: (Finding & { retired: string })[];
  /** Append-only: records are added, never edited or removed. */
  evidence: EvidenceRecord[];
  conformanceStatement?: ConformanceStatement;
  /** Supplier implementation information (TS 103 701 IXIT), declared, to compare with what is observed. */
  supplierInformation?: Record<string, unknown>;
}
