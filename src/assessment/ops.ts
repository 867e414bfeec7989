import type { Problem } from "../core/problem.js";
import type { Profile, ProfileItem } from "../profile/model.js";
import { profileItemDigest, staleReason } from "./basis.js";
import { deriveVerdicts, type EffectiveVerdict, type ItemVerdict } from "./derive.js";
import type {
  Assessment,
  AssessmentKind,
  Assessor,
  EvidenceRecord,
  Finding,
  Product,
  Release,
} from "./model.js";

// Staleness of a person's verdict is decided in basis.ts (derive.ts uses it too).
export { profileItemDigest, staleReason };

export interface NewAssessment {
  id: string;
  title: string;
  kind: AssessmentKind;
  product: Product;
  release: Release;
  assessors: Assessor[];
  date: string;
  profileFile: string;
  profileSha256: string;
}

/** A new assessment of a release against a profile: one not-assessed finding per profile item. */
export function newAssessment(profile: Profile, a: NewAssessment): Assessment {
  return {
    format: "cairn-assessment/1",
    id: a.id,
    title: a.title,
    kind: a.kind,
    status: "planned",
    assessors: a.assessors,
    product: a.product,
    release: a.release,
    profile: { file: a.profileFile, id: profile.id, sha256: a.profileSha256 },
    created: a.date,
    updated: a.date,
    findings: profile.items.map((i) => ({ item: i.id, verdict: "not-assessed", evidence: [] })),
    evidence: [],
  };
}

/** The latest revision of an evidence record (following `supersedes` links forward). */
export function currentEvidence(a: Assessment, id: string): EvidenceRecord | undefined {
  let current = a.evidence.find((e) => e.id === id);
  for (let guard = 0; current && guard < a.evidence.length; guard++) {
    const newer = a.evidence.find((e) => e.supersedes === current?.id);
    if (!newer) break;
    current = newer;
  }
  return current;
}

/** A finding whose verdict was given on another release or another version of its profile item. */
export function isStale(f: Finding, a: Assessment, profile: Profile): boolean {
  return (
    staleReason(
      f,
      a,
      profile.items.find((i) => i.id === f.item),
    ) !== undefined
  );
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;
/** A date, or the moment a server recorded (as the schema's `timestamp`). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2}))?$/;

/** Consistency of an assessment with its profile and its own records; each problem names its place. */
export function checkConsistency(a: Assessment, profile: Profile, source = "assessment.json"): Problem[] {
  const problems: Problem[] = [];
  const at = (location: string, message: string) => problems.push({ source, location, message });
  const inProfile = new Set(profile.items.map((i) => i.id));
  const evidence = new Set<string>();
  a.evidence.forEach((e, i) => {
    if (evidence.has(e.id)) at(`evidence[${i}]`, `duplicate evidence id ${e.id}`);
    evidence.add(e.id);
    if (e.kind === "file" && !e.file) at(`evidence[${i}] (${e.id})`, "a file record needs its file");
    if (e.expires && e.expires < e.effective)
      at(`evidence[${i}] (${e.id}).expires`, "expires before it is effective");
    for (const d of [e.effective, e.expires])
      if (d && (!ISO.test(d) || Number.isNaN(Date.parse(d))))
        at(`evidence[${i}] (${e.id})`, `invalid date ${d}`);
    if (e.addedAt && (!TIMESTAMP.test(e.addedAt) || Number.isNaN(Date.parse(e.addedAt))))
      at(`evidence[${i}] (${e.id}).addedAt`, `invalid date ${e.addedAt}`);
  });
  const seen = new Set<string>();
  a.findings.forEach((f, i) => {
    const where = `findings[${i}] (${f.item})`;
    if (!inProfile.has(f.item)) at(where, `item is not in profile ${profile.id}`);
    if (seen.has(f.item)) at(where, "second finding for the same item");
    seen.add(f.item);
    for (const e of f.evidence)
      if (!evidence.has(e)) at(`${where}.evidence`, `evidence ${e} is not recorded`);
  });
  for (const item of inProfile) if (!seen.has(item)) at("findings", `required item ${item} has no finding`);
  const measures = new Map<string, boolean>();
  (a.measures ?? []).forEach((m, i) => {
    const where = `measures[${i}] (${m.id})`;
    if (measures.has(m.id)) at(where, `duplicate measure id ${m.id}`);
    measures.set(m.id, m.removed === undefined);
    const linked = new Set<string>();
    m.links.forEach((l, j) => {
      if (l.removed) return;
      if (!inProfile.has(l.item))
        at(`${where}.links[${j}]`, `${l.item} is not an item of profile ${profile.id}`);
      if (linked.has(l.item)) at(`${where}.links[${j}]`, `${l.item} is linked twice`);
      linked.add(l.item);
    });
    for (const e of m.evidence)
      if (!evidence.has(e)) at(`${where}.evidence`, `evidence ${e} is not recorded`);
  });
  const risks = new Set<string>();
  (a.risks ?? []).forEach((r, i) => {
    const where = `risks[${i}] (${r.id})`;
    if (risks.has(r.id)) at(where, `duplicate risk id ${r.id}`);
    risks.add(r.id);
    for (const m of r.treatment.measures)
      if (!measures.has(m)) at(`${where}.treatment.measures`, `measure ${m} is not recorded`);
  });
  const proposals = new Set<string>();
  (a.proposals ?? []).forEach((p, i) => {
    const where = `proposals[${i}] (${p.id})`;
    if (proposals.has(p.id)) at(where, `duplicate proposal id ${p.id}`);
    proposals.add(p.id);
    if (!p.decision && !inProfile.has(p.item)) at(where, `${p.item} is not an item of profile ${profile.id}`);
    if (p.source.kind === "collector" && !evidence.has(p.source.evidence))
      at(`${where}.source.evidence`, `evidence ${p.source.evidence} is not recorded`);
  });
  for (const d of [a.created, a.updated, a.release.date, a.release.supportEnd]) {
    if (d !== undefined && Number.isNaN(Date.parse(d))) at("dates", `invalid date ${d}`);
  }
  return problems;
}

export interface CheckResult {
  ok: boolean;
  total: number;
  passing: number;
  /** Of the passing items, how many pass on a derived verdict (measures, roll-up, accepted proposal). */
  derived: number;
  failing: { item: string; verdict: EffectiveVerdict; reason: string; source: ItemVerdict["source"] }[];
}

/**
 * A recommendation the manufacturer declares not supported, with a justification: EN 303 645
 * clause 4 allows that for a recommendation (not for a requirement), so it holds up the gate no more
 * than a pass does, though the item is not there (readiness says so).
 */
export function declaredNotSupported(item: ProfileItem, f: Finding | undefined): boolean {
  return (
    item.obligation === "recommended" &&
    f?.statement?.support === "not-supported" &&
    (f.statement.detail?.trim() ?? "") !== ""
  );
}

/**
 * The gate a manufacturer runs in CI: every required or conditional item passes (or does not
 * apply) on the current release, by a person's verdict or a derived one; a recommended item may
 * instead be declared not supported with a justification (EN 303 645 clause 4). Stale verdicts do
 * not count.
 */
export function checkAssessment(a: Assessment, profile: Profile): CheckResult {
  const byItem = new Map(a.findings.map((f) => [f.item, f]));
  const { items } = deriveVerdicts(a, profile);
  const failing: CheckResult["failing"] = [];
  let derived = 0;
  for (const item of profile.items) {
    const f = byItem.get(item.id);
    const v = items.get(item.id) as ItemVerdict;
    const verdict = v.verdict;
    if (v.stale) {
      failing.push({ item: item.id, verdict, reason: `stale: ${v.stale}`, source: v.source });
      continue;
    }
    if (verdict === "pass" || verdict === "not-applicable") {
      if (v.source !== "person") derived++;
      continue;
    }
    if (declaredNotSupported(item, f)) continue;
    const reason =
      verdict === "not-assessed"
        ? "not assessed"
        : verdict === "inconclusive"
          ? "inconclusive"
          : verdict === "partial"
            ? "partial"
            : "fails";
    failing.push({ item: item.id, verdict, reason, source: v.source });
  }
  return {
    ok: failing.length === 0,
    total: profile.items.length,
    passing: profile.items.length - failing.length,
    derived,
    failing,
  };
}
