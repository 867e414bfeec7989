import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { NewCollectorProposal } from "../../assessment/changes.js";
import type { StoredProposal } from "../../assessment/model.js";
import { DEFAULT_LIMITS } from "../../collect/contract.js";
import { InvalidError, NotFoundError } from "../../store/errors.js";
import { actorOf, principal } from "../auth.js";
import type { ServerContext } from "../context.js";
import { HttpError } from "../errors.js";
import { errors, evidenceId, id, obj, out } from "../schemas.js";
import { changeContext, inBody } from "./assessments.js";

const params = obj({ id, evidence: evidenceId }, ["id", "evidence"]);

/**
 * Runs a collector on an evidence file of an assessment, as `cairn collect <file> --assessment`
 * does: the file is read within the collector's limits in a worker thread, checked, and the
 * proposals for the profile's items are stored through the assessment core against that evidence
 * record, for a person to accept or reject. Nothing a person recorded changes.
 */
export function collectRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const records = ctx.repo.assessments;

  app.post<{ Params: { id: string; evidence: string }; Body: { kind?: string } | undefined }>(
    "/api/assessments/:id/evidence/:evidence/collect",
    {
      config: { auth: { permission: "finding.write" } },
      schema: {
        tags: ["evidence"],
        summary:
          "Run a collector (SBOM, OSV-Scanner results, security.txt, CSAF, MUD, X.509, firmware incl. SUIT, scanner results; detected unless `kind` is given) on an evidence file: the report, and the proposals for the profile's items stored as open proposals on that record. Collector options that name other files (keys, trust anchors) are CLI-only for now",
        params,
        body: {
          anyOf: [obj({ kind: { type: "string", pattern: "^[a-z][a-z0-9-]{1,30}$" } }), { type: "null" }],
        },
        response: {
          200: out({ report: out(), proposals: { type: "array" }, dropped: { type: "array" } }),
          ...errors(400, 401, 403, 404, 409, 413, 422),
        },
      },
    },
    async (request) => {
      const p = principal(request);
      const s = await records.stored(p.orgId, request.params.id);
      const a = s.assessment;
      const record = a.evidence.find((e) => e.id === request.params.evidence);
      if (!record) throw new NotFoundError("evidence");
      if (!record.file) throw new HttpError(409, "no-file", `${record.id} has no file to collect from`);
      if (a.status === "done")
        throw new HttpError(
          409,
          "assessment-done",
          "the assessment is done; set its status back to collect into it",
        );
      const kind = request.body?.kind;
      const { collectorKinds } = await import("../../collect/registry.js");
      if (kind !== undefined && !collectorKinds().includes(kind))
        throw new InvalidError(`unknown collector kind "${kind}"`, [
          { location: "body.kind", message: `one of ${collectorKinds().join(", ")}` },
        ]);
      if (record.file.size > DEFAULT_LIMITS.maxInputBytes)
        throw new HttpError(413, "too-large", `${record.id} is larger than the collectors' input limit`);
      const bytes = await ctx.blobs.read(record.file.sha256, DEFAULT_LIMITS.maxInputBytes);
      // The worker reads a file: the blob goes to a private temporary folder under its own name.
      const dir = await mkdtemp(join(tmpdir(), "cairn-collect-"));
      let result: Awaited<ReturnType<typeof import("../../collect/run.js").runCollector>>;
      try {
        const file = join(dir, record.file.name);
        await writeFile(file, bytes, { mode: 0o600 });
        const { runCollector } = await import("../../collect/run.js");
        result = await runCollector({
          ...(kind ? { kind } : {}),
          file,
          context: {
            date: new Date().toISOString().slice(0, 10),
            product: { manufacturer: a.product.manufacturer, model: a.product.model, id: a.product.id },
            release: {
              version: a.release.version,
              date: a.release.date,
              ...(a.release.supportEnd ? { supportEnd: a.release.supportEnd } : {}),
            },
            options: {},
          },
        });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      if (!result.ok) {
        const f = result.failure;
        if (f.code === "internal") throw new Error(`collector failed: ${f.message}`);
        throw new HttpError(422, "not-collected", f.message, f.problems ?? []);
      }
      const report = result.report;
      const held = new Set(s.profile.items.map((i) => i.id));
      const proposals: NewCollectorProposal[] = report.proposals
        .filter((x) => held.has(x.item))
        .map((x) => ({
          item: x.item,
          verdict: x.verdict,
          collector: report.kind,
          evidence: record.id,
          strength: x.strength,
          reason: x.reason,
          ...(x.checks?.length ? { checks: x.checks } : {}),
        }));
      const stored =
        proposals.length === 0
          ? []
          : ((
              await inBody(
                records.change(
                  p.orgId,
                  request.params.id,
                  [{ type: "add-proposals", proposals }],
                  changeContext(p),
                  actorOf(p),
                ),
              )
            ).results[0] as StoredProposal[]);
      return {
        report,
        proposals: stored,
        dropped: report.proposals.filter((x) => !held.has(x.item)).map((x) => x.item),
      };
    },
  );
}
