import type { FastifyInstance } from "fastify";
import { emailProblem, normaliseEmail } from "../../core/email.js";
import { SYSTEM_CHAIN } from "../../store/audit.js";
import { userDto } from "../../store/repository.js";
import {
  actorOf,
  clearSessionCookies,
  newApiTokenSecret,
  principal,
  requireSession,
  secret,
  setSessionCookies,
  TOKEN_DEFAULT_DAYS,
  TOKEN_MAX_DAYS,
} from "../auth.js";
import type { ServerContext } from "../context.js";
import { HttpError } from "../errors.js";
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, verifyPassword } from "../passwords.js";
import {
  errors,
  idParams,
  list,
  obj,
  organisationResponse,
  orgTokenResponse,
  out,
  text,
  tokenResponse,
  userResponse,
} from "../schemas.js";

const password = { type: "string", minLength: 1, maxLength: MAX_PASSWORD_LENGTH } as const;
export const newPassword = {
  type: "string",
  minLength: MIN_PASSWORD_LENGTH,
  maxLength: MAX_PASSWORD_LENGTH,
} as const;
/**
 * An address as the schema sees it: a bounded string. Its form is checked by the one check of
 * src/core/email.ts (`emailField`), which accepts internationalised addresses JSON Schema's
 * `format: "email"` refuses.
 */
export const email = { type: "string", minLength: 1, maxLength: 1000 } as const;

/** 400 naming the field when the address is not one (the store checks again, whoever calls it). */
export function emailField(value: string, location: string): void {
  const problem = emailProblem(value.trim());
  if (problem !== undefined)
    throw new HttpError(400, "invalid-request", "the e-mail address is not valid", [
      { location, message: problem },
    ]);
}

const RESET_TTL_MS = 24 * 3600 * 1000;
const DAY_MS = 86_400_000;

export function authRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { repo, limits } = ctx;
  const rateLimit = {
    max: limits.loginMax,
    timeWindow: limits.loginWindowMs,
    errorResponseBuilder: () =>
      new HttpError(429, "rate-limited", "too many login attempts; wait and try again"),
  };

  app.post<{ Body: { email: string; password: string } }>(
    "/api/auth/login",
    {
      config: { auth: { public: true }, rateLimit },
      schema: {
        tags: ["auth"],
        summary: "Log in with e-mail and password: sets the session and CSRF cookies",
        body: obj({ email: { type: "string", minLength: 1, maxLength: 254 }, password }, [
          "email",
          "password",
        ]),
        response: {
          200: out({ user: userResponse, csrfToken: { type: "string" }, expiresAt: { type: "string" } }),
          ...errors(400, 401, 429),
        },
      },
    },
    async (request, reply) => {
      const user = await repo.identity.userByEmail(request.body.email);
      const ok = await verifyPassword(request.body.password, user?.password_hash ?? ctx.dummyHash);
      const disabled = user?.disabled_at !== null && user?.disabled_at !== undefined;
      if (!user || !ok || disabled) {
        // Audited without the password: in the user's organisation, or the instance's chain for
        // an address nobody has (who probes addresses is the instance's business).
        const anonymous = { id: "anonymous", via: "login" };
        if (user)
          await repo.audit.record({
            chain: user.org_id,
            actor: anonymous,
            action: "auth.login.failed",
            target: `user:${user.id}`,
            detail: { reason: ok ? "disabled" : "password", client: request.ip },
          });
        else
          await repo.audit.record({
            chain: SYSTEM_CHAIN,
            actor: anonymous,
            action: "auth.login.failed",
            target: "user:unknown",
            detail: {
              email: normaliseEmail(request.body.email.trim()).slice(0, 254),
              reason: "unknown-address",
              client: request.ip,
            },
          });
        throw new HttpError(401, "invalid-credentials", "wrong e-mail address or password");
      }
      const token = secret();
      const csrf = secret();
      const expiresAt = await repo.identity.createSession(user.id, token, csrf, limits.sessionTtlMs, {
        id: user.id,
        email: user.email,
        via: "session",
        orgId: user.org_id,
      });
      setSessionCookies(reply, token, csrf, { secure: limits.secureCookies, ttlMs: limits.sessionTtlMs });
      return { user: userDto(user), csrfToken: csrf, expiresAt };
    },
  );

  app.post(
    "/api/auth/logout",
    {
      config: { auth: {} },
      schema: { tags: ["auth"], summary: "End the session", response: { 200: out(), ...errors(401, 403) } },
    },
    async (request, reply) => {
      const p = principal(request);
      if (p.sessionToken) await repo.identity.deleteSession(p.sessionToken, actorOf(p), p.orgId);
      clearSessionCookies(reply, { secure: limits.secureCookies, ttlMs: 0 });
      return { ok: true };
    },
  );

  app.get(
    "/api/auth/me",
    {
      config: { auth: {} },
      schema: {
        tags: ["auth"],
        summary: "The caller, their organisation and how they authenticated",
        response: {
          200: out({ user: userResponse, organisation: organisationResponse, via: { type: "string" } }),
          ...errors(401),
        },
      },
    },
    async (request) => {
      const p = principal(request);
      const user = await repo.identity.getUser(p.orgId, p.id);
      const organisation = await repo.identity.getOrganisation(p.orgId);
      return { user, organisation, via: p.via, ...(p.csrf ? { csrfToken: p.csrf } : {}) };
    },
  );

  app.post<{ Body: { name: string; expiresInDays?: number } }>(
    "/api/auth/tokens",
    {
      config: { auth: { permission: "tokens" } },
      schema: {
        tags: ["auth"],
        summary: `Create an API token (for CI), from a password session only (a token mints no token): it expires in ${TOKEN_DEFAULT_DAYS} days unless asked, at most ${TOKEN_MAX_DAYS}; the secret is in this answer only`,
        body: obj(
          { name: text(100), expiresInDays: { type: "integer", minimum: 1, maximum: TOKEN_MAX_DAYS } },
          ["name"],
        ),
        response: {
          201: out({ token: tokenResponse, secret: { type: "string" } }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const p = requireSession(request);
      const value = newApiTokenSecret();
      const days = request.body.expiresInDays ?? TOKEN_DEFAULT_DAYS;
      const expires = new Date(Date.now() + days * DAY_MS).toISOString();
      const token = await repo.identity.createToken(
        { id: p.id, org_id: p.orgId },
        request.body.name,
        value,
        expires,
        actorOf(p),
      );
      return reply.status(201).send({ token, secret: value });
    },
  );

  app.get(
    "/api/auth/tokens",
    {
      config: { auth: { permission: "tokens" } },
      schema: {
        tags: ["auth"],
        summary: "The caller's API tokens (never their secrets)",
        response: { 200: out({ tokens: list(tokenResponse) }), ...errors(401) },
      },
    },
    async (request) => ({ tokens: await repo.identity.listTokens(principal(request).id) }),
  );

  app.delete<{ Params: { id: string } }>(
    "/api/auth/tokens/:id",
    {
      config: { auth: { permission: "tokens" } },
      schema: {
        tags: ["auth"],
        summary: "Revoke one of the caller's API tokens",
        params: idParams,
        response: { 200: out({ token: tokenResponse }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const p = principal(request);
      return { token: await repo.identity.revokeToken(p.id, p.orgId, request.params.id, actorOf(p)) };
    },
  );

  app.post<{ Body: { secret: string; organisation: string; email: string; name: string; password: string } }>(
    "/api/setup",
    {
      config: { auth: { public: true }, rateLimit },
      schema: {
        tags: ["auth"],
        summary:
          "First start only: create the first organisation and its admin with the secret printed at start",
        body: obj(
          { secret: text(200), organisation: text(200), email, name: text(200), password: newPassword },
          ["secret", "organisation", "email", "name", "password"],
        ),
        response: {
          201: out({ organisation: organisationResponse, admin: userResponse }),
          ...errors(400, 403, 409, 429),
        },
      },
    },
    async (request, reply) => {
      const expected = ctx.setupSecret.value;
      const given = Buffer.from(request.body.secret);
      const ok =
        expected !== undefined && given.length === expected.length && given.equals(Buffer.from(expected));
      if (!ok) {
        // Never the secret tried: only that someone tried, and from where.
        await repo.audit.record({
          chain: SYSTEM_CHAIN,
          actor: { id: "anonymous", via: "setup" },
          action: "setup.refused",
          target: "instance:setup",
          detail: { client: request.ip, open: expected !== undefined },
        });
        throw new HttpError(403, "forbidden", "setup is closed or the secret is wrong");
      }
      emailField(request.body.email, "body.email");
      if ((await repo.identity.countUsers()) > 0) {
        ctx.setupSecret.value = undefined;
        throw new HttpError(409, "already-set-up", "an admin exists already");
      }
      ctx.setupSecret.value = undefined;
      const result = await repo.identity.createOrganisation(
        request.body.organisation,
        {
          email: request.body.email,
          name: request.body.name,
          role: "admin",
          siteAdmin: true,
          passwordHash: await hashPassword(request.body.password, limits.passwordCost),
        },
        { id: "setup", via: "setup" },
      );
      return reply.status(201).send(result);
    },
  );

  app.post<{ Body: { current: string; password: string } }>(
    "/api/auth/password",
    {
      config: { auth: {} },
      schema: {
        tags: ["auth"],
        summary:
          "Change your password with your current one (a password session, not an API token): your other sessions end",
        body: obj({ current: password, password: newPassword }, ["current", "password"]),
        response: { 200: out(), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const p = requireSession(request);
      const user = await repo.identity.userById(p.id);
      if (!user || !(await verifyPassword(request.body.current, user.password_hash)))
        throw new HttpError(400, "invalid-request", "the current password is wrong", [
          { location: "body.current", message: "is not your current password" },
        ]);
      await repo.identity.changePassword(
        user,
        await hashPassword(request.body.password, limits.passwordCost),
        p.sessionToken,
        actorOf(p),
      );
      return { ok: true };
    },
  );

  app.post<{ Body: { token: string; password: string } }>(
    "/api/auth/password-reset",
    {
      config: { auth: { public: true }, rateLimit },
      schema: {
        tags: ["auth"],
        summary:
          "Set a new password with a one-time link an admin issued (POST /api/users/{id}/password-reset): works once, ends every session of the user",
        body: obj({ token: text(200), password: newPassword }, ["token", "password"]),
        response: { 200: out(), ...errors(400, 429) },
      },
    },
    async (request) => {
      const hash = await hashPassword(request.body.password, limits.passwordCost);
      const used = await repo.identity.usePasswordReset(request.body.token, hash);
      // Unknown, used, expired, or its user disabled: the same answer.
      if (!used)
        throw new HttpError(
          400,
          "invalid-reset",
          "this link is unknown, used or expired: ask your admin for a new one",
        );
      return { ok: true };
    },
  );

  app.post<{ Params: { id: string } }>(
    "/api/users/:id/password-reset",
    {
      config: { auth: { permission: "users.manage" } },
      schema: {
        tags: ["users"],
        summary:
          "Issue a one-time link for a user of the organisation to set a new password (admin): valid 24 hours, shown in this answer only; a newer link voids an older one",
        params: idParams,
        response: {
          201: out({ token: { type: "string" }, expiresAt: { type: "string" }, path: { type: "string" } }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const p = principal(request);
      const token = secret(32);
      const { expiresAt } = await repo.identity.issuePasswordReset(
        p.orgId,
        request.params.id,
        token,
        RESET_TTL_MS,
        actorOf(p),
      );
      return reply.status(201).send({ token, expiresAt, path: `/reset-password#${token}` });
    },
  );

  app.get(
    "/api/tokens",
    {
      config: { auth: { permission: "users.manage" } },
      schema: {
        tags: ["users"],
        summary: "Every API token of the organisation, with whose it is (admin; never their secrets)",
        response: { 200: out({ tokens: list(orgTokenResponse) }), ...errors(401, 403) },
      },
    },
    async (request) => ({ tokens: await repo.identity.listOrgTokens(principal(request).orgId) }),
  );

  app.delete<{ Params: { id: string } }>(
    "/api/tokens/:id",
    {
      config: { auth: { permission: "users.manage" } },
      schema: {
        tags: ["users"],
        summary: "Revoke any API token of the organisation (admin)",
        params: idParams,
        response: { 200: out({ token: tokenResponse }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const p = principal(request);
      return { token: await repo.identity.revokeToken(undefined, p.orgId, request.params.id, actorOf(p)) };
    },
  );
}
