import type { FastifyInstance } from "fastify";
import type { NewEvidenceRecord } from "../../assessment/changes.js";
import type { EvidenceKind, EvidenceRecord, EvidenceStrength } from "../../assessment/model.js";
import { evidenceFilePath } from "../../assessment/store.js";
import { NotFoundError } from "../../core/errors.js";
import { compileSchema } from "../../core/schema-compile.js";
import type { ReceivedBlob } from "../../store/blobs.js";
import { actorOf, auditEvent, principal } from "../auth.js";
import type { ServerContext } from "../context.js";
import { HttpError, validationProblems } from "../errors.js";
import { safeFileName, sniffMediaType } from "../evidence-files.js";
import { findNul } from "../nul.js";
import {
  errors,
  evidenceFields,
  evidenceId,
  evidenceResponse,
  id,
  idParams,
  list,
  obj,
  optionalText,
  out,
  text,
} from "../schemas.js";
import { changeContext, inBody } from "./assessments.js";

interface FileFields {
  title: string;
  strength?: EvidenceStrength;
  tags?: string[];
  effective?: string;
  expires?: string;
  supersedes?: string;
}

const fileFieldsSchema = obj(evidenceFields, ["title"]);
const validateFileFields = compileSchema<FileFields>(fileFieldsSchema, { strict: false });

const toolSchema = obj(
  {
    name: text(200),
    version: text(100),
    command: optionalText(2000),
    outputSha256: { type: "string", pattern: "^[0-9a-f]{64}$" },
  },
  ["name", "version"],
);

/** Sends a stored file as a download: always an attachment, never rendered, with its digest. */
export async function sendFile(
  ctx: ServerContext,
  reply: import("fastify").FastifyReply,
  file: { name: string; sha256: string; size: number; mediaType: string },
  log: import("fastify").FastifyBaseLogger,
) {
  let stream: import("node:stream").Readable;
  try {
    stream = await ctx.blobs.open(file.sha256);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    log.error({ sha256: file.sha256 }, "evidence file missing from storage");
    throw new HttpError(404, "file-missing", "the evidence file is missing from storage");
  }
  const ascii = file.name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return reply
    .header("content-type", file.mediaType)
    .header("content-length", file.size)
    .header(
      "content-disposition",
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    )
    .header("x-content-type-options", "nosniff")
    .header("content-security-policy", "default-src 'none'; sandbox")
    .header("etag", `"${file.sha256}"`)
    .header("repr-digest", `sha-256=:${Buffer.from(file.sha256, "hex").toString("base64")}:`)
    .send(stream);
}

export function evidenceRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { repo, blobs, limits } = ctx;
  const records = repo.assessments;
  const evidenceOf = async (orgId: string, assessmentId: string, id: string): Promise<EvidenceRecord> => {
    const a = await records.get(orgId, assessmentId);
    const e = a.evidence.find((x) => x.id === id);
    if (!e) throw new NotFoundError("evidence");
    return e;
  };
  const add = async (p: import("../auth.js").Principal, assessmentId: string, record: NewEvidenceRecord) => {
    const r = await inBody(
      records.change(p.orgId, assessmentId, [{ type: "add-evidence", record }], changeContext(p), actorOf(p)),
    );
    return r.results[0] as EvidenceRecord;
  };
  const evidenceParams = obj({ id, evidence: evidenceId }, ["id", "evidence"]);

  app.get<{ Params: { id: string } }>(
    "/api/assessments/:id/evidence",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["evidence"],
        summary: "The assessment's evidence records, oldest first",
        params: idParams,
        response: { 200: out({ evidence: list(evidenceResponse) }), ...errors(400, 401, 404) },
      },
    },
    async (request) => ({
      evidence: (await records.get(principal(request).orgId, request.params.id)).evidence,
    }),
  );

  app.post<{
    Params: { id: string };
    Body: Omit<NewEvidenceRecord, "file" | "kind" | "tags" | "effective"> & {
      kind: Exclude<EvidenceKind, "file">;
      tags?: string[];
      effective?: string;
    };
  }>(
    "/api/assessments/:id/evidence",
    {
      config: { auth: { permission: "evidence.write" } },
      schema: {
        tags: ["evidence"],
        summary: "Record evidence without a file: a link, an attestation or a tool's result",
        params: idParams,
        body: {
          ...obj(
            {
              kind: { type: "string", enum: ["link", "attestation", "tool-result"] },
              ...evidenceFields,
              strength: evidenceFields.strength,
              url: { type: "string", format: "uri", maxLength: 2000, pattern: "^https?://" },
              text: text(20000),
              tool: toolSchema,
            },
            ["kind", "title", "strength"],
          ),
        },
        response: { 201: evidenceResponse, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const p = principal(request);
      const b = request.body;
      const needs = { link: "url", attestation: "text", "tool-result": "tool" } as const;
      const field = needs[b.kind];
      if (b[field] === undefined)
        throw new HttpError(400, "invalid-request", "the request is invalid", [
          { location: `body.${field}`, message: `missing: ${b.kind} evidence needs ${field}` },
        ]);
      const record = await add(p, request.params.id, {
        kind: b.kind,
        title: b.title,
        strength: b.strength,
        tags: [...new Set(b.tags ?? [])],
        ...(b.effective !== undefined ? { effective: b.effective } : {}),
        ...(b.url !== undefined ? { url: b.url } : {}),
        ...(b.text !== undefined ? { text: b.text } : {}),
        ...(b.tool !== undefined ? { tool: b.tool } : {}),
        ...(b.expires !== undefined ? { expires: b.expires } : {}),
        ...(b.supersedes !== undefined ? { supersedes: b.supersedes } : {}),
      });
      return reply.status(201).send(record);
    },
  );

  /** A file received for a record that was then refused: taken back out unless something else holds it. */
  const discard = async (file: ReceivedBlob | undefined) => {
    if (file?.created && !(await records.fileReferenced(file.sha256))) await blobs.remove(file.sha256);
  };

  app.post<{ Params: { id: string } }>(
    "/api/assessments/:id/evidence/files",
    {
      config: { auth: { permission: "evidence.write" } },
      schema: {
        tags: ["evidence"],
        summary:
          "Upload a file as evidence (multipart/form-data: a `file` part and the fields title, strength, tags (comma-separated or repeated), effective, expires, supersedes). Streamed to storage with its SHA-256; the media type is read from the content. 413 past the size limit, with nothing kept",
        consumes: ["multipart/form-data"],
        params: idParams,
        response: { 201: evidenceResponse, ...errors(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      const p = principal(request);
      if (!request.isMultipart())
        throw new HttpError(415, "unsupported-media-type", "send multipart/form-data with a `file` part");
      const declared = Number(request.headers["content-length"]);
      if (Number.isFinite(declared) && declared > limits.uploadBytes + 1024 * 1024)
        throw new HttpError(413, "too-large", `the upload limit is ${limits.uploadBytes} bytes`);
      // Nothing is received for an assessment the caller cannot see.
      await records.require(p.orgId, request.params.id);

      // No prototype: a field named __proto__ or constructor is a field like any other (refused below).
      const raw: Record<string, string | string[]> = Object.create(null);
      let received: (ReceivedBlob & { name: string }) | undefined;
      try {
        for await (const part of request.parts({
          limits: { fileSize: limits.uploadBytes, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 21 },
        })) {
          if (part.type === "file") {
            if (part.fieldname !== "file" || received) {
              part.file.resume();
              throw new HttpError(400, "invalid-request", "one file, in the part named `file`", [
                { location: `body.${part.fieldname}`, message: "unexpected file part" },
              ]);
            }
            const r = await blobs.put(part.file, limits.uploadBytes);
            received = { ...r, name: safeFileName(part.filename) };
          } else {
            const value = String(part.value);
            if (part.fieldname === "tags") {
              const prev = raw.tags;
              const add = value
                .split(",")
                .map((s) => s.trim())
                .filter((s) => s.length > 0);
              raw.tags = [...(Array.isArray(prev) ? prev : []), ...add];
            } else raw[part.fieldname] = value;
          }
        }
        if (!received)
          throw new HttpError(400, "invalid-request", "no file", [
            { location: "body.file", message: "missing" },
          ]);
        const nul = findNul(raw, "body");
        if (nul !== undefined)
          throw new HttpError(400, "invalid-request", "the request is invalid", [
            { location: nul, message: "contains a NUL character (U+0000), which no field accepts" },
          ]);
        if (!validateFileFields(raw))
          throw new HttpError(
            400,
            "invalid-request",
            "the request is invalid",
            validationProblems("body", validateFileFields.errors ?? []),
          );
      } catch (err) {
        await discard(received);
        if (
          (err as { code?: string; statusCode?: number }).code === "FST_REQ_FILE_TOO_LARGE" ||
          (err as { statusCode?: number }).statusCode === 413
        )
          throw new HttpError(
            413,
            "too-large",
            `the file is larger than the upload limit (${limits.uploadBytes} bytes)`,
          );
        throw err;
      }
      const fields = raw as unknown as FileFields;
      const file = received;
      let record: EvidenceRecord;
      try {
        const mediaType = await sniffMediaType(file.head);
        record = await add(p, request.params.id, {
          kind: "file",
          title: fields.title,
          strength: fields.strength ?? "supports",
          tags: [...new Set(fields.tags ?? [])],
          ...(fields.effective !== undefined ? { effective: fields.effective } : {}),
          file: {
            name: file.name,
            path: evidenceFilePath(file.sha256, file.name),
            sha256: file.sha256,
            size: file.size,
            mediaType,
          },
          ...(fields.expires !== undefined ? { expires: fields.expires } : {}),
          ...(fields.supersedes !== undefined ? { supersedes: fields.supersedes } : {}),
        });
      } catch (err) {
        await discard(file);
        throw err;
      }
      await repo.blobs.note(p.orgId, file.sha256);
      return reply.status(201).send(record);
    },
  );

  app.get<{ Params: { id: string; evidence: string } }>(
    "/api/assessments/:id/evidence/:evidence",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["evidence"],
        summary: "One evidence record",
        params: evidenceParams,
        response: { 200: evidenceResponse, ...errors(400, 401, 404) },
      },
    },
    async (request) => evidenceOf(principal(request).orgId, request.params.id, request.params.evidence),
  );

  app.get<{ Params: { id: string; evidence: string } }>(
    "/api/assessments/:id/evidence/:evidence/file",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["evidence"],
        summary: "Download an evidence file (always as an attachment; Repr-Digest carries its SHA-256)",
        params: evidenceParams,
        response: { ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const p = principal(request);
      const e = await evidenceOf(p.orgId, request.params.id, request.params.evidence);
      if (!e.file) throw new HttpError(404, "not-found", "this evidence has no file");
      await auditEvent(ctx.repo, p, "evidence.download", `download:${request.params.id}`, {
        evidence: e.id,
        sha256: e.file.sha256,
      });
      return sendFile(ctx, reply, e.file, request.log);
    },
  );
}
