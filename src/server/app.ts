import { readFileSync } from "node:fs";
import cookie from "@fastify/cookie";
import multipart from "@fastify/multipart";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import { Ajv, type Options as AjvOptions } from "ajv";
import addFormatsModule from "ajv-formats";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import { bundledPath } from "../core/paths.js";
import { type JobOptions, Jobs } from "../jobs/service.js";
import { SYSTEM_CHAIN } from "../store/audit.js";
import { type AuditKey, loadAuditKey } from "../store/audit-key.js";
import { openBlobStore } from "../store/blobs.js";
import type { Store } from "../store/database.js";
import { Repository } from "../store/repository.js";
import { installAuth } from "./auth.js";
import type { ServerContext } from "./context.js";
import { errorHandler, HttpError } from "./errors.js";
import { findNul } from "./nul.js";
import { DEFAULT_PASSWORD_COST, hashPassword } from "./passwords.js";
import { publicUrl, trustedProxies } from "./proxy.js";
import { databaseRateLimitStore } from "./rate-limit-store.js";
import { sharedReference } from "./reference.js";
import { assessmentRoutes } from "./routes/assessments.js";
import { auditRoutes } from "./routes/audit.js";
import { authRoutes } from "./routes/auth.js";
import { catalogRoutes } from "./routes/catalogs.js";
import { changeRoutes } from "./routes/changes.js";
import { designRoutes } from "./routes/design.js";
import { evidenceRoutes } from "./routes/evidence.js";
import { jobRoutes } from "./routes/jobs.js";
import { organisationRoutes } from "./routes/organisations.js";
import { productRoutes } from "./routes/products.js";
import { profileRoutes } from "./routes/profiles.js";
import { referenceRoutes } from "./routes/reference.js";
import { reportRoutes } from "./routes/reports.js";
import { syncRoutes } from "./routes/sync.js";
import { defaultWebRoot, installSecurityHeaders, installWeb } from "./web.js";

export interface ServerOptions {
  /** An open store (see openStore); the server does not close it unless `closeStore`. */
  store: Store;
  /** Folder for evidence files with SQLite (PostgreSQL keeps them in the database). */
  dataDir: string;
  /** Fastify logger: false (default), true, or options (level, stream...). Redaction is always added. */
  logger?: boolean | Record<string, unknown>;
  /** Largest evidence file in bytes (default 50 MiB). */
  uploadLimitBytes?: number;
  /** Login and setup attempts per client address per window (default 10 per minute). */
  loginRateLimit?: { max: number; timeWindowMs: number };
  /** Mark cookies Secure (serve over HTTPS, or behind a TLS-terminating proxy). Implied by an https `publicUrl`. */
  secureCookies?: boolean;
  /**
   * The URL users reach Cairn at (`--public-url`). With https://, cookies are Secure and every
   * response carries Strict-Transport-Security: browsers then refuse plain HTTP to this host.
   */
  publicUrl?: string;
  /** Session lifetime (default 12 hours). */
  sessionTtlMs?: number;
  /** scrypt cost, log2(N), for new password hashes (default 15; tests use less). */
  passwordCost?: number;
  /** First start: the secret that lets POST /api/setup create the first admin while no user exists. */
  setupSecret?: string;
  /** Extra catalog files or folders beside the bundled ones. */
  catalogs?: string[];
  closeStore?: boolean;
  /**
   * The reverse proxies whose X-Forwarded-For is believed (addresses, CIDR ranges; see
   * `trustedProxies` in proxy.ts), so that rate limits see the client's address. Requests from
   * any other address keep their own address whatever header they send.
   */
  trustProxy?: string[];
  /**
   * The built web UI to serve at `/` (default: dist/web of the package; `null`: no UI, non-API
   * paths then answer a short text saying how to build it).
   */
  webRoot?: string | null;
  /** The version of Cairn written into dossiers (default: package.json's). */
  toolVersion?: string;
  /** Background jobs: worker threads, lease, whether this instance runs jobs at all. */
  jobs?: JobOptions;
  /**
   * The instance's audit key (every audit entry is sealed with it). Default: $CAIRN_AUDIT_KEY, else
   * `<dataDir>/audit.key`, created at the first start. Every instance on one database shares it.
   */
  auditKey?: AuditKey;
}

/** Never logged: credentials in headers and bodies, whatever the log level. */
export const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  "headers.authorization",
  "headers.cookie",
  "body.password",
  "body.secret",
  "*.password",
  "*.secret",
  "*.token",
  "*.csrfToken",
];

/** Cairn's version, from its package.json. */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(bundledPath("package.json"), "utf8")) as { version?: unknown };
    return typeof pkg.version === "string" ? pkg.version : "0.0.0";
  } catch {
    return "0.0.0";
  }
}

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

/**
 * Bodies are JSON and validated as sent: a number where a string belongs is an error, not coerced.
 * Query strings and path parameters are text by nature: "3" becomes 3 where an integer is wanted.
 */
function validatorCompiler() {
  const make = (options: AjvOptions) => {
    const ajv = new Ajv({
      allErrors: true,
      strict: false,
      useDefaults: true,
      removeAdditional: false,
      ...options,
    });
    addFormats(ajv);
    return ajv;
  };
  const body = make({ coerceTypes: false });
  const text = make({ coerceTypes: "array" });
  return ({ schema, httpPart }: { schema: object; httpPart?: string }) =>
    (httpPart === "body" ? body : text).compile(schema);
}

/**
 * The Cairn HTTP API, ready to `listen` or `inject` (it does not listen by itself). Every route
 * validates its input with JSON Schema, authenticates before reading a body, and answers errors
 * as `{ code, message, problems?, current? }`.
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const logger =
    options.logger === undefined || options.logger === false
      ? false
      : {
          ...(options.logger === true ? {} : options.logger),
          redact: { paths: REDACT_PATHS, censor: "[redacted]" },
        };
  const uploadBytes = options.uploadLimitBytes ?? 50 * 1024 * 1024;
  const fastifyOptions: FastifyServerOptions = {
    logger,
    bodyLimit: 2 * 1024 * 1024,
    trustProxy:
      options.trustProxy && options.trustProxy.length > 0 ? trustedProxies(options.trustProxy) : false,
    return503OnClosing: true,
    // A browser keeps connections open; closing the server must not wait for them.
    forceCloseConnections: true,
  };
  const https = options.publicUrl !== undefined && publicUrl(options.publicUrl).protocol === "https:";
  const app = Fastify(fastifyOptions);
  const repo = new Repository(options.store, {
    auditKey: options.auditKey ?? (loadAuditKey(options.dataDir, { create: true }) as AuditKey),
    // Each chain's new head, outside the database: a later rewrite of the chain is detected
    // against the log (`cairn audit verify --anchors <log>`).
    onAnchor: (auditAnchor) => app.log.info({ auditAnchor }, "audit chain head"),
  });
  const passwordCost = options.passwordCost ?? DEFAULT_PASSWORD_COST;
  const blobs = openBlobStore(options.store, options.dataDir);
  const toolVersion = options.toolVersion ?? packageVersion();
  const jobs = new Jobs(options.store, repo, blobs, toolVersion, {
    ...options.jobs,
    catalogs: options.catalogs ?? [],
  });
  const ctx: ServerContext = {
    repo,
    ref: sharedReference(options.catalogs ?? []),
    blobs,
    jobs,
    limits: {
      uploadBytes,
      loginMax: options.loginRateLimit?.max ?? 10,
      loginWindowMs: options.loginRateLimit?.timeWindowMs ?? 60_000,
      sessionTtlMs: options.sessionTtlMs ?? 12 * 3600 * 1000,
      secureCookies: https || (options.secureCookies ?? false),
      passwordCost,
    },
    dummyHash: await hashPassword("cairn-dummy-password", passwordCost),
    setupSecret: { value: options.setupSecret },
    assessmentCache: new Map(),
    toolVersion,
  };

  app.setValidatorCompiler(validatorCompiler());
  app.setErrorHandler(errorHandler);
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "Cairn API",
        version: "1",
        description:
          "IoT device cybersecurity conformity workbench: catalogs, SP 800-213 profiles, products, assessments, findings, evidence, audit trail.",
      },
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer", description: "API token (cairn_pat_...)" },
          session: { type: "apiKey", in: "cookie", name: "cairn_session" },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  await app.register(cookie);
  // Counters in the database: every instance on it counts the same attempts.
  await app.register(rateLimit, {
    global: false,
    // A client going over a limit is audited once per window (the store sees the first excess).
    store: databaseRateLimitStore(options.store.db, ({ client, route }) =>
      repo.audit.record({
        chain: SYSTEM_CHAIN,
        actor: { id: "anonymous", via: "anonymous" },
        action: "auth.rate-limited",
        target: `client:${client}`,
        detail: { client, route },
      }),
    ) as never,
  });
  await app.register(multipart, {
    throwFileSizeLimit: true,
    limits: { fileSize: uploadBytes, files: 1, fields: 20, parts: 21 },
  });
  installAuth(app, repo);
  // U+0000 in any string of the body, query or path: 400 naming the field (see nul.ts).
  app.addHook("preValidation", async (request) => {
    for (const [part, value] of [
      ["body", request.body],
      ["query", request.query],
      ["params", request.params],
    ] as const) {
      const at = findNul(value, part);
      if (at !== undefined)
        throw new HttpError(400, "invalid-request", "the request is invalid", [
          { location: at, message: "contains a NUL character (U+0000), which no field accepts" },
        ]);
    }
  });
  app.addHook("onSend", async (_request, reply, payload) => {
    if (!reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
    return payload;
  });
  installSecurityHeaders(app, { hsts: https });
  await installWeb(app, options.webRoot === null ? undefined : (options.webRoot ?? defaultWebRoot()));

  app.get("/api/openapi.json", { config: { auth: { public: true } }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  app.get(
    "/api/health",
    {
      config: { auth: { public: true } },
      schema: {
        tags: ["meta"],
        summary: "Liveness: the server answers and its database does",
        response: {
          200: { type: "object", properties: { ok: { type: "boolean" }, database: { type: "string" } } },
        },
      },
    },
    async () => {
      await repo.identity.countUsers();
      return { ok: true, database: options.store.dialect };
    },
  );
  authRoutes(app, ctx);
  organisationRoutes(app, ctx);
  catalogRoutes(app, ctx);
  profileRoutes(app, ctx);
  referenceRoutes(app, ctx);
  productRoutes(app, ctx);
  assessmentRoutes(app, ctx);
  designRoutes(app, ctx);
  changeRoutes(app, ctx);
  evidenceRoutes(app, ctx);
  reportRoutes(app, ctx);
  jobRoutes(app, ctx);
  syncRoutes(app, ctx);
  auditRoutes(app, ctx);

  await jobs.start();
  app.addHook("onClose", async () => jobs.stop());

  if (options.closeStore) app.addHook("onClose", async () => options.store.close());
  await app.ready();
  return app;
}
