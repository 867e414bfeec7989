import { Readable } from "node:stream";
import type { Assessment } from "../assessment/model.js";
import { NotFoundError } from "../core/errors.js";
import { storageProblem } from "../core/file-errors.js";
import type { Profile } from "../profile/model.js";
import type { BlobStore } from "../store/blobs.js";
import type { Repository } from "../store/repository.js";
import type { WorkerPool } from "./pool.js";
import { type JobHandler, PermanentJobError } from "./runner.js";

export { PermanentJobError };

export const DOSSIER_JOB = "dossier";

/** What the worker thread builds from: everything read from storage beforehand. */
export interface DossierTask {
  assessment: Assessment;
  profile: Profile;
  evidenceFiles: [string, Uint8Array][];
  draft: boolean;
  /** Issue it final although something required is open: who and why (printed on every page). */
  final?: { reason: string; by: string };
  profileSha256: string;
  auditTrail: unknown[];
  toolVersion: string;
}

export interface DossierTaskResult {
  built: boolean;
  problems: { location: string; message: string }[];
  zip?: Uint8Array;
  manifestSha256?: string;
  /** The dossier came out DRAFT (asked for, or something required is open). */
  draft?: boolean;
  /** Issued final under an override. */
  final?: boolean;
}

export interface DossierJobPayload {
  assessmentId: string;
  draft: boolean;
  final?: { reason: string; by: string };
}

/** The zip's file name: the product, the model and the release, in safe characters. */
export function dossierFileName(a: Assessment, draft: boolean): string {
  return `cairn-dossier-${[a.product.manufacturer, a.product.model, a.release.version]
    .join("-")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^[-.]+|-+$/g, "")
    .slice(0, 120)}${draft ? "-DRAFT" : ""}.zip`;
}

/** Largest evidence file read into a dossier (it holds every file whole). */
const MAX_FILE_BYTES = 512 * 1024 * 1024;

/**
 * The dossier job: reads the assessment, its profile, evidence files and audit trail, has a worker
 * thread build the dossier, and keeps the zip in the blob store (content-addressed: the same
 * assessment gives the same bytes, so a second build of it, by any instance, stores nothing new).
 */
export function dossierJob(deps: {
  repo: Repository;
  blobs: BlobStore;
  pool: WorkerPool<DossierTask, DossierTaskResult>;
  toolVersion: string;
}): JobHandler {
  return async (job, ctx) => {
    const payload = job.payload as unknown as DossierJobPayload;
    ctx.progress(2, "reading the assessment");
    let stored: Awaited<ReturnType<Repository["assessments"]["stored"]>>;
    try {
      stored = await deps.repo.assessments.stored(job.orgId, payload.assessmentId);
    } catch (err) {
      if (err instanceof NotFoundError) throw new PermanentJobError("the assessment no longer exists");
      throw err;
    }
    const { assessment, profile, profileSha256 } = stored;
    const files: [string, Uint8Array][] = [];
    const transfer: ArrayBuffer[] = [];
    for (const e of assessment.evidence) {
      if (!e.file || files.some(([p]) => p === e.file?.path)) continue;
      try {
        const bytes = await deps.blobs.read(e.file.sha256, MAX_FILE_BYTES);
        // A fresh buffer of its own, so it can be handed to the thread without a copy.
        const own = new Uint8Array(bytes);
        files.push([e.file.path, own]);
        transfer.push(own.buffer as ArrayBuffer);
      } catch (err) {
        // Left out: validation names the missing file (a draft is built without it).
        if (err instanceof NotFoundError) continue;
        // Present but unreadable: no dossier may leave a file out silently. Said for whoever
        // reads the job's failure on the assessment page, with what mends it.
        throw new Error(
          `the evidence file ${e.file.name} (${e.id}) cannot be read from the server's evidence store: ${storageProblem(err)}. An administrator can restore it from a backup of the data folder; then try again`,
        );
      }
    }
    ctx.progress(8, "building the dossier");
    const task: DossierTask = {
      assessment,
      profile,
      evidenceFiles: files,
      draft: payload.draft,
      ...(payload.final ? { final: payload.final } : {}),
      profileSha256,
      auditTrail: await deps.repo.assessments.audit(job.orgId, payload.assessmentId),
      toolVersion: deps.toolVersion,
    };
    const result = await deps.pool.run(
      task,
      (fraction, phase) => ctx.progress(8 + fraction * 84, phase),
      transfer,
    );
    // Not an error of the job: it found that no dossier can be built, and says why.
    if (!result.built || !result.zip)
      return { built: false, problems: result.problems, draft: payload.draft };
    ctx.progress(95, "storing the dossier");
    let blob: Awaited<ReturnType<BlobStore["put"]>>;
    try {
      blob = await deps.blobs.put(Readable.from([Buffer.from(result.zip)]), Number.MAX_SAFE_INTEGER);
    } catch (err) {
      throw new Error(
        `the dossier was built but cannot be stored on the server: ${storageProblem(err)}. An administrator can free space or mend the data folder; then try again`,
      );
    }
    await deps.repo.blobs.note(job.orgId, blob.sha256);
    const draft = result.draft ?? payload.draft;
    return {
      built: true,
      sha256: blob.sha256,
      size: blob.size,
      name: dossierFileName(assessment, draft),
      manifestSha256: result.manifestSha256 ?? "",
      draft,
      // How the dossier came out: a draft asked for, a draft because something is open, final by override, final.
      status: draft ? (payload.draft ? "requested" : "open") : result.final ? "final-by-override" : "final",
      problems: result.problems,
      revision: stored.revision,
    };
  };
}
