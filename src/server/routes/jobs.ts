import type { FastifyInstance } from "fastify";
import { DOSSIER_JOB } from "../../jobs/dossier.js";
import type { Job } from "../../jobs/store.js";
import { auditEvent, type Principal, principal, requirePermission } from "../auth.js";
import type { ServerContext } from "../context.js";
import { HttpError } from "../errors.js";
import { errors, idParams, list, obj, out } from "../schemas.js";
import { sendFile } from "./evidence.js";

export const jobResponse = out({
  id: { type: "string" },
  kind: { type: "string" },
  subject: { type: "string" },
  state: { type: "string", enum: ["queued", "running", "done", "failed"] },
  progress: { type: "integer" },
  message: { type: "string" },
  result: out(),
  error: { type: "string" },
  attempts: { type: "integer" },
  createdBy: { type: "string" },
  createdAt: { type: "string" },
  updatedAt: { type: "string" },
  startedAt: { type: "string" },
  finishedAt: { type: "string" },
});

const WAIT_MS = 200;

/**
 * Background jobs: a dossier is built off the request path (a worker thread; on PostgreSQL by any
 * instance). The API answers with the job at once; the client follows its progress and downloads
 * the result. The old synchronous route waits for the same job, so it no longer blocks the server.
 */
export function jobRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { repo, jobs } = ctx;

  /** The job's request: a draft, or a final over open matters (an assessor's call, printed on every page). */
  const dossierPayload = (
    request: import("fastify").FastifyRequest,
    p: Principal,
    assessmentId: string,
    draft: boolean | undefined,
    final: string | undefined,
  ) => {
    if (final !== undefined) requirePermission(request, "assessment.close");
    return {
      assessmentId,
      draft: draft === true,
      ...(final !== undefined ? { final: { reason: final.trim(), by: `${p.name} <${p.email}>` } } : {}),
    };
  };
  const finalSchema = { type: "string", minLength: 1, maxLength: 500, pattern: "\\S" } as const;

  app.post<{ Params: { id: string }; Body: { draft?: boolean; final?: string } }>(
    "/api/assessments/:id/dossier-jobs",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["jobs"],
        summary:
          "Start building the dossier in the background: 202 with the job to follow (GET /api/jobs/:id) and, when done, its file (GET /api/jobs/:id/result)",
        params: idParams,
        body: { ...obj({ draft: { type: "boolean" }, final: finalSchema }), nullable: true },
        response: { 202: jobResponse, ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const p = principal(request);
      await repo.assessments.require(p.orgId, request.params.id);
      const job = await jobs.enqueue(
        p.orgId,
        DOSSIER_JOB,
        `assessment:${request.params.id}`,
        dossierPayload(request, p, request.params.id, request.body?.draft, request.body?.final),
        p.email,
      );
      const { orgId: _o, payload: _p, ...dto } = job;
      return reply.status(202).header("location", `/api/jobs/${job.id}`).send(dto);
    },
  );

  app.get<{ Querystring: { subject?: string } }>(
    "/api/jobs",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["jobs"],
        summary:
          "The organisation's recent jobs, newest first (optionally about one subject: assessment:<id>)",
        querystring: obj({ subject: { type: "string", maxLength: 200 } }),
        response: { 200: out({ jobs: list(jobResponse) }), ...errors(400, 401) },
      },
    },
    async (request) => ({ jobs: await jobs.store.list(principal(request).orgId, request.query.subject) }),
  );

  app.get<{ Params: { id: string } }>(
    "/api/jobs/:id",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["jobs"],
        summary: "One job: its state, progress, and result or error",
        params: idParams,
        response: { 200: jobResponse, ...errors(400, 401, 404) },
      },
    },
    async (request) => jobs.store.get(principal(request).orgId, request.params.id),
  );

  app.post<{ Params: { id: string } }>(
    "/api/jobs/:id/retry",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["jobs"],
        summary: "Queue a failed job again",
        params: idParams,
        response: { 202: jobResponse, ...errors(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const {
        orgId: _o,
        payload: _p,
        ...dto
      } = await jobs.retry(principal(request).orgId, request.params.id);
      return reply.status(202).send(dto);
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/jobs/:id/result",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["jobs"],
        summary: "The file a done job made (a dossier zip), as an attachment; 409 while it is not done",
        params: idParams,
        response: { ...errors(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const p = principal(request);
      const job = await jobs.store.get(p.orgId, request.params.id);
      return sendResult(job, reply, request.log, p);
    },
  );

  async function sendResult(
    job: Job,
    reply: import("fastify").FastifyReply,
    log: import("fastify").FastifyBaseLogger,
    p: Principal,
  ) {
    if (job.state !== "done")
      throw new HttpError(409, "job-not-done", `the job is ${job.state}${job.error ? `: ${job.error}` : ""}`);
    const r = job.result as {
      built?: boolean;
      sha256?: string;
      size?: number;
      name?: string;
      manifestSha256?: string;
      status?: string;
      problems?: { location: string; message: string }[];
    };
    if (!r.built || !r.sha256)
      throw new HttpError(
        409,
        "dossier-invalid",
        "the assessment does not validate: no dossier built (ask for a draft)",
        r.problems ?? [],
      );
    const assessmentId = job.subject.replace(/^assessment:/, "");
    await auditEvent(ctx.repo, p, "dossier.download", `download:${assessmentId}`, {
      job: job.id,
      sha256: r.sha256,
      draft: (r as { draft?: unknown }).draft === true,
    });
    reply.header("x-dossier-manifest-sha256", r.manifestSha256 ?? "");
    if (r.status) reply.header("x-dossier-draft", r.status);
    return sendFile(
      ctx,
      reply,
      { name: r.name ?? "dossier.zip", sha256: r.sha256, size: r.size ?? 0, mediaType: "application/zip" },
      log,
    );
  }

  app.get<{ Params: { id: string }; Querystring: { draft?: boolean; final?: string } }>(
    "/api/assessments/:id/dossier",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["assessments"],
        summary:
          "The dossier as a zip, built now (a background job this request waits for; POST .../dossier-jobs to follow it instead): report (HTML, PDF), matrix (CSV, XLSX), OSCAL assessment results and profile, CycloneDX attestation, evidence files, the assessment's audit trail and a manifest of SHA-256 hashes. An assessment that does not validate is refused (409 with the problems) unless `draft=true`",
        params: idParams,
        querystring: obj({ draft: { type: "boolean", default: false }, final: finalSchema }),
        response: { ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const p = principal(request);
      await repo.assessments.require(p.orgId, request.params.id);
      let job: Job = await jobs.enqueue(
        p.orgId,
        DOSSIER_JOB,
        `assessment:${request.params.id}`,
        dossierPayload(request, p, request.params.id, request.query.draft, request.query.final),
        p.email,
      );
      const deadline = Date.now() + 10 * 60_000;
      while (job.state !== "done" && job.state !== "failed") {
        if (Date.now() > deadline)
          throw new HttpError(504, "timeout", "the dossier is still being built: follow the job instead");
        await new Promise((r) => setTimeout(r, WAIT_MS));
        job = await jobs.store.get(p.orgId, job.id);
      }
      if (job.state === "failed")
        throw new HttpError(
          500,
          "job-failed",
          `the dossier could not be built: ${job.error ?? "unknown error"}`,
        );
      return sendResult(job, reply, request.log, p);
    },
  );
}
