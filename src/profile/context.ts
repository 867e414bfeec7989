import type { Problem } from "../core/problem.js";
import { holds } from "./engine.js";
import { type DeviceContext, highWaterMark, IMPACT_LEVELS } from "./model.js";
import type { RuleSet } from "./rules.js";

/**
 * A value as an error message shows it. Only primitives are printed: a user's object could carry
 * `toString` or `valueOf` keys, and converting it would call them (a 500 for `{"toString":1}`).
 */
function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : typeof value;
}

/** An own field of a parsed object (never one inherited from Object.prototype, such as `constructor`). */
function field(object: object, key: string): unknown {
  return Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

const KEYS = new Set([
  "name",
  "impact",
  "environment",
  "connectivity",
  "data",
  "lifetimeYears",
  "markets",
  "features",
]);
const IMPACT_KEYS = ["confidentiality", "integrity", "availability"] as const;

/**
 * Checks a context against the rules' vocabulary. Fails closed: a missing value, an unknown key or
 * an unknown term is a problem that lists what is allowed; nothing defaults.
 */
export function checkContext(
  value: unknown,
  rules: RuleSet,
  source = "context",
): { context?: DeviceContext; problems: Problem[] } {
  const problems: Problem[] = [];
  const at = (location: string, message: string) => problems.push({ source, location, message });
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { problems: [{ source, message: "a context must be an object" }] };
  }
  const v: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    if (KEYS.has(k)) v[k] = field(value, k);
    else at(k, `unknown field; allowed: ${[...KEYS].join(", ")}`);
  }

  const impact = v.impact;
  if (typeof impact !== "object" || impact === null || Array.isArray(impact))
    at(
      "impact",
      `${impact === undefined ? "missing" : `${show(impact)} is not allowed`}: give confidentiality, integrity and availability (low, moderate, high)`,
    );
  else {
    for (const k of Object.keys(impact))
      if (!(IMPACT_KEYS as readonly string[]).includes(k)) at(`impact.${k}`, "unknown field");
    for (const k of IMPACT_KEYS) {
      const level = field(impact, k);
      if (!(IMPACT_LEVELS as readonly unknown[]).includes(level)) {
        at(
          `impact.${k}`,
          `${level === undefined ? "missing" : `${show(level)} is not allowed`}; allowed: ${IMPACT_LEVELS.join(", ")}`,
        );
      }
    }
  }
  const one = (key: "environment" | "connectivity") => {
    const allowed = rules.vocabulary[key].map((t) => t.id);
    if (typeof v[key] !== "string" || !allowed.includes(v[key] as string)) {
      at(
        key,
        `${v[key] === undefined ? "missing" : `${show(v[key])} is not allowed`}; allowed: ${allowed.join(", ")}`,
      );
    }
  };
  const many = (key: "data" | "markets" | "features") => {
    const allowed = (rules.vocabulary[key] ?? []).map((t) => t.id);
    const list = v[key];
    // features may be an empty list (a device with none of them); data and markets may not.
    if (key === "features" && Array.isArray(list) && list.length === 0) return;
    if (!Array.isArray(list) || list.length === 0) {
      at(key, `missing: give one or more of ${allowed.join(", ")}`);
      return;
    }
    list.forEach((x, i) => {
      if (typeof x !== "string" || !allowed.includes(x))
        at(`${key}[${i}]`, `${show(x)} is not allowed; allowed: ${allowed.join(", ")}`);
    });
    if (new Set(list).size !== list.length) at(key, "lists a value twice");
  };
  one("environment");
  one("connectivity");
  many("data");
  many("markets");
  if (v.features !== undefined) many("features");
  const { min, max } = rules.vocabulary.lifetimeYears;
  const years = v.lifetimeYears;
  if (typeof years !== "number" || !Number.isInteger(years) || years < min || years > max) {
    at(
      "lifetimeYears",
      `${years === undefined ? "missing" : `${show(years)} is not allowed`}; a whole number of years from ${min} to ${max}`,
    );
  }
  if (v.name !== undefined && typeof v.name !== "string") at("name", "must be a string");
  if (problems.length > 0) return { problems };
  const context: DeviceContext = {
    impact: {
      confidentiality: (impact as DeviceContext["impact"]).confidentiality,
      integrity: (impact as DeviceContext["impact"]).integrity,
      availability: (impact as DeviceContext["impact"]).availability,
    },
    environment: v.environment as string,
    connectivity: v.connectivity as string,
    data: [...(v.data as string[])].sort(),
    lifetimeYears: years as number,
    markets: [...(v.markets as string[])].sort(),
  };
  if (typeof v.name === "string") context.name = v.name;
  if (Array.isArray(v.features)) context.features = [...(v.features as string[])].sort();
  // Contexts outside the method are refused here, with the rules' reason; inconsistent ones only
  // warn, and the warning is carried by the profile (buildProfile).
  const hwm = highWaterMark(context.impact);
  for (const check of rules.checks ?? []) {
    if (check.severity === "refuse" && holds(check.when, context, hwm))
      problems.push({ source, location: check.field ?? check.id, message: check.message });
  }
  if (problems.length > 0) return { problems };
  return { context, problems };
}
