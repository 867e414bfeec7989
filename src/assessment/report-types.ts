import type { Result } from "../crosswalk/inference.js";

/** Readiness of one assessment for one market, item by item. */
export interface MarketReadiness {
  /** Market id from the rules' vocabulary: us-federal, us-consumer-label, eu-cra, etsi-en-303-645. */
  market: string;
  label: string;
  /** The catalog whose items decide this market. */
  catalog: string;
  items: ReadinessItem[];
  counts: { met: number; partial: number; missing: number; notApplicable: number; unknown: number };
}

export interface ReadinessItem {
  item: string;
  label: string;
  title: string;
  result: Result;
  /** direct: a finding on this very item; derived: inferred through crosswalks (a proposal, not a verdict). */
  source: "direct" | "derived";
  /** For derived results: the item-id paths and mapping rows that produced them. */
  paths?: { path: string[]; rows: string[] }[];
}

export type PitfallSeverity = "error" | "warning";

/** A known mistake caught in an assessment (the guide's recurring errors and a few more). */
export interface Pitfall {
  id: string;
  severity: PitfallSeverity;
  title: string;
  message: string;
  /** Items, evidence ids or fields the pitfall is about. */
  refs?: string[];
}
