import type { FastifyInstance, FastifyRequest } from "fastify";
import type { AssessmentCommand } from "../../assessment/changes.js";
import { deriveVerdicts } from "../../assessment/derive.js";
import {
  libraryMeasure,
  MEASURE_LIBRARY,
  MEASURE_LIBRARY_VERSION,
  measureFromLibrary,
} from "../../assessment/measure-library.js";
import {
  ASSESSMENT_STATUSES,
  COVERAGES,
  MEASURE_KINDS,
  MEASURE_VERDICTS,
  METHODS,
  type Proposal,
  RISK_DECISIONS,
  RISK_LEVELS,
  SUPPORTS,
  VERDICTS,
} from "../../assessment/model.js";
import { allProposals } from "../../assessment/proposals.js";
import { MAX_COMMANDS } from "../../assessment/service.js";
import type { Permission } from "../../core/roles.js";
import { InvalidError } from "../../store/errors.js";
import { actorOf, principal, requirePermission } from "../auth.js";
import type { ServerContext } from "../context.js";
import {
  assessorSchema,
  errors,
  evidenceId,
  idParams,
  itemId,
  obj,
  optionalText,
  out,
  statementSchema,
  text,
  version,
} from "../schemas.js";
import { changeContext, inBody } from "./assessments.js";
import { catalogSearch } from "./design.js";

const measureId = { type: "string", pattern: "^M-\\d{3,9}$" } as const;
const riskId = { type: "string", pattern: "^R-\\d{3,9}$" } as const;
const proposalId = {
  type: "string",
  pattern: "^[A-Z]+-[0-9a-f]{4,16}$|^P-\\d{4,9}$",
  maxLength: 40,
} as const;
const level = { type: "string", enum: [...RISK_LEVELS] } as const;
const evidenceIds = { type: "array", maxItems: 200, items: evidenceId } as const;
const link = obj({ item: itemId, coverage: { type: "string", enum: [...COVERAGES] } }, ["item", "coverage"]);
const links = { type: "array", minItems: 1, maxItems: 500, items: link } as const;
const nullable = (schema: object) => ({ anyOf: [schema, { type: "null" }] });
const measureFields = {
  title: text(300),
  description: optionalText(20000),
  owner: text(200),
  kind: { type: "string", enum: [...MEASURE_KINDS] },
};
const riskFields = {
  asset: text(300),
  threat: text(2000),
  likelihood: level,
  impact: level,
  treatment: obj(
    {
      decision: { type: "string", enum: [...RISK_DECISIONS] },
      measures: { type: "array", maxItems: 200, items: measureId },
      notes: optionalText(20000),
    },
    ["decision", "measures"],
  ),
  residual: level,
  owner: text(200),
};

/**
 * Each command type the route takes, with its body schema and the permission it needs beyond
 * `finding.write`. Evidence files, profile adoption and collectors' proposals have their own routes
 * (they carry files or computed content), so they are not taken here.
 */
const COMMANDS: Record<
  string,
  { schema: Record<string, unknown>; required: string[]; permission?: Permission }
> = {
  "record-finding": {
    schema: {
      item: itemId,
      update: {
        ...obj({
          verdict: { type: "string", enum: [...VERDICTS] },
          method: nullable({ type: "string", enum: [...METHODS] }),
          statement: nullable(statementSchema),
          notes: nullable(optionalText(20000)),
          attach: evidenceIds,
          detach: evidenceIds,
        }),
        minProperties: 1,
      },
      expectVersion: version,
    },
    required: ["item", "update"],
  },
  "sign-off": {
    schema: { item: itemId, expectVersion: version },
    required: ["item"],
    permission: "finding.signoff",
  },
  "withdraw-sign-off": {
    schema: { item: itemId, expectVersion: version },
    required: ["item"],
    permission: "finding.signoff",
  },
  "add-measure": {
    schema: {
      // A library entry's id: its title, description, kind and links to the elements the profile
      // holds, unless the measure's own fields say otherwise.
      fromLibrary: { type: "string", pattern: "^[a-z0-9-]{1,60}$" },
      measure: obj({ ...measureFields, links, evidence: evidenceIds }),
    },
    required: ["measure"],
  },
  "update-measure": {
    schema: {
      measure: measureId,
      patch: {
        ...obj({
          title: text(300),
          description: nullable(optionalText(20000)),
          owner: nullable(text(200)),
          kind: nullable({ type: "string", enum: [...MEASURE_KINDS] }),
          attach: evidenceIds,
          detach: evidenceIds,
        }),
        minProperties: 1,
      },
      expectVersion: version,
    },
    required: ["measure", "patch"],
  },
  "link-measure": {
    schema: { measure: measureId, links, expectVersion: version },
    required: ["measure", "links"],
  },
  "unlink-measure": {
    schema: {
      measure: measureId,
      items: { type: "array", minItems: 1, maxItems: 500, items: itemId },
      force: { type: "boolean" },
    },
    required: ["measure", "items"],
  },
  "verify-measure": {
    schema: {
      measure: measureId,
      verification: obj(
        {
          verdict: nullable({ type: "string", enum: [...MEASURE_VERDICTS] }),
          method: { type: "string", enum: [...METHODS] },
          notes: optionalText(20000),
          attach: evidenceIds,
        },
        ["verdict"],
      ),
      expectVersion: version,
    },
    required: ["measure", "verification"],
  },
  "remove-measure": {
    schema: { measure: measureId, force: { type: "boolean" }, reason: text(2000) },
    required: ["measure"],
  },
  "add-risk": {
    schema: { risk: obj(riskFields, ["asset", "threat", "likelihood", "impact", "treatment", "residual"]) },
    required: ["risk"],
  },
  "update-risk": {
    schema: { risk: riskId, patch: { ...obj(riskFields), minProperties: 1 }, expectVersion: version },
    required: ["risk", "patch"],
  },
  "remove-risk": { schema: { risk: riskId }, required: ["risk"] },
  "accept-proposal": { schema: { id: proposalId }, required: ["id"] },
  "reject-proposal": { schema: { id: proposalId, note: text(2000) }, required: ["id"] },
  "revoke-acceptance": { schema: { item: itemId }, required: ["item"] },
  "set-conformance": {
    schema: {
      provision: { type: "string", pattern: "^\\d+\\.\\d+-\\d+$", maxLength: 20 },
      support: { type: "string", enum: [...SUPPORTS] },
      justification: optionalText(20000),
    },
    required: ["provision", "support"],
  },
  "update-details": {
    schema: { title: text(300), assessors: { type: "array", maxItems: 50, items: assessorSchema } },
    required: [],
    permission: "assessment.write",
  },
  "set-status": {
    schema: { status: { type: "string", enum: [...ASSESSMENT_STATUSES] } },
    required: ["status"],
    permission: "assessment.write",
  },
};

/** One schema for a command: its `type` picks the fields (if/then keeps errors to that type's fields). */
const commandSchema = {
  type: "object",
  required: ["type"],
  properties: { type: { type: "string", enum: Object.keys(COMMANDS) } },
  allOf: Object.entries(COMMANDS).map(([type, c]) => ({
    if: { properties: { type: { const: type } }, required: ["type"] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a promise
    then: obj({ type: { const: type }, ...c.schema }, ["type", ...c.required]),
  })),
} as const;

type CommandBody = { type: string; [field: string]: unknown };

/**
 * Changes to an assessment as the core's commands, several in one all-or-nothing request: the
 * route the web UI's bulk work, measures and risk register go through. The same rules as every
 * other route and `cairn assess` (src/assessment/changes.ts); this file only checks who may run
 * each command and turns proposal and library ids into what the core takes.
 */
export function changeRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const records = ctx.repo.assessments;

  app.get(
    "/api/measure-library",
    {
      config: { auth: { permission: "read" } },
      schema: {
        tags: ["assessments"],
        summary:
          "Common IoT design measures, each with the NISTIR 8259A/8259B elements it implements (the crosswalks propose the other texts' items once it is in an assessment)",
        response: { 200: out({ version: { type: "string" }, measures: { type: "array" } }), ...errors(401) },
      },
    },
    async () => ({ version: MEASURE_LIBRARY_VERSION, measures: MEASURE_LIBRARY }),
  );

  app.post<{ Params: { id: string }; Body: { commands: CommandBody[]; expectRevision?: number } }>(
    "/api/assessments/:id/changes",
    {
      config: { auth: { permission: "finding.write" } },
      schema: {
        tags: ["assessments"],
        summary:
          "Run the assessment core's commands in one all-or-nothing change: findings in bulk, sign-offs, design measures (add, from the library, link, verify, remove), the risk register, proposals by id. Refused commands name `body.commands[i]`; nothing is written then",
        params: idParams,
        body: obj(
          {
            commands: { type: "array", minItems: 1, maxItems: MAX_COMMANDS, items: commandSchema },
            expectRevision: { type: "integer", minimum: 0 },
          },
          ["commands"],
        ),
        response: {
          200: out({
            revision: { type: "integer" },
            results: { type: "array" },
            figures: out(),
          }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => {
      const p = principal(request);
      const body = request.body.commands;
      checkPermissions(request, body);
      const s = await records.stored(p.orgId, request.params.id);
      // Closing or reopening an assessment is an assessor's decision, as on PATCH /api/assessments/:id.
      if (
        body.some(
          (c) => c.type === "set-status" && (c.status === "done") !== (s.assessment.status === "done"),
        )
      )
        requirePermission(request, "assessment.close");
      let proposals: Map<string, Proposal> | undefined;
      const proposal = (id: string): Proposal | undefined => {
        proposals ??= new Map(
          allProposals(
            s.assessment,
            s.profile,
            ctx.ref.crosswalks,
            undefined,
            catalogSearch(ctx, s.assessment),
          ).map((x) => [x.id, x]),
        );
        return proposals.get(id);
      };
      const problems: { location: string; message: string }[] = [];
      const commands = body.map((c, i): AssessmentCommand => {
        const at = `body.commands[${i}]`;
        if (c.type === "add-measure" && typeof c.fromLibrary === "string") {
          const entry = libraryMeasure(c.fromLibrary);
          if (!entry) {
            problems.push({
              location: `${at}.fromLibrary`,
              message: `no measure "${c.fromLibrary}" in the library`,
            });
            return c as unknown as AssessmentCommand;
          }
          return { type: "add-measure", measure: measureFromLibrary(entry, s.profile, c.measure as object) };
        }
        if ((c.type === "accept-proposal" || c.type === "reject-proposal") && typeof c.id === "string") {
          // Stored proposals (collectors', P-0001) the core finds by id; computed ones are passed whole.
          if (c.id.startsWith("P-")) return c as unknown as AssessmentCommand;
          const found = proposal(c.id);
          if (!found) {
            problems.push({ location: `${at}.id`, message: `no open proposal ${c.id}` });
            return c as unknown as AssessmentCommand;
          }
          return { ...(c as object), proposal: found } as AssessmentCommand;
        }
        return c as unknown as AssessmentCommand;
      });
      if (problems.length > 0)
        throw new InvalidError(
          problems.length === 1 ? (problems[0]?.message ?? "") : "commands refused",
          problems,
        );
      const r = await inBody(
        records.change(p.orgId, request.params.id, commands, changeContext(p), actorOf(p), {
          ...(request.body.expectRevision !== undefined
            ? { expectRevision: request.body.expectRevision }
            : {}),
        }),
      );
      return {
        revision: r.revision,
        results: r.results,
        figures: deriveVerdicts(r.assessment, r.profile).figures,
      };
    },
  );
}

/** Every permission the commands need, checked before anything is read: one refusal refuses all. */
function checkPermissions(request: FastifyRequest, commands: CommandBody[]): void {
  const needed = new Set<Permission>();
  for (const c of commands) {
    const p = COMMANDS[c.type]?.permission;
    if (p) needed.add(p);
  }
  for (const p of needed) requirePermission(request, p);
}
