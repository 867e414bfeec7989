import {
  ASSESSMENT_KINDS,
  ASSESSMENT_STATUSES,
  METHODS,
  STRENGTHS,
  SUPPORTS,
  VERDICTS,
} from "../assessment/model.js";
import { ID_PATTERN } from "../store/ids.js";
import { ROLES } from "../store/repository.js";

// JSON Schemas for every route: requests are validated against them (400 with field paths), and
// the OpenAPI document at /api/openapi.json is generated from them.

export const text = (max: number) => ({ type: "string", minLength: 1, maxLength: max }) as const;
export const optionalText = (max: number) => ({ type: "string", maxLength: max }) as const;
export const id = { type: "string", pattern: ID_PATTERN, maxLength: 40 } as const;
export const version = { type: "integer", minimum: 1 } as const;
export const isoDate = {
  type: "string",
  pattern: "^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2}))?$",
  maxLength: 40,
} as const;
export const itemId = {
  type: "string",
  minLength: 3,
  maxLength: 200,
  pattern: "^[a-z0-9][a-z0-9.-]*(@[^:/\\s]+)?:[^\\s/]+$",
} as const;
export const evidenceId = { type: "string", pattern: "^E-\\d{4,9}$" } as const;

const obj = (properties: Record<string, unknown>, required: string[] = []) =>
  ({ type: "object", additionalProperties: false, properties, required }) as const;

/** Responses: described for the OpenAPI document; `additionalProperties` keeps nothing from being dropped. */
const out = (properties: Record<string, unknown> = {}) =>
  ({ type: "object", additionalProperties: true, properties }) as const;

export const errorResponse = {
  type: "object",
  properties: {
    code: { type: "string" },
    message: { type: "string" },
    problems: {
      type: "array",
      items: { type: "object", properties: { location: { type: "string" }, message: { type: "string" } } },
    },
    current: {},
  },
  required: ["code", "message"],
} as const;

export const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, errorResponse]));

export const idParams = obj({ id }, ["id"]);

export const roleSchema = { type: "string", enum: [...ROLES] } as const;

export const userResponse = out({
  id: { type: "string" },
  organisation: { type: "string" },
  email: { type: "string" },
  name: { type: "string" },
  role: { type: "string" },
  siteAdmin: { type: "boolean" },
  disabled: { type: "boolean" },
  disabledAt: { type: "string" },
  createdAt: { type: "string" },
  updatedAt: { type: "string" },
  version: { type: "integer" },
});

export const organisationResponse = out({
  id: { type: "string" },
  name: { type: "string" },
  createdAt: { type: "string" },
  updatedAt: { type: "string" },
  version: { type: "integer" },
});

export const tokenResponse = out({
  id: { type: "string" },
  name: { type: "string" },
  createdAt: { type: "string" },
  expiresAt: { type: "string" },
  revokedAt: { type: "string" },
});

/** A token of the organisation as its admins list it: whose it is (never its secret). */
export const orgTokenResponse = out({
  id: { type: "string" },
  name: { type: "string" },
  createdAt: { type: "string" },
  expiresAt: { type: "string" },
  revokedAt: { type: "string" },
  user: out({ id: { type: "string" }, email: { type: "string" }, name: { type: "string" } }),
});

export const productInput = {
  manufacturer: text(200),
  model: text(200),
  category: text(100),
};

export const productResponse = out({
  id: { type: "string" },
  manufacturer: { type: "string" },
  model: { type: "string" },
  category: { type: "string" },
  createdAt: { type: "string" },
  updatedAt: { type: "string" },
  version: { type: "integer" },
});

export const profileSummaryResponse = out({
  id: { type: "string" },
  title: { type: "string" },
  itemCount: { type: "integer" },
  sha256: { type: "string" },
  createdAt: { type: "string" },
  createdBy: { type: "string" },
  version: { type: "integer" },
});

export const releaseSchema = obj(
  {
    version: text(100),
    hardwareVersion: text(100),
    date: isoDate,
    supportEnd: isoDate,
    identity: {
      type: "object",
      maxProperties: 20,
      additionalProperties: optionalText(500),
      propertyNames: { maxLength: 100 },
    },
  },
  ["version", "date"],
);

export const assessorSchema = obj({ name: text(200), organisation: text(200), role: text(100) }, ["name"]);

export const statementSchema = obj(
  { support: { type: "string", enum: [...SUPPORTS] }, detail: optionalText(20000) },
  ["support"],
);

export const findingResponse = out({
  item: { type: "string" },
  verdict: { type: "string" },
  method: { type: "string" },
  statement: out({ support: { type: "string" }, detail: { type: "string" } }),
  notes: { type: "string" },
  evidence: { type: "array", items: { type: "string" } },
  signOff: out({ reviewer: { type: "string" }, date: { type: "string" } }),
  basis: out({ release: { type: "string" }, profileItem: { type: "string" } }),
  updated: out({ by: { type: "string" }, date: { type: "string" } }),
  version: { type: "integer" },
});

export const evidenceResponse = out({
  id: { type: "string" },
  kind: { type: "string" },
  title: { type: "string" },
  strength: { type: "string" },
  tags: { type: "array", items: { type: "string" } },
  file: out({
    name: { type: "string" },
    path: { type: "string" },
    sha256: { type: "string" },
    size: { type: "integer" },
    mediaType: { type: "string" },
  }),
  url: { type: "string" },
  text: { type: "string" },
  effective: { type: "string" },
  expires: { type: "string" },
  addedBy: { type: "string" },
  addedAt: { type: "string" },
  supersedes: { type: "string" },
});

export const assessmentResponse = out({
  format: { type: "string" },
  id: { type: "string" },
  title: { type: "string" },
  kind: { type: "string", enum: [...ASSESSMENT_KINDS] },
  status: { type: "string", enum: [...ASSESSMENT_STATUSES] },
  assessors: { type: "array", items: out() },
  product: out(),
  release: out(),
  profile: out({ file: { type: "string" }, id: { type: "string" }, sha256: { type: "string" } }),
  created: { type: "string" },
  updated: { type: "string" },
  findings: { type: "array", items: findingResponse },
  evidence: { type: "array", items: evidenceResponse },
  version: { type: "integer" },
  revision: { type: "integer" },
});

export const findingPatch = obj(
  {
    version,
    verdict: { type: "string", enum: [...VERDICTS] },
    method: { anyOf: [{ type: "string", enum: [...METHODS] }, { type: "null" }] },
    statement: { anyOf: [statementSchema, { type: "null" }] },
    notes: { anyOf: [optionalText(20000), { type: "null" }] },
    attach: { type: "array", maxItems: 200, items: evidenceId },
    detach: { type: "array", maxItems: 200, items: evidenceId },
    signOff: { type: "boolean" },
  },
  ["version"],
);

export const evidenceFields = {
  title: text(300),
  strength: { type: "string", enum: [...STRENGTHS] },
  tags: { type: "array", maxItems: 50, items: { type: "string", pattern: "^[a-z0-9][a-z0-9-]{0,49}$" } },
  effective: isoDate,
  expires: isoDate,
  supersedes: evidenceId,
};

export const list = (items: unknown) => ({ type: "array", items }) as const;
export const listOf = (key: string, items: unknown) => out({ [key]: list(items) });
export { obj, out };
