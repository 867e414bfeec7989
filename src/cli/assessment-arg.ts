import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { CairnError, UsageError } from "../core/problem.js";
import { didYouMean, suggest } from "../core/suggest.js";
import type { Profile } from "../profile/model.js";

/** The folder earlier versions of Cairn used by default; still found when the current folder holds none. */
export const LEGACY_DIR = "cairn-assessment";

/**
 * Every command that works on an assessment folder takes it the same way: a positional [folder]
 * and --dir as its alias. Call before adding the command's own options.
 */
export function withAssessmentFolder(command: Command): Command {
  return command
    .argument("[folder]", "assessment folder (default: the current folder)")
    .option("--dir <folder>", "the assessment folder (the same as [folder])");
}

/**
 * The folder a command works on: the positional, or --dir, or the current folder (or, when the
 * current folder holds no assessment, `cairn-assessment/` inside it, where earlier versions put it).
 */
export function assessmentFolder(positional: string | undefined, dir: unknown, forCreate = false): string {
  const option = typeof dir === "string" ? dir : undefined;
  if (positional !== undefined && option !== undefined && resolve(positional) !== resolve(option))
    throw new UsageError(`give the assessment folder once: "${positional}" or --dir "${option}", not both`);
  const given = positional ?? option;
  if (given !== undefined) return given;
  if (!forCreate && !existsSync("assessment.json") && existsSync(join(LEGACY_DIR, "assessment.json")))
    return LEGACY_DIR;
  return ".";
}

/**
 * The profile item a user means: its id, or a label the catalogs resolve; an unknown one is an
 * error naming the closest items of the profile (`5.2` -> `nist-ir-8259a:5.2`).
 */
export function profileItemId(
  input: string,
  profile: Profile,
  resolveLabel?: () => ((id: string) => string | undefined) | undefined,
): string {
  const ids = profile.items.map((i) => i.id);
  if (ids.includes(input)) return input;
  const resolved = resolveLabel?.()?.(input);
  if (resolved !== undefined && ids.includes(resolved)) return resolved;
  const where = resolved !== undefined && resolved !== input ? ` (${resolved})` : "";
  throw new CairnError(
    `${input}${where} is not an item of profile ${profile.id}${didYouMean(suggest(input, ids))}`,
  );
}
