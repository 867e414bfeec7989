import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "../../src/server/passwords.js";
import {
  bearer,
  DATABASES,
  login,
  makeServer,
  makeWorld,
  type OpenedDatabase,
  PASSWORD,
  resetLoginLimits,
  type TestUser,
  type World,
} from "./helpers.js";

describe("passwords", () => {
  it("hashes with scrypt, salted, parameters kept with the hash", async () => {
    const a = await hashPassword("secret password", 4);
    const b = await hashPassword("secret password", 4);
    expect(a).toMatch(/^scrypt\$4\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword("secret password", a)).toBe(true);
    expect(await verifyPassword("secret passworD", a)).toBe(false);
    expect(await verifyPassword("x", "not-a-hash")).toBe(false);
    expect(await verifyPassword("x", "scrypt$99$8$1$AA$AA")).toBe(false);
  });
});

describe.each(DATABASES)("authentication ($name)", (database) => {
  let w: World;
  let logs: string[];
  beforeAll(async () => {
    logs = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        logs.push(String(chunk));
        done();
      },
    });
    w = await makeWorld(database, {
      logger: { level: "trace", stream },
      loginRateLimit: { max: 1000, timeWindowMs: 60_000 },
    });
  });
  afterAll(async () => {
    await w?.close();
  });
  const viewer = () => w.a.users.viewer as TestUser;
  const editor = () => w.a.users.editor as TestUser;

  it("logs in: httpOnly SameSite=Strict session cookie, readable CSRF cookie, no hash in the answer", async () => {
    const { response, cookies, csrf } = await login(w.app, editor().email);
    expect(response.statusCode).toBe(200);
    const session = response.cookies.find((c) => c.name === "cairn_session");
    const csrfCookie = response.cookies.find((c) => c.name === "cairn_csrf");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/" });
    expect(csrfCookie?.httpOnly).toBeFalsy();
    expect(csrfCookie?.value).toBe(csrf);
    expect(response.body).not.toContain("scrypt");
    expect(response.json().user.role).toBe("editor");
    const me = await w.app.inject({ method: "GET", url: "/api/auth/me", cookies });
    expect(me.json()).toMatchObject({ via: "session", user: { email: editor().email } });
  });

  it("answers a wrong password and an unknown address alike", async () => {
    const wrong = await login(w.app, editor().email, "wrong password!");
    const unknown = await login(w.app, "nobody@nowhere.test", "wrong password!");
    expect(wrong.response.statusCode).toBe(401);
    expect(unknown.response.statusCode).toBe(401);
    expect(wrong.response.body).toBe(unknown.response.body);
    expect(wrong.response.cookies).toEqual([]);
  });

  it("needs the CSRF header on unsafe methods with a session cookie", async () => {
    const { cookies, csrf } = await login(w.app, editor().email);
    const body = { manufacturer: "M", model: "csrf", category: "c" };
    const none = await w.app.inject({ method: "POST", url: "/api/products", cookies, payload: body });
    expect(none.statusCode).toBe(403);
    expect(none.json().code).toBe("csrf");
    const wrong = await w.app.inject({
      method: "POST",
      url: "/api/products",
      cookies,
      headers: { "x-csrf-token": `${csrf.slice(0, -2)}xx` },
      payload: body,
    });
    expect(wrong.statusCode).toBe(403);
    const right = await w.app.inject({
      method: "POST",
      url: "/api/products",
      cookies,
      headers: { "x-csrf-token": csrf },
      payload: body,
    });
    expect(right.statusCode).toBe(201);
    // Safe methods need no header; Bearer tokens need none (no ambient credential to ride on).
    expect((await w.app.inject({ method: "GET", url: "/api/products", cookies })).statusCode).toBe(200);
    expect((await bearer(w.app, editor().token)("POST", "/api/products", body)).statusCode).toBe(201);
  });

  it("logs out: the session no longer works", async () => {
    const { cookies, csrf } = await login(w.app, viewer().email);
    const out = await w.app.inject({
      method: "POST",
      url: "/api/auth/logout",
      cookies,
      headers: { "x-csrf-token": csrf },
    });
    expect(out.statusCode).toBe(200);
    expect(out.cookies.find((c) => c.name === "cairn_session")?.value).toBe("");
    expect((await w.app.inject({ method: "GET", url: "/api/auth/me", cookies })).statusCode).toBe(401);
  });

  it("ends a user's sessions when their role changes", async () => {
    const { cookies } = await login(w.app, viewer().email);
    const admin = bearer(w.app, (w.a.users.admin as TestUser).token);
    const user = (await admin("GET", `/api/users/${viewer().id}`)).json();
    const changed = await admin("PATCH", `/api/users/${viewer().id}`, {
      role: "viewer",
      version: user.version,
    });
    expect(changed.statusCode).toBe(200);
    // Same role: sessions stay. A different one ends them.
    expect((await w.app.inject({ method: "GET", url: "/api/auth/me", cookies })).statusCode).toBe(200);
    const up = await admin("PATCH", `/api/users/${viewer().id}`, {
      role: "editor",
      version: changed.json().version,
    });
    expect(up.statusCode).toBe(200);
    expect((await w.app.inject({ method: "GET", url: "/api/auth/me", cookies })).statusCode).toBe(401);
    await admin("PATCH", `/api/users/${viewer().id}`, { role: "viewer", version: up.json().version });
  });

  it("keeps the last admin of an organisation", async () => {
    const admin = bearer(w.app, (w.b.users.admin as TestUser).token);
    const me = (await admin("GET", `/api/users/${(w.b.users.admin as TestUser).id}`)).json();
    const r = await admin("PATCH", `/api/users/${me.id}`, { role: "viewer", version: me.version });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe("last-admin");
  });

  it("API tokens: shown once, listed without secret, usable as Bearer, revocable", async () => {
    const as = bearer(w.app, editor().token);
    // Minted from a password session (a token mints none: test/server/access.test.ts).
    const s = await login(w.app, editor().email);
    const created = await w.app.inject({
      method: "POST",
      url: "/api/auth/tokens",
      cookies: s.cookies,
      headers: { "x-csrf-token": s.csrf },
      payload: { name: "ci pipeline", expiresInDays: 30 },
    });
    expect(created.statusCode).toBe(201);
    const { secret, token } = created.json();
    expect(secret).toMatch(/^cairn_pat_/);
    expect(token.expiresAt).toBeDefined();
    const listed = await as("GET", "/api/auth/tokens");
    expect(listed.body).not.toContain(secret);
    expect(listed.json().tokens.map((t: { id: string }) => t.id)).toContain(token.id);
    const ci = bearer(w.app, secret);
    expect((await ci("GET", `/api/assessments/${w.a.assessmentId}`)).statusCode).toBe(200);
    expect((await ci("GET", "/api/auth/me")).json().via).toBe("token");
    const revoked = await as("DELETE", `/api/auth/tokens/${token.id}`);
    expect(revoked.json().token.revokedAt).toBeDefined();
    expect((await ci("GET", "/api/auth/me")).statusCode).toBe(401);
  });

  it("refuses an expired token", async () => {
    const secret = "cairn_pat_expired-token-for-the-test-000000000000";
    await w.repo.identity.createToken(
      { id: editor().id, org_id: w.a.id },
      "old",
      secret,
      "2020-01-01T00:00:00.000Z",
      {
        id: "cli",
        via: "cli",
      },
    );
    expect((await bearer(w.app, secret)("GET", "/api/auth/me")).statusCode).toBe(401);
  });

  it("never writes passwords, tokens or cookies to the log", async () => {
    const { cookies, csrf } = await login(w.app, editor().email);
    await w.app.inject({ method: "GET", url: "/api/auth/me", cookies, headers: { "x-csrf-token": csrf } });
    await login(w.app, editor().email, "a wrong password");
    await bearer(w.app, editor().token)("GET", "/api/products");
    const text = logs.join("");
    expect(text).toContain("incoming request");
    for (const secret of [
      PASSWORD,
      "a wrong password",
      editor().token,
      cookies.cairn_session as string,
      csrf,
    ])
      expect(text).not.toContain(secret);
  });

  it("audits logins, logouts and token changes", async () => {
    const entries = (
      await bearer(w.app, (w.a.users.admin as TestUser).token)("GET", "/api/audit?limit=1000")
    ).json().entries as { action: string }[];
    const actions = new Set(entries.map((e) => e.action));
    for (const a of ["auth.login", "auth.logout", "token.create", "token.revoke", "user.update"])
      expect(actions).toContain(a);
  });
});

describe.each(DATABASES)("rate limit and first start ($name)", (database) => {
  let db: OpenedDatabase;
  beforeAll(async () => {
    db = await database.open();
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  it("creates the first admin with the one-time secret, once", async () => {
    const app = await makeServer(db, { setupSecret: "s3cret-from-the-terminal" });
    const body = {
      secret: "wrong",
      organisation: "First",
      email: "first@first.test",
      name: "First",
      password: "first password 123",
    };
    expect((await app.inject({ method: "POST", url: "/api/setup", payload: body })).statusCode).toBe(403);
    const ok = await app.inject({
      method: "POST",
      url: "/api/setup",
      payload: { ...body, secret: "s3cret-from-the-terminal" },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().admin).toMatchObject({ role: "admin", siteAdmin: true });
    const again = await app.inject({
      method: "POST",
      url: "/api/setup",
      payload: { ...body, secret: "s3cret-from-the-terminal" },
    });
    expect(again.statusCode).toBe(403);
    expect((await login(app, "first@first.test", "first password 123")).response.statusCode).toBe(200);
    await app.close();
  });

  it("limits login attempts per client (429)", async () => {
    await resetLoginLimits(db);
    const app = await makeServer(db, { loginRateLimit: { max: 3, timeWindowMs: 60_000 } });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++)
      codes.push((await login(app, "first@first.test", "guess number one")).response.statusCode);
    expect(codes).toEqual([401, 401, 401, 429, 429]);
    const limited = await login(app, "first@first.test", "first password 123");
    expect(limited.response.statusCode).toBe(429);
    expect(limited.response.json().code).toBe("rate-limited");
    await app.close();
  });
});
