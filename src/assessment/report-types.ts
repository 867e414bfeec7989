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
  /**
   * direct: the assessment's own verdict on this very item (a person's, or derived inside the
   * assessment from measures, children or an accepted proposal: `by` says which); derived:
   * inferred through crosswalks (a proposal, not a verdict).
   */
  source: "direct" | "derived";
  by?: "person" | "measures" | "roll-up" | "proposal";
  /** For derived results: the item-id paths and mapping rows that produced them. */
  paths?: { path: string[]; rows: string[] }[];
}

export type PitfallSeverity = "error" | "warning";

/** The guide's four steps: markets and profile; design (measures, risks); 8259B activities; findings and dossier. */
export type Step = 1 | 2 | 3 | 4;

/** A known mistake caught in an assessment (the guide's recurring errors and a few more). */
export interface Pitfall {
  id: string;
  severity: PitfallSeverity;
  title: string;
  message: string;
  /** Items, evidence ids or fields the pitfall is about. */
  refs?: string[];
  /** The step of the guide it blocks. */
  step?: Step;
}
