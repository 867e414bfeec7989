import type { Kysely, Transaction } from "kysely";
import { now, sha256Hex } from "./ids.js";
import type { AuditEntryTable, Tables } from "./schema.js";

/** The previous hash of a chain's first entry. */
export const GENESIS_HASH = "0".repeat(64);
export const SYSTEM_CHAIN = "system";

/**
 * Canonical JSON: object keys sorted (by UTF-16 code units), no whitespace, undefined members
 * left out. The same value always gives the same text, so its hash is stable across databases.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value))
      throw new Error("canonical JSON has no representation for a non-finite number");
    return JSON.stringify(value);
  }
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  if (typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
  }
  throw new Error(`canonical JSON cannot hold a ${typeof value}`);
}

export interface AuditActor {
  /** User id, or "cli" for changes made with the command line. */
  id: string;
  email?: string;
  /** session, token (with its id), cli, setup. */
  via: string;
  token?: string;
}

export interface AuditInput {
  /** Organisation id, or SYSTEM_CHAIN. */
  chain: string;
  actor: AuditActor;
  action: string;
  /** What was changed: `product:prd_...`, `finding:asm_...#nist-ir-8259a:1`. */
  target: string;
  detail: Record<string, unknown>;
}

export interface AuditEntry {
  chain: string;
  seq: number;
  at: string;
  actor: AuditActor;
  action: string;
  target: string;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** SHA-256 over the canonical JSON of the entry with the previous entry's hash inside it. */
export function entryHash(e: Omit<AuditEntryTable, "hash">): string {
  return sha256Hex(
    canonicalJson({
      chain: e.chain,
      seq: e.seq,
      at: e.at,
      actor: JSON.parse(e.actor) as unknown,
      action: e.action,
      target: e.target,
      detail: JSON.parse(e.detail) as unknown,
      prev: e.prev_hash,
    }),
  );
}

/**
 * Appends an entry to its chain, inside the caller's transaction so the change and its record
 * commit together. The head row is updated first: on PostgreSQL that row lock serialises writers
 * of one chain; SQLite serialises all writers anyway.
 */
export async function appendAudit(trx: Transaction<Tables>, input: AuditInput): Promise<AuditEntry> {
  await trx
    .insertInto("audit_heads")
    .values({ chain: input.chain, seq: 0, hash: GENESIS_HASH })
    .onConflict((oc) => oc.column("chain").doNothing())
    .execute();
  const head = await trx
    .updateTable("audit_heads")
    .set((eb) => ({ seq: eb("seq", "+", 1) }))
    .where("chain", "=", input.chain)
    .returning(["seq", "hash"])
    .executeTakeFirstOrThrow();
  const row: Omit<AuditEntryTable, "hash"> = {
    chain: input.chain,
    seq: Number(head.seq),
    at: now(),
    actor: canonicalJson(input.actor),
    action: input.action,
    target: input.target,
    detail: canonicalJson(input.detail),
    prev_hash: head.hash,
  };
  const hash = entryHash(row);
  await trx
    .insertInto("audit_entries")
    .values({ ...row, hash })
    .execute();
  await trx.updateTable("audit_heads").set({ hash }).where("chain", "=", input.chain).execute();
  return toEntry({ ...row, hash });
}

export function toEntry(row: AuditEntryTable): AuditEntry {
  return {
    chain: row.chain,
    seq: Number(row.seq),
    at: row.at,
    actor: JSON.parse(row.actor) as AuditActor,
    action: row.action,
    target: row.target,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export async function listAudit(
  db: Kysely<Tables>,
  chain: string,
  options: { after?: number; limit?: number } = {},
): Promise<AuditEntry[]> {
  const rows = await db
    .selectFrom("audit_entries")
    .selectAll()
    .where("chain", "=", chain)
    .where("seq", ">", options.after ?? 0)
    .orderBy("seq")
    .limit(options.limit ?? 100)
    .execute();
  return rows.map(toEntry);
}

export interface AuditProblem {
  chain: string;
  /** The entry the problem is found at. */
  seq: number;
  kind: "edited" | "missing" | "out-of-order" | "truncated" | "malformed";
  message: string;
}

export interface ChainReport {
  chain: string;
  entries: number;
  /** Hash of the last entry: write it down elsewhere to notice a rewrite of the whole chain later. */
  head: string;
}

export interface VerifyReport {
  ok: boolean;
  chains: ChainReport[];
  problems: AuditProblem[];
}

const PAGE = 1000;

/**
 * Walks each chain in sequence order and checks that entries are numbered 1, 2, 3... without a
 * gap (a removed entry), that each names the hash of the one before it (reordering, removal,
 * replacement), that each hash matches the entry's content (an edit), and that the chain ends
 * where its head says (entries cut off the end). Reports the first break of each chain.
 */
export async function verifyAudit(db: Kysely<Tables>, chains?: string[]): Promise<VerifyReport> {
  let names = chains;
  if (!names) {
    const a = await db.selectFrom("audit_heads").select("chain").execute();
    const b = await db.selectFrom("audit_entries").select("chain").distinct().execute();
    names = [...new Set([...a, ...b].map((r) => r.chain))].sort();
  }
  const report: VerifyReport = { ok: true, chains: [], problems: [] };
  for (const chain of names) {
    const problem = (seq: number, kind: AuditProblem["kind"], message: string) => {
      report.problems.push({ chain, seq, kind, message: `audit chain ${chain}, entry ${seq}: ${message}` });
    };
    let expected = 1;
    let prev = GENESIS_HASH;
    let broken = false;
    let after = 0;
    for (;;) {
      const rows = await db
        .selectFrom("audit_entries")
        .selectAll()
        .where("chain", "=", chain)
        .where("seq", ">", after)
        .orderBy("seq")
        .limit(PAGE)
        .execute();
      for (const row of rows) {
        const seq = Number(row.seq);
        after = seq;
        if (broken) continue;
        if (seq !== expected) {
          problem(expected, "missing", `missing (the next entry found is ${seq}): removed`);
          broken = true;
          continue;
        }
        if (row.prev_hash !== prev) {
          problem(
            seq,
            "out-of-order",
            `does not follow entry ${seq - 1} (its previous hash differs): entries reordered, removed or replaced`,
          );
          broken = true;
          continue;
        }
        let hash: string;
        try {
          hash = entryHash(row);
        } catch {
          problem(seq, "malformed", `${row.action} on ${row.target}: content is not valid JSON: edited`);
          broken = true;
          continue;
        }
        if (hash !== row.hash) {
          problem(seq, "edited", `${row.action} on ${row.target}: content does not match its hash: edited`);
          broken = true;
          continue;
        }
        prev = row.hash;
        expected++;
      }
      if (rows.length < PAGE) break;
    }
    const last = expected - 1;
    const head = await db.selectFrom("audit_heads").selectAll().where("chain", "=", chain).executeTakeFirst();
    if (!broken && head) {
      const headSeq = Number(head.seq);
      if (headSeq > last)
        problem(
          last + 1,
          "truncated",
          `missing: the chain ends at ${last} but ${headSeq} entries were written`,
        );
      else if (headSeq !== last || head.hash !== prev)
        problem(last, "edited", "does not match the chain head: the chain was rewritten");
    } else if (!broken && last > 0) problem(last, "truncated", "the chain head is missing: it was removed");
    report.chains.push({ chain, entries: last, head: prev });
  }
  report.ok = report.problems.length === 0;
  return report;
}
