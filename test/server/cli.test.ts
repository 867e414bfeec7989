import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerServerCommands } from "../../src/cli/server.js";
import { CairnError, formatProblem } from "../../src/core/problem.js";
import { openStore } from "../../src/store/database.js";
import { ROOT } from "../helpers/cli.js";
import { rawSql } from "./helpers.js";

/** Runs `cairn <args>` for the server command group in this process, as main.ts would. */
async function cairn(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const program = new Command("cairn").option("--json").exitOverride();
  registerServerCommands(program);
  for (const c of program.commands) {
    c.exitOverride();
    for (const s of c.commands) s.exitOverride();
  }
  let stdout = "";
  let stderr = "";
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    await program.parseAsync(args, { from: "user" });
    return { code: 0, stdout, stderr };
  } catch (e) {
    if (e instanceof CairnError) {
      stderr += `cairn: ${e.message}\n${e.problems.map((p) => `  ${formatProblem(p)}\n`).join("")}`;
      return { code: e.exitCode, stdout, stderr };
    }
    throw e;
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

describe("cairn admin create / audit verify", () => {
  let dir: string;
  let db: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "cairn-cli-"));
    db = join(dir, "cairn.db");
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates the first admin (a site admin) with a password from the environment", async () => {
    process.env.CAIRN_TEST_ADMIN_PW = "a password of some length";
    const r = await cairn(
      "--json",
      "admin",
      "create",
      "--organisation",
      "Acme Labs",
      "--email",
      "Root@Acme.test",
      "--name",
      "Root",
      "--password-env",
      "CAIRN_TEST_ADMIN_PW",
      "--database",
      db,
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ admin: { email: "root@acme.test", role: "admin" }, siteAdmin: true });
    expect(out.password).toBeUndefined();
    expect(r.stdout + r.stderr).not.toContain("a password of some length");
  });

  it("generates and prints a password when none is given; a second admin is not a site admin", async () => {
    const r = await cairn(
      "admin",
      "create",
      "--organisation",
      "Other",
      "--email",
      "b@other.test",
      "--name",
      "B",
      "--database",
      db,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/password \(shown once.*\): \S{20,}/);
    expect(r.stdout).not.toContain("site admin");
  });

  it("refuses a duplicate address and a missing organisation choice", async () => {
    const dup = await cairn(
      "admin",
      "create",
      "--organisation",
      "X",
      "--email",
      "root@acme.test",
      "--name",
      "R",
      "--database",
      db,
    );
    expect(dup.code).toBe(1);
    // Another organisation's address: refused without saying it exists there.
    expect(dup.stderr).toContain("this address cannot be used; choose another");
    const none = await cairn("admin", "create", "--email", "c@c.test", "--name", "C", "--database", db);
    expect(none.code).toBe(2);
  });

  it("verifies the audit trail, then names the entry tampered with", async () => {
    const ok = await cairn("audit", "verify", "--database", db);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("audit trail ok");
    const json = JSON.parse((await cairn("--json", "audit", "verify", "--database", db)).stdout);
    const system = json.chains.find((c: { chain: string }) => c.chain === "system");
    // Two organisations created, and the refused duplicate address (with who holds it).
    expect(system.entries).toBe(3);
    const head = await cairn("audit", "verify", "--database", db, "--expect-head", `system=${system.head}`);
    expect(head.code).toBe(0);
    // Anchors recorded outside the database (lines `<chain> <seq> <hash>`, as in a log or manifest).
    const anchors = join(dir, "anchors.txt");
    writeFileSync(anchors, `system 3 ${system.head}\n`);
    expect((await cairn("audit", "verify", "--database", db, "--anchors", anchors)).code).toBe(0);
    writeFileSync(anchors, `system 3 ${"f".repeat(64)}\n`);
    const moved = await cairn("audit", "verify", "--database", db, "--anchors", anchors);
    expect(moved.code).toBe(1);
    expect(moved.stderr).toContain("differs from the anchor recorded outside the database");
    // The key the entries were sealed with sits beside the database: seals were checked.
    expect(head.stdout).toMatch(/sealed with key [0-9a-f]{12}/);

    const store = await openStore(db);
    const org = (
      await store.db
        .selectFrom("organisations")
        .select("id")
        .where("name", "=", "Acme Labs")
        .executeTakeFirstOrThrow()
    ).id;
    await store.close();
    await rawSql(
      { store, dir, spec: db, cleanup: async () => undefined },
      `UPDATE audit_entries SET action = 'user.delete' WHERE chain = '${org}' AND seq = 1`,
    );
    const bad = await cairn("audit", "verify", "--database", db);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`audit chain ${org}, entry 1`);
    expect(bad.stderr).toContain("edited");

    await rawSql(
      { store, dir, spec: db, cleanup: async () => undefined },
      "DELETE FROM audit_entries WHERE chain = 'system' AND seq = 3",
    );
    const cut = await cairn(
      "audit",
      "verify",
      "--database",
      db,
      "--chain",
      "system",
      "--expect-head",
      `system=${system.head}`,
    );
    expect(cut.code).toBe(1);
    expect(cut.stderr).toContain("audit chain system, entry 3");
    expect(cut.stderr).toContain("rewritten");
  });
});

describe("cairn serve", () => {
  it("starts on an empty data folder, prints a one-time setup secret, serves, and stops on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cairn-serve-"));
    const script = join(ROOT, "test/server/serve-child.ts");
    const child = spawn(
      process.execPath,
      ["--import", "tsx", script, "serve", "--port", "0", "--data", join(dir, "data"), "--log-level", "warn"],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    let stdout = "";
    child.stdout.on("data", (d) => {
      stdout += String(d);
    });
    try {
      const address = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no address in time: ${stderr}`)), 15_000);
        child.stderr.on("data", (d) => {
          stderr += String(d);
          const m = /Cairn is listening on (http:\/\/\S+)/.exec(stderr);
          if (m) {
            clearTimeout(timer);
            resolve(m[1] as string);
          }
        });
        child.on("exit", (code) => reject(new Error(`exited ${code}: ${stderr}`)));
      });
      const secret = /one-time secret[^\n]*\n\s+(\S+)/.exec(stderr)?.[1];
      expect(secret).toBeDefined();
      const health = await fetch(`${address}/api/health`);
      expect(await health.json()).toEqual({ ok: true, database: "sqlite" });
      const setup = await fetch(`${address}/api/setup`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          secret,
          organisation: "First Org",
          email: "first@org.test",
          name: "First",
          password: "a long first password",
        }),
      });
      expect(setup.status).toBe(201);
      const login = await fetch(`${address}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "first@org.test", password: "a long first password" }),
      });
      expect(login.status).toBe(200);
      expect((await fetch(`${address}/api/nope`)).status).toBe(404);
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(stdout).not.toContain("a long first password");
      expect(stdout).not.toContain(secret as string);
    } finally {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("registerServerCommands", () => {
  it("registers serve, admin and audit once, however often it is called", () => {
    const program = new Command("cairn");
    registerServerCommands(program);
    registerServerCommands(program);
    registerServerCommands(program);
    expect(program.commands.map((c) => c.name())).toEqual(["serve", "admin", "audit"]);
  });
});
