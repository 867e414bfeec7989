import type { FastifyInstance } from "fastify";
import { lintAssessment } from "../../assessment/pitfalls.js";
import { computeReadiness } from "../../assessment/readiness.js";
import { principal } from "../auth.js";
import type { ServerContext } from "../context.js";
import { HttpError } from "../errors.js";
import { errors, idParams, list, obj, out } from "../schemas.js";

const today = () => new Date().toISOString().slice(0, 10);

/** Reports over one assessment: readiness per market, pitfalls, and the dossier. */
export function reportRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { repo, ref } = ctx;
  const load = (orgId: string, id: string) => repo.assessments.stored(orgId, id);

  app.get<{ Params: { id: string } }>(
    "/api/assessments/:id/readiness",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["assessments"],
        summary:
          "Readiness per market (US federal, US consumer label, EU CRA, EN 303 645, and the EU radio, UK PSTI, Singapore CLS and JC-STAR markets the profile targets): each market's items, met directly by a finding or derived through the crosswalks (a proposal, with its paths), which of them apply today, the market's dates, and what its catalogs lack",
        params: idParams,
        response: { 200: out({ readiness: list(out()) }), ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const { assessment, profile } = await load(principal(request).orgId, request.params.id);
      // On today's date: which requirements apply now (CRA reporting from 2026-09-11, the rest from
      // 2027-12-11; the RED ones until their repeal).
      return {
        readiness: computeReadiness(assessment, profile, ref.registry, ref.crosswalks, undefined, {
          asOf: today(),
        }),
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/assessments/:id/pitfalls",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["assessments"],
        summary:
          "Known mistakes found in the assessment as of today (no 8259B, an expired document, a sign-off missing...)",
        params: idParams,
        response: { 200: out({ pitfalls: list(out()) }), ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const { assessment, profile } = await load(principal(request).orgId, request.params.id);
      return { pitfalls: lintAssessment(assessment, profile, today()) };
    },
  );
}
