import type { CatalogRegistry } from "../catalog/registry.js";
import type { Problem } from "../core/problem.js";
import { schemaProblems } from "../core/schema-validation.js";
import type { CrosswalkSet } from "../crosswalk/set.js";
import validateRulesSchema from "../generated/profile-rules.validator.js";
import type { AssessmentMethod, Stringency } from "./model.js";

export type Fact =
  | "environment"
  | "connectivity"
  | "data"
  | "markets"
  | "features"
  | "lifetimeYears"
  | "highWaterMark"
  | "confidentiality"
  | "integrity"
  | "availability";

export interface Condition {
  all?: Condition[];
  any?: Condition[];
  not?: Condition;
  fact?: Fact;
  /** Holds when the context states this optional field at all. */
  given?: "features";
  in?: string[];
  includesAny?: string[];
  includesAll?: string[];
  atLeast?: string | number;
  atMost?: string | number;
}

export interface Selector {
  catalog: string;
  refs?: string[];
  descendants?: boolean;
  kinds?: string[];
  where?: Record<string, string | number | boolean>;
}

export interface Rule {
  id: string;
  title: string;
  rationale: string;
  source?: string;
  /** method: the texts require it; policy: Cairn's own choice (labelled in the profile). */
  basis?: "method" | "policy";
  /** Said with the profile whenever the rule applies. */
  notice?: string;
  when?: Condition;
  select?: Selector[];
  /** `baseline` fixes the SP 800-53B baseline (PRIVACY); otherwise the high-water mark's. */
  selectByBaseline?: {
    crosswalk: string;
    kinds: string[];
    baseline?: "LOW" | "MODERATE" | "HIGH" | "PRIVACY";
  };
  stringency?: Stringency;
  deepen?: Selector[];
  relax?: Selector[];
  to?: Stringency;
  method?: AssessmentMethod;
  require?: {
    fips140_3?: boolean;
    independentAssessment?: boolean;
    minSupportYearsFromLifetime?: boolean;
    minSupportYears?: number;
  };
  evidence?: { select: Selector; expect: string[] }[];
}

export interface Term {
  id: string;
  label: string;
}

/** A context outside the method (refuse) or inconsistent (warn). */
export interface ContextCheck {
  id: string;
  when: Condition;
  severity: "refuse" | "warn";
  message: string;
  field?: string;
  source?: string;
}

export interface RuleSet {
  format: "cairn-profile-rules/1";
  id: string;
  version: string;
  title: string;
  notes?: string[];
  checks?: ContextCheck[];
  vocabulary: {
    environment: Term[];
    connectivity: Term[];
    data: Term[];
    markets: Term[];
    features?: Term[];
    lifetimeYears: { min: number; max: number };
  };
  baselines: { low: "LOW"; moderate: "MODERATE"; high: "HIGH" };
  rules: Rule[];
}

/**
 * Checks a rule set: its schema, then that every catalog, ref, crosswalk and vocabulary term it
 * names exists, so a typo in a rule is caught when the rules load, not when a profile comes out
 * quietly missing an item.
 */
export function checkRuleSet(
  value: unknown,
  source: string,
  registry: CatalogRegistry,
  crosswalks: CrosswalkSet,
  text?: string,
): { rules?: RuleSet; problems: Problem[] } {
  if (!validateRulesSchema(value)) {
    return { problems: schemaProblems(validateRulesSchema.errors ?? [], { source, text, limit: 50 }) };
  }
  const rules = value as RuleSet;
  const problems: Problem[] = [];
  const ids = new Set<string>();
  const terms: Record<string, Set<string>> = {
    environment: new Set(rules.vocabulary.environment.map((t) => t.id)),
    connectivity: new Set(rules.vocabulary.connectivity.map((t) => t.id)),
    data: new Set(rules.vocabulary.data.map((t) => t.id)),
    markets: new Set(rules.vocabulary.markets.map((t) => t.id)),
    features: new Set((rules.vocabulary.features ?? []).map((t) => t.id)),
  };
  const levels = new Set(["low", "moderate", "high"]);
  const checkCondition = (c: Condition, where: string) => {
    c.all?.forEach((x, k) => {
      checkCondition(x, `${where}.all[${k}]`);
    });
    c.any?.forEach((x, k) => {
      checkCondition(x, `${where}.any[${k}]`);
    });
    if (c.not) checkCondition(c.not, `${where}.not`);
    if (!c.fact) return;
    const vocab = terms[c.fact];
    for (const v of [...(c.in ?? []), ...(c.includesAny ?? []), ...(c.includesAll ?? [])]) {
      if (vocab && !vocab.has(v))
        problems.push({ source, location: where, message: `"${v}" is not a ${c.fact} term` });
    }
    for (const v of [c.atLeast, c.atMost]) {
      if (v === undefined) continue;
      const ok = c.fact === "lifetimeYears" ? typeof v === "number" : typeof v === "string" && levels.has(v);
      if (!ok)
        problems.push({ source, location: where, message: `bad bound ${JSON.stringify(v)} for ${c.fact}` });
    }
  };
  rules.rules.forEach((rule, i) => {
    const at = `rules[${i}] (${rule.id})`;
    if (ids.has(rule.id)) problems.push({ source, location: at, message: "duplicate rule id" });
    ids.add(rule.id);
    const checkSelector = (s: Selector, where: string) => {
      const catalog = registry.get(s.catalog);
      if (!catalog) {
        problems.push({ source, location: where, message: `unknown catalog "${s.catalog}"` });
        return;
      }
      for (const ref of s.refs ?? []) {
        if (!catalog.byRef.has(ref))
          problems.push({ source, location: where, message: `"${ref}" is not an item of ${catalog.key}` });
      }
    };
    if (rule.when) checkCondition(rule.when, `${at}.when`);
    rule.select?.forEach((s, k) => {
      checkSelector(s, `${at}.select[${k}]`);
    });
    rule.deepen?.forEach((s, k) => {
      checkSelector(s, `${at}.deepen[${k}]`);
    });
    rule.relax?.forEach((s, k) => {
      checkSelector(s, `${at}.relax[${k}]`);
    });
    rule.evidence?.forEach((e, k) => {
      checkSelector(e.select, `${at}.evidence[${k}].select`);
    });
    if ((rule.deepen || rule.relax) && !rule.to)
      problems.push({ source, location: at, message: "deepen and relax need `to`" });
    if (rule.selectByBaseline && !crosswalks.get(rule.selectByBaseline.crosswalk)) {
      problems.push({
        source,
        location: `${at}.selectByBaseline`,
        message: `unknown crosswalk "${rule.selectByBaseline.crosswalk}"`,
      });
    }
  });
  (rules.checks ?? []).forEach((check, i) => {
    const at = `checks[${i}] (${check.id})`;
    if (ids.has(check.id)) problems.push({ source, location: at, message: "duplicate rule or check id" });
    ids.add(check.id);
    checkCondition(check.when, `${at}.when`);
  });
  return problems.length > 0 ? { problems } : { rules, problems };
}
