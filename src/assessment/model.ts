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
   * A proposal a person accepted for this item (a verdict derived through the crosswalks, or a
   * collector's): a derived verdict with its derivation, never a person's verdict. It goes stale
   * when its source changes; a person's verdict always wins over it.
   */
  accepted?: AcceptedProposal;
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

/** How much of an item a design measure implements: all of it, or a part. */
export type Coverage = "full" | "partial";
export const COVERAGES: readonly Coverage[] = ["full", "partial"];

/** Where a measure's link to an item came from (a person confirmed every stored link). */
export type LinkOrigin =
  | { kind: "person" }
  | { kind: "library"; entry: string }
  /** Proposed through the crosswalks from the measure's link to `from`: the path and mapping rows. */
  | { kind: "crosswalk"; from: string; path: string[]; rows: string[] }
  | { kind: "search"; query: string };

export interface MeasureLink {
  /** The profile item, `<catalog>:<ref>`. */
  item: string;
  coverage: Coverage;
  origin?: LinkOrigin;
  /** The profile item's digest when the link was confirmed: a changed item shows the link stale. */
  profileItem?: string;
  by: string;
  at: string;
  /** Set when a link that settled the item was removed: kept so the item shows as stale. */
  removed?: { by: string; at: string };
}

/** A measure's own verdict: does the mechanism work as described on this release? */
export type MeasureVerdict = "pass" | "fail" | "inconclusive";
export const MEASURE_VERDICTS: readonly MeasureVerdict[] = ["pass", "fail", "inconclusive"];

export interface MeasureVerification {
  verdict: MeasureVerdict;
  method: Method;
  notes?: string;
  /** The release it was verified on: a new release makes it stale. */
  basis: { release: string };
  by: string;
  at: string;
}

export type MeasureKind = "technical" | "process";
export const MEASURE_KINDS: readonly MeasureKind[] = ["technical", "process"];

/**
 * A design measure (the guide's step 2): a mechanism or process of the product, the items it
 * implements, its evidence and its own verification. Items it implements take derived verdicts from
 * it (docs/decisions/0003-roll-up-and-measures.md).
 */
export interface Measure {
  /** M-001, M-002... never reused. */
  id: string;
  title: string;
  description?: string;
  owner?: string;
  kind?: MeasureKind;
  /** The library entry it was made from, if any. */
  library?: { id: string; version: string };
  links: MeasureLink[];
  /** Items proposed for this measure that a person turned down: not proposed again. */
  rejected?: string[];
  /** Evidence record ids documenting the measure and its verification. */
  evidence: string[];
  verification?: MeasureVerification;
  version: number;
  updated?: { by: string; date: string };
  /** Removed measures are kept (ids are never reused; the verdicts they settled show as stale). */
  removed?: { by: string; at: string; reason?: string; settled: string[] };
}

export type RiskLevel = "low" | "medium" | "high";
export const RISK_LEVELS: readonly RiskLevel[] = ["low", "medium", "high"];
export type RiskDecision = "mitigate" | "accept" | "avoid" | "transfer";
export const RISK_DECISIONS: readonly RiskDecision[] = ["mitigate", "accept", "avoid", "transfer"];

/**
 * One line of the risk register (CRA Article 13(2)-(3) and Annex I Part I (1): the product is
 * designed on the basis of a documented cybersecurity risk assessment).
 */
export interface Risk {
  /** */
  id: string;
  asset: string;
  threat: string;
  likelihood: RiskLevel;
  impact: RiskLevel;
  treatment: { decision: RiskDecision; measures: string[]; notes?: string };
  residual: RiskLevel;
  owner?: string;
  version: number;
  updated?: { by: string; date: string };
  /** Removed risks are kept (ids are never reused). */
  removed?: { by: string; at: string };
}

/** A verdict a proposal carries: derived results may be partial (ADR 0001). */
export type ProposedResult = "pass" | "fail" | "not-applicable" | "partial" | "inconclusive";

/** The state of a source item when a crosswalk proposal was made from it. */
export interface SourceState {
  item: string;
  verdict: ProposedResult;
  /** person: a finding's verdict (with the finding's version); measures; roll-up. */
  by: "person" | "measures" | "roll-up";
  version?: number;
}

export type ProposalSource =
  | {
      kind: "crosswalk";
      from: SourceState[];
      /** Item-id paths from a source to the item, and the mapping rows of each hop. */
      paths: { path: string[]; rows: string[] }[];
    }
  | {
      kind: "collector";
      collector: string;
      /** The evidence record the collector read. */
      evidence: string;
      strength: EvidenceStrength;
      reason: string;
      checks?: string[];
    };

/** A verdict proposed for one item: computed from the crosswalks, or stored by a collector. */
export interface VerdictProposal {
  kind: "verdict";
  /** X-<hash> for a crosswalk proposal (its content), P-0001... for a stored one. */
  id: string;
  item: string;
  verdict: ProposedResult;
  source: ProposalSource;
  /** The item's finding version the proposal was made against: accepting refuses a changed item. */
  findingVersion: number;
}

/**
 * A link proposed for a measure: through the crosswalks from its confirmed links, or, for a measure
 * with no link yet, by searching the profile's items for the measure's title and description.
 */
export interface LinkProposal {
  kind: "link";
  id: string;
  item: string;
  measure: string;
  coverage: Coverage;
  source:
    | { kind: "crosswalk"; from: string; path: string[]; rows: string[] }
    /** The words searched for, the ones the item matched, and the search's score. */
    | { kind: "search"; query: string; matched: string[]; score: number };
  measureVersion: number;
}

export type Proposal = VerdictProposal | LinkProposal;

/** A proposal kept in the document: a collector's, or one a person decided on. */
export interface StoredProposal extends VerdictProposal {
  added: { by: string; at: string };
  decision?: { status: "accepted" | "rejected"; by: string; at: string; note?: string };
}

export interface AcceptedProposal {
  proposal: string;
  verdict: ProposedResult;
  source: ProposalSource;
  /** The release and profile item it was accepted against. */
  basis: { release: string; profileItem: string };
  by: string;
  at: string;
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
  /** Design measures (step 2 of the guide), removed ones kept. */
  measures?: Measure[];
  /** The risk register. */
  risks?: Risk[];
  /** Proposals kept in the document: collectors' (open or decided) and decided crosswalk ones. */
  proposals?: StoredProposal[];
}
