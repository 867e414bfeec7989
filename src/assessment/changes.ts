/**
 * Every change to an assessment, written once. A change is a command applied to the assessment
 * and its profile: pure, no I/O, no clock. It returns the next assessment and the events that
 * describe what happened (the server writes them to its audit trail; a folder has git). The folder
 * store and the SQL store run the same commands through the AssessmentService (service.ts), so the
 * CLI, the server and the web UI share every rule. The decisions behind the rules are in
 * docs/decisions/0002-one-assessment-core.md.
 */
import { ConflictError, InvalidError, NotFoundError } from "../core/errors.js";
import type { Profile } from "../profile/model.js";
import { EN_303_645, notApplicableRefusal } from "../profile/obligation.js";
import { profileItemDigest, staleReason } from "./basis.js";
import {
  type AssessmentEvent,
  type ChangeContext,
  type ChangeOutcome,
  dateOf,
  findingVersion,
  invalid,
  later,
  profileEntry,
  requireOpen,
  same,
} from "./change-kit.js";
import { deriveVerdicts } from "./derive.js";
import {
  addMeasure,
  addRisk,
  linkMeasure,
  type MeasurePatch,
  type MeasureVerificationInput,
  type NewLink,
  type NewMeasure,
  type NewRisk,
  removeMeasure,
  removeRisk,
  unlinkMeasure,
  updateMeasure,
  updateRisk,
  verifyMeasure,
} from "./measure-rules.js";
import type {
  Assessment,
  AssessmentStatus,
  Assessor,
  EvidenceRecord,
  Finding,
  ImplementationStatement,
  ImplementationSupport,
  Method,
  Proposal,
  Release,
  Verdict,
} from "./model.js";
import {
  acceptProposal,
  addProposals,
  type NewCollectorProposal,
  type ProposalMemo,
  rejectProposal,
  revokeAcceptance,
} from "./proposal-rules.js";

export interface FindingUpdate {
  verdict?: Verdict;
  /** null removes it. */
  method?: Method | null;
  statement?: ImplementationStatement | null;
  notes?: string | null;
  /** Evidence record ids to attach; links are attached and detached, never replaced wholesale. */
  attach?: string[];
  detach?: string[];
}

export type {
  AssessmentEvent,
  ChangeContext,
  ChangeOutcome,
  MeasurePatch,
  MeasureVerificationInput,
  NewCollectorProposal,
  NewLink,
  NewMeasure,
  NewRisk,
};
export { findingVersion };

export type NewEvidenceRecord = Omit<EvidenceRecord, "id" | "addedBy" | "addedAt" | "effective"> & {
  effective?: string;
};

export type AssessmentCommand =
  | { type: "record-finding"; item: string; update: FindingUpdate; expectVersion?: number }
  | { type: "sign-off"; item: string; expectVersion?: number }
  | { type: "withdraw-sign-off"; item: string; expectVersion?: number }
  | { type: "add-evidence"; record: NewEvidenceRecord; attachTo?: string[] }
  | { type: "change-release"; release: Release }
  | {
      type: "adopt-profile";
      profile: Profile;
      file: string;
      /** SHA-256 of the file's bytes, and the bytes as text (the store writes them as they are). */
      sha256: string;
      text: string;
    }
  | { type: "set-status"; status: AssessmentStatus }
  | { type: "update-details"; title?: string; assessors?: Assessor[] }
  | {
      type: "set-conformance";
      /** The EN 303 645 provision's ref, e.g. `5.1-1` (the edge resolves what the user typed). */
      provision: string;
      support: ImplementationSupport;
      justification?: string;
    }
  | { type: "add-measure"; measure: NewMeasure }
  | { type: "update-measure"; measure: string; patch: MeasurePatch; expectVersion?: number }
  | { type: "link-measure"; measure: string; links: NewLink[]; expectVersion?: number }
  /** A link that settles a verdict is refused unless `force` (then kept as removed: the verdict shows stale). */
  | { type: "unlink-measure"; measure: string; items: string[]; force?: boolean }
  | {
      type: "verify-measure";
      measure: string;
      verification: MeasureVerificationInput;
      expectVersion?: number;
    }
  /** Refused when the measure settles verdicts or treats a risk, unless `force`. */
  | { type: "remove-measure"; measure: string; force?: boolean; reason?: string }
  | { type: "add-risk"; risk: NewRisk }
  | { type: "update-risk"; risk: string; patch: Partial<NewRisk>; expectVersion?: number }
  | { type: "remove-risk"; risk: string }
  /** A collector's proposals, read from one evidence record. */
  | { type: "add-proposals"; proposals: NewCollectorProposal[] }
  /**
   * A stored proposal by its `id`, or a computed one (crosswalk verdicts, measure links) passed
   * whole as the edge computed it: refused when its item or source changed since.
   */
  | { type: "accept-proposal"; id?: string; proposal?: Proposal }
  | { type: "reject-proposal"; id?: string; proposal?: Proposal; note?: string }
  | { type: "revoke-acceptance"; item: string };

function findingAt(a: Assessment, item: string): { finding: Finding; index: number } {
  const index = a.findings.findIndex((f) => f.item === item);
  if (index < 0) throw new NotFoundError(`finding ${item}`);
  return { finding: a.findings[index] as Finding, index };
}

function checkVersion(f: Finding, expect: number | undefined): void {
  if (expect !== undefined && findingVersion(f) !== expect)
    throw new ConflictError("stale-version", "the finding was changed by someone else", f);
}

/** The parts of a finding a sign-off attests: changing any of them withdraws it. */
function content(f: Finding): unknown {
  return [f.verdict, f.method, f.statement, f.notes, [...f.evidence].sort(), f.basis, f.accepted];
}

/** A finding with its fields in one order, whichever change made it: files diff cleanly in git. */
export function orderedFinding(f: Finding): Finding {
  const o: Finding = { item: f.item, verdict: f.verdict, evidence: f.evidence };
  if (f.method !== undefined) o.method = f.method;
  if (f.statement !== undefined) o.statement = f.statement;
  if (f.notes !== undefined) o.notes = f.notes;
  if (f.basis !== undefined) o.basis = f.basis;
  if (f.accepted !== undefined) o.accepted = f.accepted;
  if (f.updated !== undefined) o.updated = f.updated;
  if (f.signOff !== undefined) o.signOff = f.signOff;
  if (f.version !== undefined) o.version = f.version;
  return o;
}

function withFinding(a: Assessment, index: number, f: Finding, at: string): Assessment {
  const findings = a.findings.slice();
  findings[index] = orderedFinding(f);
  return {
    ...a,
    findings,
    updated: later(at, a.updated),
    // The first recorded work starts a planned assessment.
    status: a.status === "planned" ? "in-progress" : a.status,
  };
}

function recordFinding(
  a: Assessment,
  profile: Profile,
  item: string,
  u: FindingUpdate,
  expect: number | undefined,
  ctx: ChangeContext,
): ChangeOutcome {
  requireOpen(a);
  const entry = profileEntry(profile, item);
  const { finding: current, index } = findingAt(a, item);
  checkVersion(current, expect);
  const known = new Set(a.evidence.map((e) => e.id));
  const problems = [
    ...(u.attach ?? [])
      .map((e, i) => ({ e, i }))
      .filter(({ e }) => !known.has(e))
      .map(({ e, i }) => ({ location: `attach[${i}]`, message: `no evidence ${e} in this assessment` })),
    ...(u.detach ?? [])
      .map((e, i) => ({ e, i }))
      .filter(({ e }) => !current.evidence.includes(e))
      .map(({ e, i }) => ({ location: `detach[${i}]`, message: `${e} is not attached to ${item}` })),
  ];
  if (problems.length > 0) throw invalid("unknown evidence", problems);
  // Only a new declaration is refused: a finding recorded before the rule keeps its verdict (the
  // pitfall not-applicable-on-unconditional-provision reports it) and can still be changed.
  const naRefusal =
    u.verdict === "not-applicable" || u.statement?.support === "not-applicable"
      ? notApplicableRefusal(entry)
      : undefined;
  if (naRefusal)
    throw invalid("not applicable refused", [
      { location: u.verdict === "not-applicable" ? "verdict" : "statement.support", message: naRefusal },
    ]);

  const next: Finding = { ...current };
  if (u.verdict !== undefined) {
    next.verdict = u.verdict;
    // What the verdict is given against: recording it again on a new release or a changed profile
    // item is how a person confirms a stale verdict.
    next.basis = { release: a.release.version, profileItem: profileItemDigest(entry) };
  }
  if (u.method !== undefined) {
    if (u.method === null) delete next.method;
    else next.method = u.method;
  }
  if (u.statement !== undefined) {
    if (u.statement === null) delete next.statement;
    else next.statement = u.statement;
  }
  if (u.notes !== undefined) {
    if (u.notes === null) delete next.notes;
    else next.notes = u.notes;
  }
  if (u.attach || u.detach) {
    const drop = new Set(u.detach ?? []);
    const evidence = current.evidence.filter((e) => !drop.has(e));
    for (const e of u.attach ?? []) if (!evidence.includes(e)) evidence.push(e);
    next.evidence = evidence;
  }
  if (same(content(next), content(current))) return { assessment: a, events: [], result: current };
  // A sign-off attests the finding as it stood: any change to it needs a new review.
  delete next.signOff;
  next.version = findingVersion(current) + 1;
  next.updated = { by: ctx.by, date: ctx.at };
  const detail: Record<string, unknown> = { version: next.version };
  for (const k of ["verdict", "method", "statement", "notes", "attach", "detach"] as const)
    if (u[k] !== undefined) detail[k] = u[k];
  if (current.signOff) detail.signOffWithdrawn = true;
  return {
    assessment: withFinding(a, index, next, ctx.at),
    events: [{ action: "finding.update", subject: { finding: item }, detail }],
    result: next,
  };
}

function signOff(
  a: Assessment,
  profile: Profile,
  item: string,
  on: boolean,
  expect: number | undefined,
  ctx: ChangeContext,
  memo: ProposalMemo,
): ChangeOutcome {
  requireOpen(a);
  const { finding: current, index } = findingAt(a, item);
  checkVersion(current, expect);
  if (!on) {
    if (!current.signOff) return { assessment: a, events: [], result: current };
    const next: Finding = { ...current, version: findingVersion(current) + 1 };
    delete next.signOff;
    return {
      assessment: withFinding(a, index, next, ctx.at),
      events: [
        {
          action: "finding.sign-off-withdraw",
          subject: { finding: item },
          detail: { version: next.version },
        },
      ],
      result: next,
    };
  }
  if (current.verdict === "not-assessed" && !current.accepted)
    throw new ConflictError("no-verdict", `${item} has no verdict to sign off`, current);
  const stale =
    current.verdict === "not-assessed"
      ? memo.derive().items.get(item)?.stale
      : staleReason(
          current,
          a,
          profile.items.find((i) => i.id === item),
        );
  if (stale)
    throw new ConflictError(
      "stale-verdict",
      `${item}: the verdict is stale (${stale}); record it again before signing it off`,
      current,
    );
  const next: Finding = {
    ...current,
    signOff: { reviewer: ctx.name, date: ctx.at },
    version: findingVersion(current) + 1,
  };
  return {
    assessment: withFinding(a, index, next, ctx.at),
    events: [
      {
        action: "finding.sign-off",
        subject: { finding: item },
        detail: {
          reviewer: ctx.name,
          verdict: current.verdict === "not-assessed" ? current.accepted?.verdict : current.verdict,
          ...(current.verdict === "not-assessed" ? { accepted: current.accepted?.proposal } : {}),
          version: next.version,
        },
      },
    ],
    result: next,
  };
}

/** The next evidence id: E-0001, E-0002... one more than the highest given out. */
export function nextEvidenceId(a: Assessment): string {
  const n = a.evidence.reduce((m, e) => Math.max(m, Number(/^E-(\d+)$/.exec(e.id)?.[1] ?? 0)), 0) + 1;
  return `E-${String(n).padStart(4, "0")}`;
}

function addEvidence(
  a: Assessment,
  profile: Profile,
  input: NewEvidenceRecord,
  attachTo: string[],
  ctx: ChangeContext,
): ChangeOutcome {
  requireOpen(a);
  const problems = [];
  if (input.supersedes !== undefined) {
    if (!a.evidence.some((e) => e.id === input.supersedes))
      problems.push({
        location: "supersedes",
        message: `no evidence ${input.supersedes} in this assessment`,
      });
    else if (a.evidence.some((e) => e.supersedes === input.supersedes))
      problems.push({
        location: "supersedes",
        message: `${input.supersedes} is already superseded: supersede its latest revision`,
      });
  }
  const needs = { file: "file", link: "url", attestation: "text", "tool-result": "tool" } as const;
  if (input[needs[input.kind]] === undefined)
    problems.push({
      location: needs[input.kind],
      message: `missing: ${input.kind} evidence needs ${needs[input.kind]}`,
    });
  const effective = input.effective ?? dateOf(ctx.at);
  if (input.expires !== undefined && input.expires < effective)
    problems.push({
      location: "expires",
      message: `expires (${input.expires}) before it is effective (${effective})`,
    });
  for (const item of attachTo) if (!a.findings.some((f) => f.item === item)) profileEntry(profile, item);
  if (problems.length > 0) throw invalid("the evidence record is invalid", problems);
  const id = nextEvidenceId(a);
  const record: EvidenceRecord = {
    id,
    ...input,
    tags: [...new Set(input.tags)],
    effective,
    addedBy: ctx.by,
    addedAt: ctx.at,
  };
  let next: Assessment = {
    ...a,
    evidence: [...a.evidence, record],
    updated: later(ctx.at, a.updated),
    status: a.status === "planned" ? "in-progress" : a.status,
  };
  const events: AssessmentEvent[] = [
    {
      action: "evidence.add",
      subject: { evidence: id },
      detail: {
        kind: record.kind,
        title: record.title,
        strength: record.strength,
        ...(record.file
          ? { sha256: record.file.sha256, size: record.file.size, mediaType: record.file.mediaType }
          : {}),
        ...(record.url ? { url: record.url } : {}),
        ...(record.tool ? { tool: record.tool } : {}),
        ...(record.supersedes ? { supersedes: record.supersedes } : {}),
      },
    },
  ];
  for (const item of attachTo) {
    const o = recordFinding(next, profile, item, { attach: [id] }, undefined, ctx);
    next = o.assessment;
    events.push(...o.events);
  }
  return { assessment: next, events, result: record };
}

function changeRelease(a: Assessment, release: Release, ctx: ChangeContext): ChangeOutcome {
  requireOpen(a);
  if (same(release, a.release)) return { assessment: a, events: [], result: a.release };
  return {
    assessment: { ...a, release, updated: later(ctx.at, a.updated) },
    events: [
      {
        action: "assessment.release",
        subject: "assessment",
        detail: { from: a.release.version, release },
      },
    ],
    result: release,
  };
}

/**
 * Takes in a new version of the profile: new items get not-assessed findings, findings of items the
 * profile no longer holds are retired (kept, never dropped), and changed items show as stale.
 */
function adoptProfile(
  a: Assessment,
  profile: Profile,
  file: string,
  sha256: string,
  text: string,
  ctx: ChangeContext,
): ChangeOutcome {
  requireOpen(a);
  const wanted = new Set(profile.items.map((i) => i.id));
  const kept: Finding[] = [];
  const retired = [...(a.retiredFindings ?? [])];
  const retiredNow: string[] = [];
  for (const f of a.findings) {
    if (wanted.has(f.item)) kept.push(f);
    else {
      retired.push({ ...f, retired: dateOf(ctx.at) });
      retiredNow.push(f.item);
    }
  }
  const have = new Set(kept.map((f) => f.item));
  const added: string[] = [];
  for (const i of profile.items)
    if (!have.has(i.id)) {
      kept.push({ item: i.id, verdict: "not-assessed", evidence: [] });
      added.push(i.id);
    }
  const order = new Map(profile.items.map((i, n) => [i.id, n]));
  kept.sort((x, y) => (order.get(x.item) ?? 0) - (order.get(y.item) ?? 0));
  const next: Assessment = {
    ...a,
    findings: kept,
    profile: { file, id: profile.id, sha256 },
    updated: later(ctx.at, a.updated),
  };
  if (retired.length > 0) next.retiredFindings = retired;
  // Links to items the profile no longer holds are kept as removed (what they settled shows why);
  // open proposals for them are closed.
  if (a.measures?.some((m) => m.links.some((l) => !l.removed && !wanted.has(l.item))))
    next.measures = a.measures.map((m) =>
      m.links.some((l) => !l.removed && !wanted.has(l.item))
        ? {
            ...m,
            links: m.links.map((l) =>
              l.removed || wanted.has(l.item) ? l : { ...l, removed: { by: ctx.by, at: ctx.at } },
            ),
            version: m.version + 1,
          }
        : m,
    );
  if (a.proposals?.some((p) => !p.decision && !wanted.has(p.item)))
    next.proposals = a.proposals.map((p) =>
      p.decision || wanted.has(p.item)
        ? p
        : {
            ...p,
            decision: { status: "rejected", by: ctx.by, at: ctx.at, note: "the item left the profile" },
          },
    );
  return {
    assessment: next,
    profile: { profile, file, sha256, text },
    events: [
      {
        action: "assessment.adopt-profile",
        subject: "assessment",
        detail: { profile: profile.id, sha256, added, retired: retiredNow },
      },
    ],
    result: { added, retired: retiredNow },
  };
}

function setStatus(a: Assessment, status: AssessmentStatus, ctx: ChangeContext): ChangeOutcome {
  if (a.status === status) return { assessment: a, events: [], result: status };
  return {
    assessment: { ...a, status, updated: later(ctx.at, a.updated) },
    events: [{ action: "assessment.status", subject: "assessment", detail: { from: a.status, status } }],
    result: status,
  };
}

function updateDetails(
  a: Assessment,
  title: string | undefined,
  assessors: Assessor[] | undefined,
  ctx: ChangeContext,
): ChangeOutcome {
  requireOpen(a);
  const next: Assessment = { ...a };
  const detail: Record<string, unknown> = {};
  if (title !== undefined && title !== a.title) {
    if (!title.trim())
      throw new InvalidError("the title is empty", [{ location: "title", message: "must not be empty" }]);
    next.title = title;
    detail.title = title;
  }
  if (assessors !== undefined && !same(assessors, a.assessors)) {
    next.assessors = assessors;
    detail.assessors = assessors;
  }
  if (Object.keys(detail).length === 0) return { assessment: a, events: [], result: a };
  next.updated = later(ctx.at, a.updated);
  return {
    assessment: next,
    events: [{ action: "assessment.update", subject: "assessment", detail }],
    result: next,
  };
}

function setConformance(
  a: Assessment,
  profile: Profile,
  provision: string,
  support: ImplementationSupport,
  justification: string | undefined,
  ctx: ChangeContext,
): ChangeOutcome {
  requireOpen(a);
  if (support !== "supported" && !justification?.trim())
    throw invalid("a justification is required", [
      {
        location: "justification",
        message: `${provision}: a provision declared ${support} needs a justification (EN 303 645 clause 4)`,
      },
    ]);
  const item = profile.items.find((i) => i.id === `${EN_303_645}:${provision}`);
  const naRefusal = support === "not-applicable" && item ? notApplicableRefusal(item) : undefined;
  if (naRefusal) throw invalid("not applicable refused", [{ location: "support", message: naRefusal }]);
  const provisions = { ...(a.conformanceStatement?.provisions ?? {}) };
  const entry = { support, ...(justification?.trim() ? { justification } : {}) };
  if (same(provisions[provision], entry)) return { assessment: a, events: [], result: entry };
  provisions[provision] = entry;
  return {
    assessment: {
      ...a,
      conformanceStatement: { provisions },
      updated: later(ctx.at, a.updated),
    },
    events: [{ action: "assessment.conformance", subject: "assessment", detail: { provision, ...entry } }],
    result: entry,
  };
}

/** A memo for one command alone: derived verdicts computed when a rule asks for them. */
function memoFor(a: Assessment, profile: Profile): ProposalMemo {
  let d: ReturnType<typeof deriveVerdicts> | undefined;
  return {
    derive: () => {
      d ??= deriveVerdicts(a, profile);
      return d;
    },
  };
}

/** Commands that change no verdict source: the sources computed before them still hold after. */
const KEEPS_SOURCES = new Set<AssessmentCommand["type"]>([
  "accept-proposal",
  "reject-proposal",
  "revoke-acceptance",
  "add-proposals",
  "add-evidence",
  "sign-off",
  "withdraw-sign-off",
  "add-risk",
  "update-risk",
  "remove-risk",
  "set-conformance",
  "update-details",
  "set-status",
]);

/** Applies one command. Throws NotFoundError, ConflictError or InvalidError when a rule refuses it. */
export function applyCommand(
  a: Assessment,
  profile: Profile,
  command: AssessmentCommand,
  ctx: ChangeContext,
  memo: ProposalMemo = memoFor(a, profile),
): ChangeOutcome {
  switch (command.type) {
    case "record-finding":
      return recordFinding(a, profile, command.item, command.update, command.expectVersion, ctx);
    case "sign-off":
      return signOff(a, profile, command.item, true, command.expectVersion, ctx, memo);
    case "withdraw-sign-off":
      return signOff(a, profile, command.item, false, command.expectVersion, ctx, memo);
    case "add-evidence":
      return addEvidence(a, profile, command.record, command.attachTo ?? [], ctx);
    case "change-release":
      return changeRelease(a, command.release, ctx);
    case "adopt-profile":
      return adoptProfile(a, command.profile, command.file, command.sha256, command.text, ctx);
    case "set-status":
      return setStatus(a, command.status, ctx);
    case "update-details":
      return updateDetails(a, command.title, command.assessors, ctx);
    case "set-conformance":
      return setConformance(a, profile, command.provision, command.support, command.justification, ctx);
    case "add-measure":
      return addMeasure(a, profile, command.measure, ctx);
    case "update-measure":
      return updateMeasure(a, command.measure, command.patch, command.expectVersion, ctx);
    case "link-measure":
      return linkMeasure(a, profile, command.measure, command.links, command.expectVersion, ctx);
    case "unlink-measure":
      return unlinkMeasure(a, profile, command.measure, command.items, command.force ?? false, ctx);
    case "verify-measure":
      return verifyMeasure(a, command.measure, command.verification, command.expectVersion, ctx);
    case "remove-measure":
      return removeMeasure(a, profile, command.measure, command.force ?? false, command.reason, ctx);
    case "add-risk":
      return addRisk(a, command.risk, ctx);
    case "update-risk":
      return updateRisk(a, command.risk, command.patch, command.expectVersion, ctx);
    case "remove-risk":
      return removeRisk(a, command.risk, ctx);
    case "add-proposals":
      return addProposals(a, profile, command.proposals, ctx);
    case "accept-proposal":
      return acceptProposal(a, profile, command.proposal, command.id, ctx, memo);
    case "reject-proposal":
      return rejectProposal(a, command.proposal, command.id, command.note, ctx);
    case "revoke-acceptance":
      return revokeAcceptance(a, command.item, ctx);
  }
}

/**
 * Applies commands in order, all or nothing: the first refusal throws and nothing is kept. The
 * results come back in the commands' order.
 */
export function applyCommands(
  a: Assessment,
  profile: Profile,
  commands: readonly AssessmentCommand[],
  ctx: ChangeContext,
): ChangeOutcome & { results: unknown[] } {
  let assessment = a;
  let current = profile;
  let adopted: ChangeOutcome["profile"];
  const events: AssessmentEvent[] = [];
  const results: unknown[] = [];
  // Verdict sources are computed at most once while commands that keep them run (a bulk accept
  // of hundreds of proposals checks each against the same sources).
  let sources: ProposalMemo["sources"];
  for (const [i, c] of commands.entries()) {
    const before = assessment;
    const memo: ProposalMemo = {
      ...(sources ? { sources } : {}),
      derive: () => deriveVerdicts(before, current),
    };
    const o =
      commands.length === 1
        ? applyCommand(assessment, current, c, ctx, memo)
        : located(i, c, () => applyCommand(assessment, current, c, ctx, memo));
    sources = KEEPS_SOURCES.has(c.type) ? memo.sources : undefined;
    assessment = o.assessment;
    if (o.profile) {
      adopted = o.profile;
      current = o.profile.profile;
    }
    events.push(...o.events);
    results.push(o.result);
  }
  return {
    assessment,
    ...(adopted ? { profile: adopted } : {}),
    events,
    result: results[results.length - 1],
    results,
  };
}

/** In a run of several commands, a refusal says which command it was (the rest were not applied). */
function located(i: number, c: AssessmentCommand, apply: () => ChangeOutcome): ChangeOutcome {
  try {
    return apply();
  } catch (err) {
    const at = `commands[${i}]`;
    if (err instanceof InvalidError)
      throw new InvalidError(
        `${at} (${c.type}): ${err.message}`,
        err.problems.map((p) => ({ ...p, location: p.location ? `${at}.${p.location}` : at })),
      );
    if (err instanceof ConflictError)
      throw new ConflictError(err.code, `${at} (${c.type}): ${err.message}`, err.current);
    throw err;
  }
}

/**
 * The commands for a change of the assessment's own fields. Reopening comes first and closing
 * last, so one call can reopen a done assessment, change it and close it again.
 */
export function updateCommands(patch: {
  status?: AssessmentStatus;
  title?: string;
  assessors?: Assessor[];
}): AssessmentCommand[] {
  const out: AssessmentCommand[] = [];
  if (patch.title !== undefined || patch.assessors !== undefined)
    out.push({
      type: "update-details",
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.assessors !== undefined ? { assessors: patch.assessors } : {}),
    });
  if (patch.status !== undefined) {
    if (patch.status === "done") out.push({ type: "set-status", status: "done" });
    else out.unshift({ type: "set-status", status: patch.status });
  }
  return out;
}
