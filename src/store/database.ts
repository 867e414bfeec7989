import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import {
  type ColumnMetadata,
  type DatabaseIntrospector,
  Kysely,
  PostgresDialect,
  type SqliteDatabase,
  SqliteDialect,
  sql,
  type TableMetadata,
} from "kysely";
import pg from "pg";
import type { AuditKey } from "./audit-key.js";
import { migrateToLatest } from "./migrations.js";
import type { Tables } from "./schema.js";

export type DialectName = "sqlite" | "postgres";

export interface Store {
  db: Kysely<Tables>;
  dialect: DialectName;
  /** Where the data lives, safe to print: a PostgreSQL password is masked. */
  description: string;
  /** PostgreSQL: how to connect (for the job queue's own connections) and the schema in use. */
  postgres?: { url: string; schema: string };
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Run migrations (default true). */
  migrate?: boolean;
  /**
   * PostgreSQL only: a schema to create and use (search_path), so tests and several instances can
   * share one database. Letters, digits and underscores.
   */
  schema?: string;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /** The instance's audit key, for a migration that seals audit entries (0003). */
  auditKey?: AuditKey;
}

export function isPostgresUrl(spec: string): boolean {
  return /^postgres(ql)?:\/\//i.test(spec);
}

/** A PostgreSQL URL with its password replaced, for messages and logs. */
export function maskUrl(spec: string): string {
  try {
    const u = new URL(spec);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgres://(invalid url)";
  }
}

/**
 * Kysely prepares every query anew; preparing costs more than running the small indexed queries
 * the server makes. Statements are kept by SQL text (bounded) and reused: SQLite re-prepares a
 * kept statement by itself if the schema changes.
 */
function statementCache(db: Database.Database, max = 1000): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => db.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (!statement) {
        statement = db.prepare(sql);
        cache.set(sql, statement);
        if (cache.size > max) {
          const oldest = cache.keys().next().value;
          if (oldest !== undefined) cache.delete(oldest);
        }
      }
      return statement;
    },
  };
}

/**
 * Opens the database named by `spec`: a `postgres://` URL, or else the path of a SQLite file
 * (created with its folder if missing, WAL journal). Runs the migrations unless told not to.
 */
export async function openStore(spec: string, options: OpenStoreOptions = {}): Promise<Store> {
  let store: Store;
  if (isPostgresUrl(spec)) {
    const schema = options.schema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
      throw new Error(`invalid schema name "${schema}"`);
    if (schema !== undefined) {
      const client = new pg.Client({ connectionString: spec });
      await client.connect();
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      } finally {
        await client.end();
      }
    }
    const pool = new pg.Pool({
      connectionString: spec,
      max: options.poolSize ?? 10,
      ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
    });
    const db = new Kysely<Tables>({ dialect: new SchemaPostgresDialect({ pool }, schema ?? "public") });
    store = {
      db,
      dialect: "postgres",
      postgres: { url: spec, schema: schema ?? "public" },
      description: `${maskUrl(spec)}${schema ? ` (schema ${schema})` : ""}`,
      close: () => db.destroy(),
    };
  } else {
    const file = resolve(spec);
    mkdirSync(dirname(file), { recursive: true });
    const sqlite = new Database(file);
    sqlite.pragma("journal_mode = WAL");
    // WAL with synchronous=NORMAL: durable against application crashes, a commit costs no fsync.
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("busy_timeout = 5000");
    const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: statementCache(sqlite) }) });
    store = { db, dialect: "sqlite", description: file, close: () => db.destroy() };
  }
  if (options.migrate !== false) {
    try {
      await migrateToLatest(
        store.db as Kysely<unknown>,
        store.dialect === "postgres" ? (options.schema ?? "public") : undefined,
        options.auditKey ? { auditKey: options.auditKey } : {},
      );
    } catch (err) {
      await store.close();
      throw err;
    }
  }
  return store;
}

/**
 * PostgreSQL whose introspection sees one schema. Kysely's migrator looks for its tables by listing
 * every schema's tables, and that listing fails ("schema ... does not exist") when another process
 * drops a schema of the same database meanwhile (test runs and instances each have their own): our
 * start must not depend on other schemas.
 */
class SchemaPostgresDialect extends PostgresDialect {
  constructor(
    config: ConstructorParameters<typeof PostgresDialect>[0],
    private readonly schema: string,
  ) {
    super(config);
  }

  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    const schema = this.schema;
    const base = super.createIntrospector(db);
    const getTables = async (): Promise<TableMetadata[]> => {
      const rows = await sql<{
        table: string;
        type: string;
        column: string | null;
        data_type: string | null;
        nullable: string | null;
        has_default: boolean | null;
      }>`
        select c.relname as "table", c.relkind as "type", a.attname as "column", t.typname as "data_type",
               a.attnotnull::text as "nullable", a.atthasdef as "has_default"
        from pg_catalog.pg_class c
        join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        left join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        left join pg_catalog.pg_type t on t.oid = a.atttypid
        where n.nspname = ${schema} and c.relkind in ('r', 'v', 'p')
        order by c.relname, a.attnum`.execute(db);
      const tables = new Map<string, TableMetadata & { columns: ColumnMetadata[] }>();
      for (const r of rows.rows) {
        let table = tables.get(r.table);
        if (!table) {
          table = { name: r.table, schema, isView: r.type === "v", columns: [] };
          tables.set(r.table, table);
        }
        if (r.column !== null)
          table.columns.push({
            name: r.column,
            dataType: r.data_type ?? "",
            isNullable: r.nullable !== "true",
            isAutoIncrementing: false,
            hasDefaultValue: r.has_default === true,
          });
      }
      return [...tables.values()];
    };
    return {
      getSchemas: () => base.getSchemas(),
      getTables,
      getMetadata: async () => ({ tables: await getTables() }),
    };
  }
}
