import type { FastifyInstance } from "fastify";
import { userDto } from "../../store/repository.js";
import {
  actorOf,
  clearSessionCookies,
  newApiTokenSecret,
  principal,
  secret,
  setSessionCookies,
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
export const email = { type: "string", format: "email", maxLength: 254 } as const;

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
      if (!user || !ok) throw new HttpError(401, "invalid-credentials", "wrong e-mail address or password");
      const token = secret();
      const csrf = secret();
      const expiresAt = await repo.identity.createSession(user.id, token, csrf, limits.sessionTtlMs, {
        id: user.id,
        email: user.email,
        via: "session",
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
        summary: "Create an API token (for CI): the secret is in this answer only",
        body: obj({ name: text(100), expiresInDays: { type: "integer", minimum: 1, maximum: 3650 } }, [
          "name",
        ]),
        response: {
          201: out({ token: tokenResponse, secret: { type: "string" } }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const p = principal(request);
      const value = newApiTokenSecret();
      const days = request.body.expiresInDays;
      const expires = days === undefined ? undefined : new Date(Date.now() + days * 86_400_000).toISOString();
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
      if (!ok) throw new HttpError(403, "forbidden", "setup is closed or the secret is wrong");
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
}
