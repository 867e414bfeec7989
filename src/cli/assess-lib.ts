// Everything `cairn assess` and `cairn check` run, loaded on demand.

export { applyCommand, updateCommands } from "../assessment/changes.js";
export { deriveVerdicts } from "../assessment/derive.js";
export {
  libraryMeasure,
  MEASURE_LIBRARY,
  MEASURE_LIBRARY_VERSION,
  measureFromLibrary,
} from "../assessment/measure-library.js";
export { checkAssessment, checkConsistency, isStale, newAssessment } from "../assessment/ops.js";
export { lintAssessment } from "../assessment/pitfalls.js";
export { planAssessment } from "../assessment/plan.js";
export { allProposals, needsCatalogSearch, searchBy } from "../assessment/proposals.js";
export { computeReadiness, defaultMarkets, MARKETS } from "../assessment/readiness.js";
export { runCommands } from "../assessment/service.js";
export {
  FolderAssessment,
  readAssessmentFolder,
  sha256,
  storeEvidenceFile,
  verifyEvidenceFiles,
  writeAssessment,
} from "../assessment/store.js";
export { loadBundledGlossary } from "../catalog/files.js";
export { SearchIndex } from "../catalog/search.js";
export { readProfileFile } from "../profile/files.js";
export { catalogRegistry, crosswalkSet } from "./context.js";
