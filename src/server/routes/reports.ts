import type { FastifyInstance } from "fastify";
import { lintAssessment } from "../../assessment/pitfalls.js";
import { computeReadiness } from "../../assessment/readiness.js";
import { NotFoundError } from "../../core/errors.js";
import { buildDossier } from "../../dossier/build.js";
import { principal } from "../auth.js";
import type { ServerContext } from "../context.js";
import { HttpError } from "../errors.js";
import { errors, idParams, list, obj, out } from "../schemas.js";

const today = () => new Date().toISOString().slice(0, 10);

/** Reports over one assessment: readiness per market, pitfalls, and the dossier. */
export function reportRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { repo, ref, blobs } = ctx;
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

  app.get<{ Params: { id: string }; Querystring: { draft?: boolean } }>(
    "/api/assessments/:id/dossier",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["assessments"],
        summary:
          "The dossier as a zip: report (HTML, PDF), matrix (CSV, XLSX), OSCAL assessment results and profile, CycloneDX attestation, evidence files, the assessment's audit trail and a manifest of SHA-256 hashes (check it with `cairn dossier verify`). An assessment that does not validate is refused (409 with the problems) unless `draft=true`, which builds one marked DRAFT",
        params: idParams,
        querystring: obj({ draft: { type: "boolean", default: false } }),
        response: { ...errors(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const orgId = principal(request).orgId;
      const { assessment, profile, profileSha256 } = await load(orgId, request.params.id);
      const evidenceFiles = new Map<string, Uint8Array>();
      for (const e of assessment.evidence) {
        if (!e.file || evidenceFiles.has(e.file.path)) continue;
        try {
          evidenceFiles.set(e.file.path, await blobs.read(e.file.sha256));
        } catch (err) {
          if (!(err instanceof NotFoundError)) throw err;
          // Left out: validation names the missing file (a draft is built without it).
          request.log.error({ evidence: e.id, sha256: e.file.sha256 }, "evidence file missing from storage");
        }
      }
      const draft = request.query.draft === true;
      const result = await buildDossier({
        assessment,
        profile,
        registry: ref.registry,
        crosswalks: ref.crosswalks,
        readiness: computeReadiness(assessment, profile, ref.registry, ref.crosswalks),
        // The assessment's own date, as the CLI does: the same assessment gives the same dossier.
        pitfalls: lintAssessment(assessment, profile, assessment.updated.slice(0, 10)),
        evidenceFiles,
        draft,
        profileSha256,
        auditTrail: await repo.assessments.audit(orgId, request.params.id),
        toolVersion: ctx.toolVersion,
      });
      if (!result.built || !result.zip)
        throw new HttpError(
          409,
          "dossier-invalid",
          "the assessment does not validate: no dossier built (ask for a draft with draft=true)",
          result.problems.map((p) => ({ location: p.location ?? "", message: p.message })),
        );
      const name = `cairn-dossier-${[
        assessment.product.manufacturer,
        assessment.product.model,
        assessment.release.version,
      ]
        .join("-")
        .replace(/[^A-Za-z0-9._-]+/g, "-")
        .replace(/-+/g, "-")
        .replace(/^[-.]+|-+$/g, "")
        .slice(0, 120)}${draft ? "-DRAFT" : ""}.zip`;
      return reply
        .type("application/zip")
        .header("content-disposition", `attachment; filename="${name}"`)
        .header("x-dossier-manifest-sha256", result.manifest?.manifestSha256 ?? "")
        .send(Buffer.from(result.zip.buffer, result.zip.byteOffset, result.zip.byteLength));
    },
  );
}
