import { readFileSync, statSync } from "node:fs";
import type { CatalogRegistry } from "../catalog/registry.js";
import { bundledPath } from "../core/paths.js";
import { CairnError } from "../core/problem.js";
import { schemaProblems } from "../core/schema-validation.js";
import { parseStructured } from "../core/structured-text.js";
import type { CrosswalkSet } from "../crosswalk/set.js";
import validateProfileSchema from "../generated/profile.validator.js";
import type { Profile } from "./model.js";
import type { Preset } from "./presets.js";
import { checkRuleSet, type RuleSet } from "./rules.js";

export const MAX_PROFILE_BYTES = 16 * 1024 * 1024;

export function loadBundledRules(registry: CatalogRegistry, crosswalks: CrosswalkSet): RuleSet {
  const file = bundledPath("catalogs", "rules", "sp800-213-profile-rules.json");
  const text = readFileSync(file, "utf8");
  const parsed = parseStructured(text, file, "json");
  const r = checkRuleSet(parsed.value, file, registry, crosswalks, text);
  if (!r.rules)
    throw new CairnError("the bundled profiling rules are invalid", [...parsed.problems, ...r.problems]);
  return r.rules;
}

export type { Preset } from "./presets.js";

export function loadPresets(): Preset[] {
  const file = bundledPath("catalogs", "rules", "profile-presets.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { presets: Preset[] }).presets;
}

/** Reads a profile file; a file that is not a Cairn profile is an error naming the place. */
export function readProfileFile(file: string): Profile {
  let text: string;
  try {
    if (statSync(file).size > MAX_PROFILE_BYTES)
      throw new CairnError(`${file}: larger than ${MAX_PROFILE_BYTES} bytes`);
    text = readFileSync(file, "utf8");
  } catch (err) {
    if (err instanceof CairnError) throw err;
    throw new CairnError(
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      [],
      2,
    );
  }
  const parsed = parseStructured(text, file, /\.ya?ml$/i.test(file) ? "yaml" : "json");
  if (parsed.value === undefined) throw new CairnError(`${file} is not a profile`, parsed.problems);
  if (!validateProfileSchema(parsed.value)) {
    throw new CairnError(
      `${file} is not a valid Cairn profile`,
      schemaProblems(validateProfileSchema.errors ?? [], { source: file, text, limit: 20 }),
    );
  }
  return parsed.value as Profile;
}
