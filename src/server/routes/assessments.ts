import type { FastifyInstance } from "fastify";
import {
  ASSESSMENT_KINDS,
  ASSESSMENT_STATUSES,
  type AssessmentKind,
  type Assessor,
  type Release,
} from "../../assessment/model.js";
import { NotFoundError } from "../../store/errors.js";
import type { AssessmentPatch, FindingPatch } from "../../store/repository.js";
import { actorOf, principal, requirePermission } from "../auth.js";
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

export function assessmentRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { repo, assessmentCache: cache } = ctx;

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
      assessments: await repo.listAssessments(principal(request).orgId, request.query.product),
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
      const a = await repo.createAssessment(
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
      const revision = await repo.assessmentRevision(p.orgId, assessmentId);
      if (revision === undefined) throw new NotFoundError("assessment");
      let hit = cache.get(assessmentId);
      if (!hit || hit.revision !== revision || hit.orgId !== p.orgId) {
        const dto = await repo.getAssessment(p.orgId, assessmentId);
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
        const current = await repo.getAssessment(p.orgId, request.params.id);
        if ((patch.status === "done") !== (current.status === "done"))
          requirePermission(request, "assessment.close");
      }
      return repo.updateAssessment(p.orgId, request.params.id, patch, v, actorOf(p));
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
    async (request) => repo.getFinding(principal(request).orgId, request.params.id, request.params.item),
  );

  app.patch<{ Params: { id: string; item: string }; Body: FindingPatch & { version: number } }>(
    "/api/assessments/:id/findings/:item",
    {
      config: { auth: { permission: "finding.write" } },
      schema: {
        tags: ["findings"],
        summary:
          "Record a finding: verdict, method, statement, notes, evidence ids. `version` must be the finding's current one (409 with the current finding). `signOff` needs assessor or admin; any other change withdraws a sign-off",
        params: findingParams,
        body: { ...findingPatch, minProperties: 2 },
        response: { 200: findingResponse, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const p = principal(request);
      const { version: v, ...patch } = request.body;
      if (patch.signOff !== undefined) requirePermission(request, "finding.signoff");
      return repo.updateFinding(p.orgId, request.params.id, request.params.item, patch, v, actorOf(p));
    },
  );
}
