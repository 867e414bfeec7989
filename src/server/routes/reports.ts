import { readFile } from "node:fs/promises";
import type { FastifyInstance } from "fastify";
import type { Assessment, EvidenceRecord, Finding } from "../../assessment/model.js";
import { lintAssessment } from "../../assessment/pitfalls.js";
import { computeReadiness } from "../../assessment/readiness.js";
import { safeName } from "../../assessment/store.js";
import { buildDossier } from "../../dossier/build.js";
import type { Profile } from "../../profile/model.js";
import type { AssessmentDto, ProfileSummaryDto } from "../../store/repository.js";
import { principal } from "../auth.js";
import type { ServerContext } from "../context.js";
import { HttpError } from "../errors.js";
import { errors, idParams, list, obj, out } from "../schemas.js";

/**
 * The assessment as the core reads it (src/assessment/model.ts): the stored rows without the
 * server's versions. Evidence files are named as in an assessment folder
 * (`evidence/<sha256>-<name>`), which is where the dossier puts them.
 */
export function coreAssessment(dto: AssessmentDto): Assessment {
  const { version: _v, revision: _r, findings, evidence, ...rest } = dto;
  return {
    ...rest,
    findings: findings.map(({ version: _fv, ...f }): Finding => f),
    evidence: evidence.map(
      (e): EvidenceRecord =>
        e.file
          ? { ...e, file: { ...e.file, path: `evidence/${e.file.sha256}-${safeName(e.file.name)}` } }
          : e,
    ),
  };
}

const today = () => new Date().toISOString().slice(0, 10);

/** Reports over one assessment: readiness per market, pitfalls, and the dossier. */
export function reportRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { repo, ref, files } = ctx;

  const load = async (
    orgId: string,
    id: string,
  ): Promise<{ dto: AssessmentDto; assessment: Assessment; profile: Profile; record: ProfileSummaryDto }> => {
    const dto = await repo.getAssessment(orgId, id);
    const { summary, profile } = await repo.getProfile(orgId, dto.profile.id);
    return { dto, assessment: coreAssessment(dto), profile, record: summary };
  };

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
      const { dto, assessment, profile, record } = await load(orgId, request.params.id);
      const evidenceFiles = new Map<string, Uint8Array>();
      for (const e of assessment.evidence) {
        if (!e.file || evidenceFiles.has(e.file.path)) continue;
        try {
          evidenceFiles.set(e.file.path, new Uint8Array(await readFile(files.pathOf(e.file.sha256))));
        } catch {
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
        profileSha256: record.sha256,
        auditTrail: await repo.assessmentAudit(orgId, dto.id),
        toolVersion: ctx.toolVersion,
      });
      if (!result.built || !result.zip)
        throw new HttpError(
          409,
          "dossier-invalid",
          "the assessment does not validate: no dossier built (ask for a draft with draft=true)",
          result.problems.map((p) => ({ location: p.location ?? "", message: p.message })),
        );
      const name = `cairn-dossier-${[dto.product.manufacturer, dto.product.model, dto.release.version]
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
