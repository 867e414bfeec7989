import { useEffect, useId, useRef, useState } from "react";
import { ApiError, getJob, jobResultUrl, retryJob, startDossierJob } from "../api.js";
import { can } from "../lib/permissions.js";
import { useSession } from "../lib/session.js";
import { asApiError } from "../lib/useResource.js";
import type { AssessmentDto, JobDto } from "../types.js";
import { ErrorNotice } from "./ErrorNotice.js";

/** How the finished dossier came out, in words (the job's result.status). */
const OUTCOME: Record<string, string> = {
  requested: "a DRAFT, as asked",
  open: "a DRAFT, because something required is still open (its first page lists what)",
  "final-by-override": "FINAL by your override; the reason is printed on every page",
  final: "FINAL",
};

/** What the job is doing, for the progress line: its phase as the worker names it. */
function phase(job: JobDto): string {
  if (job.state === "queued") {
    const waited = (Date.now() - Date.parse(job.createdAt)) / 1000;
    // A job no worker takes stays queued: say so instead of a bar that never moves.
    return waited > 30
      ? `still waiting for a worker after ${Math.round(waited)} s: the server is busy or runs no workers; it will start when one is free`
      : "waiting for a worker";
  }
  return job.message ?? "building";
}

/** Waits between polls: quick at first (most builds take a second or two), then calmer. */
const pollDelay = (n: number) => Math.min(1000, 250 + n * 100);

/** Reads an error answer of a download the way the API client does. */
async function downloadError(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => ({}))) as {
    code?: string;
    message?: string;
    problems?: { location: string; message: string }[];
  };
  return new ApiError(
    res.status,
    body.code ?? `http-${res.status}`,
    body.message ?? res.statusText,
    body.problems,
  );
}

/**
 * Builds and downloads the dossier (a zip: report, matrix, OSCAL, CycloneDX, evidence, manifest of
 * SHA-256 hashes) as a background job: the server answers at once with the job, this section follows
 * its progress and fetches the file when it is done. A failure or a refusal (an assessment that does
 * not validate) shows here in words instead of as a downloaded error page. An assessor may issue a
 * final dossier over open matters, with a reason the dossier prints on every page.
 */
export function DossierSection({ assessment }: { assessment: AssessmentDto }) {
  const { me } = useSession();
  const [error, setError] = useState<ApiError>();
  const [job, setJob] = useState<JobDto>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string>();
  const [reason, setReason] = useState("");
  const alive = useRef(true);
  const progressLabel = useId();
  const reasonId = useId();
  // Set on every mount: React's strict mode mounts, unmounts and mounts again.
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  /** Follows a job until it is done or failed, showing each step. */
  const follow = async (first: JobDto): Promise<JobDto | undefined> => {
    let current = first;
    for (let n = 0; current.state === "queued" || current.state === "running"; n++) {
      await new Promise((r) => setTimeout(r, pollDelay(n)));
      if (!alive.current) return undefined;
      current = await getJob(current.id);
      setJob(current);
    }
    return current;
  };

  /** Fetches a done job's file and hands it to the browser as a download. */
  const save = async (finished: JobDto) => {
    const r = finished.result ?? {};
    if (!r.built) {
      // The job worked and found that no dossier can be built: the problems say why.
      setError(
        new ApiError(
          409,
          "dossier-invalid",
          "the assessment does not validate, so no dossier was built. Mend the problems below, or download it as a draft",
          r.problems ?? [],
        ),
      );
      return;
    }
    const res = await fetch(jobResultUrl(finished.id), { credentials: "same-origin" });
    if (!res.ok) throw await downloadError(res);
    const blob = await res.blob();
    const disposition = res.headers.get("content-disposition") ?? "";
    const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? r.name ?? `dossier-${assessment.id}.zip`;
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    const outcome = r.status ? OUTCOME[r.status] : undefined;
    setDone(`Downloaded ${name} (${Math.ceil(blob.size / 1024)} KiB)${outcome ? `: ${outcome}` : ""}.`);
  };

  const run = async (start: () => Promise<JobDto>) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const started = await start();
      setJob(started);
      const finished = await follow(started);
      if (!finished) return;
      if (finished.state === "failed") return;
      await save(finished);
      setJob(undefined);
    } catch (err) {
      setError(asApiError(err));
      setJob(undefined);
    } finally {
      if (alive.current) setBusy(false);
    }
  };

  const build = (body: { draft?: boolean; final?: string }) =>
    run(() => startDossierJob(assessment.id, body));
  const failed = job?.state === "failed" ? job : undefined;
  const maySignOff = can(me, "assessment.close");

  return (
    <section id="dossier" aria-labelledby="dossier-heading">
      <h2 id="dossier-heading">Dossier</h2>
      <p>
        The assessment package: report (HTML, PDF), matrix (CSV, XLSX), OSCAL assessment results and profile,
        CycloneDX attestation, the evidence files and a manifest of their SHA-256 hashes. It is a DRAFT by
        itself while anything required is open.
      </p>
      <div className="actions start">
        <button type="button" disabled={busy} onClick={() => build({})}>
          Download the dossier
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => build({ draft: true })}>
          Download as a draft
        </button>
      </div>
      {maySignOff ? (
        <details className="final-override">
          <summary>Issue it final although something is open</summary>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (reason.trim()) void build({ final: reason.trim() });
            }}
          >
            <label htmlFor={reasonId}>Why it is final (printed on every page with your name)</label>
            <textarea
              id={reasonId}
              value={reason}
              maxLength={500}
              rows={3}
              required
              onChange={(e) => setReason(e.target.value)}
            />
            <div className="actions start">
              <button type="submit" disabled={busy || !reason.trim()}>
                Download a final dossier
              </button>
            </div>
          </form>
        </details>
      ) : null}
      {job && busy && !failed ? (
        <div className="job-progress">
          <span id={progressLabel}>
            Building the dossier: {job.progress}% ({phase(job)})
          </span>
          <progress max={100} value={job.progress} aria-labelledby={progressLabel} />
        </div>
      ) : null}
      <p role="status" className="visually-hidden">
        {job && busy && !failed ? `Building the dossier: ${phase(job)}` : ""}
      </p>
      {failed ? (
        <div className="notice notice-error" role="alert">
          <p>
            <strong>
              The dossier could not be built{failed.attempts > 1 ? ` (${failed.attempts} attempts)` : ""}:
            </strong>{" "}
            {failed.error ?? "the build stopped without saying why"}. Nothing was downloaded.
          </p>
          <div className="actions start">
            <button
              type="button"
              disabled={busy}
              onClick={() => {
                void run(() => retryJob(failed.id));
              }}
            >
              Try again
            </button>
          </div>
        </div>
      ) : null}
      <ErrorNotice error={error} title="No dossier" />
      {done ? (
        <p role="status" className="notice notice-ok">
          {done}
        </p>
      ) : null}
    </section>
  );
}
