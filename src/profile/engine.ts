import type { Catalog, CatalogItem } from "../catalog/model.js";
import type { CatalogRegistry } from "../catalog/registry.js";
import type { CrosswalkSet } from "../crosswalk/set.js";
import { withParents } from "./hierarchy.js";
import {
  type AssessmentMethod,
  type Because,
  type DeviceContext,
  highWaterMark,
  IMPACT_LEVELS,
  type ImpactLevel,
  type Profile,
  type ProfileItem,
  type RequirementBasis,
  STRINGENCIES,
  type Stringency,
} from "./model.js";
import { obligationFields } from "./obligation.js";
import type { Condition, Rule, RuleSet, Selector } from "./rules.js";

export interface ProfileOptions {
  id: string;
  title?: string;
  /** ISO date; the caller decides (the CLI passes today or --date), so output is reproducible. */
  created: string;
}

/** Evaluates a rule condition against a context. An absent condition always holds. */
export function holds(c: Condition | undefined, ctx: DeviceContext, hwm: ImpactLevel): boolean {
  if (!c) return true;
  if (c.all && !c.all.every((x) => holds(x, ctx, hwm))) return false;
  if (c.any && !c.any.some((x) => holds(x, ctx, hwm))) return false;
  if (c.not && holds(c.not, ctx, hwm)) return false;
  if (c.given === "features" && ctx.features === undefined) return false;
  if (!c.fact) return true;
  const fact = c.fact;
  const value: string | number | string[] =
    fact === "highWaterMark"
      ? hwm
      : fact === "confidentiality" || fact === "integrity" || fact === "availability"
        ? ctx.impact[fact]
        : fact === "features"
          ? (ctx.features ?? [])
          : ctx[fact];
  const list = Array.isArray(value) ? value : [String(value)];
  if (c.in && !c.in.includes(String(value))) return false;
  if (c.includesAny && !c.includesAny.some((x) => list.includes(x))) return false;
  if (c.includesAll && !c.includesAll.every((x) => list.includes(x))) return false;
  const rank = (x: string | number) => (typeof x === "number" ? x : IMPACT_LEVELS.indexOf(x as ImpactLevel));
  if (c.atLeast !== undefined && rank(value as string | number) < rank(c.atLeast)) return false;
  if (c.atMost !== undefined && rank(value as string | number) > rank(c.atMost)) return false;
  return true;
}

/** The items of a catalog a selector names, in catalog order. */
export function selectItems(registry: CatalogRegistry, s: Selector): CatalogItem[] {
  const catalog = registry.require(s.catalog);
  let items: CatalogItem[];
  if (s.refs) {
    const roots = s.refs.map((r) => catalog.byRef.get(r)).filter((x): x is CatalogItem => x !== undefined);
    const chosen = new Set<string>();
    const add = (item: CatalogItem) => {
      chosen.add(item.id);
      if (s.descendants) for (const child of catalog.children.get(item.id) ?? []) add(child);
    };
    for (const r of roots) add(r);
    items = catalog.items.filter((i) => chosen.has(i.id));
  } else items = catalog.items;
  if (s.kinds) items = items.filter((i) => (s.kinds as string[]).includes(i.kind));
  if (s.where) {
    const where = s.where;
    items = items.filter((i) => Object.entries(where).every(([k, v]) => i.props[k] === v));
  }
  return items;
}

function maxLevel(a: Stringency, b: Stringency): Stringency {
  return STRINGENCIES.indexOf(a) >= STRINGENCIES.indexOf(b) ? a : b;
}

interface Draft {
  item: CatalogItem;
  stringency: Stringency;
  deepened: boolean;
  evidence: Set<string>;
  because: Because[];
}

/**
 * Builds an SP 800-213 profile: the context's high-water mark picks the SP 800-53B baseline; the
 * rules whose conditions hold select, deepen and relax catalog items and set the requirements.
 * Pure and deterministic: the same context, rules and catalogs give the same profile.
 */
export function buildProfile(
  context: DeviceContext,
  rules: RuleSet,
  registry: CatalogRegistry,
  crosswalks: CrosswalkSet,
  options: ProfileOptions,
): Profile {
  const hwm = highWaterMark(context.impact);
  const baseline = rules.baselines[hwm];
  const drafts = new Map<string, Draft>();
  let method: AssessmentMethod = "self-attestation";
  const requirements = { fips140_3: false, independentAssessment: false, minSupportYears: 0 };
  const requirementsBasis: RequirementBasis[] = [];
  const active = rules.rules.filter((r) => holds(r.when, context, hwm));

  const select = (item: CatalogItem, rule: Rule, because: Because) => {
    const stringency = rule.stringency ?? "moderate";
    const d = drafts.get(item.id);
    if (d) {
      d.stringency = maxLevel(d.stringency, stringency);
      d.because.push(because);
    } else
      drafts.set(item.id, { item, stringency, deepened: false, evidence: new Set(), because: [because] });
  };

  for (const rule of active) {
    for (const s of rule.select ?? [])
      for (const item of selectItems(registry, s)) select(item, rule, { rule: rule.id });
    if (rule.selectByBaseline) {
      const cw = crosswalks.get(rule.selectByBaseline.crosswalk);
      const controls = registry.require(cw?.meta.target.catalog ?? "nist-sp-800-53");
      const source = registry.require(cw?.meta.source.catalog ?? "nist-sp-800-213a");
      // A fixed baseline (the PRIVACY baseline of SP 800-53B) or the one the high-water mark picks.
      const wanted = rule.selectByBaseline.baseline ?? baseline;
      for (const m of cw?.mappings ?? []) {
        if (m.relationship === "not-related") continue;
        const inBaseline = m.targets.filter((t) => {
          const control = controls.byRef.get(t.slice(t.indexOf(":") + 1));
          const b = control?.props.baselines;
          return Array.isArray(b) && b.includes(wanted) && control?.props.withdrawn !== true;
        });
        if (inBaseline.length === 0) continue;
        for (const s of m.sources) {
          const item = source.byRef.get(s.slice(s.indexOf(":") + 1));
          if (!item || !rule.selectByBaseline.kinds.includes(item.kind)) continue;
          select(item, rule, {
            rule: rule.id,
            controls: inBaseline.map((t) => t.slice(t.indexOf(":") + 1)),
            rows: [m.key],
          });
        }
      }
    }
  }
  // Deepen after every select, so the order of rules in the file does not matter for stringency.
  for (const rule of active) {
    for (const s of rule.deepen ?? []) {
      for (const item of selectItems(registry, s)) {
        const d = drafts.get(item.id);
        if (!d) continue;
        d.stringency = maxLevel(d.stringency, rule.to as Stringency);
        d.deepened = true;
        d.because.push({ rule: rule.id, note: `stringency at least ${rule.to}` });
      }
    }
  }
  for (const rule of active) {
    for (const s of rule.relax ?? []) {
      for (const item of selectItems(registry, s)) {
        const d = drafts.get(item.id);
        if (!d || d.deepened) continue;
        d.stringency = rule.to as Stringency;
        d.because.push({ rule: rule.id, note: `stringency relaxed to ${rule.to}` });
      }
    }
    if (rule.method === "independent-assessment") method = "independent-assessment";
    const basis = (requirement: RequirementBasis["requirement"]) =>
      requirementsBasis.push({
        requirement,
        rule: rule.id,
        basis: rule.basis ?? "method",
        ...(rule.source ? { source: rule.source } : {}),
      });
    if (rule.require?.fips140_3) {
      requirements.fips140_3 = true;
      basis("fips140_3");
    }
    if (rule.require?.independentAssessment) {
      requirements.independentAssessment = true;
      basis("independentAssessment");
    }
    if (rule.require?.minSupportYearsFromLifetime) {
      requirements.minSupportYears = Math.max(requirements.minSupportYears, context.lifetimeYears);
      basis("minSupportYears");
    }
    if (rule.require?.minSupportYears !== undefined) {
      requirements.minSupportYears = Math.max(requirements.minSupportYears, rule.require.minSupportYears);
      basis("minSupportYears");
    }
    for (const e of rule.evidence ?? []) {
      for (const item of selectItems(registry, e.select))
        for (const x of e.expect) drafts.get(item.id)?.evidence.add(x);
    }
  }
  if (requirements.independentAssessment) method = "independent-assessment";

  // Items in catalog order, catalogs in the order the rules first selected them.
  const catalogOrder: string[] = [];
  for (const d of drafts.values())
    if (!catalogOrder.includes(d.item.catalogId)) catalogOrder.push(d.item.catalogId);
  const position = new Map<string, number>();
  const catalogs: Record<string, string> = {};
  for (const id of catalogOrder) {
    const c = registry.require(id) as Catalog;
    catalogs[id] = c.meta.version;
    c.items.forEach((item, n) => {
      position.set(item.id, n);
    });
  }
  const items: ProfileItem[] = [...drafts.values()]
    .sort(
      (a, b) =>
        catalogOrder.indexOf(a.item.catalogId) - catalogOrder.indexOf(b.item.catalogId) ||
        (position.get(a.item.id) ?? 0) - (position.get(b.item.id) ?? 0),
    )
    .map((d) => ({
      id: d.item.id,
      catalog: d.item.catalogId,
      label: d.item.label,
      title: d.item.title,
      kind: d.item.kind,
      stringency: d.stringency,
      method,
      ...obligationFields(d.item),
      evidence: [...d.evidence],
      because: d.because,
    }));

  // Inconsistent contexts (checks that warn) and rule notices travel with the profile.
  const warnings = (rules.checks ?? [])
    .filter((c) => c.severity === "warn" && holds(c.when, context, hwm))
    .map((c) => `${c.id}: ${c.message}`);
  const notices = [...new Set(active.flatMap((r) => (r.notice ? [r.notice] : [])))];

  return {
    format: "cairn-profile/1",
    id: options.id,
    title: options.title ?? context.name ?? options.id,
    created: options.created,
    context,
    highWaterMark: hwm,
    baseline,
    rules: { id: rules.id, version: rules.version },
    catalogs,
    requirements,
    items: withParents(items, registry),
    tailoring: [],
    warnings,
    ...(notices.length > 0 ? { notices } : {}),
    ...(requirementsBasis.length > 0 ? { requirementsBasis } : {}),
  };
}
