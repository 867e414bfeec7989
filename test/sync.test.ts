// `cairn push` and `cairn pull` against a real server over HTTP: a round trip gives the same bytes
// and the same dossier; a push onto a copy that changed is refused with what changed; an invalid
// folder is refused whole; a pull never overwrites another assessment or unsent changes.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, ROOT } from "./helpers/cli.js";
import { DATABASES, makeWorld, type TestUser, type World } from "./server/helpers.js";

const EXAMPLE = join(ROOT, "examples", "smart-thermostat", "assessment");

function workdir(): string {
  return mkdtempSync(join(tmpdir(), "cairn-sync-"));
}

/** Every file of a folder (but the sync state in .cairn/), by relative path. */
function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const f of readdirSync(dir, { recursive: true, encoding: "utf8" }).sort()) {
    if (f.startsWith(".cairn")) continue;
    const p = join(dir, f);
    try {
      out.set(f, readFileSync(p));
    } catch {
      // a folder
    }
  }
  return out;
}

describe.each(DATABASES)("push and pull ($name)", (database) => {
  let w: World;
  let server: string;
  let token: string;
  const run = async (...args: string[]) => {
    const before = process.env.CAIRN_TOKEN;
    process.env.CAIRN_TOKEN = token;
    try {
      return await cli(...args);
    } finally {
      if (before === undefined) delete process.env.CAIRN_TOKEN;
      else process.env.CAIRN_TOKEN = before;
    }
  };

  beforeAll(async () => {
    w = await makeWorld(database);
    server = await (w.app as FastifyInstance).listen({ port: 0, host: "127.0.0.1" });
    // The worked example carries sign-offs: pushing it takes the role that may sign off.
    token = (w.a.users.assessor as TestUser).token;
  });
  afterAll(async () => {
    await w?.close();
  });

  it("a round trip gives byte-identical files, and the same dossier", async () => {
    const root = workdir();
    const a = join(root, "a");
    cpSync(EXAMPLE, a, { recursive: true });
    const pushed = await run("push", a, "--server", server, "--json");
    expect(pushed.stderr).toBe("");
    expect(pushed.code).toBe(0);
    const p = JSON.parse(pushed.stdout);
    expect(p).toMatchObject({ revision: 1, changed: true, filesSent: 9 });
    // A second push of the same folder sends nothing and changes nothing.
    const again = JSON.parse((await run("push", a, "--server", server, "--json")).stdout);
    expect(again).toMatchObject({ id: p.id, revision: 1, changed: false, filesSent: 0 });

    const b = join(root, "b");
    const pulled = await run("pull", p.id, "--server", server, "-o", b, "--json");
    expect(pulled.code).toBe(0);
    const original = files(a);
    const copy = files(b);
    expect([...copy.keys()]).toEqual([...original.keys()]);
    for (const [f, bytes] of original) expect(copy.get(f)?.equals(bytes), f).toBe(true);

    const da = join(root, "dossier-a");
    const db = join(root, "dossier-b");
    expect((await cli("dossier", "build", a, "-o", da)).code).toBe(0);
    expect((await cli("dossier", "build", b, "-o", db)).code).toBe(0);
    expect(readFileSync(`${da}.zip`).equals(readFileSync(`${db}.zip`))).toBe(true);
  }, 120_000);

  it("refuses a push onto a copy that changed since the last pull, saying what changed where", async () => {
    const root = workdir();
    const a = join(root, "a");
    cpSync(EXAMPLE, a, { recursive: true });
    const p = JSON.parse((await run("push", a, "--server", server, "--json")).stdout);
    // Someone changes a finding on the server...
    const api = async (method: string, path: string, body?: unknown) =>
      w.app.inject({
        method: method as "GET",
        url: path,
        headers: { authorization: `Bearer ${token}` },
        ...(body ? { payload: body as object } : {}),
      });
    const item = "nist-ir-8259a:2";
    const f = (await api("GET", `/api/assessments/${p.id}/findings/${encodeURIComponent(item)}`)).json();
    expect(
      (
        await api("PATCH", `/api/assessments/${p.id}/findings/${encodeURIComponent(item)}`, {
          version: f.version,
          notes: "from the web",
        })
      ).statusCode,
    ).toBe(200);
    // ...and the folder changes another one, and adds evidence.
    expect(
      (
        await cli(
          "assess",
          "set",
          "nist-ir-8259a:3",
          "--notes",
          "from the bench",
          a,
          "--by",
          "dana",
          "--date",
          "2026-10-07",
        )
      ).code,
    ).toBe(0);
    const refused = await run("push", a, "--server", server);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("the server's copy changed since your last sync (revision 1 -> 2)");
    expect(refused.stderr).toContain(`changed on the server: ${item}`);
    expect(refused.stderr).toContain("changed here: nist-ir-8259a:3");
    expect(refused.stderr).toContain("nothing was pushed or merged");
    // Nothing of the folder reached the server.
    const now = (
      await api("GET", `/api/assessments/${p.id}/findings/${encodeURIComponent("nist-ir-8259a:3")}`)
    ).json();
    expect(now.notes).not.toBe("from the bench");
  }, 120_000);

  it("an invalid folder is refused whole: every problem listed, nothing stored", async () => {
    const before = (
      await w.app.inject({
        method: "GET",
        url: "/api/assessments",
        headers: { authorization: `Bearer ${token}` },
      })
    ).json().assessments.length;
    const a = join(workdir(), "a");
    cpSync(EXAMPLE, a, { recursive: true });
    const doc = JSON.parse(readFileSync(join(a, "assessment.json"), "utf8"));
    doc.findings[1].evidence = ["E-0999"];
    doc.findings.pop();
    writeFileSync(join(a, "assessment.json"), `${JSON.stringify(doc, null, 2)}\n`);
    writeFileSync(join(a, doc.evidence[0].file.path), "tampered");
    const r = await run("push", a, "--server", server);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("cannot be pushed: nothing was sent");
    expect(r.stderr).toContain("evidence E-0999 is not recorded");
    expect(r.stderr).toMatch(/required item \S+ has no finding/);
    expect(r.stderr).toContain("SHA-256 does not match the record");
    const after = (
      await w.app.inject({
        method: "GET",
        url: "/api/assessments",
        headers: { authorization: `Bearer ${token}` },
      })
    ).json().assessments.length;
    expect(after).toBe(before);
    expect(existsSync(join(a, ".cairn", "remote.json"))).toBe(false);
  });

  it("the server refuses what the CLI would refuse (a client that skips the checks)", async () => {
    const a = join(workdir(), "a");
    cpSync(EXAMPLE, a, { recursive: true });
    const assessmentText = readFileSync(join(a, "assessment.json"), "utf8");
    const profileText = readFileSync(join(a, "profile.json"), "utf8");
    const r = await w.app.inject({
      method: "POST",
      url: "/api/assessments/import",
      headers: { authorization: `Bearer ${token}` },
      payload: { assessmentText, profileText: `${profileText} ` },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().problems[0].message).toContain("changed since the assessment adopted it");
  });

  it("a pull refuses a folder of another assessment, and one with changes not pushed", async () => {
    const root = workdir();
    const a = join(root, "a");
    cpSync(EXAMPLE, a, { recursive: true });
    const p = JSON.parse((await run("push", a, "--server", server, "--json")).stdout);
    const other = join(root, "other");
    cpSync(EXAMPLE, other, { recursive: true });
    const intoOther = await run("pull", p.id, "--server", server, "-o", other);
    expect(intoOther.code).toBe(1);
    expect(intoOther.stderr).toContain("holds another assessment");
    await cli(
      "assess",
      "set",
      "nist-ir-8259a:4",
      "--notes",
      "not pushed",
      a,
      "--by",
      "dana",
      "--date",
      "2026-10-07",
    );
    const over = await run("pull", p.id, "--server", server, "-o", a);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain("has changes not pushed");
    // Pushed, then pulled back: the same folder again.
    expect((await run("push", a, "--server", server)).code).toBe(0);
    const back = await run("pull", p.id, "--server", server, "-o", a);
    expect(back.code).toBe(0);
  }, 120_000);
});
