import type { FastifyInstance } from "fastify";
import { listAudit, SYSTEM_CHAIN, verifyAudit } from "../../store/audit.js";
import { auditEvent, principal } from "../auth.js";
import type { ServerContext } from "../context.js";
import { HttpError } from "../errors.js";
import { errors, list, obj, out } from "../schemas.js";

export function auditRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { repo } = ctx;
  const chainOf = (request: Parameters<typeof principal>[0], chain: string | undefined): string => {
    const p = principal(request);
    if (chain === undefined || chain === p.orgId) return p.orgId;
    if (chain === SYSTEM_CHAIN && p.siteAdmin) return SYSTEM_CHAIN;
    throw new HttpError(404, "not-found", "audit chain not found");
  };

  app.get<{ Querystring: { after?: number; limit?: number; chain?: string } }>(
    "/api/audit",
    {
      config: { auth: { permission: "audit.read" } },
      schema: {
        tags: ["audit"],
        summary:
          "The organisation's audit trail, oldest first (page with `after`); a site admin may read the `system` chain",
        querystring: obj({
          after: { type: "integer", minimum: 0 },
          limit: { type: "integer", minimum: 1, maximum: 1000, default: 100 },
          chain: { type: "string", maxLength: 40 },
        }),
        response: { 200: out({ entries: list(out()) }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const chain = chainOf(request, request.query.chain);
      const options: { after?: number; limit?: number } = { limit: request.query.limit ?? 100 };
      if (request.query.after !== undefined) options.after = request.query.after;
      const entries = await listAudit(repo.db, chain, options);
      // Recorded after the read: the page read does not hold its own reading.
      await auditEvent(repo, principal(request), "audit.read", `audit:${chain}`, {
        chain,
        entries: entries.length,
      });
      return { entries };
    },
  );

  app.get<{ Querystring: { chain?: string } }>(
    "/api/audit/verify",
    {
      config: { auth: { permission: "audit.read" } },
      schema: {
        tags: ["audit"],
        summary: "Check the organisation's hash chain: names any edited, removed or reordered entry",
        querystring: obj({ chain: { type: "string", maxLength: 40 } }),
        response: {
          200: out({ ok: { type: "boolean" }, chains: list(out()), problems: list(out()) }),
          ...errors(401, 403, 404),
        },
      },
    },
    async (request) => {
      const chain = chainOf(request, request.query.chain);
      const report = await verifyAudit(repo.db, [chain], { key: repo.audit.key });
      await auditEvent(repo, principal(request), "audit.verify", `audit:${chain}`, {
        chain,
        ok: report.ok,
      });
      return report;
    },
  );
}
