/**
 * The rules of design measures and the risk register (the guide's step 2): pure functions over the
 * assessment, run as commands of the assessment core (changes.ts). A measure implements items of
 * the profile (links a person confirmed, full or partial), carries its evidence and its own
 * verification; the items it implements take derived verdicts from it (derive.ts, ADR 0003).
 */
import { ConflictError, NotFoundError } from "../core/errors.js";
import type { Profile } from "../profile/model.js";
import { profileItemDigest } from "./basis.js";
import {
  type AssessmentEvent,
  type ChangeContext,
  type ChangeOutcome,
  dateOf,
  invalid,
  later,
  requireOpen,
  same,
} from "./change-kit.js";
import { deriveVerdicts } from "./derive.js";
import {
  type Assessment,
  COVERAGES,
  type Coverage,
  type LinkOrigin,
  MEASURE_KINDS,
  MEASURE_VERDICTS,
  METHODS,
  type Measure,
  type MeasureKind,
  type MeasureLink,
  type MeasureVerdict,
  type Method,
  RISK_DECISIONS,
  RISK_LEVELS,
  type Risk,
  type RiskDecision,
  type RiskLevel,
} from "./model.js";

export interface NewLink {
  item: string;
  coverage: Coverage;
  origin?: LinkOrigin;
}

export interface NewMeasure {
  title: string;
  description?: string;
  owner?: string;
  kind?: MeasureKind;
  library?: { id: string; version: string };
  links?: NewLink[];
  evidence?: string[];
}

export interface MeasurePatch {
  title?: string;
  /** null removes it. */
  description?: string | null;
  owner?: string | null;
  kind?: MeasureKind | null;
  attach?: string[];
  detach?: string[];
}

export interface MeasureVerificationInput {
  /** null withdraws the verification. */
  verdict: MeasureVerdict | null;
  method?: Method;
  notes?: string;
  attach?: string[];
}

export interface NewRisk {
  asset: string;
  threat: string;
  likelihood: RiskLevel;
  impact: RiskLevel;
  treatment: { decision: RiskDecision; measures: string[]; notes?: string };
  residual: RiskLevel;
  owner?: string;
}

type Problems = { location: string; message: string }[];

const MAX_TITLE = 300;
const MAX_TEXT = 20000;

/** The next id of a series: M-001, R-001... one more than the highest given out (never reused). */
function nextId(prefix: string, ids: readonly string[]): string {
  const re = new RegExp(`^${prefix}-(\\d+)$`);
  const n = ids.reduce((m, id) => Math.max(m, Number(re.exec(id)?.[1] ?? 0)), 0) + 1;
  return `${prefix}-${String(n).padStart(3, "0")}`;
}

function measureAt(a: Assessment, id: string): { measure: Measure; index: number } {
  const index = (a.measures ?? []).findIndex((m) => m.id === id);
  if (index < 0) throw new NotFoundError(`measure ${id}`);
  return { measure: (a.measures as Measure[])[index] as Measure, index };
}

function activeMeasure(a: Assessment, id: string): { measure: Measure; index: number } {
  const found = measureAt(a, id);
  if (found.measure.removed)
    throw new ConflictError("measure-removed", `measure ${id} was removed; it cannot change`);
  return found;
}

function checkMeasureVersion(m: Measure, expect: number | undefined): void {
  if (expect !== undefined && m.version !== expect)
    throw new ConflictError("stale-version", `measure ${m.id} was changed by someone else`, m);
}

function text(problems: Problems, location: string, value: string | undefined | null, max: number) {
  if (value === undefined || value === null) return;
  if (!value.trim()) problems.push({ location, message: "must not be empty" });
  else if (value.length > max) problems.push({ location, message: `longer than ${max} characters` });
}

function evidenceProblems(a: Assessment, ids: readonly string[] | undefined, location: string): Problems {
  const known = new Set(a.evidence.map((e) => e.id));
  return (ids ?? [])
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => !known.has(e))
    .map(({ e, i }) => ({ location: `${location}[${i}]`, message: `no evidence ${e} in this assessment` }));
}

/** The links a command names, each refused with its reason when the item is not in the profile. */
function linkProblems(profile: Profile, links: readonly NewLink[], location: string): Problems {
  const held = new Set(profile.items.map((i) => i.id));
  const problems: Problems = [];
  const seen = new Set<string>();
  links.forEach((l, i) => {
    if (!held.has(l.item))
      problems.push({
        location: `${location}[${i}].item`,
        message: `${l.item} is not an item of profile ${profile.id}: a measure implements items of the assessment's profile`,
      });
    if (!COVERAGES.includes(l.coverage))
      problems.push({ location: `${location}[${i}].coverage`, message: "must be full or partial" });
    if (seen.has(l.item))
      problems.push({ location: `${location}[${i}].item`, message: `${l.item} is named twice` });
    seen.add(l.item);
  });
  return problems;
}

function stored(l: NewLink, profile: Profile, ctx: ChangeContext): MeasureLink {
  const entry = profile.items.find((i) => i.id === l.item);
  return {
    item: l.item,
    coverage: l.coverage,
    ...(l.origin && l.origin.kind !== "person" ? { origin: l.origin } : {}),
    ...(entry ? { profileItem: profileItemDigest(entry) } : {}),
    by: ctx.by,
    at: ctx.at,
  };
}

function withMeasure(a: Assessment, index: number, m: Measure, at: string): Assessment {
  const measures = (a.measures ?? []).slice();
  measures[index] = m;
  return {
    ...a,
    measures,
    updated: later(at, a.updated),
    status: a.status === "planned" ? "in-progress" : a.status,
  };
}

function event(action: string, measure: string, detail: Record<string, unknown>): AssessmentEvent {
  return { action, subject: "assessment", detail: { measure, ...detail } };
}

export function addMeasure(
  a: Assessment,
  profile: Profile,
  input: NewMeasure,
  ctx: ChangeContext,
): ChangeOutcome {
  requireOpen(a);
  const problems: Problems = [];
  text(problems, "title", input.title, MAX_TITLE);
  if (input.title === undefined) problems.push({ location: "title", message: "missing" });
  text(problems, "description", input.description, MAX_TEXT);
  text(problems, "owner", input.owner, MAX_TITLE);
  if (input.kind !== undefined && !MEASURE_KINDS.includes(input.kind))
    problems.push({ location: "kind", message: `must be one of ${MEASURE_KINDS.join(", ")}` });
  problems.push(...linkProblems(profile, input.links ?? [], "links"));
  problems.push(...evidenceProblems(a, input.evidence, "evidence"));
  if (problems.length > 0) throw invalid("the measure is invalid", problems);
  const measures = a.measures ?? [];
  const m: Measure = {
    id: nextId(
      "M",
      measures.map((x) => x.id),
    ),
    title: input.title.trim(),
    ...(input.description?.trim() ? { description: input.description } : {}),
    ...(input.owner?.trim() ? { owner: input.owner.trim() } : {}),
    ...(input.kind ? { kind: input.kind } : {}),
    ...(input.library ? { library: input.library } : {}),
    links: (input.links ?? []).map((l) => stored(l, profile, ctx)),
    evidence: [...new Set(input.evidence ?? [])],
    version: 1,
    updated: { by: ctx.by, date: ctx.at },
  };
  return {
    assessment: {
      ...a,
      measures: [...measures, m],
      updated: later(ctx.at, a.updated),
      status: a.status === "planned" ? "in-progress" : a.status,
    },
    events: [
      event("measure.add", m.id, {
        title: m.title,
        links: m.links.map((l) => `${l.item} (${l.coverage})`),
        ...(m.library ? { library: m.library.id } : {}),
      }),
    ],
    result: m,
  };
}

export function updateMeasure(
  a: Assessment,
  id: string,
  patch: MeasurePatch,
  expect: number | undefined,
  ctx: ChangeContext,
): ChangeOutcome {
  requireOpen(a);
  const { measure: current, index } = activeMeasure(a, id);
  checkMeasureVersion(current, expect);
  const problems: Problems = [];
  text(problems, "title", patch.title, MAX_TITLE);
  text(problems, "description", patch.description, MAX_TEXT);
  text(problems, "owner", patch.owner, MAX_TITLE);
  if (patch.kind !== undefined && patch.kind !== null && !MEASURE_KINDS.includes(patch.kind))
    problems.push({ location: "kind", message: `must be one of ${MEASURE_KINDS.join(", ")}` });
  problems.push(...evidenceProblems(a, patch.attach, "attach"));
  (patch.detach ?? []).forEach((e, i) => {
    if (!current.evidence.includes(e))
      problems.push({ location: `detach[${i}]`, message: `${e} is not attached to ${id}` });
  });
  if (problems.length > 0) throw invalid("the change is invalid", problems);
  const next: Measure = { ...current };
  if (patch.title !== undefined) next.title = patch.title.trim();
  for (const k of ["description", "owner", "kind"] as const) {
    const v = patch[k];
    if (v === undefined) continue;
    if (v === null) delete next[k];
    else (next as unknown as Record<string, unknown>)[k] = k === "owner" ? (v as string).trim() : v;
  }
  if (patch.attach || patch.detach) {
    const drop = new Set(patch.detach ?? []);
    const evidence = current.evidence.filter((e) => !drop.has(e));
    for (const e of patch.attach ?? []) if (!evidence.includes(e)) evidence.push(e);
    next.evidence = evidence;
  }
  const content = (m: Measure) => [m.title, m.description, m.owner, m.kind, [...m.evidence].sort()];
  if (same(content(next), content(current))) return { assessment: a, events: [], result: current };
  next.version = current.version + 1;
  next.updated = { by: ctx.by, date: ctx.at };
  const detail: Record<string, unknown> = { version: next.version };
  for (const k of ["title", "description", "owner", "kind", "attach", "detach"] as const)
    if (patch[k] !== undefined) detail[k] = patch[k];
  return {
    assessment: withMeasure(a, index, next, ctx.at),
    events: [event("measure.update", id, detail)],
    result: next,
  };
}

/** Items whose derived verdict a measure decides now (settled, or failing), through given links. */
function settledBy(a: Assessment, profile: Profile, measure: string, items?: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const v of deriveVerdicts(a, profile).items.values()) {
    if (v.source !== "measures" || v.stale || !v.path?.measures?.includes(measure)) continue;
    if (v.verdict !== "pass" && v.verdict !== "fail" && v.verdict !== "partial") continue;
    if (!items || items.has(v.item)) out.push(v.item);
  }
  return out;
}

export function linkMeasure(
  a: Assessment,
  profile: Profile,
  id: string,
  links: readonly NewLink[],
  expect: number | undefined,
  ctx: ChangeContext,
): ChangeOutcome {
  requireOpen(a);
  const { measure: current, index } = activeMeasure(a, id);
  checkMeasureVersion(current, expect);
  const problems = linkProblems(profile, links, "links");
  if (links.length === 0) problems.push({ location: "links", message: "name at least one item" });
  if (problems.length > 0) throw invalid("the links are invalid", problems);
  const next: Measure = { ...current, links: current.links.slice() };
  const changed: string[] = [];
  for (const l of links) {
    const at = next.links.findIndex((x) => x.item === l.item && !x.removed);
    if (at >= 0 && (next.links[at] as MeasureLink).coverage === l.coverage) continue;
    const link = stored(l, profile, ctx);
    if (at >= 0)
      next.links[at] = { ...link, ...(next.links[at]?.origin ? { origin: next.links[at]?.origin } : {}) };
    else {
      // A link removed earlier gives way to the new one.
      const gone = next.links.findIndex((x) => x.item === l.item);
      if (gone >= 0) next.links.splice(gone, 1);
      next.links.push(link);
    }
    changed.push(`${l.item} (${l.coverage})`);
  }
  if (changed.length === 0) return { assessment: a, events: [], result: current };
  const linked = new Set(links.map((l) => l.item));
  if (next.rejected) {
    const rejected = next.rejected.filter((i) => !linked.has(i));
    if (rejected.length > 0) next.rejected = rejected;
    else delete next.rejected;
  }
  next.version = current.version + 1;
  next.updated = { by: ctx.by, date: ctx.at };
  const origins = [...new Set(links.map((l) => l.origin?.kind ?? "person"))];
  return {
    assessment: withMeasure(a, index, next, ctx.at),
    events: [event("measure.link", id, { version: next.version, links: changed, origin: origins })],
    result: next,
  };
}

/**
 * Unlinks items from a measure. A link that settles an item's verdict is refused unless `force`:
 * then it is kept as removed, so the item shows its verdict as stale instead of silently losing it.
 */
export function unlinkMeasure(
  a: Assessment,
  profile: Profile,
  id: string,
  items: readonly string[],
  force: boolean,
  ctx: ChangeContext,
): ChangeOutcome {
  requireOpen(a);
  const { measure: current, index } = activeMeasure(a, id);
  const problems: Problems = [];
  items.forEach((item, i) => {
    if (!current.links.some((l) => l.item === item && !l.removed))
      problems.push({ location: `items[${i}]`, message: `${item} is not linked to ${id}` });
  });
  if (problems.length > 0) throw invalid("the items are not linked", problems);
  const settled = settledBy(a, profile, id, new Set(items));
  if (settled.length > 0 && !force)
    throw new ConflictError(
      "measure-settles",
      `${id} settles the verdict of ${settled.join(", ")}: unlink with force to show those verdicts as stale`,
      { items: settled },
    );
  const gone = new Set(items);
  const keep = new Set(settled);
  const next: Measure = {
    ...current,
    links: current.links.flatMap((l) => {
      if (!gone.has(l.item) || l.removed) return [l];
      return keep.has(l.item) ? [{ ...l, removed: { by: ctx.by, at: ctx.at } }] : [];
    }),
    version: current.version + 1,
    updated: { by: ctx.by, date: ctx.at },
  };
  return {
    assessment: withMeasure(a, index, next, ctx.at),
    events: [
      event("measure.unlink", id, {
        version: next.version,
        items: [...items],
        ...(settled.length > 0 ? { nowStale: settled } : {}),
      }),
    ],
    result: next,
  };
}

export function verifyMeasure(
  a: Assessment,
  id: string,
  input: MeasureVerificationInput,
  expect: number | undefined,
  ctx: ChangeContext,
): ChangeOutcome {
  requireOpen(a);
  const { measure: current, index } = activeMeasure(a, id);
  checkMeasureVersion(current, expect);
  const problems: Problems = [];
  if (input.verdict !== null && !MEASURE_VERDICTS.includes(input.verdict))
    problems.push({ location: "verdict", message: `must be one of ${MEASURE_VERDICTS.join(", ")}` });
  if (input.verdict !== null && (input.method === undefined || !METHODS.includes(input.method)))
    problems.push({
      location: "method",
      message: `how it was verified: one of ${METHODS.join(", ")} (required with a verdict)`,
    });
  text(problems, "notes", input.notes, MAX_TEXT);
  problems.push(...evidenceProblems(a, input.attach, "attach"));
  if (problems.length > 0) throw invalid("the verification is invalid", problems);
  const next: Measure = { ...current };
  if (input.verdict === null) delete next.verification;
  else
    next.verification = {
      verdict: input.verdict,
      method: input.method as Method,
      ...(input.notes?.trim() ? { notes: input.notes } : {}),
      basis: { release: a.release.version },
      by: ctx.by,
      at: ctx.at,
    };
  const evidence = current.evidence.slice();
  for (const e of input.attach ?? []) if (!evidence.includes(e)) evidence.push(e);
  next.evidence = evidence;
  const content = (m: Measure) => [
    m.verification && { ...m.verification, by: undefined, at: undefined },
    [...m.evidence].sort(),
  ];
  if (same(content(next), content(current))) return { assessment: a, events: [], result: current };
  next.version = current.version + 1;
  next.updated = { by: ctx.by, date: ctx.at };
  const linked = current.links.filter((l) => !l.removed).map((l) => l.item);
  const assessment = withMeasure(a, index, next, ctx.at);
  return {
    assessment,
    events: [
      event("measure.verify", id, {
        version: next.version,
        verdict: input.verdict,
        ...(input.method ? { method: input.method } : {}),
        ...(input.attach?.length ? { attach: input.attach } : {}),
        release: a.release.version,
        items: linked.length,
      }),
    ],
    result: next,
  };
}

/**
 * Removes a measure: kept as removed (its id is never reused). When it settles verdicts, or a
 * risk is treated by it, the removal is refused unless `force`; then those verdicts show as stale.
 */
export function removeMeasure(
  a: Assessment,
  profile: Profile,
  id: string,
  force: boolean,
  reason: string | undefined,
  ctx: ChangeContext,
): ChangeOutcome {
  requireOpen(a);
  const { measure: current, index } = activeMeasure(a, id);
  const settled = settledBy(a, profile, id);
  const risks = (a.risks ?? [])
    .filter((r) => !r.removed && r.treatment.measures.includes(id))
    .map((r) => r.id);
  if (!force && (settled.length > 0 || risks.length > 0))
    throw new ConflictError(
      "measure-settles",
      `${[
        settled.length > 0
          ? `${id} settles the verdict of ${settled.length} item(s) (${settled.slice(0, 5).join(", ")}${settled.length > 5 ? ", ..." : ""})`
          : "",
        risks.length > 0 ? `it treats risk(s) ${risks.join(", ")}` : "",
      ]
        .filter(Boolean)
        .join("; ")}: remove it with force to show those verdicts as stale`,
      { items: settled, risks },
    );
  const next: Measure = {
    ...current,
    version: current.version + 1,
    updated: { by: ctx.by, date: ctx.at },
    removed: { by: ctx.by, at: ctx.at, ...(reason?.trim() ? { reason } : {}), settled },
  };
  return {
    assessment: withMeasure(a, index, next, ctx.at),
    events: [
      event("measure.remove", id, {
        ...(reason ? { reason } : {}),
        nowStale: settled,
        ...(risks.length > 0 ? { risks } : {}),
      }),
    ],
    result: next,
  };
}

const LEVEL: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2 };

/** The risk before treatment from likelihood and impact (a 3x3 matrix: the sum decides). */
export function inherentRisk(likelihood: RiskLevel, impact: RiskLevel): RiskLevel {
  const s = LEVEL[likelihood] + LEVEL[impact];
  return s <= 1 ? "low" : s === 2 ? "medium" : "high";
}

function riskProblems(a: Assessment, r: NewRisk): Problems {
  const problems: Problems = [];
  text(problems, "asset", r.asset, MAX_TITLE);
  text(problems, "threat", r.threat, MAX_TEXT);
  text(problems, "owner", r.owner, MAX_TITLE);
  if (!r.asset) problems.push({ location: "asset", message: "missing" });
  if (!r.threat) problems.push({ location: "threat", message: "missing" });
  for (const k of ["likelihood", "impact", "residual"] as const)
    if (!RISK_LEVELS.includes(r[k]))
      problems.push({ location: k, message: `must be one of ${RISK_LEVELS.join(", ")}` });
  if (!RISK_DECISIONS.includes(r.treatment?.decision))
    problems.push({ location: "treatment.decision", message: `must be one of ${RISK_DECISIONS.join(", ")}` });
  text(problems, "treatment.notes", r.treatment?.notes, MAX_TEXT);
  const active = new Map((a.measures ?? []).map((m) => [m.id, m.removed === undefined]));
  (r.treatment?.measures ?? []).forEach((m, i) => {
    if (!active.has(m))
      problems.push({ location: `treatment.measures[${i}]`, message: `no measure ${m} in this assessment` });
    else if (!active.get(m))
      problems.push({ location: `treatment.measures[${i}]`, message: `measure ${m} was removed` });
  });
  if (r.treatment?.decision === "mitigate" && (r.treatment.measures ?? []).length === 0)
    problems.push({
      location: "treatment.measures",
      message: "a risk mitigated names the measures that mitigate it",
    });
  if (r.treatment?.decision === "accept" && !r.treatment.notes?.trim())
    problems.push({
      location: "treatment.notes",
      message: "a risk accepted needs the rationale for accepting it",
    });
  if (
    RISK_LEVELS.includes(r.likelihood) &&
    RISK_LEVELS.includes(r.impact) &&
    RISK_LEVELS.includes(r.residual)
  ) {
    const before = inherentRisk(r.likelihood, r.impact);
    if (LEVEL[r.residual] > LEVEL[before])
      problems.push({
        location: "residual",
        message: `the residual risk (${r.residual}) is above the risk before treatment (${before}, from likelihood ${r.likelihood} and impact ${r.impact})`,
      });
  }
  return problems;
}

function storedRisk(id: string, r: NewRisk, version: number, ctx: ChangeContext): Risk {
  return {
    id,
    asset: r.asset.trim(),
    threat: r.threat,
    likelihood: r.likelihood,
    impact: r.impact,
    treatment: {
      decision: r.treatment.decision,
      measures: [...new Set(r.treatment.measures)],
      ...(r.treatment.notes?.trim() ? { notes: r.treatment.notes } : {}),
    },
    residual: r.residual,
    ...(r.owner?.trim() ? { owner: r.owner.trim() } : {}),
    version,
    updated: { by: ctx.by, date: ctx.at },
  };
}

export function addRisk(a: Assessment, input: NewRisk, ctx: ChangeContext): ChangeOutcome {
  requireOpen(a);
  const problems = riskProblems(a, input);
  if (problems.length > 0) throw invalid("the risk is invalid", problems);
  const risks = a.risks ?? [];
  const r = storedRisk(
    nextId(
      "R",
      risks.map((x) => x.id),
    ),
    input,
    1,
    ctx,
  );
  return {
    assessment: {
      ...a,
      risks: [...risks, r],
      updated: later(ctx.at, a.updated),
      status: a.status === "planned" ? "in-progress" : a.status,
    },
    events: [
      {
        action: "risk.add",
        subject: "assessment",
        detail: {
          risk: r.id,
          asset: r.asset,
          likelihood: r.likelihood,
          impact: r.impact,
          decision: r.treatment.decision,
          residual: r.residual,
        },
      },
    ],
    result: r,
  };
}

export function updateRisk(
  a: Assessment,
  id: string,
  patch: Partial<NewRisk>,
  expect: number | undefined,
  ctx: ChangeContext,
): ChangeOutcome {
  requireOpen(a);
  const risks = a.risks ?? [];
  const index = risks.findIndex((r) => r.id === id);
  if (index < 0) throw new NotFoundError(`risk ${id}`);
  const current = risks[index] as Risk;
  if (current.removed) throw new NotFoundError(`risk ${id}`);
  if (expect !== undefined && current.version !== expect)
    throw new ConflictError("stale-version", `risk ${id} was changed by someone else`, current);
  const merged: NewRisk = {
    asset: patch.asset ?? current.asset,
    threat: patch.threat ?? current.threat,
    likelihood: patch.likelihood ?? current.likelihood,
    impact: patch.impact ?? current.impact,
    treatment: patch.treatment ?? current.treatment,
    residual: patch.residual ?? current.residual,
    ...((patch.owner ?? current.owner) ? { owner: patch.owner ?? current.owner } : {}),
  };
  const problems = riskProblems(a, merged);
  if (problems.length > 0) throw invalid("the risk is invalid", problems);
  const next = storedRisk(id, merged, current.version + 1, ctx);
  const body = (r: Risk) => ({ ...r, version: 0, updated: undefined });
  if (same(body(next), body(current))) return { assessment: a, events: [], result: current };
  const list = risks.slice();
  list[index] = next;
  return {
    assessment: { ...a, risks: list, updated: later(ctx.at, a.updated) },
    events: [
      { action: "risk.update", subject: "assessment", detail: { risk: id, version: next.version, ...patch } },
    ],
    result: next,
  };
}

export function removeRisk(a: Assessment, id: string, ctx: ChangeContext): ChangeOutcome {
  requireOpen(a);
  const risks = a.risks ?? [];
  const index = risks.findIndex((r) => r.id === id);
  const current = risks[index];
  if (!current || current.removed) throw new NotFoundError(`risk ${id}`);
  const list = risks.slice();
  list[index] = { ...current, version: current.version + 1, removed: { by: ctx.by, at: ctx.at } };
  return {
    assessment: { ...a, risks: list, updated: later(ctx.at, a.updated) },
    events: [
      {
        action: "risk.remove",
        subject: "assessment",
        detail: { risk: id, asset: current.asset, threat: current.threat, on: dateOf(ctx.at) },
      },
    ],
    result: list[index],
  };
}
