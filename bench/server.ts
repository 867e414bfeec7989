// Server hot paths under load: autocannon against a real Cairn server on 127.0.0.1 with a real
// SQLite file (WAL). The server runs in a child process, so the load generator and the server do
// not share one event loop. Run with `npm run bench` (or `npx tsx bench/server.ts`).
import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadCatalogs } from "../src/catalog/files.js";
import { loadCrosswalks } from "../src/crosswalk/files.js";
import { checkContext } from "../src/profile/context.js";
import { buildProfile } from "../src/profile/engine.js";
import { loadBundledRules, loadPresets } from "../src/profile/files.js";
import { type AuditKey, loadAuditKey } from "../src/store/audit-key.js";
import { openStore } from "../src/store/database.js";
import { newId } from "../src/store/ids.js";
import { Repository } from "../src/store/repository.js";
import { fmt, summarize } from "./stats.js";

interface Latency {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  average: number;
}
interface Result {
  latency: Latency;
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface RequestSpec {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: RequestSpec) => RequestSpec;
  onResponse?: (status: number, body: string) => void;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  pipelining?: number;
  headers?: Record<string, string>;
  requests?: RequestSpec[];
}) => Promise<Result>;

// autocannon ships no types; this is the part of its API used here.
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const SECONDS = Number(process.env.CAIRN_BENCH_SECONDS ?? 5);
const FINDINGS = 300;

function line(name: string, r: Result, cpuMs: number, budget: string, ok: boolean): void {
  const l = r.latency;
  const perRequest = r.requests.total > 0 ? (cpuMs * 1000) / r.requests.total : 0;
  console.log(
    `${name.padEnd(40)} ${String(Math.round(r.requests.average)).padStart(6)} req/s  p50 ${fmt(l.p50).padStart(8)}  p99 ${fmt(l.p99).padStart(8)}  max ${fmt(l.max).padStart(8)}  server CPU ${Math.round(perRequest)} µs/req  non-2xx ${r.non2xx + r.errors + r.timeouts}  (budget ${budget}: ${ok ? "ok" : "OVER"})`,
  );
}

/** Server CPU milliseconds (user + system) spent while `run` runs. */
async function withCpu<T>(child: ChildProcess, run: () => Promise<T>): Promise<[T, number]> {
  const ask = () =>
    new Promise<number>((resolve) => {
      child.once("message", (m) => {
        const u = m as { user: number; system: number };
        resolve((u.user + u.system) / 1000);
      });
      child.send("cpu");
    });
  const before = await ask();
  const result = await run();
  return [result, (await ask()) - before];
}

/** Seeds a SQLite file: an organisation, an editor with an API token, an assessment of 300 findings. */
async function seed(file: string) {
  const store = await openStore(file);
  const repo = new Repository(store, {
    auditKey: loadAuditKey(dirname(file), { create: true }) as AuditKey,
  });
  const actor = { id: "cli", via: "cli" as const };
  const { organisation, admin } = await repo.identity.createOrganisation(
    "Bench Labs",
    { email: "bench@bench.test", name: "Bench", role: "admin", passwordHash: "scrypt$unused" },
    actor,
  );
  const orgId = organisation.id;
  const token = `cairn_pat_${randomBytes(32).toString("base64url")}`;
  await repo.identity.createToken({ id: admin?.id ?? "", org_id: orgId }, "bench", token, undefined, actor);
  const { registry } = loadCatalogs();
  const { set } = loadCrosswalks(registry);
  const rules = loadBundledRules(registry, set);
  const preset = loadPresets().find((p) => p.id === "medical-device-military-hospital");
  const { context } = checkContext(preset?.context, rules);
  if (!context) throw new Error("bench preset does not fit the rules");
  const full = buildProfile(context, rules, registry, set, { id: newId("pro"), created: "2026-11-27" });
  const profile = { ...full, items: full.items.slice(0, FINDINGS) };
  await repo.profiles.create(orgId, profile, actor);
  const product = await repo.products.create(
    orgId,
    { manufacturer: "Bench", model: "Pump", category: "medical" },
    actor,
  );
  const a = await repo.assessments.create(
    orgId,
    {
      title: "Bench assessment",
      kind: "third-party",
      productId: product.id,
      profileId: profile.id,
      release: { version: "1.0", date: "2026-11-01" },
      assessors: [],
    },
    actor,
  );
  const uncached: number[] = [];
  for (let i = 0; i < 60; i++) {
    const t = performance.now();
    await repo.assessments.get(orgId, a.id);
    uncached.push(performance.now() - t);
  }
  await store.close();
  const items = registry.list().flatMap((c) => c.items.slice(0, 50).map((i) => i.id));
  return {
    token,
    assessmentId: a.id,
    findings: a.findings.map((f) => f.item),
    items,
    uncached: uncached.slice(10),
  };
}

/** The server, in a child process: this very file with CAIRN_BENCH_SERVER set. */
function startServer(file: string, dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, CAIRN_BENCH_SERVER: JSON.stringify({ file, dataDir }) },
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
  const app = await buildServer({ store, dataDir: spec.dataDir, closeStore: true });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  process.send?.(url);
  // The parent asks for the CPU time used so far: CPU per request tells capacity on a busy machine.
  process.on("message", (m) => {
    if (m === "cpu") process.send?.(process.cpuUsage());
  });
  process.on("disconnect", () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

export async function benchServer(): Promise<void> {
  console.log("\n== server (autocannon, SQLite WAL, server in its own process) ==");
  const dir = mkdtempSync(join(tmpdir(), "cairn-bench-"));
  const file = join(dir, "cairn.db");
  const seeded = await seed(file);
  const { child, url } = await startServer(file, dir);
  const auth = { authorization: `Bearer ${seeded.token}` };
  try {
    const u = summarize(seeded.uncached);
    console.log(
      `${`assessment of ${FINDINGS} findings from the store, uncached`.padEnd(44)} median ${fmt(u.median)}  p95 ${fmt(u.p95)}  (in process)`,
    );

    const readPath = `/api/assessments/${seeded.assessmentId}`;
    await autocannon({ url: `${url}${readPath}`, connections: 8, duration: 1, headers: auth });
    const [read, readCpu] = await withCpu(child, () =>
      autocannon({ url: `${url}${readPath}`, connections: 32, duration: SECONDS, headers: auth }),
    );
    line(
      `GET assessment (${FINDINGS} findings), 32 conn`,
      read,
      readCpu,
      "p99 30 ms",
      read.latency.p99 <= 30,
    );

    const itemRequests = seeded.items.map((id) => ({
      method: "GET",
      path: `/api/items/${encodeURIComponent(id)}`,
    }));
    await autocannon({ url, connections: 8, duration: 1, headers: auth, requests: itemRequests });
    const [items, itemsCpu] = await withCpu(child, () =>
      autocannon({ url, connections: 32, duration: SECONDS, headers: auth, requests: itemRequests }),
    );
    line("GET catalog item, 32 conn", items, itemsCpu, ">= 5000 req/s", items.requests.average >= 5000);

    // Findings are written round-robin (300 of them, 8 in flight: never two on one finding), each
    // with the version the previous answer for it gave: real, non-conflicting optimistic updates.
    // (autocannon clears a connection's context before every request, so versions live here.)
    let next = 0;
    let n = 0;
    const versions = new Map(seeded.findings.map((f) => [f, 1]));
    const verdicts = ["pass", "fail", "inconclusive"];
    const write: RequestSpec = {
      method: "PATCH",
      setupRequest(req) {
        const item = seeded.findings[next++ % seeded.findings.length] as string;
        n++;
        return {
          ...req,
          path: `/api/assessments/${seeded.assessmentId}/findings/${encodeURIComponent(item)}`,
          headers: { ...auth, "content-type": "application/json" },
          body: JSON.stringify({ version: versions.get(item), verdict: verdicts[n % 3], notes: `run ${n}` }),
        };
      },
      onResponse(status, body) {
        const parsed = JSON.parse(body) as {
          item: string;
          version: number;
          current?: { item: string; version: number };
        };
        const f = status === 200 ? parsed : parsed.current;
        if (f) versions.set(f.item, f.version);
      },
    };
    const [writes, writesCpu] = await withCpu(child, () =>
      autocannon({ url, connections: 8, duration: SECONDS, requests: [write] }),
    );
    line("PATCH finding (version-checked), 8 conn", writes, writesCpu, "p99 50 ms", writes.latency.p99 <= 50);
    if (read.non2xx + items.non2xx + writes.non2xx > 0)
      console.log("  (non-2xx answers above: the figures are not valid)");
  } finally {
    child.disconnect();
    await new Promise((r) => child.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.env.CAIRN_BENCH_SERVER) await serveChild(JSON.parse(process.env.CAIRN_BENCH_SERVER));
else if (import.meta.url === `file://${process.argv[1]}`) await benchServer();
