import type { FastifyInstance } from "fastify";
import { type AssessmentCommand, type FindingUpdate, updateCommands } from "../../assessment/changes.js";
import type {
  AssessmentStatus,
  Finding,
  ImplementationStatement,
  Method,
  Verdict,
} from "../../assessment/model.js";
import {
  ASSESSMENT_KINDS,
  ASSESSMENT_STATUSES,
  type AssessmentKind,
  type Assessor,
  type Release,
} from "../../assessment/model.js";
import { InvalidError, NotFoundError } from "../../store/errors.js";
import { now } from "../../store/ids.js";
import { actorOf, type Principal, principal, requirePermission } from "../auth.js";
import type { ServerContext } from "../context.js";
import {
  assessmentResponse,
  assessorSchema,
  errors,
  findingPatch,
  findingResponse,
  id,
  idParams,
  itemId,
  list,
  obj,
  out,
  releaseSchema,
  text,
  version,
} from "../schemas.js";

const CACHE_SIZE = 256;

interface AssessmentPatch {
  title?: string;
  status?: AssessmentStatus;
  assessors?: Assessor[];
}

interface FindingPatch {
  verdict?: Verdict;
  method?: Method | null;
  statement?: ImplementationStatement | null;
  notes?: string | null;
  attach?: string[];
  detach?: string[];
  /** true: sign off as the caller; false: withdraw the sign-off. */
  signOff?: boolean;
}

/**
 * A change whose fields came in the request body: the core names a refused field by its name
 * (`attach[1]`), the client sees where it sent it (`body.attach[1]`).
 */
export async function inBody<T>(change: Promise<T>): Promise<T> {
  try {
    return await change;
  } catch (err) {
    if (err instanceof InvalidError)
      throw new InvalidError(
        err.message,
        err.problems.map((p) => ({ ...p, location: p.location ? `body.${p.location}` : "body" })),
      );
    throw err;
  }
}

/** Who changes what, as the assessment core records it. */
export function changeContext(p: Principal) {
  return { by: p.email, name: p.name, at: now() };
}

export function assessmentRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { repo, assessmentCache: cache } = ctx;
  const records = repo.assessments;

  app.get<{ Querystring: { product?: string } }>(
    "/api/assessments",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["assessments"],
        summary: "The organisation's assessments (optionally of one product)",
        querystring: obj({ product: id }),
        response: { 200: out({ assessments: list(out()) }), ...errors(400, 401) },
      },
    },
    async (request) => ({
      assessments: await records.list(principal(request).orgId, request.query.product),
    }),
  );

  app.post<{
    Body: {
      title: string;
      kind: AssessmentKind;
      productId: string;
      profileId: string;
      release: Release;
      assessors?: Assessor[];
    };
  }>(
    "/api/assessments",
    {
      config: { auth: { permission: "assessment.write" } },
      schema: {
        tags: ["assessments"],
        summary:
          "Start an assessment of a product release against a stored profile: one finding per profile item",
        body: obj(
          {
            title: text(300),
            kind: { type: "string", enum: [...ASSESSMENT_KINDS] },
            productId: id,
            profileId: id,
            release: releaseSchema,
            assessors: { type: "array", maxItems: 50, items: assessorSchema },
          },
          ["title", "kind", "productId", "profileId", "release"],
        ),
        response: { 201: assessmentResponse, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const p = principal(request);
      const b = request.body;
      const a = await records.create(
        p.orgId,
        {
          title: b.title,
          kind: b.kind,
          productId: b.productId,
          profileId: b.profileId,
          release: b.release,
          assessors: b.assessors ?? [],
        },
        actorOf(p),
      );
      return reply.status(201).send(a);
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/assessments/:id",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["assessments"],
        summary:
          "An assessment (cairn-assessment/1) with its findings and evidence records; each finding carries its version. ETag/If-None-Match supported",
        params: idParams,
        response: { 200: assessmentResponse, 304: { type: "null" }, ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const p = principal(request);
      const assessmentId = request.params.id;
      // One indexed row tells whether the serialised copy is current: reading an assessment of
      // hundreds of findings then costs no query over its findings and no serialisation.
      const revision = await records.revision(p.orgId, assessmentId);
      if (revision === undefined) throw new NotFoundError("assessment");
      let hit = cache.get(assessmentId);
      if (!hit || hit.revision !== revision || hit.orgId !== p.orgId) {
        const dto = await records.get(p.orgId, assessmentId);
        hit = { revision: dto.revision, orgId: p.orgId, body: Buffer.from(JSON.stringify(dto)) };
        cache.delete(assessmentId);
        cache.set(assessmentId, hit);
        if (cache.size > CACHE_SIZE) {
          const oldest = cache.keys().next().value;
          if (oldest !== undefined) cache.delete(oldest);
        }
      }
      const etag = `"${assessmentId}.${hit.revision}"`;
      reply.header("etag", etag).header("cache-control", "private, no-cache");
      if (request.headers["if-none-match"] === etag) return reply.status(304).send();
      return reply.type("application/json; charset=utf-8").send(hit.body);
    },
  );

  app.patch<{ Params: { id: string }; Body: AssessmentPatch & { version: number } }>(
    "/api/assessments/:id",
    {
      config: { auth: { permission: "assessment.write" } },
      schema: {
        tags: ["assessments"],
        summary:
          "Change an assessment's status, title or assessors; `version` must be the current one (409 with the current state). Setting or leaving `done` needs assessor or admin",
        params: idParams,
        body: {
          ...obj(
            {
              version,
              status: { type: "string", enum: [...ASSESSMENT_STATUSES] },
              title: text(300),
              assessors: { type: "array", maxItems: 50, items: assessorSchema },
            },
            ["version"],
          ),
          minProperties: 2,
        },
        response: { 200: assessmentResponse, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const p = principal(request);
      const { version: v, ...patch } = request.body;
      if (patch.status !== undefined) {
        const current = await records.get(p.orgId, request.params.id);
        if ((patch.status === "done") !== (current.status === "done"))
          requirePermission(request, "assessment.close");
      }
      await inBody(
        records.change(p.orgId, request.params.id, updateCommands(patch), changeContext(p), actorOf(p), {
          expectRevision: v,
        }),
      );
      return records.get(p.orgId, request.params.id);
    },
  );

  const findingParams = obj({ id, item: itemId }, ["id", "item"]);

  app.get<{ Params: { id: string; item: string } }>(
    "/api/assessments/:id/findings/:item",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["findings"],
        summary: "One finding, by the profile item id",
        params: findingParams,
        response: { 200: findingResponse, ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const a = await records.get(principal(request).orgId, request.params.id);
      const f = a.findings.find((x) => x.item === request.params.item);
      if (!f) throw new NotFoundError("finding");
      return f;
    },
  );

  app.patch<{ Params: { id: string; item: string }; Body: FindingPatch & { version: number } }>(
    "/api/assessments/:id/findings/:item",
    {
      config: { auth: { permission: "finding.write" } },
      schema: {
        tags: ["findings"],
        summary:
          "Record a finding: verdict, method, statement, notes, evidence ids to attach or detach. `version` must be the finding's current one (409 with the current finding). `signOff` needs assessor or admin; any other change withdraws a sign-off",
        params: findingParams,
        body: { ...findingPatch, minProperties: 2 },
        response: { 200: findingResponse, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const p = principal(request);
      const { version: v, signOff, ...update } = request.body;
      if (signOff !== undefined) requirePermission(request, "finding.signoff");
      const item = request.params.item;
      const commands: AssessmentCommand[] = [];
      if (Object.keys(update).length > 0)
        commands.push({ type: "record-finding", item, update: update as FindingUpdate, expectVersion: v });
      if (signOff !== undefined)
        commands.push({
          type: signOff ? "sign-off" : "withdraw-sign-off",
          item,
          ...(commands.length === 0 ? { expectVersion: v } : {}),
        });
      const r = await inBody(
        records.change(p.orgId, request.params.id, commands, changeContext(p), actorOf(p)),
      );
      const f = r.assessment.findings.find((x) => x.item === item) as Finding;
      return { ...f, version: f.version ?? 1 };
    },
  );
}
