import {
  type Derivation,
  deriveVerdicts,
  type EffectiveVerdict,
  type Figures,
  type ItemVerdict,
} from "../assessment/derive.js";
import type {
  Assessment,
  EvidenceRecord,
  EvidenceStrength,
  Finding,
  ImplementationStatement,
  Method,
  SignOff,
  Verdict,
} from "../assessment/model.js";
import { profileItemDigest, staleReason } from "../assessment/ops.js";
import type { MarketReadiness, Pitfall } from "../assessment/report-types.js";
import type { Catalog, CatalogItem } from "../catalog/model.js";
import type { CatalogRegistry } from "../catalog/registry.js";
import type { Problem } from "../core/problem.js";
import { buildMatrix, type Matrix } from "../crosswalk/matrix.js";
import type { Profile, ProfileItem } from "../profile/model.js";
import { type DesignView, derivationText, designView, type ItemNamer, itemNamer } from "./design.js";
import type { DossierInput } from "./model.js";
import { type FinalOverride, type OpenMatters, openCount, openMatters } from "./status.js";
import { dayOf } from "./util.js";

/** What the HTML and PDF reports show: computed once, rendered twice. */
export interface ReportModel {
  title: string;
  /** Asked for, or something required is open without a final override. */
  draft: boolean;
  /** The draft was asked for (`--draft`, `?draft=true`), not decided by what is open. */
  draftRequested: boolean;
  /** What keeps the dossier from being final (on the first page). */
  open: OpenMatters;
  /** Issued final although something is open: printed on every page. */
  final?: FinalOverride;
  /** The assessment's `updated` date: the report's only date of issue. */
  date: string;
  assessment: Assessment;
  profile: Profile;
  catalogs: { id: string; key: string; title: string; shortTitle: string; items: number }[];
  summary: {
    items: number;
    /** Effective verdicts (a person's, else derived) of the profile's items, and of findings outside it. */
    verdicts: Record<EffectiveVerdict, number>;
    /** Who settled what: verdicts by a person, derived ones per source, not assessed, stale (ADR 0003). */
    figures: Figures;
    gaps: number;
    stale: number;
    evidence: number;
    evidenceFiles: number;
    pitfalls: { error: number; warning: number };
  };
  groups: FindingGroup[];
  gaps: Gap[];
  /** Every profile item's effective verdict, its source, rule and path (`deriveVerdicts`). */
  derivation: Derivation;
  /** The design measures and the risk register. */
  design: DesignView;
  /** "<text short title> <label>" of an item. */
  name: ItemNamer;
  evidence: EvidenceView[];
  pitfalls: Pitfall[];
  readiness: MarketReadiness[];
  matrix?: Matrix;
  titles: Record<string, string>;
  problems: Problem[];
  retired: { item: string; verdict: Verdict; retired: string }[];
  auditTrail?: unknown[];
}

export interface FindingGroup {
  /** The capability, clause or section the findings sit under (the item itself when it is one). */
  id: string;
  catalog: string;
  label: string;
  title: string;
  findings: FindingView[];
}

export interface FindingView {
  item: string;
  catalog: string;
  label: string;
  title: string;
  profile?: ProfileItem;
  /** The verdict a person recorded on the item; undefined when the profile item has no finding at all. */
  verdict?: Verdict;
  /** What the item's verdict is: a person's, else the derived one; "no finding" when neither. */
  effective: EffectiveVerdict | "no finding";
  /** Where the effective verdict came from. */
  source: ItemVerdict["source"];
  /** For a derived verdict: where it came from, in words (measures, children, accepted proposal). */
  derivation?: string;
  /** For a person's verdict: what would have been derived, in words, shown beside it. */
  wouldDerive?: string;
  /** Linked measures not verified yet. */
  waiting?: string[];
  method?: Method;
  statement?: ImplementationStatement;
  notes?: string;
  signOff?: SignOff;
  updated?: { by: string; date: string };
  evidence: EvidenceView[];
  /** Unknown evidence ids the finding names. */
  unknownEvidence: string[];
  /** Why the (effective) verdict no longer holds, if it does not. */
  stale?: string;
}

export interface EvidenceView {
  record: EvidenceRecord;
  id: string;
  strength: EvidenceStrength;
  /** Expired on or before the assessment's date. */
  expired: boolean;
  /** The newer revision that supersedes this record, if any. */
  supersededBy?: string;
}

export interface Gap {
  item: string;
  catalog: string;
  label: string;
  title: string;
  /** The effective verdict. */
  verdict: EffectiveVerdict | "no finding";
  /** Where it came from (person, measures, roll-up, proposal; none). */
  source: ItemVerdict["source"];
  reasons: string[];
}

// Kinds that make a good heading for a group of findings, most specific first: a capability of
// 8259A/8425/800-213A, a clause of EN 303 645, a section of EN 18031, a part of CRA Annex I...
const GROUP_KINDS = ["capability", "clause", "section", "test-group", "family", "part", "annex"];

/** The item's capability, clause or section: the ancestor (or the item) of the first kind in GROUP_KINDS. */
export function groupOf(registry: CatalogRegistry, item: CatalogItem): CatalogItem {
  const chain = [...registry.ancestors(item), item];
  for (const kind of GROUP_KINDS) {
    const hit = chain.find((x) => x.kind === kind);
    if (hit) return hit;
  }
  return chain[0] ?? item;
}

// Staleness is decided once, in the assessment core.
export { profileItemDigest, staleReason };

/** The catalog version a profile names, falling back to the newest loaded. */
export function profileCatalog(registry: CatalogRegistry, profile: Profile, id: string): Catalog | undefined {
  const version = profile.catalogs[id];
  return (version !== undefined ? registry.get(`${id}@${version}`) : undefined) ?? registry.get(id);
}

/** The catalog of the profile with the most items: the consolidated matrix's anchor. */
function mainCatalog(profile: Profile): string | undefined {
  const counts = new Map<string, number>();
  for (const i of profile.items) counts.set(i.catalog, (counts.get(i.catalog) ?? 0) + 1);
  let anchorId: string | undefined;
  for (const [id, n] of counts) if (anchorId === undefined || n > (counts.get(anchorId) ?? 0)) anchorId = id;
  return anchorId;
}

/**
 * A profile's matrix anchored on one of its catalogs: a column per other catalog of the profile,
 * rows limited to the anchor's profile items and their ancestors (for structure).
 */
export function profileMatrixOn(input: DossierInput, anchorId: string): Matrix | undefined {
  const { profile, registry } = input;
  const anchor = profileCatalog(registry, profile, anchorId);
  if (!anchor) return undefined;
  const others = [...new Set(profile.items.map((i) => i.catalog))].filter((id) => id !== anchorId);
  const columns = others
    .map((id) => profileCatalog(registry, profile, id))
    .filter((c): c is Catalog => c !== undefined);
  const m = buildMatrix(input.crosswalks, anchor, columns);
  const keep = new Set<string>();
  for (const i of profile.items) {
    if (i.catalog !== anchorId) continue;
    const item = anchor.byRef.get(i.id.slice(i.id.indexOf(":") + 1));
    if (!item) continue;
    keep.add(item.id);
    for (const p of registry.ancestors(item)) keep.add(p.id);
  }
  return { ...m, rows: m.rows.filter((r) => keep.has(r.item)) };
}

/**
 * The consolidated matrix of a profile: anchored on the catalog with the most profile items,
 * a column per other catalog of the profile, rows limited to the anchor's profile items and their
 * ancestors (for structure).
 */
export function profileMatrix(input: DossierInput): Matrix | undefined {
  const anchorId = mainCatalog(input.profile);
  return anchorId === undefined ? undefined : profileMatrixOn(input, anchorId);
}

/**
 * The matrix anchored on each catalog of the profile (one XLSX sheet per text, so every profile
 * item has a row with its verdict): the consolidated matrix's anchor first, then the others in
 * the profile's order.
 */
export function profileMatrices(input: DossierInput, consolidated: Matrix | undefined): Matrix[] {
  const main = mainCatalog(input.profile);
  const out: Matrix[] = consolidated ? [consolidated] : [];
  for (const id of new Set(input.profile.items.map((i) => i.catalog))) {
    if (id === main) continue;
    const m = profileMatrixOn(input, id);
    if (m) out.push(m);
  }
  return out;
}

export function buildReportModel(input: DossierInput, problems: Problem[]): ReportModel {
  const { assessment: a, profile, registry } = input;
  const date = a.updated;
  const supersededBy = new Map<string, string>();
  for (const e of a.evidence) if (e.supersedes) supersededBy.set(e.supersedes, e.id);
  const evidenceView = (e: EvidenceRecord): EvidenceView => {
    const v: EvidenceView = {
      record: e,
      id: e.id,
      strength: e.strength,
      expired: e.expires !== undefined && dayOf(e.expires) <= dayOf(date),
    };
    const newer = supersededBy.get(e.id);
    if (newer) v.supersededBy = newer;
    return v;
  };
  const evidence = a.evidence.map(evidenceView);
  const byId = new Map(evidence.map((e) => [e.id, e]));

  const catalogs = Object.entries(profile.catalogs).map(([id, version]) => {
    const c = registry.get(`${id}@${version}`) ?? registry.get(id);
    return {
      id,
      key: c?.key ?? `${id}@${version}`,
      title: c?.meta.title ?? id,
      shortTitle: c?.meta.shortTitle ?? id,
      items: profile.items.filter((i) => i.catalog === id).length,
    };
  });
  const titles: Record<string, string> = {};
  for (const c of registry.latest()) titles[c.meta.id] = c.meta.shortTitle ?? c.meta.id;

  const findingsByItem = new Map<string, Finding>();
  for (const f of a.findings) if (!findingsByItem.has(f.item)) findingsByItem.set(f.item, f);
  const profileById = new Map(profile.items.map((i) => [i.id, i]));
  const derivation = deriveVerdicts(a, profile);
  const name = itemNamer(registry, profile);
  const titleOf = (id: string) => profileById.get(id)?.title ?? registry.item(id)?.title ?? "";
  const design = designView(a, profile, derivation, byId, name, titleOf);
  const measureTitles = new Map((a.measures ?? []).map((m) => [m.id, m.title]));
  const measureTitle = (id: string) => measureTitles.get(id);
  // Profile order first, then findings for items the profile does not hold (a draft shows them).
  const order = [...profile.items.map((i) => i.id), ...a.findings.map((f) => f.item)];
  const groups = new Map<string, FindingGroup>();
  const gaps: Gap[] = [];
  const verdicts: Record<EffectiveVerdict, number> = {
    pass: 0,
    fail: 0,
    partial: 0,
    inconclusive: 0,
    "not-applicable": 0,
    "not-assessed": 0,
  };
  let stale = 0;
  const done = new Set<string>();
  for (const id of order) {
    if (done.has(id)) continue;
    done.add(id);
    const entry = profileById.get(id);
    const f = findingsByItem.get(id);
    const iv = derivation.items.get(id);
    const item = registry.item(id);
    const catalog = entry?.catalog ?? item?.catalogId ?? id.slice(0, Math.max(0, id.indexOf(":")));
    // A profile item takes its effective verdict from the derivation; an item outside the profile
    // (only in a draft) has no derivation, only what a person recorded.
    const effective: FindingView["effective"] = iv
      ? iv.source === "none" && !f
        ? "no finding"
        : iv.verdict
      : (f?.verdict ?? "no finding");
    const view: FindingView = {
      item: id,
      catalog,
      label: entry?.label ?? item?.label ?? id,
      title: entry?.title ?? item?.title ?? "",
      effective,
      source: iv?.source ?? (f && f.verdict !== "not-assessed" ? "person" : "none"),
      evidence: [],
      unknownEvidence: [],
    };
    if (entry) view.profile = entry;
    if (iv && iv.source !== "person" && iv.source !== "none")
      view.derivation = derivationText(iv.source, iv.rule, iv.path, name, measureTitle);
    if (iv?.derived)
      view.wouldDerive = `${iv.derived.verdict}${iv.derived.stale ? " (stale)" : ""}, ${derivationText(iv.derived.source, iv.derived.rule, iv.derived.path, name, measureTitle)}`;
    if (iv?.waiting) view.waiting = iv.waiting;
    if (f) {
      view.verdict = f.verdict;
      if (f.method) view.method = f.method;
      if (f.statement) view.statement = f.statement;
      if (f.notes) view.notes = f.notes;
      if (f.signOff) view.signOff = f.signOff;
      if (f.updated) view.updated = f.updated;
      for (const e of f.evidence) {
        const ev = byId.get(e);
        if (ev) view.evidence.push(ev);
        else view.unknownEvidence.push(e);
      }
    }
    const s = iv ? iv.stale : f ? staleReason(f, a, entry) : undefined;
    if (s) view.stale = s;
    if (effective !== "no finding") verdicts[effective]++;
    const g = item ? groupOf(registry, item) : undefined;
    const key = g?.id ?? `${catalog}:`;
    let group = groups.get(key);
    if (!group) {
      group = {
        id: key,
        catalog,
        label: g?.label ?? catalog,
        title: g?.title ?? "Items outside the loaded catalogs",
        findings: [],
      };
      groups.set(key, group);
    }
    group.findings.push(view);

    // A gap: no current pass or not-applicable, whoever gave it. The verdict itself is shown beside
    // the reasons; a stale verdict (a person's or derived) is open whatever it says.
    const reasons: string[] = [];
    const open = !MET.has(effective);
    if (!entry) reasons.push("not in the profile");
    if (view.stale) {
      reasons.push(`stale: ${view.stale}`);
      stale++;
    }
    if (
      view.source === "person" &&
      f?.verdict === "pass" &&
      view.evidence.length > 0 &&
      view.evidence.every((e) => e.expired)
    )
      reasons.push("all its evidence has expired");
    if (view.unknownEvidence.length > 0) reasons.push(`unknown evidence ${view.unknownEvidence.join(", ")}`);
    if (view.waiting) reasons.push(`waiting for the verification of ${view.waiting.join(", ")}`);
    if (open || reasons.length > 0) {
      gaps.push({
        item: id,
        catalog,
        label: view.label,
        title: view.title,
        verdict: effective,
        source: view.source,
        reasons,
      });
    }
  }

  const pitfalls = [...input.pitfalls].sort(
    (x, y) => (x.severity === y.severity ? 0 : x.severity === "error" ? -1 : 1) || (x.id < y.id ? -1 : 1),
  );
  const open = openMatters(a, profile, gaps, pitfalls);
  const overridden = openCount(open) > 0 && input.final !== undefined;
  const model: ReportModel = {
    title: a.title,
    draft: input.draft || (openCount(open) > 0 && !overridden),
    draftRequested: input.draft,
    open,
    date,
    assessment: a,
    profile,
    catalogs,
    summary: {
      items: profile.items.length,
      verdicts,
      figures: derivation.figures,
      gaps: gaps.length,
      stale,
      evidence: a.evidence.length,
      evidenceFiles: a.evidence.filter((e) => e.file).length,
      pitfalls: {
        error: pitfalls.filter((p) => p.severity === "error").length,
        warning: pitfalls.filter((p) => p.severity === "warning").length,
      },
    },
    groups: [...groups.values()],
    gaps,
    derivation,
    design,
    name,
    evidence,
    pitfalls,
    readiness: input.readiness,
    titles,
    problems,
    retired: (a.retiredFindings ?? []).map((f) => ({ item: f.item, verdict: f.verdict, retired: f.retired })),
  };
  if (overridden && input.final) model.final = input.final;
  const matrix = profileMatrix(input);
  if (matrix) model.matrix = matrix;
  if (input.auditTrail && input.auditTrail.length > 0) model.auditTrail = input.auditTrail;
  return model;
}

/** "label title", or just the label when the catalog prints the title as the label (8425's capabilities). */
export function heading(label: string, title: string, sep = " "): string {
  return !title || title === label ? label : `${label}${sep}${title}`;
}

/** Verdicts that leave no gap (when current). */
const MET = new Set<string>(["pass", "not-applicable"]);

/** The verdict words shown in the reports. */
export const VERDICT_LABEL: Record<EffectiveVerdict | "no finding", string> = {
  pass: "pass",
  fail: "FAIL",
  partial: "partly met",
  inconclusive: "inconclusive",
  "not-applicable": "not applicable",
  "not-assessed": "not assessed",
  "no finding": "no finding",
};

/** One-line description of a piece of evidence's dates. */
export function evidenceDates(e: EvidenceView): string {
  const r = e.record;
  return `effective ${r.effective}${r.expires ? `, expires ${r.expires}${e.expired ? " (expired)" : ""}` : ""}`;
}
