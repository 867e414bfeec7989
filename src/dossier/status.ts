import type { Assessment } from "../assessment/model.js";
import type { Pitfall } from "../assessment/report-types.js";
import type { Profile } from "../profile/model.js";
import type { Gap } from "./report-model.js";

/** Who issued a dossier as final although something required is open, and why; printed on every page. */
export interface FinalOverride {
  reason: string;
  by: string;
}

/** What keeps a dossier from being final. */
export interface OpenMatters {
  /** Required (or conditional) profile items without a current decision: no finding, not assessed, inconclusive, stale, all evidence expired. */
  items: Gap[];
  /** Pitfalls of severity error. */
  pitfalls: Pitfall[];
  /** The profile asks for independent assessment and the assessment is a self-attestation. */
  selfAttestation?: string;
}

/** Verdicts that decide an item: a pass, a failure (reported as such), or not applicable. */
const DECIDED = new Set(["pass", "fail", "not-applicable"]);

/** A gap keeps the dossier open when the item is not merely recommended and nothing decides it now. */
export function isOpen(gap: Gap, obligation: string | undefined): boolean {
  if (obligation === "recommended") return false;
  return !DECIDED.has(gap.verdict) || gap.reasons.length > 0;
}

/**
 * What is open in an assessment for its dossier: required items undecided, pitfall errors, and a
 * self-attestation where the profile requires independent assessment. A failed item is decided
 * (the dossier reports the failure); an undecided one is open.
 */
export function openMatters(
  assessment: Assessment,
  profile: Profile,
  gaps: Gap[],
  pitfalls: Pitfall[],
): OpenMatters {
  const obligation = new Map(profile.items.map((i) => [i.id, i.obligation]));
  const out: OpenMatters = {
    items: gaps.filter((g) => isOpen(g, obligation.get(g.item))),
    pitfalls: pitfalls.filter((p) => p.severity === "error"),
  };
  if (profile.requirements.independentAssessment && assessment.kind === "self-attestation")
    out.selfAttestation = `profile ${profile.id} requires independent assessment; this assessment is a self-attestation`;
  return out;
}

export function openCount(o: OpenMatters): number {
  return o.items.length + o.pitfalls.length + (o.selfAttestation ? 1 : 0);
}

/** One line for a page footer or a banner: what is open, counted. */
export function openSummary(o: OpenMatters): string {
  const parts: string[] = [];
  if (o.items.length > 0)
    parts.push(`${o.items.length} required item${o.items.length === 1 ? "" : "s"} not decided`);
  if (o.pitfalls.length > 0)
    parts.push(`${o.pitfalls.length} pitfall error${o.pitfalls.length === 1 ? "" : "s"}`);
  if (o.selfAttestation) parts.push("self-attestation where independent assessment is required");
  return parts.join(", ");
}
