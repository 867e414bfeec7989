/**
 * Deciding on proposals, as commands of the assessment core. A proposal is accepted or rejected by
 * a person, one by one or many in one call (all or nothing). Accepting a verdict proposal records
 * it on the finding with its derivation (never as the person's verdict, which always wins); it is
 * refused when the item or the proposal's source changed since it was made. Accepting a link
 * proposal links the measure to the item. Collectors store their proposals with `add-proposals`.
 */
import { ConflictError, NotFoundError } from "../core/errors.js";
import type { Profile } from "../profile/model.js";
import { profileItemDigest } from "./basis.js";
import {
  type ChangeContext,
  type ChangeOutcome,
  findingVersion,
  invalid,
  later,
  profileEntry,
  requireOpen,
} from "./change-kit.js";
import type { Derivation } from "./derive.js";
import { linkMeasure } from "./measure-rules.js";
import {
  type Assessment,
  type EvidenceStrength,
  type Finding,
  type LinkOrigin,
  type LinkProposal,
  type Proposal,
  type ProposedResult,
  STRENGTHS,
  type StoredProposal,
  type VerdictProposal,
} from "./model.js";
import { searchText } from "./proposals.js";

/** What a collector proposes for one item, read from one evidence record. */
export interface NewCollectorProposal {
  item: string;
  verdict: "pass" | "fail" | "inconclusive";
  collector: string;
  evidence: string;
  strength: EvidenceStrength;
  reason: string;
  checks?: string[];
}

/** Sources of crosswalk proposals, computed once per run of commands (accepting does not change them). */
export interface ProposalMemo {
  sources?: Derivation["sources"];
  derive: () => Derivation;
}

function nextProposalId(a: Assessment): string {
  const n =
    (a.proposals ?? []).reduce((m, p) => Math.max(m, Number(/^P-(\d+)$/.exec(p.id)?.[1] ?? 0)), 0) + 1;
  return `P-${String(n).padStart(4, "0")}`;
}

function withFinding(a: Assessment, index: number, f: Finding, at: string): Assessment {
  const findings = a.findings.slice();
  findings[index] = f;
  return {
    ...a,
    findings,
    updated: later(at, a.updated),
    status: a.status === "planned" ? "in-progress" : a.status,
  };
}

export function addProposals(
  a: Assessment,
  profile: Profile,
  input: readonly NewCollectorProposal[],
  ctx: ChangeContext,
): ChangeOutcome {
  requireOpen(a);
  const held = new Set(profile.items.map((i) => i.id));
  const evidence = new Set(a.evidence.map((e) => e.id));
  const problems: { location: string; message: string }[] = [];
  input.forEach((p, i) => {
    const at = `proposals[${i}]`;
    if (!held.has(p.item))
      problems.push({
        location: `${at}.item`,
        message: `${p.item} is not an item of profile ${profile.id}: leave it out`,
      });
    if (!["pass", "fail", "inconclusive"].includes(p.verdict))
      problems.push({ location: `${at}.verdict`, message: "must be pass, fail or inconclusive" });
    if (!evidence.has(p.evidence))
      problems.push({ location: `${at}.evidence`, message: `no evidence ${p.evidence} in this assessment` });
    if (!STRENGTHS.includes(p.strength))
      problems.push({ location: `${at}.strength`, message: `must be one of ${STRENGTHS.join(", ")}` });
    if (!p.collector?.trim()) problems.push({ location: `${at}.collector`, message: "missing" });
    if (!p.reason?.trim()) problems.push({ location: `${at}.reason`, message: "a proposal says why" });
  });
  if (problems.length > 0) throw invalid("the proposals are invalid", problems);
  const findings = new Map(a.findings.map((f) => [f.item, f]));
  let next = a.proposals ?? [];
  const added: StoredProposal[] = [];
  for (const p of input) {
    const stored: StoredProposal = {
      kind: "verdict",
      id: nextProposalId({ ...a, proposals: next }),
      item: p.item,
      verdict: p.verdict,
      source: {
        kind: "collector",
        collector: p.collector,
        evidence: p.evidence,
        strength: p.strength,
        reason: p.reason,
        ...(p.checks?.length ? { checks: p.checks } : {}),
      },
      findingVersion: findingVersion(findings.get(p.item) as Finding),
      added: { by: ctx.by, at: ctx.at },
    };
    next = [...next, stored];
    added.push(stored);
  }
  if (added.length === 0) return { assessment: a, events: [], result: [] };
  return {
    assessment: { ...a, proposals: next, updated: later(ctx.at, a.updated) },
    events: [
      {
        action: "proposal.add",
        subject: "assessment",
        detail: { proposals: added.map((p) => `${p.id} ${p.item} ${p.verdict}`) },
      },
    ],
    result: added,
  };
}

/** The proposal a command names: a stored one by its id, or a computed one the edge passes whole. */
function named(a: Assessment, proposal: Proposal | undefined, id: string | undefined): Proposal {
  const want = proposal?.id ?? id;
  if (want === undefined) throw invalid("name the proposal", [{ location: "id", message: "missing" }]);
  const stored = (a.proposals ?? []).find((p) => p.id === want);
  if (stored) {
    if (stored.decision)
      throw new ConflictError(
        "proposal-decided",
        `proposal ${want} was already ${stored.decision.status} by ${stored.decision.by}`,
      );
    return stored;
  }
  if (/^P-\d+$/.test(want) || !proposal) throw new NotFoundError(`proposal ${want}`);
  return proposal;
}

function stale(message: string): ConflictError {
  return new ConflictError("proposal-stale", message);
}

function acceptVerdict(
  a: Assessment,
  profile: Profile,
  p: VerdictProposal,
  ctx: ChangeContext,
  memo: ProposalMemo,
): ChangeOutcome {
  const entry = profileEntry(profile, p.item);
  const index = a.findings.findIndex((f) => f.item === p.item);
  if (index < 0) throw new NotFoundError(`finding ${p.item}`);
  const current = a.findings[index] as Finding;
  if (current.verdict !== "not-assessed")
    throw new ConflictError(
      "person-verdict",
      `${p.item} has a person's verdict (${current.verdict}); a proposal never overrides it`,
      current,
    );
  if (findingVersion(current) !== p.findingVersion)
    throw stale(
      `${p.item} changed since the proposal was made (version ${p.findingVersion}, now ${findingVersion(current)}): look at it again`,
    );
  if (p.source.kind === "crosswalk") {
    memo.sources ??= memo.derive().sources;
    for (const f of p.source.from) {
      const now = memo.sources.get(f.item);
      if (!now || now.verdict !== f.verdict || now.by !== f.by || now.version !== f.version)
        throw stale(`${p.item}: its source ${f.item} changed since the proposal was made`);
    }
  } else {
    const source = p.source;
    if (!a.evidence.some((e) => e.id === source.evidence))
      throw stale(`${p.item}: evidence ${source.evidence} is not recorded`);
    if (a.evidence.some((e) => e.supersedes === source.evidence))
      throw stale(`${p.item}: evidence ${source.evidence} was superseded since the proposal was made`);
  }
  const next: Finding = {
    ...current,
    accepted: {
      proposal: p.id,
      verdict: p.verdict,
      source: p.source,
      basis: { release: a.release.version, profileItem: profileItemDigest(entry) },
      by: ctx.by,
      at: ctx.at,
    },
    version: findingVersion(current) + 1,
    updated: { by: ctx.by, date: ctx.at },
  };
  delete next.signOff;
  let assessment = withFinding(a, index, orderedAccepted(next), ctx.at);
  if ((a.proposals ?? []).some((x) => x.id === p.id))
    assessment = decide(assessment, p.id, "accepted", undefined, ctx);
  return {
    assessment,
    events: [
      {
        action: "proposal.accept",
        subject: { finding: p.item },
        detail: {
          proposal: p.id,
          verdict: p.verdict,
          source: p.source.kind,
          version: next.version,
          ...(p.source.kind === "crosswalk"
            ? { from: p.source.from.map((f) => f.item), rows: p.source.paths.flatMap((x) => x.rows) }
            : { collector: p.source.collector, evidence: p.source.evidence }),
          ...(current.signOff ? { signOffWithdrawn: true } : {}),
        },
      },
    ],
    result: next,
  };
}

/** The finding's fields in the order the folder writes them (accepted before the bookkeeping). */
function orderedAccepted(f: Finding): Finding {
  const { updated, signOff, version, ...rest } = f;
  return {
    ...rest,
    ...(updated ? { updated } : {}),
    ...(signOff ? { signOff } : {}),
    ...(version !== undefined ? { version } : {}),
  };
}

function decide(
  a: Assessment,
  id: string,
  status: "accepted" | "rejected",
  note: string | undefined,
  ctx: ChangeContext,
): Assessment {
  return {
    ...a,
    proposals: (a.proposals ?? []).map((p) =>
      p.id === id
        ? { ...p, decision: { status, by: ctx.by, at: ctx.at, ...(note?.trim() ? { note } : {}) } }
        : p,
    ),
  };
}

function acceptLink(a: Assessment, profile: Profile, p: LinkProposal, ctx: ChangeContext): ChangeOutcome {
  const m = (a.measures ?? []).find((x) => x.id === p.measure);
  if (!m) throw new NotFoundError(`measure ${p.measure}`);
  // What the proposal stands on is the measure's link to its source item, not the measure's
  // version: accepting several links of one measure in bulk must not make the rest stale.
  if (m.removed) throw stale(`measure ${p.measure} was removed since the link to ${p.item} was proposed`);
  const source = p.source;
  let origin: LinkOrigin;
  if (source.kind === "crosswalk") {
    const from = m.links.find((l) => l.item === source.from && !l.removed);
    if (!from || (p.coverage === "full" && from.coverage !== "full"))
      throw stale(
        `measure ${p.measure}: its link to ${source.from}, which proposed ${p.item}, changed since the proposal was made`,
      );
    origin = source;
  } else {
    // A search ran on the measure's words: a changed title or description makes it another search.
    if (m.version !== p.measureVersion && searchText(m) !== source.query)
      throw stale(`measure ${p.measure}: its title or description changed since ${p.item} was proposed`);
    origin = { kind: "search", query: source.query };
  }
  if (m.links.some((l) => l.item === p.item && !l.removed))
    throw new ConflictError("proposal-decided", `measure ${p.measure} already implements ${p.item}`);
  const o = linkMeasure(
    a,
    profile,
    p.measure,
    [{ item: p.item, coverage: p.coverage, origin }],
    undefined,
    ctx,
  );
  return {
    ...o,
    events: o.events.map((e) => ({ ...e, detail: { ...e.detail, proposal: p.id } })),
  };
}

export function acceptProposal(
  a: Assessment,
  profile: Profile,
  proposal: Proposal | undefined,
  id: string | undefined,
  ctx: ChangeContext,
  memo: ProposalMemo,
): ChangeOutcome {
  requireOpen(a);
  const p = named(a, proposal, id);
  return p.kind === "verdict" ? acceptVerdict(a, profile, p, ctx, memo) : acceptLink(a, profile, p, ctx);
}

export function rejectProposal(
  a: Assessment,
  proposal: Proposal | undefined,
  id: string | undefined,
  note: string | undefined,
  ctx: ChangeContext,
): ChangeOutcome {
  requireOpen(a);
  const p = named(a, proposal, id);
  const event = {
    action: "proposal.reject",
    subject: "assessment" as const,
    detail: { proposal: p.id, item: p.item, ...(note ? { note } : {}) },
  };
  if (p.kind === "link") {
    const measures = (a.measures ?? []).slice();
    const index = measures.findIndex((m) => m.id === p.measure);
    const m = measures[index];
    if (!m) throw new NotFoundError(`measure ${p.measure}`);
    if ((m.rejected ?? []).includes(p.item)) return { assessment: a, events: [], result: p };
    measures[index] = { ...m, rejected: [...(m.rejected ?? []), p.item], version: m.version + 1 };
    return {
      assessment: { ...a, measures, updated: later(ctx.at, a.updated) },
      events: [{ ...event, detail: { ...event.detail, measure: p.measure } }],
      result: p,
    };
  }
  const stored = (a.proposals ?? []).some((x) => x.id === p.id);
  const assessment = stored
    ? decide(a, p.id, "rejected", note, ctx)
    : {
        ...a,
        // A computed proposal turned down is kept, so the same proposal is not made again; a
        // changed source makes a new one.
        proposals: [
          ...(a.proposals ?? []),
          {
            ...p,
            added: { by: ctx.by, at: ctx.at },
            decision: {
              status: "rejected" as const,
              by: ctx.by,
              at: ctx.at,
              ...(note?.trim() ? { note } : {}),
            },
          },
        ],
      };
  return { assessment: { ...assessment, updated: later(ctx.at, a.updated) }, events: [event], result: p };
}

/** Takes back an accepted proposal: the item is open again (or keeps whatever else settles it). */
export function revokeAcceptance(a: Assessment, item: string, ctx: ChangeContext): ChangeOutcome {
  requireOpen(a);
  const index = a.findings.findIndex((f) => f.item === item);
  if (index < 0) throw new NotFoundError(`finding ${item}`);
  const current = a.findings[index] as Finding;
  if (!current.accepted) return { assessment: a, events: [], result: current };
  const { accepted, signOff: _s, ...rest } = current;
  const next: Finding = {
    ...rest,
    version: findingVersion(current) + 1,
    updated: { by: ctx.by, date: ctx.at },
  };
  return {
    assessment: withFinding(a, index, orderedAccepted(next), ctx.at),
    events: [
      {
        action: "proposal.revoke",
        subject: { finding: item },
        detail: { proposal: accepted.proposal, verdict: accepted.verdict, version: next.version },
      },
    ],
    result: next,
  };
}

export type { ProposedResult };
