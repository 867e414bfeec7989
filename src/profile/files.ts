import { readFileSync, statSync } from "node:fs";
import type { CatalogRegistry } from "../catalog/registry.js";
import { fileErrorMessage } from "../core/file-errors.js";
import { bundledPath } from "../core/paths.js";
import { CairnError, type Problem } from "../core/problem.js";
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

/** A profile from its file's text: the profile, or the problems that name where it is wrong. */
export function parseProfileText(
  text: string,
  source: string,
  format: "json" | "yaml" = "json",
): { profile?: Profile; problems: Problem[] } {
  const parsed = parseStructured(text, source, format);
  if (parsed.value === undefined) return { problems: parsed.problems };
  if (!validateProfileSchema(parsed.value))
    return { problems: schemaProblems(validateProfileSchema.errors ?? [], { source, text, limit: 20 }) };
  return { profile: parsed.value as Profile, problems: [] };
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
    throw new CairnError(fileErrorMessage(file, err, "profile file"));
  }
  const { profile, problems } = parseProfileText(text, file, /\.ya?ml$/i.test(file) ? "yaml" : "json");
  if (!profile) throw new CairnError(`${file} is not a valid Cairn profile`, problems);
  return profile;
}
