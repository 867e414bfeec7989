// The server off its request path, and assessments that travel: (1) `cairn push` and `cairn pull`
// of the worked example as whole processes against a real server on 127.0.0.1; (2) four dossier
// builds queued at once while `GET /api/health` and an assessment read are measured (the builds
// run in a worker thread, so the event loop keeps answering). SQLite file, server in its own
// process. Run with `npm run bench` (or `node dist/bench/server-jobs.js` after `npm run build`).
import { type ChildProcess, fork, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type AuditKey, loadAuditKey } from "../src/store/audit-key.js";
import { openStore } from "../src/store/database.js";
import { Repository } from "../src/store/repository.js";
import { ROOT } from "./process.js";
import { fmt, report, summarize } from "./stats.js";

interface Result {
  latency: { p50: number; p99: number; max: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
}) => Promise<Result>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const EXAMPLE = join(ROOT, "examples", "smart-thermostat", "assessment");
const RUNS = Number(process.env.CAIRN_BENCH_RUNS ?? 5);

async function seed(file: string): Promise<string> {
  const store = await openStore(file);
  // The key of the data folder the server is started with (the database's folder).
  const repo = new Repository(store, {
    auditKey: loadAuditKey(dirname(file), { create: true }) as AuditKey,
  });
  const actor = { id: "cli", via: "cli" as const };
  const { organisation, admin } = await repo.identity.createOrganisation(
    "Bench Labs",
    { email: "bench@bench.test", name: "Bench", role: "admin", passwordHash: "scrypt$unused" },
    actor,
  );
  const token = `cairn_pat_${randomBytes(32).toString("base64url")}`;
  await repo.identity.createToken(
    { id: admin?.id ?? "", org_id: organisation.id },
    "bench",
    token,
    undefined,
    actor,
  );
  await store.close();
  return token;
}

function startServer(file: string, dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, CAIRN_BENCH_JOBS_SERVER: JSON.stringify({ file, dataDir }) },
    execArgv: process.execArgv,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("message", (m) => resolve({ child, url: String(m) }));
    child.once("exit", (code) => reject(new Error(`bench server exited ${code}`)));
  });
}

async function serveChild(spec: { file: string; dataDir: string }): Promise<void> {
  const { buildServer } = await import("../src/server/app.js");
  const store = await openStore(spec.file);
  // The default: one worker thread for dossier builds.
  const app = await buildServer({ store, dataDir: spec.dataDir, closeStore: true });
  process.send?.(await app.listen({ port: 0, host: "127.0.0.1" }));
  process.on("disconnect", () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

/** `bin/cairn.js <args>` as a whole process, timed; its JSON output parsed. */
function cairn(args: string[], token: string): { ms: number; out: Record<string, unknown> } {
  const t = performance.now();
  const r = spawnSync(process.execPath, ["bin/cairn.js", ...args, "--json"], {
    cwd: ROOT,
    env: { ...process.env, CAIRN_TOKEN: token },
    encoding: "utf8",
  });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`cairn ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return { ms, out: JSON.parse(r.stdout) as Record<string, unknown> };
}

async function api(url: string, token: string, method: string, path: string, body?: unknown) {
  const r = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

function line(name: string, r: Result): void {
  const ok = r.latency.p99 <= 50;
  console.log(
    `${name.padEnd(52)} ${String(Math.round(r.requests.average)).padStart(6)} req/s  p50 ${fmt(r.latency.p50).padStart(8)}  p99 ${fmt(r.latency.p99).padStart(8)}  max ${fmt(r.latency.max).padStart(8)}  non-2xx ${r.non2xx + r.errors}  (budget p99 50 ms: ${ok ? "ok" : "OVER"})`,
  );
}

export async function benchServerJobs(): Promise<void> {
  console.log("\n== push, pull, and dossier jobs beside requests (SQLite, server in its own process) ==");
  const dir = mkdtempSync(join(tmpdir(), "cairn-bench-jobs-"));
  const file = join(dir, "cairn.db");
  const token = await seed(file);
  const { child, url } = await startServer(file, dir);
  try {
    // Push: each run a fresh copy of the example (a new assessment on the server, every file sent);
    // pull: each run into a new folder (every file fetched).
    const pushes: number[] = [];
    const pulls: number[] = [];
    let id = "";
    for (let i = 0; i < RUNS; i++) {
      const folder = join(dir, `push-${i}`);
      cpSync(EXAMPLE, folder, { recursive: true });
      const p = cairn(["push", folder, "--server", url], token);
      pushes.push(p.ms);
      id = String(p.out.id);
      pulls.push(cairn(["pull", id, "--server", url, "-o", join(dir, `pull-${i}`)], token).ms);
    }
    report("cairn push, worked example (new copy, all files)", pushes, 1000);
    report("cairn pull, worked example (new folder)", pulls, 1000);

    const readPath = `/api/assessments/${id}`;
    const auth = { authorization: `Bearer ${token}` };
    await autocannon({ url: `${url}${readPath}`, connections: 4, duration: 1, headers: auth });
    const seconds = Number(process.env.CAIRN_BENCH_SECONDS ?? 8);
    line(
      "GET /api/health, 4 conn, no job",
      await autocannon({ url: `${url}/api/health`, connections: 4, duration: seconds / 2 }),
    );
    line(
      "GET assessment (worked example), 4 conn, no job",
      await autocannon({ url: `${url}${readPath}`, connections: 4, duration: seconds / 2, headers: auth }),
    );

    // Four builds queued at once, then both kinds of request measured while they run.
    const started = performance.now();
    const jobs: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await api(url, token, "POST", `/api/assessments/${id}/dossier-jobs`, {});
      if (r.status !== 202) throw new Error(`dossier job refused: ${r.status} ${JSON.stringify(r.json)}`);
      jobs.push(String(r.json.id));
    }
    const [health, read] = await Promise.all([
      autocannon({ url: `${url}/api/health`, connections: 4, duration: seconds }),
      autocannon({ url: `${url}${readPath}`, connections: 4, duration: seconds, headers: auth }),
    ]);
    const running: string[] = [];
    for (const j of jobs) {
      const r = await api(url, token, "GET", `/api/jobs/${j}`);
      running.push(String(r.json.state));
    }
    line("GET /api/health, 4 conn, 4 dossier jobs queued", health);
    line("GET assessment, 4 conn, same time", read);
    console.log(`  job states at the end of the window: ${running.join(", ")}`);
    // Wait for the four to finish: how long a build takes when queued behind others.
    const done: number[] = [];
    for (const j of jobs) {
      for (;;) {
        const r = await api(url, token, "GET", `/api/jobs/${j}`);
        if (r.json.state === "done" || r.json.state === "failed") {
          if (r.json.state === "failed") throw new Error(`dossier job failed: ${String(r.json.error)}`);
          done.push(performance.now() - started);
          break;
        }
        await new Promise((res) => setTimeout(res, 100));
      }
    }
    const s = summarize(done);
    console.log(
      `${"four dossier builds queued at once, all done after".padEnd(52)} ${fmt(s.max)} (one worker thread; first done after ${fmt(s.min)})`,
    );
  } finally {
    child.disconnect();
    await new Promise((r) => child.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.env.CAIRN_BENCH_JOBS_SERVER) await serveChild(JSON.parse(process.env.CAIRN_BENCH_JOBS_SERVER));
else if (import.meta.url === `file://${process.argv[1]}`) await benchServerJobs();
