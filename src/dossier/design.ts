/**
 * The design file and the risk analysis as the dossier shows them (the guide's step 2; CRA Article
 * 13 and Annex I Part I (1)): each measure with the items it implements, its evidence and its own
 * verification; each risk with the measures treating it; and the words that say where a derived
 * verdict came from. Computed from the assessment and `deriveVerdicts`, never stored.
 */
import type { Derivation, DerivationPath, ItemVerdict } from "../assessment/derive.js";
import { measureStale } from "../assessment/derive.js";
import type {
  Assessment,
  Coverage,
  LinkOrigin,
  Measure,
  MeasureKind,
  MeasureVerification,
  RiskDecision,
  RiskLevel,
} from "../assessment/model.js";
import { profileItemDigest } from "../assessment/ops.js";
import type { CatalogRegistry } from "../catalog/registry.js";
import type { Profile } from "../profile/model.js";
import type { EvidenceView } from "./report-model.js";

export interface MeasureLinkView {
  item: string;
  /** "<text short title> <label>", as the reports name items. */
  name: string;
  title: string;
  coverage: Coverage;
  /** Where the link came from, in words. */
  origin: string;
  /** The link was removed (kept so the items it settled show as stale). */
  removed?: string;
  /** Why the link no longer holds: the profile item changed since it was confirmed, or left the profile. */
  stale?: string;
}

export interface MeasureView {
  id: string;
  title: string;
  kind?: MeasureKind;
  owner?: string;
  description?: string;
  library?: string;
  links: MeasureLinkView[];
  evidence: EvidenceView[];
  unknownEvidence: string[];
  verification?: MeasureVerification & { stale?: string };
  removed?: { by: string; at: string; reason?: string; settled: string[] };
  /** Items whose effective verdict comes from this measure (with others, maybe). */
  settles: number;
  /** Risks of the register this measure treats. */
  risks: string[];
}

export interface RiskMeasureView {
  id: string;
  title?: string;
  state: "active" | "removed" | "unknown";
}

export interface RiskView {
  id: string;
  asset: string;
  threat: string;
  likelihood: RiskLevel;
  impact: RiskLevel;
  decision: RiskDecision;
  notes?: string;
  measures: RiskMeasureView[];
  residual: RiskLevel;
  owner?: string;
  /** What a reviewer should look at: no measure treats it, high residual risk, a measure gone. */
  flags: string[];
}

export interface DesignView {
  /** Active measures first (by id), then removed ones. */
  measures: MeasureView[];
  risks: RiskView[];
  /** Removed risks: ids are never reused, so the register says they were there. */
  removedRisks: { id: string; asset: string; threat: string; by: string; at: string }[];
}

/** How the reports name an item: "<text short title> <label>". */
export type ItemNamer = (item: string) => string;

export function itemNamer(registry: CatalogRegistry, profile: Profile): ItemNamer {
  const entries = new Map(profile.items.map((i) => [i.id, i]));
  const titles = new Map<string, string>();
  for (const c of registry.latest()) titles.set(c.meta.id, c.meta.shortTitle ?? c.meta.id);
  return (item) => {
    const entry = entries.get(item);
    const catalog = entry?.catalog ?? item.slice(0, Math.max(0, item.indexOf(":")));
    const label = entry?.label ?? registry.item(item)?.label ?? item.slice(item.indexOf(":") + 1);
    return `${titles.get(catalog) ?? catalog} ${label}`;
  };
}

function originText(o: LinkOrigin | undefined, name: ItemNamer): string {
  if (!o) return "confirmed by a person";
  switch (o.kind) {
    case "person":
      return "linked by a person";
    case "library":
      return `from the measure library (${o.entry})`;
    case "crosswalk":
      return `proposed through the crosswalks from ${name(o.from)} (${o.rows.join(", ")}), confirmed`;
    case "search":
      return `found by a catalog search ("${o.query}"), confirmed`;
  }
}

const byId = (x: { id: string }, y: { id: string }) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);

export function designView(
  a: Assessment,
  profile: Profile,
  derivation: Derivation,
  evidence: Map<string, EvidenceView>,
  name: ItemNamer,
  titleOf: (item: string) => string,
): DesignView {
  const entries = new Map(profile.items.map((i) => [i.id, i]));
  const settles = new Map<string, number>();
  for (const v of derivation.items.values())
    if (v.source === "measures")
      for (const m of v.path?.measures ?? []) settles.set(m, (settles.get(m) ?? 0) + 1);
  const treats = new Map<string, string[]>();
  const risks = [...(a.risks ?? [])].sort(byId);
  for (const r of risks) {
    if (r.removed) continue;
    for (const m of r.treatment.measures) treats.set(m, [...(treats.get(m) ?? []), r.id]);
  }
  const all = [...(a.measures ?? [])].sort(byId);
  const ordered = [...all.filter((m) => !m.removed), ...all.filter((m) => m.removed)];
  const measures = ordered.map((m): MeasureView => {
    const v: MeasureView = {
      id: m.id,
      title: m.title,
      links: m.links.map((l) => {
        const entry = entries.get(l.item);
        const link: MeasureLinkView = {
          item: l.item,
          name: name(l.item),
          title: titleOf(l.item),
          coverage: l.coverage,
          origin: originText(l.origin, name),
        };
        if (l.removed) link.removed = `removed by ${l.removed.by} on ${l.removed.at.slice(0, 10)}`;
        if (!entry) link.stale = "the item is not in the profile";
        else if (l.profileItem !== undefined && l.profileItem !== profileItemDigest(entry))
          link.stale = `the profile item changed since it was linked (${l.profileItem} -> ${profileItemDigest(entry)})`;
        return link;
      }),
      evidence: [],
      unknownEvidence: [],
      settles: settles.get(m.id) ?? 0,
      risks: treats.get(m.id) ?? [],
    };
    if (m.kind) v.kind = m.kind;
    if (m.owner) v.owner = m.owner;
    if (m.description) v.description = m.description;
    if (m.library) v.library = `${m.library.id} v${m.library.version}`;
    for (const id of m.evidence) {
      const e = evidence.get(id);
      if (e) v.evidence.push(e);
      else v.unknownEvidence.push(id);
    }
    if (m.verification) {
      const stale = measureStale(m, a);
      v.verification = { ...m.verification, ...(stale ? { stale } : {}) };
    }
    if (m.removed) v.removed = m.removed;
    return v;
  });

  const measureById = new Map(all.map((m) => [m.id, m]));
  const riskViews = risks
    .filter((r) => !r.removed)
    .map((r): RiskView => {
      const ms = r.treatment.measures.map((id): RiskMeasureView => {
        const m: Measure | undefined = measureById.get(id);
        if (!m) return { id, state: "unknown" };
        return { id, title: m.title, state: m.removed ? "removed" : "active" };
      });
      const flags: string[] = [];
      if (!ms.some((m) => m.state === "active")) flags.push("no measure treats it");
      if (r.residual === "high") flags.push("high residual risk");
      for (const m of ms) {
        if (m.state === "removed") flags.push(`treating measure ${m.id} was removed`);
        if (m.state === "unknown") flags.push(`treating measure ${m.id} is not in the design`);
        const verdict = measureById.get(m.id)?.verification?.verdict;
        if (m.state === "active" && verdict === "fail")
          flags.push(`treating measure ${m.id} fails its verification`);
      }
      const view: RiskView = {
        id: r.id,
        asset: r.asset,
        threat: r.threat,
        likelihood: r.likelihood,
        impact: r.impact,
        decision: r.treatment.decision,
        measures: ms,
        residual: r.residual,
        flags,
      };
      if (r.treatment.notes) view.notes = r.treatment.notes;
      if (r.owner) view.owner = r.owner;
      return view;
    });
  const removedRisks = risks.flatMap((r) =>
    r.removed ? [{ id: r.id, asset: r.asset, threat: r.threat, by: r.removed.by, at: r.removed.at }] : [],
  );
  return { measures, risks: riskViews, removedRisks };
}

/** The source of an item's effective verdict, in one word for tables and the XLSX. */
export const SOURCE_LABEL: Record<ItemVerdict["source"], string> = {
  person: "person",
  measures: "measures",
  "roll-up": "roll-up",
  proposal: "proposal",
  none: "",
};

/** Where a derived verdict came from, in words: the measures, the children or the accepted proposal. */
export function derivationText(
  source: "measures" | "roll-up" | "proposal",
  rule: string | undefined,
  path: DerivationPath | undefined,
  name: ItemNamer,
  measureTitle: (id: string) => string | undefined,
): string {
  const p = path ?? {};
  const why = rule ? ` (${rule})` : "";
  if (source === "measures") {
    const ms = (p.measures ?? []).map((id) => {
      const t = measureTitle(id);
      return t ? `${id} ${t}` : id;
    });
    return `from measure${ms.length === 1 ? "" : "s"} ${ms.join("; ")}${why}`;
  }
  if (source === "roll-up")
    return `rolled up from its children ${(p.children ?? []).map(name).join(", ")}${why}`;
  if (p.collector)
    return `accepted proposal ${p.proposal ?? ""} of the ${p.collector.name} collector, from evidence ${p.collector.evidence} (${p.collector.strength})${why}`;
  return `accepted proposal ${p.proposal ?? ""} from ${(p.from ?? []).map(name).join(", ")} through ${(p.rows ?? []).join(", ") || "the crosswalks"}${why}`;
}
