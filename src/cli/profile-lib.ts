// Everything `cairn profile` runs, loaded on demand (see profile.ts).
export { acquisitionClauses, clausesToHtml, clausesToMarkdown } from "../profile/clauses.js";
export { checkContext } from "../profile/context.js";
export { diffProfiles } from "../profile/diff.js";
export { buildProfile } from "../profile/engine.js";
export { explainItems } from "../profile/explain.js";
export { loadBundledRules, loadPresets, readProfileFile } from "../profile/files.js";
export { obligationFields } from "../profile/obligation.js";
export { applyPresetTailoring, profileFromPreset } from "../profile/presets.js";
export { tailor } from "../profile/tailor.js";
export { catalogRegistry, crosswalkSet } from "./context.js";
