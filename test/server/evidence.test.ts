import { createHash } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bearer,
  DATABASES,
  documents,
  makeWorld,
  storedBlobs,
  type TestUser,
  upload,
  type World,
} from "./helpers.js";

const LIMIT = 64 * 1024;
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

// A 1x1 PNG: sniffed from its bytes whatever name or type the client claims.
const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
    "1f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082",
  "hex",
);

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => statSync(join(dir, f)).isFile())
    .map((f) => f.split("\\").join("/"))
    .sort();
}

describe.each(DATABASES)("evidence uploads ($name)", (database) => {
  let w: World;
  let token: string;
  beforeAll(async () => {
    w = await makeWorld(database, { uploadLimitBytes: LIMIT });
    token = (w.a.users.editor as TestUser).token;
  });
  afterAll(async () => {
    await w?.close();
  });
  // Evidence records across every assessment document, and the files the blob store holds.
  const countRows = async () => (await documents(w.db)).reduce((n, a) => n + a.evidence.length, 0);
  const blobs = () => storedBlobs(w.db);

  it("stores by content hash, with the SHA-256 computed while streaming, and serves it back", async () => {
    const content = Buffer.from("firmware signing test log\nall good\n".repeat(100));
    const r = await upload(w.app, token, w.a.assessmentId, {
      fields: {
        title: "Signing log",
        strength: "proves",
        tags: "signed-firmware, test",
        effective: "2026-03-01",
      },
      file: { name: "log.txt", content },
    });
    expect(r.statusCode).toBe(201);
    const e = r.json();
    expect(e).toMatchObject({
      kind: "file",
      title: "Signing log",
      strength: "proves",
      tags: ["signed-firmware", "test"],
      effective: "2026-03-01",
      file: { name: "log.txt", sha256: sha256(content), size: content.length, mediaType: "text/plain" },
    });
    // Named as in an assessment folder (a pull writes it there); stored by its hash.
    expect(e.file.path).toBe(`evidence/${sha256(content)}-log.txt`);
    expect(await w.blobs.has(sha256(content))).toBe(true);
    const d = await bearer(w.app, token)("GET", `/api/assessments/${w.a.assessmentId}/evidence/${e.id}/file`);
    expect(d.statusCode).toBe(200);
    expect(d.rawPayload.equals(content)).toBe(true);
    expect(d.headers["content-disposition"]).toContain('attachment; filename="log.txt"');
    expect(d.headers["x-content-type-options"]).toBe("nosniff");
    expect(d.headers["repr-digest"]).toBe(
      `sha-256=:${createHash("sha256").update(content).digest("base64")}:`,
    );
  });

  it("sniffs the media type from the content, not the name or the declared type", async () => {
    const r = await upload(w.app, token, w.a.assessmentId, {
      fields: { title: "Label photo" },
      file: { name: "label.html", content: PNG, type: "text/html" },
    });
    expect(r.statusCode).toBe(201);
    expect(r.json().file.mediaType).toBe("image/png");
    const bin = await upload(w.app, token, w.a.assessmentId, {
      fields: { title: "Blob" },
      file: { name: "x.pdf", content: Buffer.from([0, 1, 2, 3, 0, 255, 254]), type: "application/pdf" },
    });
    expect(bin.json().file.mediaType).toBe("application/octet-stream");
    const d = await bearer(w.app, token)(
      "GET",
      `/api/assessments/${w.a.assessmentId}/evidence/${r.json().id}/file`,
    );
    expect(d.headers["content-type"]).toBe("image/png");
  });

  it("never uses the file name as a path", async () => {
    const before = filesUnder(w.db.dir);
    const held = await blobs();
    const content = Buffer.from("not the password file");
    for (const name of [
      "../../../etc/passwd",
      "..\\..\\boot.ini",
      "/abs/path.txt",
      "a\u0000b\r\n.txt",
      "....",
    ]) {
      const r = await upload(w.app, token, w.a.assessmentId, {
        fields: { title: "t" },
        file: { name, content },
      });
      expect(r.statusCode).toBe(201);
      expect(r.json().file.name).not.toMatch(/[/\\\p{Cc}]/u);
      expect(r.json().file.name).not.toMatch(/^\./);
    }
    // One stored file (same content five times), named by its hash; nothing else on disk.
    const now = await blobs();
    expect(now.stored.filter((x) => !held.stored.includes(x))).toEqual([sha256(content)]);
    expect(now.pending).toEqual([]);
    const added = filesUnder(w.db.dir).filter((f) => !before.includes(f));
    expect(added.filter((f) => !f.startsWith("evidence/") && !/cairn\.db/.test(f))).toEqual([]);
    expect(existsSync(join(w.db.dir, "..", "etc"))).toBe(false);
  });

  it("refuses a file over the size limit with 413 and keeps nothing of it", async () => {
    const before = await blobs();
    const rows = await countRows();
    const audit = (
      await bearer(w.app, (w.a.users.admin as TestUser).token)("GET", "/api/audit/verify")
    ).json();
    const big = Buffer.alloc(LIMIT + 10_000, 7);
    const r = await upload(w.app, token, w.a.assessmentId, {
      fields: { title: "Too big" },
      file: { name: "big.bin", content: big },
    });
    expect(r.statusCode).toBe(413);
    expect(r.json().code).toBe("too-large");
    expect(await blobs()).toEqual(before);
    expect(before.pending).toEqual([]);
    expect(await countRows()).toBe(rows);
    const after = (
      await bearer(w.app, (w.a.users.admin as TestUser).token)("GET", "/api/audit/verify")
    ).json();
    // Nothing audited since the first verification but the two verifications themselves.
    expect(after.chains[0].entries).toBe(audit.chains[0].entries + 1);
    const since = await w.db.store.db
      .selectFrom("audit_entries")
      .select("action")
      .where("chain", "=", w.a.id)
      .where("seq", ">", audit.chains[0].entries)
      .orderBy("seq")
      .execute();
    expect(since.map((e) => e.action)).toEqual(["audit.verify", "audit.verify"]);
    // Declared far over the limit: refused before reading.
    const huge = await w.app.inject({
      method: "POST",
      url: `/api/assessments/${w.a.assessmentId}/evidence/files`,
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "multipart/form-data; boundary=x",
        "content-length": String(LIMIT + 5 * 1024 * 1024),
      },
      payload: Buffer.alloc(10),
    });
    expect(huge.statusCode).toBe(413);
  });

  it("refuses over a real connection too (streamed, 413, nothing kept)", async () => {
    const address = await w.app.listen({ port: 0, host: "127.0.0.1" });
    try {
      const before = await blobs();
      const form = new FormData();
      form.set("title", "Big over HTTP");
      form.set("file", new Blob([Buffer.alloc(LIMIT * 4, 1)]), "big.bin");
      const r = await fetch(`${address}/api/assessments/${w.a.assessmentId}/evidence/files`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
      expect(r.status).toBe(413);
      expect(await blobs()).toEqual(before);
      const ok = new FormData();
      ok.set("title", "Small over HTTP");
      ok.set("file", new Blob([Buffer.from("small file")]), "small.txt");
      const r2 = await fetch(`${address}/api/assessments/${w.a.assessmentId}/evidence/files`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: ok,
      });
      expect(r2.status).toBe(201);
      expect(((await r2.json()) as { file: { sha256: string } }).file.sha256).toBe(
        sha256(Buffer.from("small file")),
      );
    } finally {
      await w.app.server.close();
    }
  });

  it("keeps nothing when the fields are invalid, the assessment foreign, or the file missing", async () => {
    const before = await blobs();
    const rows = await countRows();
    const bad = await upload(w.app, token, w.a.assessmentId, {
      fields: { strength: "very", effective: "soon" },
      file: { name: "x.txt", content: Buffer.from("unique content for a refused upload") },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .problems.map((p: { location: string }) => p.location)
        .sort(),
    ).toEqual(["body.effective", "body.strength", "body.title"]);
    const foreign = await upload(w.app, token, w.b.assessmentId, {
      fields: { title: "t" },
      file: { name: "x.txt", content: Buffer.from("content for a foreign assessment") },
    });
    expect(foreign.statusCode).toBe(404);
    const none = await upload(w.app, token, w.a.assessmentId, { fields: { title: "no file" } });
    expect(none.statusCode).toBe(400);
    const supersedesUnknown = await upload(w.app, token, w.a.assessmentId, {
      fields: { title: "t", supersedes: "E-0777" },
      file: { name: "x.txt", content: Buffer.from("content superseding nothing") },
    });
    expect(supersedesUnknown.statusCode).toBe(400);
    expect(await blobs()).toEqual(before);
    expect(await countRows()).toBe(rows);
    const json = await w.app.inject({
      method: "POST",
      url: `/api/assessments/${w.a.assessmentId}/evidence/files`,
      headers: { authorization: `Bearer ${token}` },
      payload: { title: "json is not a file" },
    });
    expect(json.statusCode).toBe(415);
  });

  it("lists evidence in order and links a finding to it", async () => {
    const list = (await bearer(w.app, token)("GET", `/api/assessments/${w.a.assessmentId}/evidence`)).json()
      .evidence;
    expect(list.map((e: { id: string }) => e.id)).toEqual(
      list.map((_: unknown, i: number) => `E-${String(i + 1).padStart(4, "0")}`),
    );
    const last = list[list.length - 1].id;
    const r = await upload(w.app, token, w.a.assessmentId, {
      fields: { title: "Second revision", supersedes: last },
      file: { name: "v2.txt", content: Buffer.from("revision two") },
    });
    expect(r.json().supersedes).toBe(last);
  });
});
