/**
 * Derived verdicts: what an assessment says about each item of its profile when a person has not
 * said it on the item itself. Computed, never stored: from design measures, from the item's
 * children (roll-up) and from proposals a person accepted. A person's verdict always wins. Pure and
 * catalog-free, so `cairn check` decides from the folder alone. The rules are in
 * docs/decisions/0003-roll-up-and-measures.md.
 */
import type { Profile, ProfileItem } from "../profile/model.js";
import { profileItemDigest, staleReason } from "./basis.js";
import type {
  AcceptedProposal,
  Assessment,
  Finding,
  Measure,
  MeasureLink,
  ProposedResult,
  SourceState,
  Verdict,
} from "./model.js";

/** What an item's verdict is, whoever gave it: a person's verdict, or a derived result. */
export type EffectiveVerdict = Verdict | "partial";

export type DerivedSource = "measures" | "proposal" | "roll-up";

/** How a derived verdict was reached: the measures, the children, or the accepted proposal. */
export interface DerivationPath {
  measures?: string[];
  children?: string[];
  proposal?: string;
  /** An accepted crosswalk proposal: its source items and mapping rows; a collector's: its evidence. */
  from?: string[];
  rows?: string[];
  collector?: { name: string; evidence: string; strength: string };
}

export interface DerivedVerdict {
  verdict: ProposedResult;
  source: DerivedSource;
  /** The rule that decided, in words. */
  rule: string;
  path: DerivationPath;
  /** Why it no longer holds, if it does not. */
  stale?: string;
}

export interface ItemVerdict {
  item: string;
  /** The effective verdict: a person's, else the derived one, else not-assessed. */
  verdict: EffectiveVerdict;
  source: "person" | DerivedSource | "none";
  rule?: string;
  path?: DerivationPath;
  /** Why the verdict no longer holds (another release, a changed source...), if it does not. */
  stale?: string;
  /** pass, fail or not-applicable, and not stale: nothing left to do on the item. */
  settled: boolean;
  /** When a person's verdict wins: what would have been derived, shown beside it. */
  derived?: DerivedVerdict;
  /** Linked measures not verified yet: verifying them would settle the item. */
  waiting?: string[];
}

export interface Figures {
  items: number;
  /** Verdicts a person recorded: on items of the profile, and on measures (their verification). */
  humanVerdicts: number;
  /** Items whose effective verdict is derived (measures, roll-up, an accepted proposal). */
  derivedVerdicts: number;
  bySource: { person: number; measures: number; rollUp: number; proposal: number };
  /** Items with an effective pass, fail or not-applicable that is not stale. */
  settled: number;
  /** Items with no verdict at all, neither a person's nor a derived one. */
  notAssessed: number;
  /** Items whose verdict (a person's or derived) no longer holds. */
  stale: number;
  /** Items not settled: not assessed, stale, partial, inconclusive. */
  open: number;
  measures: { active: number; verified: number; removed: number };
  risks: number;
}

export interface Derivation {
  /** Per profile item, in profile order. */
  items: Map<string, ItemVerdict>;
  /**
   * What each item says as a source of crosswalk proposals: a person's verdict, measures, and
   * roll-ups over those. Accepted proposals are not sources (inference already follows every path
   * from the original verdicts), so a derivation never feeds on itself.
   */
  sources: Map<string, Omit<SourceState, "item">>;
  figures: Figures;
}

// How derived candidates combine (ADR 0001's order): a failure wins, then the most informative
// result. Ties go to measures, then an accepted proposal, then the roll-up.
const RANK: Record<ProposedResult, number> = {
  fail: 5,
  pass: 4,
  "not-applicable": 3,
  partial: 2,
  inconclusive: 1,
};
const PRECEDENCE: Record<DerivedSource, number> = { measures: 3, proposal: 2, "roll-up": 1 };

const SETTLING = new Set<string>(["pass", "fail", "not-applicable"]);

function combine(candidates: DerivedVerdict[]): DerivedVerdict | undefined {
  let best: DerivedVerdict | undefined;
  let bestStale: DerivedVerdict | undefined;
  for (const c of candidates) {
    if (c.stale) {
      if (!bestStale || PRECEDENCE[c.source] > PRECEDENCE[bestStale.source]) bestStale = c;
      continue;
    }
    if (
      !best ||
      RANK[c.verdict] > RANK[best.verdict] ||
      (RANK[c.verdict] === RANK[best.verdict] && PRECEDENCE[c.source] > PRECEDENCE[best.source])
    )
      best = c;
  }
  return best ?? bestStale;
}

interface LinkRef {
  measure: Measure;
  link: MeasureLink;
}

/** Why a measure's verification does not count on the assessed release, if it does not. */
export function measureStale(m: Measure, a: Assessment): string | undefined {
  if (!m.verification) return undefined;
  if (m.verification.basis.release !== a.release.version)
    return `${m.id} was verified on release ${m.verification.basis.release}, assessed release is ${a.release.version}`;
  return undefined;
}

/**
 * The measures rule: any linked measure failing fails the item; every linked measure must be
 * verified; all passing with one implementing the item fully passes it, all passing with only
 * partial coverage is partial. Only links a person confirmed exist; removed ones show as stale.
 */
function fromMeasures(
  item: string,
  entry: ProfileItem,
  links: LinkRef[],
  a: Assessment,
): { candidate?: DerivedVerdict; waiting?: string[] } {
  const active = links.filter((l) => !l.measure.removed && !l.link.removed);
  if (active.length === 0) {
    const gone = links.find(
      (l) => (l.measure.removed?.settled.includes(item) ?? false) || l.link.removed !== undefined,
    );
    if (!gone) return {};
    const why = gone.measure.removed
      ? `measure ${gone.measure.id} was removed on ${gone.measure.removed.at.slice(0, 10)}`
      : `the link of measure ${gone.measure.id} was removed on ${gone.link.removed?.at.slice(0, 10)}`;
    return {
      candidate: {
        verdict: gone.measure.verification?.verdict === "fail" ? "fail" : "pass",
        source: "measures",
        rule: "settled by a measure that no longer implements it",
        path: { measures: [gone.measure.id] },
        stale: why,
      },
    };
  }
  const ids = [...new Set(active.map((l) => l.measure.id))];
  const digest = profileItemDigest(entry);
  const changed = active.find((l) => l.link.profileItem !== undefined && l.link.profileItem !== digest);
  const failing = active.filter(
    (l) => l.measure.verification?.verdict === "fail" && !measureStale(l.measure, a),
  );
  if (failing.length > 0)
    return {
      candidate: {
        verdict: "fail",
        source: "measures",
        rule: "a linked measure fails",
        path: { measures: [...new Set(failing.map((l) => l.measure.id))] },
        ...(changed ? { stale: `the profile item changed since ${changed.measure.id} was linked` } : {}),
      },
    };
  const unverified = active.filter((l) => !l.measure.verification).map((l) => l.measure.id);
  if (unverified.length > 0) return { waiting: [...new Set(unverified)] };
  const staleMeasure = active.map((l) => measureStale(l.measure, a)).find((x) => x !== undefined);
  const inconclusive = active.filter((l) => l.measure.verification?.verdict === "inconclusive");
  const full = active.filter((l) => l.link.coverage === "full");
  const candidate: DerivedVerdict =
    inconclusive.length > 0
      ? {
          verdict: "inconclusive",
          source: "measures",
          rule: "a linked measure's verification is inconclusive",
          path: { measures: [...new Set(inconclusive.map((l) => l.measure.id))] },
        }
      : full.length > 0
        ? {
            verdict: "pass",
            source: "measures",
            rule: `every linked measure passes; ${[...new Set(full.map((l) => l.measure.id))].join(", ")} implements it fully`,
            path: { measures: ids },
          }
        : {
            verdict: "partial",
            source: "measures",
            rule: "every linked measure passes, but each implements only part of the item",
            path: { measures: ids },
          };
  const stale =
    staleMeasure ?? (changed ? `the profile item changed since ${changed.measure.id} was linked` : undefined);
  if (stale) candidate.stale = stale;
  return { candidate };
}

/**
 * The roll-up rule: any child failing fails the item; children that do not apply are left out (all
 * of them not applying: not applicable); every remaining child passing passes it; some met and
 * others open is partial. A stale child counts as open.
 */
function fromChildren(children: string[], results: Map<string, ItemVerdict>): DerivedVerdict | undefined {
  const failing: string[] = [];
  let applicable = 0;
  let passing = 0;
  let known = 0;
  for (const c of children) {
    const r = results.get(c);
    const v = r && !r.stale ? r.verdict : "not-assessed";
    if (v === "fail") failing.push(c);
    if (v === "not-applicable") continue;
    applicable++;
    if (v === "pass") passing++;
    if (v === "pass" || v === "partial") known++;
  }
  if (failing.length > 0)
    return { verdict: "fail", source: "roll-up", rule: "a child fails", path: { children: failing } };
  if (applicable === 0)
    return {
      verdict: "not-applicable",
      source: "roll-up",
      rule: "no child applies",
      path: { children },
    };
  if (passing === applicable)
    return {
      verdict: "pass",
      source: "roll-up",
      rule:
        applicable === children.length
          ? "every child passes"
          : "every child that applies passes (the others do not apply)",
      path: { children },
    };
  if (known > 0)
    return {
      verdict: "partial",
      source: "roll-up",
      rule: `${passing} of ${applicable} children pass; the others are open`,
      path: { children },
    };
  return undefined;
}

/** Why an accepted proposal no longer holds, if it does not. */
function acceptedStale(
  acc: AcceptedProposal,
  a: Assessment,
  entry: ProfileItem,
  sources: Map<string, Omit<SourceState, "item">>,
  evidence: Map<string, string | undefined>,
): string | undefined {
  if (acc.basis.release !== a.release.version)
    return `accepted on release ${acc.basis.release}, assessed release is ${a.release.version}`;
  if (acc.basis.profileItem !== profileItemDigest(entry))
    return `profile item changed (${acc.basis.profileItem} -> ${profileItemDigest(entry)})`;
  if (acc.source.kind === "crosswalk") {
    for (const f of acc.source.from) {
      const now = sources.get(f.item);
      if (!now) return `its source ${f.item} no longer has a verdict`;
      if (now.verdict !== f.verdict || now.by !== f.by || (f.by === "person" && now.version !== f.version))
        return `its source ${f.item} changed (${f.verdict} by ${f.by}${f.version ? ` v${f.version}` : ""}, now ${now.verdict} by ${now.by}${now.version ? ` v${now.version}` : ""})`;
    }
  } else {
    const e = acc.source.evidence;
    if (!evidence.has(e)) return `its evidence ${e} is not recorded`;
    const newer = evidence.get(e);
    if (newer) return `its evidence ${e} was superseded by ${newer}`;
  }
  return undefined;
}

function fromAccepted(
  f: Finding,
  a: Assessment,
  entry: ProfileItem,
  sources: Map<string, Omit<SourceState, "item">>,
  evidence: Map<string, string | undefined>,
): DerivedVerdict | undefined {
  const acc = f.accepted;
  if (!acc) return undefined;
  const path: DerivationPath =
    acc.source.kind === "crosswalk"
      ? {
          proposal: acc.proposal,
          from: acc.source.from.map((x) => x.item),
          rows: [...new Set(acc.source.paths.flatMap((p) => p.rows))],
        }
      : {
          proposal: acc.proposal,
          collector: {
            name: acc.source.collector,
            evidence: acc.source.evidence,
            strength: acc.source.strength,
          },
        };
  const stale = acceptedStale(acc, a, entry, sources, evidence);
  return {
    verdict: acc.verdict,
    source: "proposal",
    rule:
      acc.source.kind === "crosswalk"
        ? `proposed through the crosswalks, accepted by ${acc.by}`
        : `proposed by the ${acc.source.collector} collector, accepted by ${acc.by}`,
    path,
    ...(stale ? { stale } : {}),
  };
}

/** Children of each profile item (items whose `parent` is it), in profile order. */
export function childrenOf(profile: Profile): Map<string, string[]> {
  const held = new Set(profile.items.map((i) => i.id));
  const out = new Map<string, string[]>();
  for (const i of profile.items) {
    if (i.parent === undefined || !held.has(i.parent) || i.parent === i.id) continue;
    const list = out.get(i.parent);
    if (list) list.push(i.id);
    else out.set(i.parent, [i.id]);
  }
  return out;
}

/** Evidence ids mapped to the id of the record that supersedes them (undefined: current). */
function evidenceIndex(a: Assessment): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const e of a.evidence) if (!out.has(e.id)) out.set(e.id, undefined);
  for (const e of a.evidence) if (e.supersedes) out.set(e.supersedes, e.id);
  return out;
}

/** Measure links by item, removed ones included. */
export function linksByItem(a: Assessment): Map<string, LinkRef[]> {
  const out = new Map<string, LinkRef[]>();
  for (const measure of a.measures ?? [])
    for (const link of measure.links) {
      const list = out.get(link.item);
      if (list) list.push({ measure, link });
      else out.set(link.item, [{ measure, link }]);
    }
  return out;
}

const isHuman = (f: Finding | undefined): f is Finding => f !== undefined && f.verdict !== "not-assessed";

/**
 * Every item's effective verdict with its source, rule and path, the verdicts crosswalk proposals
 * are made from, and the figures. Pure; linear in items, links and children.
 */
export function deriveVerdicts(a: Assessment, profile: Profile): Derivation {
  const findings = new Map(a.findings.map((f) => [f.item, f]));
  const entries = new Map(profile.items.map((i) => [i.id, i]));
  const children = childrenOf(profile);
  const links = linksByItem(a);
  const evidence = evidenceIndex(a);

  // Layer 1: a person's verdict or the measures, per item.
  const measured = new Map<string, { candidate?: DerivedVerdict; waiting?: string[] }>();
  for (const i of profile.items) {
    const l = links.get(i.id);
    if (l) measured.set(i.id, fromMeasures(i.id, i, l, a));
  }

  // Layer 2: the sources of crosswalk proposals: a person's verdict, measures, and roll-ups over
  // those alone (never an accepted proposal).
  const sources = new Map<string, Omit<SourceState, "item">>();
  const primaryDone = new Set<string>();
  const primary = (id: string, depth: number): void => {
    if (primaryDone.has(id) || depth > entries.size) return;
    primaryDone.add(id);
    const f = findings.get(id);
    const entry = entries.get(id) as ProfileItem;
    if (isHuman(f)) {
      if (!staleReason(f, a, entry) && f.verdict !== "not-assessed")
        sources.set(id, { verdict: f.verdict, by: "person", version: f.version ?? 1 });
      return;
    }
    const m = measured.get(id)?.candidate;
    if (m && !m.stale) {
      sources.set(id, { verdict: m.verdict, by: "measures" });
      return;
    }
    const kids = children.get(id);
    if (!kids || entry.assessItself) return;
    for (const k of kids) primary(k, depth + 1);
    const view = new Map<string, ItemVerdict>();
    for (const k of kids) {
      const s = sources.get(k);
      if (s) view.set(k, { item: k, verdict: s.verdict, source: "person", settled: true });
    }
    const r = fromChildren(kids, view);
    if (r) sources.set(id, { verdict: r.verdict, by: "roll-up" });
  };
  for (const i of profile.items) primary(i.id, 0);

  // Layer 3: the effective verdict, children first.
  const items = new Map<string, ItemVerdict>();
  const visiting = new Set<string>();
  const resolve = (id: string): ItemVerdict => {
    const done = items.get(id);
    if (done) return done;
    const entry = entries.get(id) as ProfileItem;
    const f = findings.get(id);
    const candidates: DerivedVerdict[] = [];
    const m = measured.get(id);
    if (m?.candidate) candidates.push(m.candidate);
    if (f) {
      const acc = fromAccepted(f, a, entry, sources, evidence);
      if (acc) candidates.push(acc);
    }
    const kids = children.get(id);
    // A cycle of parents cannot come from a catalog; a hand-edited profile gets no roll-up there.
    if (kids && !entry.assessItself && !visiting.has(id)) {
      visiting.add(id);
      for (const k of kids) resolve(k);
      visiting.delete(id);
      const r = fromChildren(kids, items);
      if (r) candidates.push(r);
    }
    const derived = combine(candidates);
    let out: ItemVerdict;
    if (isHuman(f)) {
      const stale = staleReason(f, a, entry);
      out = {
        item: id,
        verdict: f.verdict,
        source: "person",
        settled: SETTLING.has(f.verdict) && !stale,
        ...(stale ? { stale } : {}),
        ...(derived ? { derived } : {}),
      };
    } else if (derived) {
      out = {
        item: id,
        verdict: derived.verdict,
        source: derived.source,
        rule: derived.rule,
        path: derived.path,
        settled: SETTLING.has(derived.verdict) && !derived.stale,
        ...(derived.stale ? { stale: derived.stale } : {}),
      };
    } else out = { item: id, verdict: "not-assessed", source: "none", settled: false };
    if (m?.waiting) out.waiting = m.waiting;
    items.set(id, out);
    return out;
  };
  for (const i of profile.items) resolve(i.id);
  // In profile order, whatever order the roll-up resolved them in.
  const ordered = new Map<string, ItemVerdict>();
  for (const i of profile.items) ordered.set(i.id, items.get(i.id) as ItemVerdict);

  return { items: ordered, sources, figures: figuresOf(a, ordered) };
}

function figuresOf(a: Assessment, items: Map<string, ItemVerdict>): Figures {
  const bySource = { person: 0, measures: 0, rollUp: 0, proposal: 0 };
  let settled = 0;
  let notAssessed = 0;
  let stale = 0;
  for (const v of items.values()) {
    if (v.source === "person") bySource.person++;
    else if (v.source === "measures") bySource.measures++;
    else if (v.source === "roll-up") bySource.rollUp++;
    else if (v.source === "proposal") bySource.proposal++;
    else notAssessed++;
    if (v.settled) settled++;
    if (v.stale) stale++;
  }
  const measures = a.measures ?? [];
  const active = measures.filter((m) => !m.removed);
  const verified = active.filter((m) => m.verification !== undefined).length;
  return {
    items: items.size,
    humanVerdicts: bySource.person + verified,
    derivedVerdicts: bySource.measures + bySource.rollUp + bySource.proposal,
    bySource,
    settled,
    notAssessed,
    stale,
    open: items.size - settled,
    measures: { active: active.length, verified, removed: measures.length - active.length },
    risks: (a.risks ?? []).filter((r) => !r.removed).length,
  };
}
