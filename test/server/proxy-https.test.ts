/**
 * Behind a reverse proxy, over real HTTP on 127.0.0.1: X-Forwarded-For is believed only from the
 * proxies named, so a client cannot pick a fresh login rate-limit bucket per attempt; and when the
 * server is told it is reached over HTTPS, cookies are Secure and HSTS is sent.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/server/passwords.js";
import { publicUrl, trustedProxies } from "../../src/server/proxy.js";
import {
  DATABASES,
  makeServer,
  type OpenedDatabase,
  PASSWORD,
  repoFor,
  resetLoginLimits,
} from "./helpers.js";

const database = DATABASES[0] as (typeof DATABASES)[number];

describe("trustedProxies and publicUrl", () => {
  it("accept addresses, CIDR ranges and proxy-addr's names; refuse the rest, and ranges that trust everyone", () => {
    expect(trustedProxies(["127.0.0.1, 10.0.0.0/8", "::1", "fd00::/8", "loopback"])).toEqual([
      "127.0.0.1",
      "10.0.0.0/8",
      "::1",
      "fd00::/8",
      "loopback",
    ]);
    for (const bad of ["true", "localhost", "10.0.0.0/33", "10.0.0.0/8/1", "::/129", "1.2.3"])
      expect(() => trustedProxies([bad]), bad).toThrow(/not an IP address|prefix length/);
    expect(() => trustedProxies(["0.0.0.0/0"])).toThrow(/trusts every address/);
    expect(() => trustedProxies(["::/0"])).toThrow(/trusts every address/);
    expect(publicUrl("https://cairn.example.org").protocol).toBe("https:");
    expect(() => publicUrl("ftp://x")).toThrow(/http/);
    expect(() => publicUrl("cairn.example.org")).toThrow(/not a URL/);
  });
});

describe("behind a reverse proxy (real HTTP)", () => {
  let db: OpenedDatabase;
  const servers: FastifyInstance[] = [];
  beforeAll(async () => {
    db = await database.open();
    const repo = repoFor(db);
    await repo.identity.createOrganisation(
      "Proxy Org",
      {
        email: "admin@proxy.test",
        name: "Admin",
        role: "admin",
        passwordHash: await hashPassword(PASSWORD, 4),
      },
      { id: "cli", via: "cli" },
    );
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await db.cleanup();
  });

  async function serve(options: Parameters<typeof makeServer>[1]): Promise<string> {
    await resetLoginLimits(db);
    const app = await makeServer(db, { loginRateLimit: { max: 3, timeWindowMs: 60_000 }, ...options });
    servers.push(app);
    return app.listen({ port: 0, host: "127.0.0.1" });
  }

  /** Login attempts with a wrong password, each claiming to come from another address. */
  async function attempts(base: string, forwarded: (i: number) => string, n = 6): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = await fetch(`${base}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": forwarded(i) },
        body: JSON.stringify({ email: "admin@proxy.test", password: "wrong password here" }),
      });
      out.push(r.status);
    }
    return out;
  }

  it("with no proxy trusted, X-Forwarded-For changes nothing: the 4th attempt is limited", async () => {
    const base = await serve({});
    expect(await attempts(base, (i) => `203.0.113.${i + 1}`)).toEqual([401, 401, 401, 429, 429, 429]);
  });

  it("a header from an address that is not a trusted proxy is ignored", async () => {
    const base = await serve({ trustProxy: ["10.0.0.0/8", "192.0.2.7"] });
    expect(await attempts(base, (i) => `203.0.113.${i + 1}`)).toEqual([401, 401, 401, 429, 429, 429]);
  });

  it("through a trusted proxy, the client is the address the proxy appended, whatever the client wrote before it", async () => {
    const base = await serve({ trustProxy: ["127.0.0.1"] });
    // A forged first hop changes at each attempt; the proxy's own entry (the real client) does not.
    expect(await attempts(base, (i) => `198.51.100.${i + 1}, 203.0.113.9`)).toEqual([
      401, 401, 401, 429, 429, 429,
    ]);
    // Distinct real clients behind the proxy keep their own buckets.
    expect(await attempts(base, (i) => `203.0.113.${100 + i}`, 4)).toEqual([401, 401, 401, 401]);
  });

  it("told it is reached over HTTPS: Secure cookies and HSTS; over plain HTTP neither", async () => {
    const login = async (base: string) =>
      fetch(`${base}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "admin@proxy.test", password: PASSWORD }),
      });
    const https = await login(await serve({ publicUrl: "https://cairn.example.org/" }));
    expect(https.status).toBe(200);
    const cookies = https.headers.getSetCookie();
    expect(cookies).toHaveLength(2);
    for (const c of cookies) expect(c).toMatch(/; Secure/);
    expect(https.headers.get("strict-transport-security")).toBe("max-age=31536000");
    const health = await fetch(`${(servers.at(-1) as FastifyInstance).listeningOrigin}/api/health`);
    expect(health.headers.get("strict-transport-security")).toBe("max-age=31536000");

    const plain = await login(await serve({ publicUrl: "http://127.0.0.1:8080" }));
    expect(plain.status).toBe(200);
    for (const c of plain.headers.getSetCookie()) expect(c).not.toMatch(/Secure/);
    expect(plain.headers.get("strict-transport-security")).toBeNull();
  });
});
