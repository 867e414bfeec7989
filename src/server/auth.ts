import { randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { auditActor } from "../store/common.js";
import type { Actor, Repository, Role } from "../store/repository.js";
import type { UserTable } from "../store/schema.js";
import { HttpError } from "./errors.js";
import { can, type Permission } from "./roles.js";

export const SESSION_COOKIE = "cairn_session";
export const CSRF_COOKIE = "cairn_csrf";
export const CSRF_HEADER = "x-csrf-token";
export const TOKEN_PREFIX = "cairn_pat_";
/** API tokens live 90 days unless asked otherwise, never more than a year (older tokens included). */
export const TOKEN_DEFAULT_DAYS = 90;
export const TOKEN_MAX_DAYS = 365;
const DAY_MS = 86_400_000;

/** The authenticated caller. */
export interface Principal {
  id: string;
  orgId: string;
  email: string;
  name: string;
  role: Role;
  siteAdmin: boolean;
  via: "session" | "token";
  tokenId?: string;
  /** Session only: the CSRF token the client must echo in X-CSRF-Token on unsafe methods. */
  csrf?: string;
  sessionToken?: string;
}

/** Route config: who may call. Routes without `public` need an authenticated caller. */
export interface RouteAuth {
  public?: boolean;
  permission?: Permission;
}

declare module "fastify" {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export function secret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export function newApiTokenSecret(): string {
  return `${TOKEN_PREFIX}${secret(32)}`;
}

function principalOf(user: UserTable, via: "session" | "token"): Principal {
  return {
    id: user.id,
    orgId: user.org_id,
    email: user.email,
    name: user.name,
    role: user.role as Role,
    siteAdmin: Number(user.site_admin) === 1,
    via,
  };
}

export function actorOf(p: Principal): Actor & { name: string } {
  const a: Actor & { name: string } = {
    id: p.id,
    email: p.email,
    name: p.name,
    via: p.via,
    orgId: p.orgId,
  };
  if (p.tokenId !== undefined) a.tokenId = p.tokenId;
  return a;
}

export function principal(request: FastifyRequest): Principal {
  const p = request.principal;
  if (!p)
    throw new HttpError(401, "unauthenticated", "log in, or send an API token as Authorization: Bearer");
  return p;
}

/** Routes that change credentials take a password session: an API token is not the person. */
export function requireSession(request: FastifyRequest): Principal {
  const p = principal(request);
  if (p.via !== "session")
    throw new HttpError(
      403,
      "session-required",
      "log in with your password to do this (not with an API token)",
    );
  return p;
}

export function requirePermission(request: FastifyRequest, permission: Permission): Principal {
  const p = principal(request);
  if (!can(p.role, p.siteAdmin, permission))
    throw new HttpError(403, "forbidden", `your role (${p.role}) may not do this`);
  return p;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Authenticates every request before its body is read: a Bearer API token, or else the session
 * cookie. Then the route's rule: public, or an authenticated caller (401) with the permission the
 * route names (403), and for a cookie-authenticated unsafe method, the CSRF header matching the
 * session's token (403). A wrong or expired credential is the same as none.
 */
export function installAuth(app: FastifyInstance, repo: Repository): void {
  app.decorateRequest("principal", null);
  app.addHook("onRequest", async (request: FastifyRequest, _reply: FastifyReply) => {
    if (request.is404) return;
    const rule = request.routeOptions.config.auth ?? {};
    const header = request.headers.authorization;
    if (typeof header === "string" && /^bearer\s/i.test(header)) {
      const token = header.slice(7).trim();
      const hit =
        token.startsWith(TOKEN_PREFIX) && token.length < 200
          ? await repo.identity.tokenUser(token, TOKEN_MAX_DAYS * DAY_MS)
          : undefined;
      if (hit) request.principal = { ...principalOf(hit.user, "token"), tokenId: hit.tokenId };
      else if (!rule.public)
        throw new HttpError(401, "unauthenticated", "the API token is unknown, expired or revoked");
    } else {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie && cookie.length < 200) {
        const s = await repo.identity.sessionUser(cookie);
        if (s) request.principal = { ...principalOf(s.user, "session"), csrf: s.csrf, sessionToken: cookie };
      }
    }
    if (rule.public) return;
    const p = principal(request);
    const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
    // Refusals of a known caller are audited in their organisation's chain: who tried what.
    const refused = (detail: Record<string, unknown>) =>
      repo.audit.record({
        chain: p.orgId,
        actor: auditActor(actorOf(p), p.orgId),
        action: "auth.refused",
        target: `user:${p.id}`,
        detail: { ...detail, route },
      });
    if (p.via === "session" && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== "string" || !p.csrf || !safeEqual(sent, p.csrf)) {
        await refused({ reason: "csrf" });
        throw new HttpError(
          403,
          "csrf",
          `send the CSRF token from login (cookie ${CSRF_COOKIE}) in ${CSRF_HEADER}`,
        );
      }
    }
    if (rule.permission && !can(p.role, p.siteAdmin, rule.permission)) {
      await refused({ reason: "role", permission: rule.permission });
      requirePermission(request, rule.permission);
    }
  });
}

export interface CookieSettings {
  secure: boolean;
  ttlMs: number;
}

export function setSessionCookies(reply: FastifyReply, token: string, csrf: string, s: CookieSettings): void {
  const base = {
    path: "/",
    sameSite: "strict" as const,
    secure: s.secure,
    maxAge: Math.floor(s.ttlMs / 1000),
  };
  reply.setCookie(SESSION_COOKIE, token, { ...base, httpOnly: true });
  // Readable by the page's script, which echoes it in X-CSRF-Token (double submit).
  reply.setCookie(CSRF_COOKIE, csrf, { ...base, httpOnly: false });
}

export function clearSessionCookies(reply: FastifyReply, s: CookieSettings): void {
  const base = { path: "/", sameSite: "strict" as const, secure: s.secure };
  reply.clearCookie(SESSION_COOKIE, { ...base, httpOnly: true });
  reply.clearCookie(CSRF_COOKIE, base);
}

/**
 * An event of the caller that changes nothing (a download, a read of the audit trail), in their
 * organisation's chain: who saw what is part of the record.
 */
export function auditEvent(
  repo: Repository,
  p: Principal,
  action: string,
  target: string,
  detail: Record<string, unknown>,
): Promise<unknown> {
  return repo.audit.record({
    chain: p.orgId,
    actor: auditActor(actorOf(p), p.orgId),
    action,
    target,
    detail,
  });
}
