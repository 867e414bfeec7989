/** SP 800-213 profiles: a device's context in, the capabilities required of it out. */

export type ImpactLevel = "low" | "moderate" | "high";
export const IMPACT_LEVELS: readonly ImpactLevel[] = ["low", "moderate", "high"];

export type Stringency = "low" | "moderate" | "high";
export const STRINGENCIES: readonly Stringency[] = ["low", "moderate", "high"];

export type AssessmentMethod = "self-attestation" | "independent-assessment";

/** How firmly the item is asked for: required, recommended (a "should"), or required when its condition holds. */
export type Obligation = "required" | "recommended" | "conditional";

/** A source's own status notation for an item, as EN 303 645 Table B.1 prints it. */
export type SourceStatus = "M" | "R" | "M C" | "R C";

/** The device's context (SP 800-213 profiling variables). Values are checked against the rules' vocabulary. */
export interface DeviceContext {
  /** A name for the device or the use case, carried into reports. */
  name?: string;
  impact: { confidentiality: ImpactLevel; integrity: ImpactLevel; availability: ImpactLevel };
  environment: string;
  connectivity: string;
  data: string[];
  lifetimeYears: number;
  markets: string[];
  /** Device features some markets are decided by (radio, internet-connected, money transfer...). */
  features?: string[];
}

/** Why an item is in the profile: the rule, and the controls or mapping rows that led to it. */
export interface Because {
  rule: string;
  /** SP 800-53 controls of the baseline that selected the item. */
  controls?: string[];
  /** Crosswalk rows that carried the selection to this item. */
  rows?: string[];
  note?: string;
}

export interface ProfileItem {
  /** Catalog item id, `<catalog>:<ref>`. */
  id: string;
  catalog: string;
  label: string;
  title: string;
  kind: string;
  stringency: Stringency;
  method: AssessmentMethod;
  obligation: Obligation;
  /** The source's status for the item (EN 303 645 Table B.1), when the catalog records one. */
  status?: SourceStatus;
  /** Table B.1 condition numbers of a conditional EN 303 645 provision. */
  conditions?: string[];
  /** What the supplier is expected to deliver as evidence. */
  evidence: string[];
  because: Because[];
  /** Set when the item was added by tailoring rather than by the rules. */
  tailored?: boolean;
  /**
   * The nearest ancestor of the item in its catalog that the profile also holds: an item with
   * children in the profile takes its result from them (roll-up, docs/decisions/0003).
   */
  parent?: string;
  /** The profile asks for a verdict on this item itself: it does not roll up from its children. */
  assessItself?: boolean;
}

export interface TailoringEntry {
  action: "add" | "remove";
  item: string;
  rationale: string;
  author: string;
  at: string;
}

export interface ProfileRequirements {
  /** Cryptographic modules must be FIPS 140-3 validated. */
  fips140_3: boolean;
  /** Delivery is verified by an independent assessor rather than self-attestation. */
  independentAssessment: boolean;
  /** Minimum support period for security updates, in years. */
  minSupportYears: number;
}

export interface Profile {
  format: "cairn-profile/1";
  id: string;
  title: string;
  /** ISO date the profile was made; from the caller, never the clock inside the core. */
  created: string;
  context: DeviceContext;
  highWaterMark: ImpactLevel;
  /** The SP 800-53B baseline the high-water mark selects. */
  baseline: "LOW" | "MODERATE" | "HIGH";
  rules: { id: string; version: string };
  catalogs: Record<string, string>;
  requirements: ProfileRequirements;
  items: ProfileItem[];
  tailoring: TailoringEntry[];
  /** Warnings that stay visible, e.g. a core 8259A/8259B item removed by tailoring. */
  warnings: string[];
  /** What the rules want said with the profile, e.g. that EN 303 645 is not harmonised under the CRA. */
  notices?: string[];
  /** Which rule set each requirement, and whether that is the method's or Cairn's policy. */
  requirementsBasis?: RequirementBasis[];
}

export interface RequirementBasis {
  requirement: keyof ProfileRequirements;
  rule: string;
  /** method: SP 800-213 or the law require it; policy: Cairn's choice. */
  basis: "method" | "policy";
  source?: string;
}

export function highWaterMark(impact: DeviceContext["impact"]): ImpactLevel {
  const rank = (l: ImpactLevel) => IMPACT_LEVELS.indexOf(l);
  return [impact.confidentiality, impact.integrity, impact.availability].reduce((a, b) =>
    rank(b) > rank(a) ? b : a,
  );
}
