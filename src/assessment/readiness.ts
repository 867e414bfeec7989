import type { Catalog, CatalogItem } from "../catalog/model.js";
import type { CatalogRegistry } from "../catalog/registry.js";
import { catalogOfId, infer, mostRestrictive, type Result } from "../crosswalk/inference.js";
import type { CrosswalkSet } from "../crosswalk/set.js";
import type { Profile } from "../profile/model.js";
import { deriveVerdicts } from "./derive.js";
import type { Assessment, Verdict } from "./model.js";
import type { MarketReadiness, ReadinessItem } from "./report-types.js";

/** A dated event of a market's law or scheme: what starts or ends to apply on that day. */
export interface MarketEvent {
  date: string;
  what: string;
  source: string;
}

/** How a market is decided: which catalogs, which of their items, and when they apply. */
export interface MarketDefinition {
  id: string;
  label: string;
  /** Catalogs whose items decide the market; "profile" scope takes only the items the profile holds. */
  catalogs: string[];
  scope: "catalog" | "profile";
  kinds: string[];
  assessableOnly?: boolean;
  /**
   * Context markets that make this readiness entry appear by default. Markets without it are always
   * computed (the four original ones); the others only for a profile that targets them.
   */
  enabledBy?: string[];
  /** When the market's requirements apply, where every item shares the dates (items may narrow them). */
  appliesFrom?: string;
  appliesUntil?: string;
  timeline?: MarketEvent[];
}

const CRA = "Regulation (EU) 2024/2847";

/** Which catalogs decide each market, and which of their items count. */
export const MARKETS: MarketDefinition[] = [
  {
    id: "us-federal",
    label: "US federal (SP 800-213 profile)",
    catalogs: ["nist-ir-8259a", "nist-ir-8259b", "nist-sp-800-213a"],
    scope: "profile",
    kinds: [],
  },
  {
    id: "us-consumer-label",
    label: "US consumer label (NISTIR 8425)",
    catalogs: ["nist-ir-8425"],
    scope: "catalog",
    kinds: ["capability", "outcome", "sub-outcome"],
  },
  {
    id: "eu-cra",
    label: "EU Cyber Resilience Act (Annex I, Articles 13(8) and 14)",
    catalogs: ["eu-cra"],
    scope: "catalog",
    kinds: ["point", "paragraph"],
    assessableOnly: true,
    timeline: [
      {
        date: "2026-06-11",
        what: "Chapter IV (notification of conformity assessment bodies, Articles 35 to 51) applies",
        source: `${CRA}, Article 71(2)`,
      },
      {
        date: "2026-09-11",
        what: "Article 14 (reporting of actively exploited vulnerabilities and severe incidents: early warning within 24 hours, notification within 72 hours, final report) applies, also to products placed on the market before 11 December 2027",
        source: `${CRA}, Articles 71(2) and 69(3)`,
      },
      {
        date: "2027-12-11",
        what: "the rest of the Regulation applies (Annex I, Annex II, Article 13(8) support period of at least five years); products placed on the market before this date are subject to it only if substantially modified from then",
        source: `${CRA}, Articles 71(2) and 69(2)`,
      },
    ],
  },
  {
    id: "etsi-en-303-645",
    label: "ETSI EN 303 645",
    catalogs: ["etsi-en-303-645"],
    scope: "catalog",
    kinds: ["provision"],
  },
  {
    id: "eu-red",
    label: "EU radio equipment (RED Article 3(3)(d)-(f), EN 18031)",
    catalogs: ["eu-red", "cen-en-18031-1", "cen-en-18031-2", "cen-en-18031-3"],
    scope: "profile",
    kinds: [],
    enabledBy: ["eu-red"],
    appliesFrom: "2025-08-01",
    appliesUntil: "2027-12-11",
    timeline: [
      {
        date: "2025-08-01",
        what: "RED Article 3(3)(d), (e) and (f) apply to the radio equipment Delegated Regulation (EU) 2022/30 names",
        source: "Delegated Regulation (EU) 2022/30, Article 3, as amended by (EU) 2023/2444",
      },
      {
        date: "2027-12-11",
        what: "Delegated Regulation (EU) 2022/30 is repealed; the CRA's Annex I, which includes all elements of those requirements, applies instead",
        source: "Delegated Regulation (EU) 2026/339, Article 1 and recital (3)",
      },
    ],
  },
  {
    id: "uk-psti",
    label: "UK PSTI (security requirements for relevant connectable products)",
    catalogs: ["uk-psti"],
    scope: "catalog",
    kinds: ["requirement"],
    enabledBy: ["uk-psti"],
    timeline: [
      {
        date: "2024-04-29",
        what: "the 2023 Regulations come into force: passwords, how to report security issues, minimum security update periods",
        source: "SI 2023/1007, regulation 1(2)",
      },
    ],
  },
  {
    id: "sg-cls",
    label: "Singapore Cybersecurity Labelling Scheme",
    catalogs: ["sg-cls"],
    scope: "profile",
    kinds: [],
    enabledBy: ["sg-cls-1", "sg-cls-2", "sg-cls-3", "sg-cls-4"],
  },
  {
    id: "jp-jc-star",
    label: "Japan JC-STAR (star 1)",
    catalogs: ["jp-jc-star"],
    scope: "profile",
    kinds: [],
    enabledBy: ["jp-jc-star-1"],
    timeline: [
      {
        date: "2025-03-25",
        what: "applications for the star 1 label open",
        source: "IPA, JC-STAR",
      },
    ],
  },
];

/** A readiness item with the dates it applies between and whether it applies on `asOf`. */
export interface ReadinessItemDetail extends ReadinessItem {
  appliesFrom?: string;
  appliesUntil?: string;
  /** Set when readiness is computed for a date: the item applies on that date. */
  applies?: boolean;
}

/**
 * Readiness of one market, with what the plain MarketReadiness (src/assessment/report-types.ts)
 * does not carry yet: the date it is for, the items' dates, the market's timeline, and what the
 * deciding catalogs are known to lack (a partial text must not be scored silently).
 */
export interface MarketReadinessDetail extends MarketReadiness {
  items: ReadinessItemDetail[];
  asOf?: string;
  /** On `asOf`: items that apply, that do not apply yet, and that no longer apply. */
  applicability?: { applies: number; notYet: number; ended: number };
  timeline?: MarketEvent[];
  /** The deciding catalogs' known gaps (catalog completeness), so a partial text is never scored silently. */
  incomplete?: string[];
  /** The profile targets this market (marketTargeted); the others are shown for reference. */
  targeted?: boolean;
}

export interface ReadinessOptions {
  /** ISO date readiness is computed for: which items apply on that day. */
  asOf?: string;
}

/** What a verdict says about its item. Inconclusive and stale verdicts say nothing yet. */
export function verdictResult(v: Verdict): Result {
  if (v === "pass") return "pass";
  if (v === "fail") return "fail";
  if (v === "not-applicable") return "not-applicable";
  return "unknown";
}

/** The markets computed when none are named: the always-on ones and those the profile targets. */
export function defaultMarkets(profile: Profile): string[] {
  const targeted = new Set(profile.context?.markets ?? []);
  return MARKETS.filter((m) => !m.enabledBy || m.enabledBy.some((x) => targeted.has(x))).map((m) => m.id);
}

/**
 * Whether the profile targets a readiness market: the profile names the market's id or one of the
 * market ids that enable it (sg-cls-2 targets sg-cls, jp-jc-star-1 targets jp-jc-star).
 */
export function marketTargeted(market: string, profile: Profile): boolean {
  const named = new Set(profile.context?.markets ?? []);
  if (named.has(market)) return true;
  const def = MARKETS.find((m) => m.id === market);
  return (def?.enabledBy ?? []).some((x) => named.has(x));
}

function dateProp(item: CatalogItem, key: string): string | undefined {
  const v = item.props[key];
  return typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined;
}

function gapsOf(catalogs: Catalog[]): string[] {
  const out: string[] = [];
  for (const c of catalogs) {
    const comp = c.meta.completeness;
    if (!comp || comp.status === "complete") continue;
    for (const g of comp.gaps ?? [])
      if (g.kind === "missing") out.push(`${c.meta.shortTitle ?? c.meta.id} is partial: ${g.description}`);
  }
  return out;
}

/**
 * Readiness per market: each market's items with a result, direct where the assessment has a
 * finding on the item, derived through the crosswalks from the findings on other catalogs (a
 * proposal with its paths, never a verdict). With `asOf`, each item says whether it applies on that
 * date (CRA reporting from 11 September 2026, the rest from 11 December 2027; the RED requirements
 * until their repeal). Pure.
 */
export function computeReadiness(
  a: Assessment,
  profile: Profile,
  registry: CatalogRegistry,
  crosswalks: CrosswalkSet,
  markets: string[] = defaultMarkets(profile),
  options: ReadinessOptions = {},
): MarketReadinessDetail[] {
  const direct = new Map<string, Result>();
  const by = new Map<string, ReadinessItem["by"]>();
  for (const v of deriveVerdicts(a, profile).items.values()) {
    direct.set(v.item, v.stale ? "unknown" : v.verdict === "partial" ? "partial" : verdictResult(v.verdict));
    if (v.source !== "none") by.set(v.item, v.source);
  }

  // Derived results: inference runs from one catalog at a time; sources are combined the same way
  // paths are (a failure wins, then the most informative result).
  const bySource = new Map<string, Map<string, Result>>();
  for (const [id, r] of direct) {
    if (r === "unknown") continue;
    const c = catalogOfId(id);
    const m = bySource.get(c) ?? new Map<string, Result>();
    m.set(id, r);
    bySource.set(c, m);
  }
  const derived = new Map<string, { result: Result; paths: { path: string[]; rows: string[] }[] }>();
  for (const input of bySource.values()) {
    for (const [id, d] of infer(crosswalks, input)) {
      const had = derived.get(id);
      const paths = d.derivedFrom.map((x) => ({ path: x.path, rows: x.rows }));
      if (!had) derived.set(id, { result: d.result, paths });
      else {
        had.result = mostRestrictive(had.result, d.result);
        had.paths.push(...paths);
      }
    }
  }

  const asOf = options.asOf;
  const out: MarketReadinessDetail[] = [];
  for (const m of MARKETS.filter((x) => markets.includes(x.id))) {
    const catalogs = m.catalogs.map((id) => registry.get(id)).filter((c): c is Catalog => c !== undefined);
    if (catalogs.length === 0) continue;
    let items: CatalogItem[];
    if (m.scope === "profile") {
      const wanted = new Set(m.catalogs);
      items = profile.items
        .filter((i) => wanted.has(i.catalog))
        .map((i) => registry.item(i.id))
        .filter((i): i is CatalogItem => i !== undefined);
    } else {
      items = catalogs.flatMap((c) =>
        c.items.filter((i) => m.kinds.includes(i.kind) && (!m.assessableOnly || i.props.assessable === true)),
      );
    }
    const applicability = { applies: 0, notYet: 0, ended: 0 };
    const rows: ReadinessItemDetail[] = items.map((item) => {
      const d = direct.get(item.id);
      const who = by.get(item.id);
      const x = derived.get(item.id);
      const row: ReadinessItemDetail =
        d !== undefined
          ? {
              item: item.id,
              label: item.label,
              title: item.title,
              result: d,
              source: "direct",
              ...(who ? { by: who } : {}),
            }
          : {
              item: item.id,
              label: item.label,
              title: item.title,
              result: x?.result ?? "unknown",
              source: "derived",
              ...(x ? { paths: x.paths.slice(0, 5) } : {}),
            };
      const from = dateProp(item, "appliesFrom") ?? m.appliesFrom;
      const until = dateProp(item, "appliesUntil") ?? m.appliesUntil;
      if (from) row.appliesFrom = from;
      if (until) row.appliesUntil = until;
      if (asOf) {
        const notYet = from !== undefined && asOf < from;
        const ended = until !== undefined && asOf >= until;
        row.applies = !notYet && !ended;
        if (notYet) applicability.notYet++;
        else if (ended) applicability.ended++;
        else applicability.applies++;
      }
      return row;
    });
    const counts = { met: 0, partial: 0, missing: 0, notApplicable: 0, unknown: 0 };
    for (const r of rows) {
      if (r.result === "pass") counts.met++;
      else if (r.result === "partial") counts.partial++;
      else if (r.result === "fail") counts.missing++;
      else if (r.result === "not-applicable") counts.notApplicable++;
      else counts.unknown++;
    }
    const incomplete = gapsOf(
      m.scope === "profile" ? catalogs.filter((c) => items.some((i) => i.catalogId === c.meta.id)) : catalogs,
    );
    const entry: MarketReadinessDetail = {
      market: m.id,
      label: m.label,
      catalog: m.scope === "profile" && m.id === "us-federal" ? "profile" : m.catalogs.join(","),
      items: rows,
      counts,
      targeted: marketTargeted(m.id, profile),
    };
    if (asOf) {
      entry.asOf = asOf;
      entry.applicability = applicability;
    }
    if (m.timeline) entry.timeline = m.timeline;
    if (incomplete.length > 0) entry.incomplete = incomplete;
    out.push(entry);
  }
  return out;
}
