import type { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import type { Assessment } from "../../assessment/model.js";
import { checkPackage } from "../../assessment/package.js";
import { InvalidError, NotFoundError } from "../../core/errors.js";
import { actorOf, auditEvent, principal, requirePermission } from "../auth.js";
import type { ServerContext } from "../context.js";
import { HttpError } from "../errors.js";
import { errors, idParams, list, obj, out } from "../schemas.js";
import { sendFile } from "./evidence.js";

const sha256Schema = { type: "string", pattern: "^[0-9a-f]{64}$" } as const;
/** The largest assessment.json a push may send (as a folder reads it). */
const MAX_PACKAGE_BYTES = 64 * 1024 * 1024;
const packageBody = {
  assessmentText: { type: "string", minLength: 2, maxLength: MAX_PACKAGE_BYTES },
  profileText: { type: "string", minLength: 2, maxLength: 16 * 1024 * 1024 },
};

/** Findings whose sign-off differs between two copies: a push that changes one needs the sign-off role. */
function signOffsChanged(before: Assessment | undefined, after: Assessment): boolean {
  const was = new Map((before?.findings ?? []).map((f) => [f.item, JSON.stringify(f.signOff ?? null)]));
  return after.findings.some((f) => (was.get(f.item) ?? "null") !== JSON.stringify(f.signOff ?? null));
}

/**
 * Push and pull: an assessment folder travels to the server and back byte for byte. A push sends
 * the evidence files the organisation does not hold yet (by hash), then the folder's two text files;
 * the server runs the same package checks as the CLI, and refuses a push onto a copy that changed
 * since the revision the push names. A pull reads the files back as they are stored.
 */
export function syncRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { repo, blobs, limits } = ctx;
  const records = repo.assessments;

  // A file's bytes as they come: streamed into the blob store, never parsed.
  app.addContentTypeParser("application/octet-stream", (_request, payload, done) => done(null, payload));

  app.post<{ Body: { sha256: string[] } }>(
    "/api/blobs/missing",
    {
      config: { auth: { permission: "evidence.write" } },
      schema: {
        tags: ["sync"],
        summary: "Of these evidence files (by SHA-256), those the organisation has not sent yet",
        body: obj({ sha256: { type: "array", maxItems: 10000, items: sha256Schema } }, ["sha256"]),
        response: { 200: out({ missing: list(sha256Schema) }), ...errors(400, 401, 403) },
      },
    },
    async (request) => ({
      missing: await repo.blobs.missing(principal(request).orgId, [...new Set(request.body.sha256)]),
    }),
  );

  app.put<{ Params: { sha256: string } }>(
    "/api/blobs/:sha256",
    {
      config: { auth: { permission: "evidence.write" } },
      schema: {
        tags: ["sync"],
        summary:
          "Send an evidence file (application/octet-stream) under its SHA-256: streamed, checked against the hash it is sent under, size-limited (413)",
        params: obj({ sha256: sha256Schema }, ["sha256"]),
        response: {
          200: out({ sha256: sha256Schema, size: { type: "integer" } }),
          ...errors(400, 401, 403, 413, 415),
        },
      },
    },
    async (request) => {
      const p = principal(request);
      if (!request.headers["content-type"]?.startsWith("application/octet-stream"))
        throw new HttpError(415, "unsupported-media-type", "send the file as application/octet-stream");
      const declared = Number(request.headers["content-length"]);
      if (Number.isFinite(declared) && declared > limits.uploadBytes)
        throw new HttpError(413, "too-large", `the upload limit is ${limits.uploadBytes} bytes`);
      let r: Awaited<ReturnType<typeof blobs.put>>;
      try {
        r = await blobs.put(request.body as Readable, limits.uploadBytes);
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 413)
          throw new HttpError(
            413,
            "too-large",
            `the file is larger than the upload limit (${limits.uploadBytes} bytes)`,
          );
        throw err;
      }
      if (r.sha256 !== request.params.sha256) {
        if (r.created && !(await records.fileReferenced(r.sha256))) await blobs.remove(r.sha256);
        throw new HttpError(400, "hash-mismatch", "the file's SHA-256 is not the one it was sent under", [
          { location: "params.sha256", message: `the content hashes to ${r.sha256}` },
        ]);
      }
      await repo.blobs.note(p.orgId, r.sha256);
      return { sha256: r.sha256, size: r.size };
    },
  );

  /** Every evidence file the package names must be one the organisation sent (and the store holds). */
  const requireFiles = async (orgId: string, assessmentText: string, profileText: string) => {
    const checked = checkPackage({ assessmentText, profileText });
    if (checked.problems.length > 0 || !checked.assessment)
      throw new InvalidError("the assessment folder is invalid: nothing was stored", checked.problems);
    const missing = new Set(await repo.blobs.missing(orgId, checked.files));
    for (const sha of checked.files) if (!missing.has(sha) && !(await blobs.has(sha))) missing.add(sha);
    if (missing.size > 0)
      throw new InvalidError(
        "evidence files are missing: send them first (PUT /api/blobs/<sha256>)",
        checked.assessment.evidence
          .filter((e) => e.file && missing.has(e.file.sha256))
          .map((e) => ({ location: `evidence (${e.id})`, message: `${e.file?.path}: not sent` })),
      );
    // A record must describe the file it names.
    for (const e of checked.assessment.evidence)
      if (e.file && (await blobs.size(e.file.sha256)) !== e.file.size)
        throw new InvalidError("an evidence record does not match its file", [
          {
            location: `evidence (${e.id}).file.size`,
            message: `${e.file.size} bytes recorded; the file it names differs`,
          },
        ]);
    return checked.assessment;
  };

  app.post<{ Body: { assessmentText: string; profileText: string } }>(
    "/api/assessments/import",
    {
      bodyLimit: MAX_PACKAGE_BYTES + 17 * 1024 * 1024,
      config: { auth: { permission: "assessment.write" } },
      schema: {
        tags: ["sync"],
        summary:
          "Take in an assessment folder (cairn push): the text of its assessment.json and its profile file; its evidence files must have been sent. Every problem is listed and nothing is stored unless all pass",
        body: obj(packageBody, ["assessmentText", "profileText"]),
        response: {
          201: out({ id: { type: "string" }, revision: { type: "integer" } }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const p = principal(request);
      const { assessmentText, profileText } = request.body;
      const a = await requireFiles(p.orgId, assessmentText, profileText);
      if (a.status === "done") requirePermission(request, "assessment.close");
      if (signOffsChanged(undefined, a)) requirePermission(request, "finding.signoff");
      return reply
        .status(201)
        .send(await records.importPackage(p.orgId, { assessmentText, profileText }, actorOf(p)));
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/assessments/:id/package",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["sync"],
        summary:
          "An assessment as a folder holds it (cairn pull): the exact text of assessment.json and of its profile file, the revision, and the evidence files to fetch",
        params: idParams,
        response: { 200: out(), ...errors(400, 401, 404) },
      },
    },
    async (request) => records.exportPackage(principal(request).orgId, request.params.id),
  );

  app.put<{
    Params: { id: string };
    Body: { assessmentText: string; profileText: string; expectRevision: number };
  }>(
    "/api/assessments/:id/package",
    {
      bodyLimit: MAX_PACKAGE_BYTES + 17 * 1024 * 1024,
      config: { auth: { permission: "assessment.write" } },
      schema: {
        tags: ["sync"],
        summary:
          "Push a folder onto the server's copy it was pulled from: refused (409 stale-revision, with the copy's state) when the copy changed since `expectRevision`, or when the push breaks a rule (evidence records changed or removed, a done copy)",
        params: idParams,
        body: obj({ ...packageBody, expectRevision: { type: "integer", minimum: 1 } }, [
          "assessmentText",
          "profileText",
          "expectRevision",
        ]),
        response: {
          200: out({ id: { type: "string" }, revision: { type: "integer" }, changed: { type: "boolean" } }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => {
      const p = principal(request);
      const { assessmentText, profileText, expectRevision } = request.body;
      // Another organisation's copy is not found before anything about the push is said.
      const current = await records.get(p.orgId, request.params.id);
      const next = await requireFiles(p.orgId, assessmentText, profileText);
      if ((current.status === "done") !== (next.status === "done"))
        requirePermission(request, "assessment.close");
      if (signOffsChanged({ ...current, id: current.documentId }, next))
        requirePermission(request, "finding.signoff");
      const r = await records.replacePackage(
        p.orgId,
        request.params.id,
        expectRevision,
        { assessmentText, profileText },
        actorOf(p),
      );
      return { id: r.id, revision: r.revision, changed: r.changed };
    },
  );

  app.get<{ Params: { id: string; sha256: string } }>(
    "/api/assessments/:id/files/:sha256",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["sync"],
        summary: "An evidence file of the assessment, by its SHA-256 (as an attachment)",
        params: obj({ id: idParams.properties.id, sha256: sha256Schema }, ["id", "sha256"]),
        response: { ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const p = principal(request);
      const a = await records.get(p.orgId, request.params.id);
      const e = a.evidence.find((x) => x.file?.sha256 === request.params.sha256);
      if (!e?.file) throw new NotFoundError("file");
      await auditEvent(ctx.repo, p, "evidence.download", `download:${request.params.id}`, {
        evidence: e.id,
        sha256: e.file.sha256,
      });
      return sendFile(ctx, reply, e.file, request.log);
    },
  );
}
