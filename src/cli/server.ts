import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Command } from "commander";
import { CairnError, UsageError } from "../core/problem.js";
import type { DemoResult } from "../server/demo.js";
import type { GlobalOptions } from "./context.js";
import { print, toJson } from "./output.js";

// `cairn serve`, `cairn admin create`, `cairn audit verify`. The server, the store and their
// dependencies (fastify, kysely, drivers) are imported when one of these runs, not at start-up.

interface StoreOptions {
  database?: string;
  data?: string;
  pgSchema?: string;
}

function dataDir(opts: StoreOptions): string {
  return resolve(opts.data ?? process.env.CAIRN_DATA ?? ".cairn");
}

/** `--database`, else $CAIRN_DATABASE, else `<data>/cairn.db` (SQLite). */
export function databaseSpec(opts: StoreOptions): string {
  return opts.database ?? process.env.CAIRN_DATABASE ?? join(dataDir(opts), "cairn.db");
}

/**
 * The instance's audit key: $CAIRN_AUDIT_KEY, else `<data>/audit.key` (created when `create`). Every
 * instance and command on one database must use the same key (docs/server.md, "Audit trail").
 */
async function auditKeyOf(opts: StoreOptions, create: boolean) {
  const { loadAuditKey } = await import("../store/audit-key.js");
  const { isPostgresUrl } = await import("../store/database.js");
  // A SQLite file named without a data folder keeps its key beside it, so every command given
  // the same `--database` finds the same key.
  const spec = databaseSpec(opts);
  const explicitFile =
    opts.data === undefined && process.env.CAIRN_DATA === undefined && opts.database !== undefined;
  const dir = explicitFile && !isPostgresUrl(spec) ? dirname(resolve(spec)) : dataDir(opts);
  try {
    return loadAuditKey(dir, { create });
  } catch (err) {
    throw new CairnError(`cannot read the audit key: ${(err as Error).message}`);
  }
}

/** The repository of an open store, sealing audit entries with the instance's key. */
async function repositoryOf(store: import("../store/database.js").Store, opts: StoreOptions) {
  const { Repository } = await import("../store/repository.js");
  const auditKey = await auditKeyOf(opts, true);
  if (!auditKey) throw new CairnError("no audit key");
  return new Repository(store, { auditKey });
}

async function openFrom(opts: StoreOptions, options: { createKey?: boolean } = {}) {
  const { openStore } = await import("../store/database.js");
  const auditKey = await auditKeyOf(opts, options.createKey ?? true);
  try {
    const schema = opts.pgSchema ?? process.env.CAIRN_PG_SCHEMA;
    return await openStore(databaseSpec(opts), {
      ...(schema ? { schema } : {}),
      ...(auditKey ? { auditKey } : {}),
    });
  } catch (err) {
    const { isPostgresUrl, maskUrl } = await import("../store/database.js");
    const spec = databaseSpec(opts);
    throw new CairnError(
      `cannot open the database ${isPostgresUrl(spec) ? maskUrl(spec) : spec}: ${(err as Error).message}`,
    );
  }
}

function positiveInt(name: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new CairnError(`${name} must be a whole number from 1 to ${max} (got "${value}")`);
  return n;
}

function readPassword(opts: { passwordEnv?: string; passwordStdin?: boolean }): string | undefined {
  if (opts.passwordEnv !== undefined) {
    const v = process.env[opts.passwordEnv];
    if (v === undefined || v === "")
      throw new UsageError(`environment variable ${opts.passwordEnv} is not set`);
    return v;
  }
  if (opts.passwordStdin) return readFileSync(0, "utf8").replace(/\r?\n$/, "");
  return undefined;
}

/**
 * Checks that the address is free by listening on it and letting go (a port of 0 becomes the free
 * port the system chose). A busy port is the user's to change: the message says how.
 */
async function reservePort(host: string, port: number): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise<number>((resolvePort, reject) => {
    const probe = createServer();
    probe.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EADDRINUSE")
        reject(
          new CairnError(
            `port ${port} on ${host} is in use (another Cairn, or another program): try --port ${port + 1}, or --port 0 for any free port`,
          ),
        );
      else if (err.code === "EACCES")
        reject(new CairnError(`port ${port} on ${host} needs privileges: try --port 8080 or above`));
      else if (err.code === "EADDRNOTAVAIL")
        reject(new CairnError(`${host} is not an address of this machine: try --host 127.0.0.1`));
      else reject(err);
    });
    probe.listen({ port, host }, () => {
      const address = probe.address();
      const chosen = typeof address === "object" && address ? address.port : port;
      probe.close(() => resolvePort(chosen));
    });
  });
}

/**
 * `--demo --reset-demo`: deletes the data folder's SQLite database and evidence files when they
 * hold the demo organisation and nothing else, so the next start seeds it afresh.
 */
async function resetDemo(opts: StoreOptions): Promise<void> {
  const spec = databaseSpec(opts);
  const { isPostgresUrl, openStore } = await import("../store/database.js");
  if (isPostgresUrl(spec))
    throw new CairnError("--reset-demo works on the SQLite database of a data folder, not on PostgreSQL");
  if (!existsSync(spec)) return;
  const auditKey = await auditKeyOf(opts, true);
  const store = await openStore(spec, auditKey ? { auditKey } : {});
  try {
    const { DEMO_ORGANISATION } = await import("../server/demo.js");
    const orgs = await (await repositoryOf(store, opts)).identity.listOrganisations();
    const others = orgs.filter((o) => o.name !== DEMO_ORGANISATION);
    if (others.length > 0)
      throw new CairnError(
        `${spec} holds more than the demo (${others.map((o) => o.name).join(", ")}): nothing deleted. Give --data <new folder> for a fresh demo.`,
      );
  } finally {
    await store.close();
  }
  for (const f of [spec, `${spec}-wal`, `${spec}-shm`]) rmSync(f, { force: true });
  rmSync(join(dataDir(opts), "evidence"), { recursive: true, force: true });
  process.stderr.write(`cairn: demo reset: ${spec} and its evidence files deleted\n`);
}

/**
 * Registers `serve`, `admin` and `audit`. Idempotent: the CLI may call it once for each of the
 * three group names.
 */
export function registerServerCommands(program: Command): void {
  if (program.commands.some((c) => c.name() === "serve")) return;
  program
    .command("serve")
    .description("run the Cairn HTTP API (SQLite in the data folder by default, or PostgreSQL by URL)")
    .option("--port <n>", "port to listen on (0: any free port)", "8080")
    .option("--host <address>", "address to listen on", "127.0.0.1")
    .option("--database <db>", "SQLite file or postgres:// URL (default $CAIRN_DATABASE or <data>/cairn.db)")
    .option(
      "--data <dir>",
      "data folder: SQLite database and evidence files (default $CAIRN_DATA or ./.cairn)",
    )
    .option("--upload-limit <MiB>", "largest evidence file, in MiB", "50")
    .option(
      "--public-url <url>",
      "the URL users reach Cairn at; https://... (TLS at a reverse proxy) makes cookies Secure and sends HSTS",
    )
    .option("--secure-cookies", "mark cookies Secure (implied by an https --public-url)")
    .option(
      "--trust-proxy <addresses>",
      "believe X-Forwarded-For only from these reverse proxies: IP addresses or CIDR ranges, comma-separated or repeated (e.g. 127.0.0.1,10.0.0.0/24)",
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option("--log-level <level>", "fatal, error, warn, info, debug", "info")
    .option(
      "--pg-schema <name>",
      "PostgreSQL schema to keep Cairn's tables in (default $CAIRN_PG_SCHEMA or public): several installations in one database",
    )
    .option("--job-threads <n>", "worker threads building dossiers on this instance", "1")
    .option("--no-jobs", "run no background jobs on this instance (it still queues them for the others)")
    .option(
      "--job-lease <seconds>",
      "how long an instance that died keeps a job it took before another instance takes it over",
      "30",
    )
    .option(
      "--demo",
      "on a database with no user: create a demo organisation and admin (password printed once) and import the worked example assessment",
    )
    .option(
      "--reset-demo",
      "with --demo on the SQLite database of the data folder: delete the demo (its database and evidence files) and start afresh; refused if the database holds anything but the demo",
    )
    .action(async (opts: StoreOptions & Record<string, string | boolean | undefined>, cmd: Command) => {
      const global = cmd.optsWithGlobals() as GlobalOptions;
      const requested = String(opts.port) === "0" ? 0 : positiveInt("--port", String(opts.port), 65535);
      const uploadMiB = positiveInt("--upload-limit", String(opts.uploadLimit), 2000);
      const { publicUrl, trustedProxies } = await import("../server/proxy.js");
      const usage = <T>(option: string, check: () => T): T => {
        try {
          return check();
        } catch (err) {
          throw new UsageError(`${option}: ${(err as Error).message}`);
        }
      };
      const given = opts.trustProxy as unknown as string[] | undefined;
      const proxies = usage("--trust-proxy", () => trustedProxies(given ?? []));
      if (given !== undefined && proxies.length === 0)
        throw new UsageError("--trust-proxy: give the proxies' addresses");
      const url =
        opts.publicUrl === undefined
          ? undefined
          : usage("--public-url", () => publicUrl(String(opts.publicUrl)));
      if (opts.resetDemo === true && opts.demo !== true)
        throw new UsageError("--reset-demo goes with --demo");
      // Bind first: a busy port must stop the start before a demo admin (and its password, shown
      // once) is created.
      const port = await reservePort(String(opts.host), requested);
      if (opts.resetDemo === true) await resetDemo(opts);
      const store = await openFrom(opts);
      const { buildServer } = await import("../server/app.js");
      let demo: DemoResult | undefined;
      if (opts.demo === true) {
        const { seedDemo } = await import("../server/demo.js");
        try {
          const auditKey = await auditKeyOf(opts, true);
          demo = await seedDemo({ store, dataDir: dataDir(opts), ...(auditKey ? { auditKey } : {}) });
        } catch (err) {
          await store.close();
          throw err;
        }
        // The password was printed at the first start only: say how a newcomer who missed it gets in.
        if (!demo.created)
          process.stderr.write(
            "cairn: --demo: users exist already, nothing imported (the demo password was printed at the first start; lost it? npm run demo:reset, i.e. cairn serve --demo --reset-demo, seeds the demo afresh with a new one)\n",
          );
      }
      let setupSecret: string | undefined;
      if ((await (await repositoryOf(store, opts)).identity.countUsers()) === 0) {
        setupSecret = randomBytes(24).toString("base64url");
        // Written to the terminal once, never to the log.
        process.stderr.write(
          `cairn: no user exists yet. Create the first admin with\n  cairn admin create --organisation <name> --email <address> --name <name>\nor POST /api/setup with this one-time secret (valid until the server stops):\n  ${setupSecret}\n`,
        );
      }
      const auditKey = await auditKeyOf(opts, true);
      const app = await buildServer({
        store,
        dataDir: dataDir(opts),
        ...(auditKey ? { auditKey } : {}),
        logger: { level: String(opts.logLevel) },
        uploadLimitBytes: uploadMiB * 1024 * 1024,
        secureCookies: opts.secureCookies === true,
        ...(url ? { publicUrl: url.href } : {}),
        ...(proxies.length > 0 ? { trustProxy: proxies } : {}),
        closeStore: true,
        catalogs: global.catalogs ?? [],
        jobs: {
          threads: positiveInt("--job-threads", String(opts.jobThreads), 16),
          leaseMs: positiveInt("--job-lease", String(opts.jobLease), 86_400) * 1000,
          work: opts.jobs !== false,
          ...(process.env.CAIRN_JOB_EXPIRE_S
            ? { expireInSeconds: Number(process.env.CAIRN_JOB_EXPIRE_S) }
            : {}),
          ...(process.env.CAIRN_JOB_MAINTENANCE_S
            ? { maintenanceIntervalSeconds: Number(process.env.CAIRN_JOB_MAINTENANCE_S) }
            : {}),
        },
        ...(setupSecret !== undefined ? { setupSecret } : {}),
      });
      const address = await app.listen({ port, host: String(opts.host) });
      // One write: the address, and on a first demo start how to log in (the terminal only, never
      // the log; the password is shown this once).
      process.stderr.write(
        `Cairn is listening on ${address} (database ${store.description})\n${
          demo?.created
            ? `cairn: demo organisation created with the worked example assessment (${demo.findings} findings, ${demo.evidence} evidence records).\n` +
              `Open ${address} and log in as ${demo.email} with this password (shown once):\n  ${demo.password}\n`
            : ""
        }`,
      );
      await new Promise<void>((done) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          app.close().then(
            () => done(),
            () => done(),
          );
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
    });

  const admin = program.command("admin").description("instance administration");
  admin
    .command("create")
    .description(
      "create an admin: a new organisation with its first admin (--organisation), or another admin of an existing one (--org-id)",
    )
    .requiredOption("--email <address>", "the admin's e-mail address (their login)")
    .requiredOption("--name <name>", "the admin's name")
    .option("--organisation <name>", "create this organisation")
    .option("--org-id <id>", "add the admin to this existing organisation")
    .option("--password-env <VAR>", "read the password from this environment variable")
    .option("--password-stdin", "read the password from standard input")
    .option("--site-admin", "may create organisations (the first user always may)")
    .option("--database <db>", "SQLite file or postgres:// URL")
    .option("--pg-schema <name>", "PostgreSQL schema (default $CAIRN_PG_SCHEMA or public)")
    .option("--data <dir>", "data folder (default ./.cairn)")
    .action(async (opts: StoreOptions & Record<string, string | boolean | undefined>, cmd: Command) => {
      const global = cmd.optsWithGlobals() as GlobalOptions;
      if ((opts.organisation === undefined) === (opts.orgId === undefined))
        throw new UsageError(
          "give --organisation <name> (a new organisation) or --org-id <id> (an existing one)",
        );
      const email = String(opts.email);
      // The one check and normalisation of the API (src/core/email.ts); the store applies it again
      // and refuses an address that is, or looks like, another user's.
      const { emailProblem } = await import("../core/email.js");
      const problem = emailProblem(email.trim());
      if (problem !== undefined) throw new CairnError(`--email: ${problem}`);
      const { MIN_PASSWORD_LENGTH, hashPassword } = await import("../server/passwords.js");
      let password = readPassword(opts as { passwordEnv?: string; passwordStdin?: boolean });
      const generated = password === undefined;
      password ??= randomBytes(18).toString("base64url");
      if (password.length < MIN_PASSWORD_LENGTH)
        throw new UsageError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
      const store = await openFrom(opts);
      try {
        const { ConflictError, InvalidError, NotFoundError } = await import("../store/errors.js");
        const repo = await repositoryOf(store, opts);
        const first = (await repo.identity.countUsers()) === 0;
        const user = {
          email,
          name: String(opts.name),
          role: "admin" as const,
          siteAdmin: first || opts.siteAdmin === true,
          passwordHash: await hashPassword(password),
        };
        const actor = { id: "cli", via: "cli" as const };
        let result: { organisation: { id: string; name: string }; admin: { id: string; email: string } };
        try {
          if (opts.organisation !== undefined) {
            const r = await repo.identity.createOrganisation(String(opts.organisation), user, actor);
            result = { organisation: r.organisation, admin: r.admin as { id: string; email: string } };
          } else {
            const org = await repo.identity.getOrganisation(String(opts.orgId));
            result = { organisation: org, admin: await repo.identity.createUser(org.id, user, actor) };
          }
        } catch (err) {
          if (err instanceof ConflictError || err instanceof NotFoundError) throw new CairnError(err.message);
          if (err instanceof InvalidError)
            throw new CairnError(
              `${err.message}: ${err.problems.map((p) => `${p.location ?? ""} ${p.message}`.trim()).join("; ")}`,
            );
          throw err;
        }
        if (global.json) {
          print(
            toJson({
              organisation: result.organisation,
              admin: result.admin,
              siteAdmin: user.siteAdmin,
              ...(generated ? { password } : {}),
            }),
          );
        } else {
          print(
            `created admin ${result.admin.email} (${result.admin.id}) of ${result.organisation.name} (${result.organisation.id})${user.siteAdmin ? ", site admin" : ""}`,
          );
          if (generated)
            print(
              `password (shown once; change it after logging in, on the account page or POST /api/auth/password): ${password}`,
            );
        }
      } finally {
        await store.close();
      }
    });

  const audit = program.command("audit").description("the audit trail");
  audit
    .command("verify")
    .description(
      "check every audit hash chain: names any edited, removed or reordered entry (exit 1 if one is found)",
    )
    .option("--database <db>", "SQLite file or postgres:// URL")
    .option("--pg-schema <name>", "PostgreSQL schema (default $CAIRN_PG_SCHEMA or public)")
    .option("--data <dir>", "data folder (default ./.cairn)")
    .option("--chain <id>", "check only this chain (an organisation id, or system)")
    .option(
      "--expect-head <chain=hash>",
      "also require a chain to hold a hash written down earlier (detects a rewritten chain); repeatable",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option(
      "--anchors <file>",
      "chain heads recorded outside the database: the server's log (auditAnchor lines), a dossier's manifest.json, or lines <chain> <seq> <hash>; each must still hold (repeatable)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .action(
      async (
        opts: StoreOptions & { chain?: string; expectHead: string[]; anchors: string[] },
        cmd: Command,
      ) => {
        const global = cmd.optsWithGlobals() as GlobalOptions;
        const expectHashes = opts.expectHead.map((expectation) => {
          const eq = expectation.indexOf("=");
          if (eq < 1) throw new UsageError("--expect-head takes <chain>=<hash>");
          return { chain: expectation.slice(0, eq), hash: expectation.slice(eq + 1) };
        });
        const { parseAnchors, verifyAudit } = await import("../store/audit.js");
        const anchors = [];
        for (const file of opts.anchors) {
          let text: string;
          try {
            text = readFileSync(file, "utf8");
          } catch (err) {
            throw new CairnError(
              `--anchors ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
            );
          }
          const parsed = parseAnchors(text, file);
          if (parsed.problems.length > 0)
            throw new CairnError(
              `--anchors ${file}: not a list of anchors`,
              parsed.problems.map((message) => ({ message })),
            );
          anchors.push(...parsed.anchors);
        }
        // Verification never creates a key: without one, seals are only checked to be there.
        const key = await auditKeyOf(opts, false);
        const store = await openFrom(opts, { createKey: false });
        try {
          const report = await verifyAudit(store.db, opts.chain !== undefined ? [opts.chain] : undefined, {
            key,
            anchors,
            expectHashes,
          });
          if (global.json) print(toJson(report));
          else {
            for (const c of report.chains) print(`${c.chain}: ${c.entries} entries, head ${c.head}`);
            if (!key)
              process.stderr.write(
                "cairn: no audit key (data folder audit.key or $CAIRN_AUDIT_KEY): seals were not checked\n",
              );
            if (report.ok)
              print(
                `audit trail ok (${report.chains.length} chains${key ? `, sealed with key ${key.id}` : ""})`,
              );
          }
          if (!report.ok)
            throw new CairnError(
              "the audit trail has been tampered with",
              report.problems.map((p) => ({ message: p.message })),
            );
        } finally {
          await store.close();
        }
      },
    );
}
