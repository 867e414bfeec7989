import { type Kysely, type Migration, type MigrationProvider, Migrator } from "kysely";

/**
 * Migrations as code, in order. Each runs once, inside a transaction, on SQLite and PostgreSQL
 * alike (portable types: text and integer). Never edit a migration that has shipped: add one.
 */
const MIGRATIONS: Record<string, Migration> = {
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
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Brings the schema up to date; safe to run at every start and from several processes. */
export async function migrateToLatest(db: Kysely<unknown>, schema?: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: "cairn_migrations",
    migrationLockTableName: "cairn_migrations_lock",
    // Named, so tables of the same name in another schema of the database are not taken for ours.
    ...(schema !== undefined ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    throw new Error(
      `database migration ${failed ?? ""} failed: ${(error as Error).message ?? String(error)}`,
    );
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

export const MIGRATION_NAMES = Object.keys(MIGRATIONS);
