// Everything `cairn assess` and `cairn check` run, loaded on demand.

export {
  addEvidence,
  adoptProfile,
  changeRelease,
  checkAssessment,
  checkConsistency,
  isStale,
  newAssessment,
  recordFinding,
  signOff,
} from "../assessment/ops.js";
export { lintAssessment } from "../assessment/pitfalls.js";
export { computeReadiness, MARKETS } from "../assessment/readiness.js";
export {
  readAssessmentFolder,
  sha256,
  storeEvidenceFile,
  verifyEvidenceFiles,
  writeAssessment,
} from "../assessment/store.js";
export { readProfileFile } from "../profile/files.js";
export { catalogRegistry, crosswalkSet } from "./context.js";
