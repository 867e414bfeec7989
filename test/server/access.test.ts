import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bearer,
  DATABASES,
  login,
  makeWorld,
  PASSWORD,
  rawSql,
  type TestUser,
  unique,
  type World,
} from "./helpers.js";

// Access that can be revoked (issue 15): password change, admin reset by a one-time link, disable
// and re-enable, admin revocation of any token of the organisation, tokens that mint no tokens,
// token expiry (a default and a maximum); each audited.

type Cookies = Record<string, string>;

describe.each(DATABASES)("access that can be revoked ($name)", (database) => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld(database, { loginRateLimit: { max: 1000, timeWindowMs: 60_000 } });
  });
  afterAll(async () => {
    await w?.close();
  });

  const admin = () => bearer(w.app, (w.a.users.admin as TestUser).token);
  const me = (cookies: Cookies) => w.app.inject({ method: "GET", url: "/api/auth/me", cookies });
  const withSession =
    (s: { cookies: Cookies; csrf: string }) => (method: "POST" | "DELETE", url: string, body?: unknown) =>
      w.app.inject({
        method,
        url,
        cookies: s.cookies,
        headers: { "x-csrf-token": s.csrf },
        ...(body !== undefined ? { payload: body as object } : {}),
      });

  /** A fresh user of organisation A with a session and an API token. */
  async function freshUser(role: "viewer" | "editor" | "admin" = "viewer") {
    const email = `${unique("u")}@alpha.test`;
    const created = await admin()("POST", "/api/users", { email, name: "Fresh", role, password: PASSWORD });
    expect(created.statusCode).toBe(201);
    const session = await login(w.app, email);
    expect(session.response.statusCode).toBe(200);
    const minted = await withSession(session)("POST", "/api/auth/tokens", { name: "ci" });
    expect(minted.statusCode).toBe(201);
    return {
      id: created.json().id as string,
      email,
      session,
      token: minted.json().secret as string,
      tokenId: minted.json().token.id as string,
    };
  }

  async function actions(): Promise<
    { action: string; target: string; detail: Record<string, unknown>; actor: Record<string, unknown> }[]
  > {
    const r = await admin()("GET", "/api/audit?limit=1000");
    return r.json().entries;
  }

  it("changes a password with the current one; the user's other sessions end, this one stays", async () => {
    const u = await freshUser();
    const other = await login(w.app, u.email);
    const change = withSession(u.session);
    const wrong = await change("POST", "/api/auth/password", {
      current: "not my password",
      password: "a brand new password",
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().problems[0].location).toBe("body.current");
    const short = await change("POST", "/api/auth/password", { current: PASSWORD, password: "short" });
    expect(short.statusCode).toBe(400);
    const ok = await change("POST", "/api/auth/password", {
      current: PASSWORD,
      password: "a brand new password",
    });
    expect(ok.statusCode).toBe(200);
    expect((await me(u.session.cookies)).statusCode).toBe(200);
    expect((await me(other.cookies)).statusCode).toBe(401);
    expect((await login(w.app, u.email)).response.statusCode).toBe(401);
    expect((await login(w.app, u.email, "a brand new password")).response.statusCode).toBe(200);
    // With an API token: refused (a token is not the person).
    const byToken = await bearer(w.app, u.token)("POST", "/api/auth/password", {
      current: "a brand new password",
      password: "yet another password",
    });
    expect(byToken.statusCode).toBe(403);
    expect(byToken.json().code).toBe("session-required");
  });

  it("resets a password by a one-time link an admin issues: it works once, then the sessions end", async () => {
    const u = await freshUser();
    const issued = await admin()("POST", `/api/users/${u.id}/password-reset`);
    expect(issued.statusCode).toBe(201);
    const { token, expiresAt, path } = issued.json();
    expect(token).toMatch(/^[\w-]{40,}$/);
    expect(path).toBe(`/reset-password#${token}`);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(3600_000);
    // Nothing changes until the link is used.
    expect((await me(u.session.cookies)).statusCode).toBe(200);
    const weak = await w.app.inject({
      method: "POST",
      url: "/api/auth/password-reset",
      payload: { token, password: "short" },
    });
    expect(weak.statusCode).toBe(400);
    const used = await w.app.inject({
      method: "POST",
      url: "/api/auth/password-reset",
      payload: { token, password: "chosen by the user" },
    });
    expect(used.statusCode).toBe(200);
    expect((await me(u.session.cookies)).statusCode).toBe(401);
    expect((await login(w.app, u.email, "chosen by the user")).response.statusCode).toBe(200);
    const again = await w.app.inject({
      method: "POST",
      url: "/api/auth/password-reset",
      payload: { token, password: "chosen a second time" },
    });
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe("invalid-reset");
    const bogus = await w.app.inject({
      method: "POST",
      url: "/api/auth/password-reset",
      payload: { token: "A".repeat(43), password: "chosen a second time" },
    });
    expect(bogus.json()).toEqual(again.json());
    // A newer link replaces an older one; an admin changes their own password, not by a link.
    const first = (await admin()("POST", `/api/users/${u.id}/password-reset`)).json().token;
    const second = (await admin()("POST", `/api/users/${u.id}/password-reset`)).json().token;
    const stale = await w.app.inject({
      method: "POST",
      url: "/api/auth/password-reset",
      payload: { token: first, password: "from the old link" },
    });
    expect(stale.statusCode).toBe(400);
    expect(
      (
        await w.app.inject({
          method: "POST",
          url: "/api/auth/password-reset",
          payload: { token: second, password: "from the new link" },
        })
      ).statusCode,
    ).toBe(200);
    const self = await admin()("POST", `/api/users/${(w.a.users.admin as TestUser).id}/password-reset`);
    expect(self.statusCode).toBe(409);
    expect(self.json().code).toBe("self");
  });

  it("disables a user: their sessions and tokens die at once; enabling lets them sign in, tokens stay dead", async () => {
    const u = await freshUser("editor");
    const version = (await admin()("GET", `/api/users/${u.id}`)).json().version;
    const off = await admin()("PATCH", `/api/users/${u.id}`, { disabled: true, version });
    expect(off.statusCode).toBe(200);
    expect(off.json().disabled).toBe(true);
    expect((await me(u.session.cookies)).statusCode).toBe(401);
    expect((await bearer(w.app, u.token)("GET", "/api/auth/me")).statusCode).toBe(401);
    const denied = await login(w.app, u.email);
    expect(denied.response.statusCode).toBe(401);
    expect(denied.response.json().code).toBe("invalid-credentials");
    // A reset link cannot be issued for a disabled user.
    expect((await admin()("POST", `/api/users/${u.id}/password-reset`)).statusCode).toBe(409);
    const on = await admin()("PATCH", `/api/users/${u.id}`, { disabled: false, version: off.json().version });
    expect(on.statusCode).toBe(200);
    expect(on.json().disabled).toBe(false);
    expect((await login(w.app, u.email)).response.statusCode).toBe(200);
    expect((await bearer(w.app, u.token)("GET", "/api/auth/me")).statusCode).toBe(401);
    const tokens = (await admin()("GET", "/api/tokens")).json().tokens as {
      id: string;
      revokedAt?: string;
    }[];
    expect(tokens.find((t) => t.id === u.tokenId)?.revokedAt).toBeDefined();
  });

  it("keeps an admin from disabling themselves, and an organisation from losing its last enabled admin", async () => {
    const self = (w.a.users.admin as TestUser).id;
    const v = (await admin()("GET", `/api/users/${self}`)).json().version;
    const r = await admin()("PATCH", `/api/users/${self}`, { disabled: true, version: v });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe("self");
    // B: a second admin, disabled; the first may then not step down to another role.
    const b = bearer(w.app, (w.b.users.admin as TestUser).token);
    const second = await b("POST", "/api/users", {
      email: `${unique("a2")}@beta.test`,
      name: "Second admin",
      role: "admin",
      password: PASSWORD,
    });
    const off = await b("PATCH", `/api/users/${second.json().id}`, {
      disabled: true,
      version: second.json().version,
    });
    expect(off.statusCode).toBe(200);
    const first = (await b("GET", `/api/users/${(w.b.users.admin as TestUser).id}`)).json();
    const down = await b("PATCH", `/api/users/${first.id}`, { role: "viewer", version: first.version });
    expect(down.statusCode).toBe(409);
    expect(down.json().code).toBe("last-admin");
  });

  it("lets an admin list and revoke any token of the organisation, and no other", async () => {
    const u = await freshUser();
    const listed = await admin()("GET", "/api/tokens");
    expect(listed.statusCode).toBe(200);
    const row = (listed.json().tokens as { id: string; user: { id: string; email: string } }[]).find(
      (t) => t.id === u.tokenId,
    );
    expect(row?.user).toMatchObject({ id: u.id, email: u.email });
    expect(listed.body).not.toContain(u.token);
    // Only organisation A's tokens.
    const bIds = new Set(Object.values(w.b.users).map((x) => x?.id));
    for (const t of listed.json().tokens as { user: { id: string } }[])
      expect(bIds.has(t.user.id)).toBe(false);
    const revoked = await admin()("DELETE", `/api/tokens/${u.tokenId}`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().token.revokedAt).toBeDefined();
    expect((await bearer(w.app, u.token)("GET", "/api/auth/me")).statusCode).toBe(401);
    const entry = (await actions()).find(
      (e) => e.action === "token.revoke" && e.target === `token:${u.tokenId}`,
    );
    expect(entry?.detail).toMatchObject({ user: u.id });
  });

  it("mints no token with a token: API tokens are made from a password session", async () => {
    const u = await freshUser();
    const r = await bearer(w.app, u.token)("POST", "/api/auth/tokens", { name: "child" });
    expect(r.statusCode).toBe(403);
    expect(r.json().code).toBe("session-required");
  });

  it("expires tokens: 90 days unless asked, never more than the maximum, old tokens included", async () => {
    const u = await freshUser();
    const s = withSession(u.session);
    const dflt = await s("POST", "/api/auth/tokens", { name: "default" });
    const days = (Date.parse(dflt.json().token.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThan(90.1);
    const long = await s("POST", "/api/auth/tokens", { name: "too long", expiresInDays: 400 });
    expect(long.statusCode).toBe(400);
    expect(long.json().problems[0].location).toBe("body.expiresInDays");
    // A token from before expiry existed (no expiry) dies at its creation plus the maximum.
    const secret = `cairn_pat_${unique("old")}`.padEnd(50, "x");
    const old = await w.repo.identity.createToken({ id: u.id, org_id: w.a.id }, "old", secret, undefined, {
      id: "cli",
      via: "cli",
    });
    expect((await bearer(w.app, secret)("GET", "/api/auth/me")).statusCode).toBe(200);
    await rawSql(
      w.db,
      `UPDATE api_tokens SET expires_at = NULL, created_at = '2020-01-01T00:00:00.000Z' WHERE id = '${old.id}'`,
    );
    expect((await bearer(w.app, secret)("GET", "/api/auth/me")).statusCode).toBe(401);
  });

  it("audits every one of these actions", async () => {
    const seen = new Set((await actions()).map((e) => e.action));
    for (const a of [
      "user.password.change",
      "user.password.reset-issue",
      "user.password.reset",
      "user.disable",
      "user.enable",
      "token.create",
      "token.revoke",
    ])
      expect(seen).toContain(a);
  });
});
