// A worker thread that builds dossiers: the reference data is loaded once per thread, and the
// CPU-heavy build (PDF, XLSX, zip) runs here so the server's event loop keeps answering requests.
import { parentPort, workerData } from "node:worker_threads";
import { lintAssessment } from "../assessment/pitfalls.js";
import { computeReadiness } from "../assessment/readiness.js";
import { buildDossier } from "../dossier/build.js";
import { Reference } from "../server/reference.js";
import type { DossierTask, DossierTaskResult } from "./dossier.js";
import { yieldToRequests } from "./priority.js";

// Builds give way to requests when the cores are busy (a lower nice value for this thread).
yieldToRequests();

const ref = new Reference((workerData as { catalogs?: string[] } | undefined)?.catalogs ?? []);

parentPort?.on("message", async ({ id, task }: { id: number; task: DossierTask }) => {
  try {
    const { assessment, profile } = task;
    const result = await buildDossier(
      {
        assessment,
        profile,
        registry: ref.registry,
        crosswalks: ref.crosswalks,
        // The assessment's own date, as the CLI does: the same assessment gives the same dossier
        // (readiness says what applies on that date, pitfalls check expiry against it).
        readiness: computeReadiness(assessment, profile, ref.registry, ref.crosswalks, undefined, {
          asOf: assessment.updated.slice(0, 10),
        }),
        pitfalls: lintAssessment(assessment, profile, assessment.updated.slice(0, 10)),
        evidenceFiles: new Map(task.evidenceFiles),
        draft: task.draft,
        ...(task.final ? { final: task.final } : {}),
        profileSha256: task.profileSha256,
        auditTrail: task.auditTrail,
        toolVersion: task.toolVersion,
      },
      { onProgress: (fraction, phase) => parentPort?.postMessage({ id, progress: { fraction, phase } }) },
    );
    const out: DossierTaskResult = {
      built: result.built,
      problems: result.problems.map((p) => ({ location: p.location ?? "", message: p.message })),
      ...(result.zip ? { zip: result.zip } : {}),
      ...(result.manifest ? { manifestSha256: result.manifest.manifestSha256 } : {}),
      ...(result.draft !== undefined ? { draft: result.draft } : {}),
      ...(result.final ? { final: true } : {}),
    };
    parentPort?.postMessage({ id, result: out }, result.zip ? [result.zip.buffer as ArrayBuffer] : []);
  } catch (err) {
    parentPort?.postMessage({ id, error: (err as Error).message ?? String(err) });
  }
});
