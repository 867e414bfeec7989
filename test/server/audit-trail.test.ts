import { Writable } from "node:stream";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson, entryHash, verifyAudit } from "../../src/store/audit.js";
import { loadAuditKey, sealOf } from "../../src/store/audit-key.js";
import {
  bearer,
  DATABASES,
  login,
  makeServer,
  makeWorld,
  PASSWORD,
  rawSql,
  type TestUser,
  unique,
  type World,
} from "./helpers.js";

// The audit trail (issue 15): what each organisation's chain holds (and what it must not), the
// events that were not audited, entries forged without the instance's key, and the chain head
// anchored outside the database (the log, each dossier, an anchors file).

interface Entry {
  chain: string;
  seq: number;
  action: string;
  target: string;
  actor: Record<string, unknown>;
  detail: Record<string, unknown>;
  hash: string;
}

describe.each(DATABASES)("audit trail ($name)", (database) => {
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
      logger: { level: "info", stream },
      loginRateLimit: { max: 1000, timeWindowMs: 60_000 },
    });
  });
  afterAll(async () => {
    await w?.close();
  });

  const adminA = () => bearer(w.app, (w.a.users.admin as TestUser).token);
  const site = () => bearer(w.app, (w.a.users.site as TestUser).token);
  async function chain(name?: string): Promise<Entry[]> {
    const r = await (name === "system" ? site() : adminA())(
      "GET",
      `/api/audit?limit=1000${name ? `&chain=${name}` : ""}`,
    );
    expect(r.statusCode).toBe(200);
    return r.json().entries;
  }
  async function dbEntries(chainId: string): Promise<Entry[]> {
    const rows = await w.db.store.db
      .selectFrom("audit_entries")
      .selectAll()
      .where("chain", "=", chainId)
      .orderBy("seq")
      .execute();
    return rows.map((r) => ({
      chain: r.chain,
      seq: Number(r.seq),
      action: r.action,
      target: r.target,
      actor: JSON.parse(r.actor),
      detail: JSON.parse(r.detail),
      hash: r.hash,
    }));
  }

  it("keeps the site admin out of the chains of the organisations it creates (the system chain has it)", async () => {
    const name = unique("gamma");
    const made = await site()("POST", "/api/organisations", {
      name,
      admin: { email: `boss@${name}.test`, name: "Boss", password: PASSWORD },
    });
    expect(made.statusCode).toBe(201);
    const orgId = made.json().organisation.id as string;
    const bossSession = await login(w.app, `boss@${name}.test`);
    const own = await w.app.inject({
      method: "GET",
      url: "/api/audit?limit=1000",
      cookies: bossSession.cookies,
    });
    expect(own.statusCode).toBe(200);
    const siteUser = w.a.users.site as TestUser;
    expect(own.body).not.toContain(siteUser.id);
    expect(own.body).not.toContain(siteUser.email);
    const entries = own.json().entries as Entry[];
    expect(entries[0]?.action).toBe("organisation.create");
    expect(entries[0]?.actor).toEqual({ id: "site-admin", via: "site-admin" });
    const system = await chain("system");
    const created = system.find(
      (e) => e.action === "organisation.create" && e.target === `organisation:${orgId}`,
    );
    expect(created?.actor).toMatchObject({ id: siteUser.id, email: siteUser.email });
    expect(created?.detail).toMatchObject({ name, admin: { email: `boss@${name}.test` } });
  });

  it("audits failed logins: in the user's organisation, or the instance's chain for an unknown address", async () => {
    const viewer = w.a.users.viewer as TestUser;
    expect((await login(w.app, viewer.email, "a wrong guess!")).response.statusCode).toBe(401);
    const unknown = `${unique("nobody")}@nowhere.test`;
    expect((await login(w.app, unknown, "a wrong guess!")).response.statusCode).toBe(401);
    const failed = (await chain()).filter((e) => e.action === "auth.login.failed");
    expect(failed.at(-1)).toMatchObject({ target: `user:${viewer.id}`, detail: { reason: "password" } });
    const sys = (await chain("system")).filter((e) => e.action === "auth.login.failed");
    expect(sys.at(-1)?.detail).toMatchObject({ email: unknown, reason: "unknown-address" });
    expect(JSON.stringify(await dbEntries("system"))).not.toContain("a wrong guess!");
  });

  it("audits rate-limited logins, once per client and window", async () => {
    const app = await makeServer(w.db, { loginRateLimit: { max: 2, timeWindowMs: 60_000 } });
    try {
      // The counters are in the database, shared with the world's server (whose logins from the
      // same address count too): a fresh window for this client.
      await rawSql(w.db, "DELETE FROM rate_limits");
      const before = (await dbEntries("system")).filter((e) => e.action === "auth.rate-limited").length;
      const codes: number[] = [];
      for (let i = 0; i < 5; i++)
        codes.push((await login(app, "someone@nowhere.test", "guess guess")).response.statusCode);
      expect(codes).toEqual([401, 401, 429, 429, 429]);
      const after = (await dbEntries("system")).filter((e) => e.action === "auth.rate-limited");
      expect(after.length).toBe(before + 1);
      expect(after.at(-1)?.detail).toMatchObject({ route: "POST /api/auth/login", client: "127.0.0.1" });
    } finally {
      await app.close();
    }
  });

  it("audits refusals: a role that may not, and a missing CSRF token", async () => {
    const viewer = w.a.users.viewer as TestUser;
    const r = await bearer(w.app, viewer.token)("POST", "/api/products", {
      manufacturer: "M",
      model: "X",
      category: "plug",
    });
    expect(r.statusCode).toBe(403);
    const s = await login(w.app, viewer.email);
    const csrf = await w.app.inject({ method: "POST", url: "/api/auth/logout", cookies: s.cookies });
    expect(csrf.statusCode).toBe(403);
    const refused = (await chain()).filter((e) => e.action === "auth.refused");
    expect(refused).toContainEqual(
      expect.objectContaining({
        target: `user:${viewer.id}`,
        detail: { reason: "role", route: "POST /api/products", permission: "product.write" },
      }),
    );
    expect(refused).toContainEqual(
      expect.objectContaining({ detail: { reason: "csrf", route: "POST /api/auth/logout" } }),
    );
  });

  it("audits a wrong setup secret in the instance's chain", async () => {
    const app = await makeServer(w.db, { setupSecret: "the-right-secret" });
    try {
      const r = await app.inject({
        method: "POST",
        url: "/api/setup",
        payload: {
          secret: "a-wrong-secret",
          organisation: "X",
          email: "x@x.test",
          name: "X",
          password: PASSWORD,
        },
      });
      expect(r.statusCode).toBe(403);
      const sys = await dbEntries("system");
      expect(sys.at(-1)).toMatchObject({ action: "setup.refused", detail: { client: "127.0.0.1" } });
      expect(JSON.stringify(sys.at(-1))).not.toContain("a-wrong-secret");
    } finally {
      await app.close();
    }
  });

  it("audits downloads of evidence files and dossiers, and reads of the audit trail", async () => {
    const viewer = bearer(w.app, (w.a.users.viewer as TestUser).token);
    const asm = w.a.assessmentId;
    const file = await viewer("GET", `/api/assessments/${asm}/evidence/${w.a.fileEvidence}/file`);
    expect(file.statusCode).toBe(200);
    const sha = (await viewer("GET", `/api/assessments/${asm}/evidence/${w.a.fileEvidence}`)).json().file
      .sha256;
    expect((await viewer("GET", `/api/assessments/${asm}/files/${sha}`)).statusCode).toBe(200);
    expect((await viewer("GET", `/api/assessments/${asm}/dossier?draft=true`)).statusCode).toBe(200);
    const job = await viewer("POST", `/api/assessments/${asm}/dossier-jobs`, { draft: true });
    let state = job.json();
    while (state.state !== "done" && state.state !== "failed") {
      await new Promise((r) => setTimeout(r, 100));
      state = (await viewer("GET", `/api/jobs/${state.id}`)).json();
    }
    expect((await viewer("GET", `/api/jobs/${state.id}/result`)).statusCode).toBe(200);
    await adminA()("GET", "/api/audit/verify");
    const entries = await chain();
    const viewerId = (w.a.users.viewer as TestUser).id;
    const downloads = entries.filter((e) => e.action.endsWith(".download") && e.actor.id === viewerId);
    expect(downloads.map((e) => e.action)).toEqual([
      "evidence.download",
      "evidence.download",
      "dossier.download",
      "dossier.download",
    ]);
    expect(downloads[0]).toMatchObject({
      target: `download:${asm}`,
      detail: { evidence: w.a.fileEvidence, sha256: sha },
    });
    expect(downloads[1]).toMatchObject({ detail: { sha256: sha } });
    expect(downloads[3]?.detail).toMatchObject({ job: state.id, draft: true });
    expect(entries.some((e) => e.action === "audit.read")).toBe(true);
    expect(entries.some((e) => e.action === "audit.verify")).toBe(true);
    // Downloads are not changes of the assessment: its dossier's trail does not list them.
    const trail = await w.repo.assessments.audit(w.a.id, asm);
    expect(trail.some((e) => e.action.endsWith(".download"))).toBe(false);
  }, 60_000);

  it("writes each chain's head to the log after every change", async () => {
    await adminA()("POST", "/api/products", { manufacturer: "Anchor", model: "A1", category: "plug" });
    const last = (await dbEntries(w.a.id)).at(-1) as Entry;
    const anchors = logs
      .flatMap((l) => l.split("\n"))
      .filter((l) => l.includes('"auditAnchor"'))
      .map((l) => JSON.parse(l).auditAnchor as { chain: string; seq: number; hash: string });
    expect(anchors).toContainEqual({ chain: w.a.id, seq: last.seq, hash: last.hash });
  });

  it("writes the audit anchor of the assessment's trail into each dossier's manifest", async () => {
    const r = await adminA()("GET", `/api/assessments/${w.a.assessmentId}/dossier?draft=true`);
    expect(r.statusCode).toBe(200);
    const files = unzipSync(new Uint8Array(r.rawPayload));
    const manifest = JSON.parse(Buffer.from(files["manifest.json"] as Uint8Array).toString());
    const trail = JSON.parse(Buffer.from(files["audit-trail.json"] as Uint8Array).toString()) as Entry[];
    const lastOfTrail = trail.at(-1) as Entry;
    expect(manifest.auditAnchor).toEqual({ chain: w.a.id, seq: lastOfTrail.seq, hash: lastOfTrail.hash });
    const inDb = (await dbEntries(w.a.id)).find((e) => e.seq === lastOfTrail.seq);
    expect(inDb?.hash).toBe(lastOfTrail.hash);
  });

  it("rejects an entry appended without the instance's key, and a chain rewritten without it", async () => {
    const key = loadAuditKey(w.db.dir, { create: false });
    expect(key).toBeDefined();
    expect((await verifyAudit(w.db.store.db, [w.b.id], { key })).ok).toBe(true);
    const entries = await dbEntries(w.b.id);
    const last = entries.at(-1) as Entry;
    const forged = {
      chain: w.b.id,
      seq: last.seq + 1,
      at: new Date().toISOString(),
      actor: canonicalJson({ id: (w.b.users.admin as TestUser).id, via: "session" }),
      action: "user.update",
      target: `user:${(w.b.users.viewer as TestUser).id}`,
      detail: canonicalJson({ role: "admin", version: 9 }),
      prev_hash: last.hash,
    };
    const hash = entryHash(forged);
    const q = (v: string) => `'${v.replace(/'/g, "''")}'`;
    await rawSql(
      w.db,
      `INSERT INTO audit_entries (chain, seq, at, actor, action, target, detail, prev_hash, hash) VALUES (${[
        forged.chain,
        String(forged.seq),
        forged.at,
        forged.actor,
        forged.action,
        forged.target,
        forged.detail,
        forged.prev_hash,
        hash,
      ]
        .map((v, i) => (i === 1 ? v : q(v)))
        .join(
          ", ",
        )}); UPDATE audit_heads SET seq = ${forged.seq}, hash = ${q(hash)} WHERE chain = ${q(w.b.id)};`,
    );
    const report = await verifyAudit(w.db.store.db, [w.b.id], { key });
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ chain: w.b.id, seq: forged.seq, kind: "unsealed" });
    // A seal made up: refused too.
    await rawSql(
      w.db,
      `UPDATE audit_entries SET seal = ${q(`v1:${key?.id}:${"0".repeat(64)}`)} WHERE chain = ${q(w.b.id)} AND seq = ${forged.seq}`,
    );
    const made = await verifyAudit(w.db.store.db, [w.b.id], { key });
    expect(made.problems[0]).toMatchObject({ seq: forged.seq, kind: "forged" });
    // With the real seal (someone holding the key), only an anchor taken earlier tells.
    await rawSql(
      w.db,
      `UPDATE audit_entries SET seal = ${q(sealOf(key as never, hash))} WHERE chain = ${q(w.b.id)} AND seq = ${forged.seq}`,
    );
    expect((await verifyAudit(w.db.store.db, [w.b.id], { key })).ok).toBe(true);
    const anchored = await verifyAudit(w.db.store.db, [w.b.id], {
      key,
      anchors: [
        { chain: w.b.id, seq: last.seq, hash: last.hash },
        { chain: w.b.id, seq: forged.seq, hash: "f".repeat(64) },
      ],
    });
    expect(anchored.ok).toBe(false);
    expect(anchored.problems[0]).toMatchObject({ seq: forged.seq, kind: "rewritten" });
  });
});
