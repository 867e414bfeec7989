import { createHash } from "node:crypto";
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import { type AuditKey, sealOf } from "./audit-key.js";

type Dialect = "sqlite" | "postgres";

/**
 * Migrations as code, in order. Each runs once, inside a transaction, on SQLite and PostgreSQL
 * alike (portable types: text and integer, and binary where a dialect needs its own name). Never
 * edit a migration that has shipped: add one.
 */
const migrations = (dialect: Dialect, options: MigrateOptions = {}): Record<string, Migration> => ({
  "0001-initial": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("organisations")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("users")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("org_id", "text", (c) => c.notNull().references("organisations.id"))
        .addColumn("email", "text", (c) => c.notNull().unique())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("password_hash", "text", (c) => c.notNull())
        .addColumn("site_admin", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("users_org").on("users").column("org_id").execute();
      await db.schema
        .createTable("sessions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("csrf", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();
      await db.schema
        .createTable("api_tokens")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
        .addColumn("org_id", "text", (c) => c.notNull().references("organisations.id"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text")
        .addColumn("revoked_at", "text")
        .addColumn("version", "integer", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("api_tokens_user").on("api_tokens").column("user_id").execute();
      await db.schema
        .createTable("profiles")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("org_id", "text", (c) => c.notNull().references("organisations.id"))
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("sha256", "text", (c) => c.notNull())
        .addColumn("item_count", "integer", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("profiles_org").on("profiles").column("org_id").execute();
      await db.schema
        .createTable("products")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("org_id", "text", (c) => c.notNull().references("organisations.id"))
        .addColumn("manufacturer", "text", (c) => c.notNull())
        .addColumn("model", "text", (c) => c.notNull())
        .addColumn("category", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("products_org").on("products").column("org_id").execute();
      await db.schema
        .createTable("assessments")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("org_id", "text", (c) => c.notNull().references("organisations.id"))
        .addColumn("product_id", "text", (c) => c.notNull().references("products.id"))
        .addColumn("profile_id", "text", (c) => c.notNull().references("profiles.id"))
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("release", "text", (c) => c.notNull())
        .addColumn("assessors", "text", (c) => c.notNull())
        .addColumn("profile_sha256", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("revision", "integer", (c) => c.notNull())
        .addColumn("evidence_seq", "integer", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("assessments_org").on("assessments").column("org_id").execute();
      await db.schema.createIndex("assessments_product").on("assessments").column("product_id").execute();
      await db.schema
        .createTable("findings")
        .addColumn("assessment_id", "text", (c) => c.notNull().references("assessments.id"))
        .addColumn("item", "text", (c) => c.notNull())
        .addColumn("position", "integer", (c) => c.notNull())
        .addColumn("verdict", "text", (c) => c.notNull())
        .addColumn("method", "text")
        .addColumn("statement", "text")
        .addColumn("notes", "text")
        .addColumn("evidence", "text", (c) => c.notNull())
        .addColumn("sign_off", "text")
        .addColumn("basis", "text")
        .addColumn("updated_by", "text")
        .addColumn("updated_at", "text")
        .addColumn("version", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("findings_pk", ["assessment_id", "item"])
        .execute();
      await db.schema
        .createTable("evidence")
        .addColumn("assessment_id", "text", (c) => c.notNull().references("assessments.id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("org_id", "text", (c) => c.notNull().references("organisations.id"))
        .addColumn("position", "integer", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("strength", "text", (c) => c.notNull())
        .addColumn("tags", "text", (c) => c.notNull())
        .addColumn("file_name", "text")
        .addColumn("file_sha256", "text")
        .addColumn("file_size", "integer")
        .addColumn("media_type", "text")
        .addColumn("url", "text")
        .addColumn("text", "text")
        .addColumn("tool", "text")
        .addColumn("effective", "text", (c) => c.notNull())
        .addColumn("expires", "text")
        .addColumn("added_by", "text", (c) => c.notNull())
        .addColumn("added_at", "text", (c) => c.notNull())
        .addColumn("supersedes", "text")
        .addPrimaryKeyConstraint("evidence_pk", ["assessment_id", "id"])
        .execute();
      await db.schema.createIndex("evidence_sha256").on("evidence").column("file_sha256").execute();
      await db.schema
        .createTable("audit_entries")
        .addColumn("chain", "text", (c) => c.notNull())
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("target", "text", (c) => c.notNull())
        .addColumn("detail", "text", (c) => c.notNull())
        .addColumn("prev_hash", "text", (c) => c.notNull())
        .addColumn("hash", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("audit_entries_pk", ["chain", "seq"])
        .execute();
      await db.schema
        .createTable("audit_heads")
        .addColumn("chain", "text", (c) => c.primaryKey())
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("hash", "text", (c) => c.notNull())
        .execute();
    },
  },
  "0002-assessment-documents": { up: (db) => assessmentDocuments(db, dialect) },
  "0003-revocable-access-sealed-audit": { up: (db) => revocableAccess(db, options.auditKey) },
});

export interface MigrateOptions {
  /** Stop after this migration (tests of a later migration's data conversion). */
  upTo?: string;
  /**
   * The instance's audit key: 0003 seals the audit entries already written with it. Needed only
   * when such entries exist.
   */
  auditKey?: AuditKey;
}

/**
 * Brings the schema up to date; safe to run at every start and from several processes. `schema`
 * is given for PostgreSQL (its search_path schema) and not for SQLite.
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  schema?: string,
  options: MigrateOptions = {},
): Promise<string[]> {
  const all = migrations(schema === undefined ? "sqlite" : "postgres", options);
  const provider: MigrationProvider = { getMigrations: async () => all };
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: "cairn_migrations",
    migrationLockTableName: "cairn_migrations_lock",
    // Named, so tables of the same name in another schema of the database are not taken for ours.
    ...(schema !== undefined ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } =
    options.upTo === undefined ? await migrator.migrateToLatest() : await migrator.migrateTo(options.upTo);
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    throw new Error(
      `database migration ${failed ?? ""} failed: ${(error as Error).message ?? String(error)}`,
    );
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

export const MIGRATION_NAMES = Object.keys(migrations("sqlite"));

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** As src/assessment/store.ts names evidence files: the migration keeps its own copy (migrations never change). */
function safeName(name: string): string {
  return (
    (name.split(/[/\\]/).pop() ?? "")
      .replace(/[^A-Za-z0-9._-]+/g, "_")
      .replace(/^[._-]+/, "")
      .slice(0, 80) || "file"
  );
}

type Row = Record<string, unknown>;
const text = (v: unknown) => (v === null || v === undefined ? undefined : String(v));

/**
 * 0002: an assessment is one document (the text of its assessment.json), as in an assessment
 * folder, instead of rows of findings and evidence: the rules of an assessment run on that document
 * in the domain core, for the folder and the database alike (docs/decisions/0002). Existing rows
 * become documents; a profile row's hash becomes the hash of its stored text (what a pulled
 * profile.json hashes to). Adds evidence blobs (content-addressed, in the database on PostgreSQL),
 * background jobs and shared rate-limit counters.
 */
async function assessmentDocuments(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const profiles = (await sql<Row>`select id, body from profiles`.execute(db)).rows;
  const profileSha = new Map<string, string>();
  for (const p of profiles) {
    const digest = sha256(String(p.body));
    profileSha.set(String(p.id), digest);
    await sql`update profiles set sha256 = ${digest} where id = ${p.id}`.execute(db);
  }

  await db.schema
    .createTable("assessment_documents")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("product_id", "text", (c) => c.notNull().references("products.id"))
    .addColumn("profile_id", "text", (c) => c.notNull().references("profiles.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("release_version", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("revision", "integer", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .execute();

  const assessments = (
    await sql<Row>`select a.*, p.manufacturer, p.model, p.category from assessments a join products p on p.id = a.product_id`.execute(
      db,
    )
  ).rows;
  for (const a of assessments) {
    const findings = (
      await sql<Row>`select * from findings where assessment_id = ${a.id} order by position`.execute(db)
    ).rows;
    const evidence = (
      await sql<Row>`select * from evidence where assessment_id = ${a.id} order by position`.execute(db)
    ).rows;
    const doc = {
      format: "cairn-assessment/1",
      id: String(a.id),
      title: String(a.title),
      kind: String(a.kind),
      status: String(a.status),
      assessors: JSON.parse(String(a.assessors)),
      product: {
        id: String(a.product_id),
        manufacturer: a.manufacturer,
        model: a.model,
        category: a.category,
      },
      release: JSON.parse(String(a.release)),
      profile: {
        file: "profile.json",
        id: String(a.profile_id),
        sha256: profileSha.get(String(a.profile_id)),
      },
      created: String(a.created_at),
      updated: String(a.updated_at),
      findings: findings.map((f) => {
        const o: Row = { item: f.item, verdict: f.verdict, evidence: JSON.parse(String(f.evidence)) };
        if (f.method !== null) o.method = f.method;
        if (f.statement !== null) o.statement = JSON.parse(String(f.statement));
        if (f.notes !== null) o.notes = f.notes;
        if (f.basis !== null) o.basis = JSON.parse(String(f.basis));
        if (f.updated_by !== null && f.updated_at !== null)
          o.updated = { by: f.updated_by, date: f.updated_at };
        if (f.sign_off !== null) o.signOff = JSON.parse(String(f.sign_off));
        if (Number(f.version) > 1) o.version = Number(f.version);
        return o;
      }),
      evidence: evidence.map((e) => {
        const o: Row = {
          id: e.id,
          kind: e.kind,
          title: e.title,
          strength: e.strength,
          tags: JSON.parse(String(e.tags)),
        };
        const sha = text(e.file_sha256);
        if (sha)
          o.file = {
            name: text(e.file_name) ?? sha,
            path: `evidence/${sha}-${safeName(text(e.file_name) ?? "file")}`,
            sha256: sha,
            size: Number(e.file_size ?? 0),
            mediaType: text(e.media_type) ?? "application/octet-stream",
          };
        if (e.url !== null) o.url = e.url;
        if (e.text !== null) o.text = e.text;
        if (e.tool !== null) o.tool = JSON.parse(String(e.tool));
        o.effective = e.effective;
        if (e.expires !== null) o.expires = e.expires;
        o.addedBy = e.added_by;
        o.addedAt = e.added_at;
        if (e.supersedes !== null) o.supersedes = e.supersedes;
        return o;
      }),
    };
    await sql`insert into assessment_documents (id, org_id, product_id, profile_id, title, kind, status, release_version, created_at, updated_at, revision, body)
      values (${a.id}, ${a.org_id}, ${a.product_id}, ${a.profile_id}, ${a.title}, ${a.kind}, ${a.status}, ${doc.release.version}, ${a.created_at}, ${a.updated_at}, ${Number(a.revision)}, ${`${JSON.stringify(doc, null, 2)}\n`})`.execute(
      db,
    );
  }
  await db.schema.dropTable("findings").execute();
  await db.schema.dropTable("evidence").execute();
  await db.schema.dropTable("assessments").execute();
  await db.schema.alterTable("assessment_documents").renameTo("assessments").execute();
  await db.schema.createIndex("assessments_org").on("assessments").column("org_id").execute();
  await db.schema.createIndex("assessments_product").on("assessments").column("product_id").execute();
  await db.schema.createIndex("assessments_profile").on("assessments").column("profile_id").execute();

  // Evidence files by content hash. On PostgreSQL their bytes are in blob_chunks, so every server
  // instance reads the same files; SQLite keeps them in the data folder and lists them here.
  await db.schema
    .createTable("blobs")
    .addColumn("sha256", "text", (c) => c.primaryKey())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("blob_chunks")
    .addColumn("blob_key", "text", (c) => c.notNull())
    .addColumn("n", "integer", (c) => c.notNull())
    .addColumn("data", dialect === "postgres" ? sql`bytea` : "blob", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("blob_chunks_pk", ["blob_key", "n"])
    .execute();
  // Which organisation holds which file: a push asks what it must send without learning what
  // other organisations hold.
  await db.schema
    .createTable("org_blobs")
    .addColumn("org_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("org_blobs_pk", ["org_id", "sha256"])
    .execute();

  await db.schema
    .createTable("jobs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("progress", "integer", (c) => c.notNull())
    .addColumn("message", "text")
    .addColumn("result", "text")
    .addColumn("error", "text")
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("started_at", "text")
    .addColumn("finished_at", "text")
    .addColumn("worker", "text")
    .addColumn("lease_until", "text")
    .execute();
  await db.schema.createIndex("jobs_org").on("jobs").columns(["org_id", "created_at"]).execute();
  await db.schema.createIndex("jobs_state").on("jobs").columns(["state", "lease_until"]).execute();

  // Login attempts per client address, shared by every instance (a limit kept in one process's
  // memory is no limit behind a load balancer).
  await db.schema
    .createTable("rate_limits")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("count", "integer", (c) => c.notNull())
    .addColumn("reset_at", "bigint", (c) => c.notNull())
    .execute();
}

/**
 * 0003: access that can be revoked, e-mail skeletons, sealed audit entries (issue 15).
 *
 * - users: `disabled_at` (a disabled user has no session, no live token, cannot log in) and
 *   `email_skeleton` with a unique index, so look-alike logins cannot coexist. Existing addresses
 *   are normalised (NFKC, case folded) unless that makes two rows equal, and given their skeleton.
 *   Where two existing users already look alike, nobody is locked out: the older keeps the plain
 *   skeleton (so a new look-alike of either is refused) and the younger's is made unique with its
 *   id (`<skeleton>#<user id>`); the server names such pairs in its log at every start.
 * - password_resets: one-time links an admin issues (stored as the SHA-256 of the secret).
 * - audit_entries.seal: HMAC of each entry's hash under the instance's audit key (kept outside the
 *   database); entries written before are sealed here, so from now on every entry must carry a
 *   valid seal.
 */
async function revocableAccess(db: Kysely<unknown>, auditKey: AuditKey | undefined): Promise<void> {
  const { normaliseEmail, emailSkeleton } = await import("../core/email.js");
  await db.schema.alterTable("users").addColumn("disabled_at", "text").execute();
  await db.schema.alterTable("users").addColumn("email_skeleton", "text").execute();
  const users = (await sql<Row>`select id, email from users order by created_at, id`.execute(db)).rows;
  const emails = new Set(users.map((u) => String(u.email)));
  const skeletons = new Set<string>();
  for (const u of users) {
    const email = String(u.email);
    const normal = normaliseEmail(email);
    let stored = email;
    if (normal !== email && !emails.has(normal)) {
      emails.delete(email);
      emails.add(normal);
      stored = normal;
    }
    let skeleton = emailSkeleton(email);
    if (skeletons.has(skeleton)) skeleton = `${skeleton}#${String(u.id)}`;
    skeletons.add(skeleton);
    await sql`update users set email = ${stored}, email_skeleton = ${skeleton} where id = ${u.id}`.execute(
      db,
    );
  }
  await db.schema.createIndex("users_email_skeleton").unique().on("users").column("email_skeleton").execute();

  await db.schema
    .createTable("password_resets")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("org_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();
  await db.schema.createIndex("password_resets_user").on("password_resets").column("user_id").execute();

  await db.schema.alterTable("audit_entries").addColumn("seal", "text").execute();
  const count = Number((await sql<Row>`select count(*) as n from audit_entries`.execute(db)).rows[0]?.n ?? 0);
  if (count === 0) return;
  if (!auditKey)
    throw new Error(
      `${count} audit entries must be sealed with the instance's audit key: start \`cairn serve\` or \`cairn admin create\` with the data folder (its audit.key is created there) or CAIRN_AUDIT_KEY`,
    );
  let after: { chain: string; seq: number } | undefined;
  for (;;) {
    const rows = (
      after === undefined
        ? await sql<Row>`select chain, seq, hash from audit_entries order by chain, seq limit 1000`.execute(
            db,
          )
        : await sql<Row>`select chain, seq, hash from audit_entries where chain > ${after.chain} or (chain = ${after.chain} and seq > ${after.seq}) order by chain, seq limit 1000`.execute(
            db,
          )
    ).rows;
    for (const r of rows)
      await sql`update audit_entries set seal = ${sealOf(auditKey, String(r.hash))} where chain = ${r.chain} and seq = ${r.seq}`.execute(
        db,
      );
    const last = rows.at(-1);
    if (!last || rows.length < 1000) break;
    after = { chain: String(last.chain), seq: Number(last.seq) };
  }
}
