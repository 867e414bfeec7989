// Every benchmark, in one run: `npm run bench`. Figures, not pass/fail: budgets are printed beside them.
import { cpus } from "node:os";
import { benchAssessmentCore } from "./assessment-core.js";
import { benchAssessments } from "./assessments.js";
import { benchCatalogs } from "./catalogs.js";
import { benchCollectArtifacts } from "./collect-artifacts.js";
import { benchCollectSbom } from "./collect-sbom.js";
import { benchCrosswalks } from "./crosswalks.js";
import { benchDossier } from "./dossier.js";
import { benchPages } from "./pages.js";
import { benchProfileResolve } from "./profile-resolve.js";
import { benchProfiles } from "./profiles.js";
import { benchServer } from "./server.js";
import { benchServerJobs } from "./server-jobs.js";

console.log(`node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "unknown cpu"})`);
benchCatalogs();
await benchCrosswalks();
benchProfiles();
benchProfileResolve();
benchAssessments();
await benchAssessmentCore();
await benchDossier();
await benchCollectArtifacts();
await benchCollectSbom();
await benchServer();
await benchServerJobs();
await benchPages();
