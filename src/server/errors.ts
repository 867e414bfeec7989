import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { Problem } from "../core/problem.js";
import { ConflictError, InvalidError, NotFoundError } from "../store/errors.js";

/** An error with the HTTP status and machine-readable code the client gets. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly problems?: Problem[],
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export interface ErrorBody {
  code: string;
  message: string;
  problems?: { location: string; message: string }[];
  current?: unknown;
}

interface AjvError {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

/** `/release/version` in the body -> `body.release.version`; array indexes as `[n]`. */
export function fieldPath(context: string, e: AjvError): string {
  const segments = (e.instancePath ?? "")
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  const extra = e.params?.missingProperty ?? e.params?.additionalProperty;
  if (typeof extra === "string") segments.push(extra);
  let out = context;
  for (const s of segments) out += /^\d+$/.test(s) ? `[${s}]` : `.${s}`;
  return out;
}

function validationMessage(e: AjvError): string {
  if (e.keyword === "additionalProperties") return "unknown field";
  if (e.keyword === "required") return "missing";
  if (e.keyword === "enum" && Array.isArray(e.params?.allowedValues))
    return `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
  return e.message ?? "invalid";
}

export function validationProblems(
  context: string,
  errors: AjvError[],
): { location: string; message: string }[] {
  const seen = new Set<string>();
  const out: { location: string; message: string }[] = [];
  for (const e of errors) {
    const p = { location: fieldPath(context, e), message: validationMessage(e) };
    const key = `${p.location}\0${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

const CONTEXTS: Record<string, string> = {
  body: "body",
  querystring: "query",
  params: "params",
  headers: "headers",
};

/**
 * Every error the client sees goes through here: a status, a code, a message, field paths for
 * invalid input and the current state for a conflict; never a stack trace or an internal message.
 */
export function errorHandler(
  err: FastifyError & { validationContext?: string },
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (err.validation) {
    const context = CONTEXTS[err.validationContext ?? "body"] ?? "body";
    return reply.status(400).send({
      code: "invalid-request",
      message: "the request is invalid",
      problems: validationProblems(context, err.validation as AjvError[]),
    } satisfies ErrorBody);
  }
  if (err instanceof HttpError) {
    const body: ErrorBody = { code: err.code, message: err.message };
    if (err.problems)
      body.problems = err.problems.map((p) => ({ location: p.location ?? "", message: p.message }));
    return reply.status(err.statusCode).send(body);
  }
  if (err instanceof NotFoundError)
    return reply.status(404).send({ code: "not-found", message: err.message } satisfies ErrorBody);
  const e: unknown = err;
  if (e instanceof ConflictError) {
    const body: ErrorBody = { code: e.code, message: e.message };
    if (e.current !== undefined) body.current = e.current;
    return reply.status(409).send(body);
  }
  if (err instanceof InvalidError) {
    return reply.status(400).send({
      code: "invalid-request",
      message: err.message,
      problems: err.problems.map((p) => ({ location: p.location ?? "", message: p.message })),
    } satisfies ErrorBody);
  }
  const status = typeof err.statusCode === "number" ? err.statusCode : 500;
  if (status >= 400 && status < 500) {
    // Fastify's own client errors (bad JSON, 413, 415...): their messages name no internals.
    const code =
      status === 413
        ? "too-large"
        : status === 415
          ? "unsupported-media-type"
          : status === 429
            ? "rate-limited"
            : "bad-request";
    // A body that cannot be read (bad JSON, a `__proto__` or `constructor` key) is the body's fault:
    // say so where every other refusal says where.
    const problems =
      code === "bad-request" && (err.code?.startsWith("FST_ERR_CTP") || err.name === "SyntaxError")
        ? { problems: [{ location: "body", message: err.message }] }
        : {};
    return reply.status(status).send({ code, message: err.message, ...problems } satisfies ErrorBody);
  }
  request.log.error({ err }, "request failed");
  return reply.status(500).send({ code: "internal", message: "internal error" } satisfies ErrorBody);
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply
    .status(404)
    .send({ code: "not-found", message: `no route ${request.method} ${request.url.split("?")[0]}` });
}
