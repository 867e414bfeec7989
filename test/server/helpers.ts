import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import pg from "pg";
import type { Assessment } from "../../src/assessment/model.js";
import { buildServer, type ServerOptions } from "../../src/server/app.js";
import { hashPassword } from "../../src/server/passwords.js";
import { type AuditKey, loadAuditKey } from "../../src/store/audit-key.js";
import { type BlobStore, openBlobStore } from "../../src/store/blobs.js";
import { type OpenStoreOptions, openStore, type Store } from "../../src/store/database.js";
import { type Actor, Repository, type Role } from "../../src/store/repository.js";

/** scrypt cost for tests: the hash format is the same, only cheaper. */
export const TEST_PASSWORD_COST = 4;
export const PASSWORD = "correct horse battery staple";

export interface TestDatabase {
  name: "sqlite" | "postgres";
  /** A fresh, empty, migrated database (its own file, or its own PostgreSQL schema). */
  open(options?: OpenStoreOptions): Promise<OpenedDatabase>;
}

export interface OpenedDatabase {
  store: Store;
  dir: string;
  /** How to reach the same database again: a file path, or the URL with the schema. */
  spec: string;
  schema?: string;
  cleanup(): Promise<void>;
}

let counter = 0;

const sqlite: TestDatabase = {
  name: "sqlite",
  async open(options = {}) {
    const dir = mkdtempSync(join(tmpdir(), "cairn-test-"));
    const file = join(dir, "cairn.db");
    const store = await openStore(file, options);
    return {
      store,
      dir,
      spec: file,
      async cleanup() {
        await store.close().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

function postgres(url: string): TestDatabase {
  return {
    name: "postgres",
    async open(options = {}) {
      const dir = mkdtempSync(join(tmpdir(), "cairn-test-"));
      const schema = `t_${process.pid}_${++counter}_${randomBytes(4).toString("hex")}`;
      const drop = async () => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await client.end();
        }
        rmSync(dir, { recursive: true, force: true });
      };
      let store: Store;
      try {
        store = await openStore(url, { ...options, schema, poolSize: 4 });
      } catch (err) {
        await drop();
        throw err;
      }
      return {
        store,
        dir,
        spec: url,
        schema,
        async cleanup() {
          await store.close().catch(() => undefined);
          await drop();
        },
      };
    },
  };
}

/**
 * The databases every storage and API test runs against: SQLite always, PostgreSQL when
 * CAIRN_TEST_PG_URL is set (scripts/ci-postgres.sh prints one; CI sets it and fails without it).
 */
export const DATABASES: TestDatabase[] = [
  sqlite,
  ...(process.env.CAIRN_TEST_PG_URL ? [postgres(process.env.CAIRN_TEST_PG_URL)] : []),
];

/** Runs raw SQL against a test database (to tamper with it as an attacker with DB access would). */
export async function rawSql(db: OpenedDatabase, sql: string): Promise<void> {
  if (db.store.dialect === "sqlite") {
    const { default: Database } = await import("better-sqlite3");
    const conn = new Database(db.spec);
    try {
      conn.exec(sql);
    } finally {
      conn.close();
    }
  } else {
    const client = new pg.Client({ connectionString: db.spec, options: `-c search_path=${db.schema}` });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }
}

/**
 * Login limits are counted in the database, so every server opened on one database shares them
 * (that is the point: one limit for every instance). A test that counts attempts from zero clears
 * the counters first.
 */
export async function resetLoginLimits(db: OpenedDatabase): Promise<void> {
  await db.store.db.deleteFrom("rate_limits").execute();
}

export const CLI_ACTOR: Actor = { id: "cli", via: "cli" };

/** A repository of a test database, sealing with the key of its data folder (the server's). */
export function repoFor(db: OpenedDatabase): Repository {
  return new Repository(db.store, { auditKey: loadAuditKey(db.dir, { create: true }) as AuditKey });
}

export type MatrixRole = Role | "site";
export const MATRIX_ROLES: MatrixRole[] = ["admin", "editor", "assessor", "viewer", "site"];

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  token: string;
}

export interface OrgFixture {
  id: string;
  users: Record<MatrixRole, TestUser | undefined>;
  productId: string;
  profileId: string;
  assessmentId: string;
  item: string;
  linkEvidence: string;
  fileEvidence: string;
}

export interface World {
  db: OpenedDatabase;
  app: FastifyInstance;
  repo: Repository;
  /** The evidence files the server keeps: its data folder (SQLite) or its database (PostgreSQL). */
  blobs: BlobStore;
  a: OrgFixture;
  b: OrgFixture;
  close(): Promise<void>;
}

let seq = 0;
export function unique(prefix: string): string {
  return `${prefix}-${process.pid}-${++seq}-${randomBytes(3).toString("hex")}`;
}

export async function makeServer(
  db: OpenedDatabase,
  options: Partial<ServerOptions> = {},
): Promise<FastifyInstance> {
  return buildServer({ store: db.store, dataDir: db.dir, passwordCost: TEST_PASSWORD_COST, ...options });
}

async function orgFixture(
  repo: Repository,
  app: FastifyInstance,
  name: string,
  withSite: boolean,
): Promise<OrgFixture> {
  const passwordHash = await hashPassword(PASSWORD, TEST_PASSWORD_COST);
  const { organisation, admin } = await repo.identity.createOrganisation(
    name,
    { email: `admin@${name}.test`, name: `${name} admin`, role: "admin", passwordHash },
    CLI_ACTOR,
  );
  const users = {} as Record<MatrixRole, TestUser | undefined>;
  const token = async (u: { id: string; email: string; role: Role }) => {
    const secret = `cairn_pat_${randomBytes(32).toString("base64url")}`;
    await repo.identity.createToken(
      { id: u.id, org_id: organisation.id },
      "test",
      secret,
      undefined,
      CLI_ACTOR,
    );
    return { ...u, token: secret };
  };
  users.admin = await token(admin as { id: string; email: string; role: Role });
  for (const role of ["editor", "assessor", "viewer"] as const) {
    const u = await repo.identity.createUser(
      organisation.id,
      { email: `${role}@${name}.test`, name: `${name} ${role}`, role, passwordHash },
      CLI_ACTOR,
    );
    users[role] = await token(u);
  }
  if (withSite) {
    const u = await repo.identity.createUser(
      organisation.id,
      {
        email: `site@${name}.test`,
        name: `${name} site admin`,
        role: "admin",
        passwordHash,
        siteAdmin: true,
      },
      CLI_ACTOR,
    );
    users.site = await token(u);
  }
  const as = bearer(app, (users.admin as TestUser).token);
  const product = await as("POST", "/api/products", {
    manufacturer: name,
    model: "Cam 1",
    category: "camera",
  });
  const profile = await as("POST", "/api/profiles", { preset: "temperature-sensor-industrial" });
  const assessment = await as("POST", "/api/assessments", {
    title: `${name} assessment`,
    kind: "self-attestation",
    productId: product.json().id,
    profileId: profile.json().profile.id,
    release: { version: "1.0.0", date: "2026-01-15" },
  });
  const assessmentId = assessment.json().id as string;
  const link = await as("POST", `/api/assessments/${assessmentId}/evidence`, {
    kind: "link",
    title: "Vulnerability disclosure policy",
    strength: "supports",
    url: "https://example.test/vdp",
    tags: ["vdp"],
  });
  const file = await upload(app, (users.admin as TestUser).token, assessmentId, {
    fields: { title: "Test report" },
    file: { name: "report.txt", content: Buffer.from(`report of ${name}\n`) },
  });
  return {
    id: organisation.id,
    users,
    productId: product.json().id,
    profileId: profile.json().profile.id,
    assessmentId,
    item: assessment.json().findings[0].item,
    linkEvidence: link.json().id,
    fileEvidence: file.json().id,
  };
}

/** Two organisations, each with a user of every role and an API token for each, and data. */
/** What the blob store holds: stored hashes, and what is still streaming in (temporary files or chunks). */
export async function storedBlobs(db: OpenedDatabase): Promise<{ stored: string[]; pending: string[] }> {
  if (db.store.dialect === "postgres") {
    const stored = (await db.store.db.selectFrom("blobs").select("sha256").execute()).map((r) => r.sha256);
    const pending = (
      await db.store.db
        .selectFrom("blob_chunks")
        .select("blob_key")
        .distinct()
        .where("blob_key", "like", "tmp:%")
        .execute()
    ).map((r) => r.blob_key);
    return { stored: stored.sort(), pending };
  }
  const dir = join(db.dir, "evidence");
  const files = existsSync(dir)
    ? readdirSync(dir, { recursive: true, encoding: "utf8" })
        .map((f) => f.split("\\").join("/"))
        .filter((f) => statSync(join(dir, f)).isFile())
    : [];
  return {
    stored: files
      .filter((f) => !f.startsWith("tmp/"))
      .map((f) => f.slice(f.lastIndexOf("/") + 1))
      .sort(),
    pending: files.filter((f) => f.startsWith("tmp/")),
  };
}

/** Every assessment document of the database, parsed. */
export async function documents(db: OpenedDatabase): Promise<Assessment[]> {
  const rows = await db.store.db.selectFrom("assessments").select("body").execute();
  return rows.map((r) => JSON.parse(r.body) as Assessment);
}

export async function makeWorld(
  database: TestDatabase,
  options: Partial<ServerOptions> = {},
): Promise<World> {
  const db = await database.open();
  const app = await makeServer(db, options);
  const repo = repoFor(db);
  const a = await orgFixture(repo, app, unique("alpha"), true);
  const b = await orgFixture(repo, app, unique("beta"), false);
  return {
    db,
    app,
    repo,
    blobs: openBlobStore(db.store, db.dir),
    a,
    b,
    async close() {
      await app.close();
      await db.cleanup();
    },
  };
}

export type Call = (
  method: InjectOptions["method"],
  url: string,
  body?: unknown,
) => Promise<LightMyRequestResponse>;

export function bearer(app: FastifyInstance, token: string | undefined): Call {
  return (method, url, body) =>
    app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(body !== undefined ? { payload: body as InjectOptions["payload"] } : {}),
    });
}

export interface MultipartInput {
  fields?: Record<string, string | string[]>;
  file?: { name: string; content: Buffer; type?: string; field?: string };
}

export function multipartBody(input: MultipartInput): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----cairn${randomBytes(8).toString("hex")}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(input.fields ?? {})) {
    for (const v of Array.isArray(value) ? value : [value])
      chunks.push(
        Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${v}\r\n`),
      );
  }
  if (input.file) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="${input.file.field ?? "file"}"; filename="${input.file.name}"\r\ncontent-type: ${input.file.type ?? "application/octet-stream"}\r\n\r\n`,
      ),
      input.file.content,
      Buffer.from("\r\n"),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}

export function upload(
  app: FastifyInstance,
  token: string | undefined,
  assessmentId: string,
  input: MultipartInput,
): Promise<LightMyRequestResponse> {
  const { payload, headers } = multipartBody(input);
  return app.inject({
    method: "POST",
    url: `/api/assessments/${assessmentId}/evidence/files`,
    payload,
    headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
}

/** Logs in with a password: the session cookie and the CSRF token. */
export async function login(
  app: FastifyInstance,
  email: string,
  password = PASSWORD,
): Promise<{ cookies: Record<string, string>; csrf: string; response: LightMyRequestResponse }> {
  const response = await app.inject({ method: "POST", url: "/api/auth/login", payload: { email, password } });
  const cookies = Object.fromEntries(response.cookies.map((c) => [c.name, c.value]));
  return { cookies, csrf: response.json().csrfToken, response };
}

/**
 * A thermostat sold to federal agencies and in the EU (five texts, mapped), its profile made from
 * its context and an assessment of one release: what the derived-view, changes and collector tests
 * start from. Returns the profile id and the assessment's API path.
 */
export async function thermostatAssessment(
  call: Call,
  productId: string,
  release = { version: "1.0.0", date: "2026-01-15" },
): Promise<{ profileId: string; base: string }> {
  const profile = await call("POST", "/api/profiles", {
    context: {
      name: "Thermostat",
      impact: { confidentiality: "low", integrity: "moderate", availability: "moderate" },
      environment: "building",
      connectivity: "internet-exposed",
      data: ["personal"],
      lifetimeYears: 10,
      markets: ["us-federal", "eu-cra"],
    },
  });
  if (profile.statusCode !== 201) throw new Error(`profile: ${profile.statusCode} ${profile.body}`);
  const a = await call("POST", "/api/assessments", {
    title: `Thermostat ${release.version}`,
    kind: "self-attestation",
    productId,
    profileId: profile.json().profile.id,
    release,
  });
  if (a.statusCode !== 201) throw new Error(`assessment: ${a.statusCode} ${a.body}`);
  return { profileId: profile.json().profile.id, base: `/api/assessments/${a.json().id}` };
}
