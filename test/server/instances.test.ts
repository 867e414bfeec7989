// Two `cairn serve` processes on one PostgreSQL database behave as one: what one writes the other
// reads (records, evidence files, sessions), the audit chain stays valid under writes through both,
// the login limit is one limit, a job queued on one is done by the other, and a job whose instance
// is killed mid-way is still done, once. Runs the built CLI as a real server would run.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";

const PG = process.env.CAIRN_TEST_PG_URL;

interface Instance {
  name: string;
  url: string;
  child: ChildProcess;
  pid: number;
  stderr: () => string;
}

const schema = `inst_${process.pid}_${randomBytes(3).toString("hex")}`;
const running: Instance[] = [];

async function start(
  name: string,
  extra: string[] = [],
  env: Record<string, string> = {},
): Promise<Instance> {
  const child = spawn(
    process.execPath,
    [
      "bin/cairn.js",
      "serve",
      "--port",
      "0",
      "--database",
      PG as string,
      "--pg-schema",
      schema,
      "--log-level",
      "warn",
      "--job-lease",
      "3",
      ...extra,
    ],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, CAIRN_JOB_EXPIRE_S: "4", CAIRN_JOB_MAINTENANCE_S: "1", ...env },
    },
  );
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += String(d);
  });
  child.stdout?.resume();
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: no address in time: ${stderr}`)), 60_000);
    child.stderr?.on("data", () => {
      const m = /Cairn is listening on (http:\/\/\S+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    child.on("exit", (code) => reject(new Error(`${name} exited ${code}: ${stderr}`)));
  });
  const inst = { name, url, child, pid: child.pid as number, stderr: () => stderr };
  running.push(inst);
  return inst;
}

async function stop(i: Instance, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (i.child.exitCode !== null || i.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => i.child.once("exit", () => resolve()));
  i.child.kill(signal);
  await exited;
}

interface Session {
  cookie: string;
  csrf: string;
}

async function api(
  i: Instance,
  method: string,
  path: string,
  auth: { token?: string; session?: Session },
  body?: unknown,
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.session) {
    headers.cookie = auth.session.cookie;
    if (method !== "GET") headers["x-csrf-token"] = auth.session.csrf;
  }
  if (body !== undefined) headers["content-type"] = "application/json";
  return fetch(`${i.url}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

async function login(i: Instance, email: string, password: string): Promise<Session & { status: number }> {
  const r = await fetch(`${i.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  const cookies = r.headers.getSetCookie().map((c) => c.split(";")[0]);
  const csrf = r.ok ? ((await r.json()) as { csrfToken: string }).csrfToken : "";
  return { status: r.status, cookie: cookies.join("; "), csrf };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 90_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe.runIf(PG)("two server instances on one PostgreSQL database", () => {
  let a: Instance;
  let b: Instance;
  let admin: { email: string; password: string };
  let token: string;
  let assessment: string;
  const db = () => new pg.Client({ connectionString: PG, options: `-c search_path=${schema}` });

  beforeAll(async () => {
    // The first start seeds the demo (the worked example): the other instance finds users and seeds nothing.
    a = await start("A", ["--demo"]);
    const m = /log in as (\S+) with this password \(shown once\):\n\s+(\S+)/.exec(a.stderr());
    if (!m) throw new Error(`no demo login printed: ${a.stderr()}`);
    admin = { email: m[1] as string, password: m[2] as string };
    b = await start("B");
    const s = await login(a, admin.email, admin.password);
    const t = await api(a, "POST", "/api/auth/tokens", { session: s }, { name: "instances test" });
    token = ((await t.json()) as { secret: string }).secret;
    const list = await api(b, "GET", "/api/assessments", { token });
    assessment = ((await list.json()) as { assessments: { id: string }[] }).assessments[0]?.id as string;
  }, 180_000);

  afterAll(async () => {
    await Promise.all(running.map((i) => stop(i, "SIGKILL")));
    const c = new pg.Client({ connectionString: PG, statement_timeout: 30_000 });
    await c.connect();
    try {
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.query(`DROP SCHEMA IF EXISTS "${schema}_jobs" CASCADE`);
    } finally {
      await c.end();
    }
  });

  it("what one writes the other reads: records, sessions, evidence files", async () => {
    const made = await api(
      a,
      "POST",
      "/api/products",
      { token },
      { manufacturer: "Acme", model: "Bridge", category: "hub" },
    );
    expect(made.status).toBe(201);
    const id = ((await made.json()) as { id: string }).id;
    expect(
      ((await (await api(b, "GET", `/api/products/${id}`, { token })).json()) as { model: string }).model,
    ).toBe("Bridge");
    // A session made through one instance works through the other.
    const s = await login(b, admin.email, admin.password);
    expect(s.status).toBe(200);
    const me = await api(a, "GET", "/api/auth/me", { session: s });
    expect(me.status).toBe(200);
    // A file uploaded to one is downloaded, byte for byte, from the other.
    const content = Buffer.from(`bench log ${randomBytes(8).toString("hex")}\n`);
    const form = new FormData();
    form.set("title", "Bench log");
    form.set("file", new Blob([content]), "bench.log");
    const up = await fetch(`${a.url}/api/assessments/${assessment}/evidence/files`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(up.status).toBe(201);
    const e = (await up.json()) as { id: string };
    const down = await api(b, "GET", `/api/assessments/${assessment}/evidence/${e.id}/file`, { token });
    expect(down.status).toBe(200);
    expect(Buffer.from(await down.arrayBuffer()).equals(content)).toBe(true);
    // A finding changed through B is what A serves.
    const item = (
      (await (await api(a, "GET", `/api/assessments/${assessment}`, { token })).json()) as {
        findings: { item: string; version: number }[];
      }
    ).findings[5] as { item: string; version: number };
    const changed = await api(
      b,
      "PATCH",
      `/api/assessments/${assessment}/findings/${encodeURIComponent(item.item)}`,
      { token },
      {
        version: item.version,
        notes: "seen through B",
      },
    );
    expect(changed.status).toBe(200);
    const seen = (await (
      await api(a, "GET", `/api/assessments/${assessment}/findings/${encodeURIComponent(item.item)}`, {
        token,
      })
    ).json()) as { notes?: string };
    expect(seen.notes).toBe("seen through B");
  });

  it("keeps the audit chain valid under concurrent writes through both", async () => {
    await Promise.all(
      Array.from({ length: 24 }, (_, n) =>
        api(
          n % 2 ? a : b,
          "POST",
          "/api/products",
          { token },
          { manufacturer: "Acme", model: `c${n}`, category: "x" },
        ),
      ),
    );
    const report = await api(a, "GET", "/api/audit/verify", { token });
    const body = (await report.json()) as { ok: boolean };
    expect(body.ok).toBe(true);
  });

  it("counts login attempts once for both: the limit holds whichever instance is asked", async () => {
    const email = `nobody-${randomBytes(3).toString("hex")}@example.test`;
    const statuses: number[] = [];
    for (let n = 0; n < 12; n++) statuses.push((await login(n % 2 ? a : b, email, "wrong password")).status);
    // Ten attempts a minute per address (the default), the two logins above included: the ninth
    // attempt here is the eleventh, refused on whichever instance (one limit per instance would let
    // twenty through).
    expect(statuses.slice(0, 8)).toEqual(Array(8).fill(401));
    expect(statuses.slice(8)).toEqual([429, 429, 429, 429]);
  });

  it("a job queued on an instance that runs none is done by the other", async () => {
    const c = await start("C (queues only)", ["--no-jobs"]);
    const r = await api(c, "POST", `/api/assessments/${assessment}/dossier-jobs`, { token }, {});
    expect(r.status).toBe(202);
    const job = (await r.json()) as { id: string };
    const done = await waitFor("the job", async () => {
      const j = (await (await api(c, "GET", `/api/jobs/${job.id}`, { token })).json()) as {
        state: string;
        result?: { sha256?: string };
      };
      return j.state === "done" || j.state === "failed" ? j : undefined;
    });
    expect(done.state).toBe("done");
    const file = await api(c, "GET", `/api/jobs/${job.id}/result`, { token });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/zip");
    await stop(c);
  }, 120_000);

  it("a job whose instance is killed mid-way is done by another, once", async () => {
    const r = await api(a, "POST", `/api/assessments/${assessment}/dossier-jobs`, { token }, { draft: true });
    const job = (await r.json()) as { id: string };
    const client = db();
    await client.connect();
    try {
      // Whichever instance took it: kill it while it runs.
      const worker = await waitFor("the job to start", async () => {
        const row = (await client.query("select state, worker from jobs where id = $1", [job.id])).rows[0] as
          | { state: string; worker: string | null }
          | undefined;
        return row?.state === "running" && row.worker ? row.worker : undefined;
      });
      const holder = [a, b].find((i) => worker.startsWith(`${i.pid}-`));
      expect(holder, `held by ${worker}`).toBeDefined();
      await stop(holder as Instance, "SIGKILL");
      const survivor = holder === a ? b : a;
      const done = await waitFor("the job to be done after the kill", async () => {
        const row = (
          await client.query("select state, attempts, worker, result from jobs where id = $1", [job.id])
        ).rows[0] as { state: string; attempts: number; worker: string; result: string | null };
        return row.state === "done" || row.state === "failed" ? row : undefined;
      });
      expect(done.state).toBe("done");
      expect(Number(done.attempts)).toBeGreaterThanOrEqual(2);
      expect(done.worker.startsWith(`${survivor.pid}-`)).toBe(true);
      // Done once: one row, done, with one result the survivor serves.
      expect(
        (await client.query("select count(*)::int as n from jobs where id = $1", [job.id])).rows[0].n,
      ).toBe(1);
      const file = await api(survivor, "GET", `/api/jobs/${job.id}/result`, { token });
      expect(file.status).toBe(200);
    } finally {
      await client.end();
    }
  }, 180_000);
});
