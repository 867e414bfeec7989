import type { FastifyInstance } from "fastify";
import { deriveVerdicts } from "../../assessment/derive.js";
import type { Assessment, Proposal } from "../../assessment/model.js";
import { lintAssessment } from "../../assessment/pitfalls.js";
import { planAssessment } from "../../assessment/plan.js";
import { allProposals, needsCatalogSearch, searchBy } from "../../assessment/proposals.js";
import { MAX_COMMANDS } from "../../assessment/service.js";
import { InvalidError } from "../../store/errors.js";
import { actorOf, principal } from "../auth.js";
import type { ServerContext } from "../context.js";
import { errors, idParams, obj, out, text } from "../schemas.js";
import { changeContext, inBody } from "./assessments.js";

const proposalId = {
  type: "string",
  pattern: "^[A-Z]+-[0-9a-f]{4,16}$|^P-\\d{4,9}$",
  maxLength: 40,
} as const;
const kindQuery = obj({ kind: { type: "string", enum: ["verdict", "link"] } });
const figuresResponse = out({
  items: { type: "integer" },
  humanVerdicts: { type: "integer" },
  derivedVerdicts: { type: "integer" },
  notAssessed: { type: "integer" },
  stale: { type: "integer" },
  settled: { type: "integer" },
});

/** The catalog search for link proposals, only when a measure asks for one (the index is built once, on first use). */
export function catalogSearch(ctx: ServerContext, a: Assessment) {
  return needsCatalogSearch(a) ? searchBy(ctx.ref.index) : undefined;
}

/**
 * The assessment core's derived view over HTTP: every item's effective verdict with its provenance,
 * the figures, the open proposals (crosswalks and collectors) and their acceptance in bulk, and the
 * plan through the guide's four steps. The same pure functions as `cairn assess`.
 */
export function designRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const records = ctx.repo.assessments;

  app.get<{ Params: { id: string } }>(
    "/api/assessments/:id/verdicts",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["assessments"],
        summary:
          "Every item's effective verdict: a person's, or derived from measures, the roll-up of its children or an accepted proposal, with the rule and path; and the figures",
        params: idParams,
        response: {
          200: out({ figures: figuresResponse, items: { type: "array" } }),
          ...errors(400, 401, 404),
        },
      },
    },
    async (request) => {
      const s = await records.stored(principal(request).orgId, request.params.id);
      const d = deriveVerdicts(s.assessment, s.profile);
      return { figures: d.figures, items: [...d.items.values()] };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { kind?: "verdict" | "link" } }>(
    "/api/assessments/:id/proposals",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["assessments"],
        summary:
          "Open proposals: verdicts and measure links proposed through the crosswalks (ADR 0001), and collectors' verdicts, each with its path",
        params: idParams,
        querystring: kindQuery,
        response: { 200: out({ proposals: { type: "array" } }), ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const s = await records.stored(principal(request).orgId, request.params.id);
      const kind = request.query.kind;
      return {
        proposals: allProposals(
          s.assessment,
          s.profile,
          ctx.ref.crosswalks,
          undefined,
          catalogSearch(ctx, s.assessment),
        ).filter((p) => kind === undefined || p.kind === kind),
      };
    },
  );

  const decideBody = {
    ...obj({
      ids: { type: "array", minItems: 1, maxItems: MAX_COMMANDS, uniqueItems: true, items: proposalId },
      all: { type: "boolean", const: true },
      kind: { type: "string", enum: ["verdict", "link"] },
      note: text(2000),
    }),
    oneOf: [{ required: ["ids"] }, { required: ["all"] }],
  } as const;

  for (const decision of ["accept", "reject"] as const)
    app.post<{
      Params: { id: string };
      Body: { ids?: string[]; all?: true; kind?: "verdict" | "link"; note?: string };
    }>(
      `/api/assessments/:id/proposals/${decision}`,
      {
        config: { auth: { permission: "finding.write" } },
        schema: {
          tags: ["assessments"],
          summary:
            decision === "accept"
              ? "Accept proposals by id, or all open ones (of one kind), in one all-or-nothing change: each accepted verdict is derived with its path and goes stale when its source changes"
              : "Reject proposals by id, or all open ones (of one kind): they are not proposed again",
          params: idParams,
          body: decideBody,
          response: {
            200: out({
              accepted: { type: "integer" },
              rejected: { type: "integer" },
              figures: figuresResponse,
            }),
            ...errors(400, 401, 403, 404, 409),
          },
        },
      },
      async (request) => {
        const p = principal(request);
        const s = await records.stored(p.orgId, request.params.id);
        const { ids, all, kind, note } = request.body;
        const open = allProposals(
          s.assessment,
          s.profile,
          ctx.ref.crosswalks,
          undefined,
          catalogSearch(ctx, s.assessment),
        ).filter((x) => kind === undefined || x.kind === kind);
        let chosen: Proposal[];
        if (all) chosen = open;
        else {
          const byId = new Map(open.map((x) => [x.id, x]));
          const missing = (ids ?? []).flatMap((id, i) =>
            byId.has(id) ? [] : [{ location: `body.ids[${i}]`, message: `no open proposal ${id}` }],
          );
          if (missing.length > 0)
            throw new InvalidError(
              missing.length === 1 ? (missing[0]?.message ?? "") : `${missing.length} proposals are not open`,
              missing,
            );
          chosen = (ids ?? []).map((id) => byId.get(id) as Proposal);
        }
        if (chosen.length > MAX_COMMANDS)
          throw new InvalidError("too many proposals at once", [
            {
              location: "body",
              message: `${chosen.length} proposals; at most ${MAX_COMMANDS} in one request`,
            },
          ]);
        const r =
          chosen.length === 0
            ? undefined
            : await inBody(
                records.change(
                  p.orgId,
                  request.params.id,
                  chosen.map((x) =>
                    decision === "accept"
                      ? { type: "accept-proposal" as const, proposal: x }
                      : { type: "reject-proposal" as const, proposal: x, ...(note ? { note } : {}) },
                  ),
                  changeContext(p),
                  actorOf(p),
                ),
              );
        const after = r ?? s;
        return {
          accepted: decision === "accept" ? chosen.length : 0,
          rejected: decision === "reject" ? chosen.length : 0,
          figures: deriveVerdicts(after.assessment, after.profile).figures,
        };
      },
    );

  app.get<{ Params: { id: string } }>(
    "/api/assessments/:id/plan",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["assessments"],
        summary:
          "What is left, in the order of the guide's four steps (markets and profile; measures and risks; the NISTIR 8259B activities; findings and the dossier), each unit with the items it would settle, and the next one",
        params: idParams,
        response: {
          200: out({ steps: { type: "array" }, figures: figuresResponse }),
          ...errors(400, 401, 404),
        },
      },
    },
    async (request) => {
      const s = await records.stored(principal(request).orgId, request.params.id);
      const derivation = deriveVerdicts(s.assessment, s.profile);
      return planAssessment({
        assessment: s.assessment,
        profile: s.profile,
        derivation,
        pitfalls: lintAssessment(s.assessment, s.profile, new Date().toISOString().slice(0, 10)),
        proposals: allProposals(
          s.assessment,
          s.profile,
          ctx.ref.crosswalks,
          derivation,
          catalogSearch(ctx, s.assessment),
        ),
      });
    },
  );
}
