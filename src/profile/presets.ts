import type { CatalogRegistry } from "../catalog/registry.js";
import { CairnError } from "../core/problem.js";
import type { CrosswalkSet } from "../crosswalk/set.js";
import { checkContext } from "./context.js";
import { buildProfile, type ProfileOptions, selectItems } from "./engine.js";
import type { DeviceContext, Profile, TailoringEntry } from "./model.js";
import type { RuleSet, Selector } from "./rules.js";
import { tailorMany } from "./tailor.js";

/**
 * A documented tailoring a preset applies after the rules: SP 800-213 lets a buyer tailor a profile
 * (step 2), never silently. Each removal is logged in the profile with this rationale and author.
 */
export interface PresetTailoring {
  remove: Selector[];
  rationale: string;
  author: string;
  /** The passage the tailoring follows (e.g. the guide's example). */
  source: string;
}

export interface Preset {
  id: string;
  title: string;
  description: string;
  source: string;
  context: DeviceContext;
  tailoring?: PresetTailoring;
}

/** Applies a preset's tailoring to a profile built from its context. Pure; the input is not changed. */
export function applyPresetTailoring(
  profile: Profile,
  tailoring: PresetTailoring,
  registry: CatalogRegistry,
): Profile {
  const inProfile = new Set(profile.items.map((i) => i.id));
  const entries: TailoringEntry[] = [];
  for (const s of tailoring.remove) {
    for (const item of selectItems(registry, s)) {
      if (!inProfile.has(item.id)) continue;
      inProfile.delete(item.id);
      entries.push({
        action: "remove",
        item: item.id,
        rationale: tailoring.rationale,
        author: tailoring.author,
        at: profile.created,
      });
    }
  }
  return tailorMany(profile, registry, entries);
}

/** The profile of a preset: its context through the rules, then its documented tailoring, if any. */
export function profileFromPreset(
  preset: Preset,
  rules: RuleSet,
  registry: CatalogRegistry,
  crosswalks: CrosswalkSet,
  options: ProfileOptions,
): Profile {
  const { context, problems } = checkContext(preset.context, rules, `preset ${preset.id}`);
  if (!context) throw new CairnError(`preset ${preset.id} does not fit the rules' vocabulary`, problems);
  const built = buildProfile(context, rules, registry, crosswalks, options);
  return preset.tailoring ? applyPresetTailoring(built, preset.tailoring, registry) : built;
}
