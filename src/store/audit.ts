import type { Kysely, Transaction } from "kysely";
import { type AuditKey, checkSeal, sealKeyId, sealOf } from "./audit-key.js";
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
export function entryHash(e: Omit<AuditEntryTable, "hash" | "seal">): string {
  return sha256Hex(entryText(e, canonicalJson(JSON.parse(e.actor)), canonicalJson(JSON.parse(e.detail))));
}

/**
 * The canonical JSON of an entry, from its actor and detail already in canonical JSON: the same
 * text as `canonicalJson` of the whole (keys in sorted order: action, actor, at, chain, detail,
 * prev, seq, target), without parsing and re-encoding them for every entry a change writes.
 */
function entryText(e: Omit<AuditEntryTable, "hash" | "seal">, actor: string, detail: string): string {
  if (!Number.isSafeInteger(Number(e.seq)))
    throw new Error(`audit entry sequence ${e.seq} is not an integer`);
  const j = JSON.stringify;
  return `{"action":${j(e.action)},"actor":${actor},"at":${j(e.at)},"chain":${j(e.chain)},"detail":${detail},"prev":${j(e.prev_hash)},"seq":${j(Number(e.seq))},"target":${j(e.target)}}`;
}

/** Where a chain stands after a change: written outside the database to detect a rewrite later. */
export interface Anchor {
  chain: string;
  seq: number;
  hash: string;
}

interface OpenTransaction {
  trail: AuditTrail;
  entries: AuditEntry[];
}

/** The transactions an AuditTrail has open, so `appendAudit(trx, ...)` finds its key and anchors. */
const open = new WeakMap<object, OpenTransaction>();

/**
 * The audit trail of one database: seals every entry with the instance's key (kept outside the
 * database), and after each commit hands the new head of each chain it changed to `onAnchor`
 * (the server writes it to its log), so a rewrite of the chain can be detected later against it.
 * Every transaction that appends audit entries runs through `transaction` (the stores' `tx`).
 */
export class AuditTrail {
  constructor(
    private readonly db: Kysely<Tables>,
    readonly key: AuditKey,
    private readonly onAnchor?: (anchor: Anchor) => void,
  ) {}

  /** Runs `fn` in a transaction in which `appendAudit` may be called; anchors after the commit. */
  async transaction<T>(fn: (trx: Transaction<Tables>) => Promise<T>): Promise<T> {
    const state: OpenTransaction = { trail: this, entries: [] };
    const result = await this.db.transaction().execute(async (trx) => {
      open.set(trx, state);
      return fn(trx);
    });
    if (this.onAnchor && state.entries.length > 0) {
      const heads = new Map<string, AuditEntry>();
      for (const e of state.entries) heads.set(e.chain, e);
      for (const e of heads.values()) this.onAnchor({ chain: e.chain, seq: e.seq, hash: e.hash });
    }
    return result;
  }

  /** One entry in a transaction of its own: a refusal, a download, a read. */
  record(input: AuditInput): Promise<AuditEntry> {
    return this.transaction((trx) => appendAudit(trx, input));
  }
}

/**
 * Appends an entry to its chain, inside the caller's transaction (one of an AuditTrail's) so the
 * change and its record commit together, sealed with the trail's key. Three statements: the head
 * row is moved on first (on PostgreSQL that row lock serialises the writers of one chain; SQLite
 * serialises all writers anyway); its row is created at a chain's first entry.
 */
export async function appendAudit(trx: Transaction<Tables>, input: AuditInput): Promise<AuditEntry> {
  const state = open.get(trx);
  if (!state) throw new Error("an audit entry must be appended in a transaction of the AuditTrail");
  const advance = () =>
    trx
      .updateTable("audit_heads")
      .set((eb) => ({ seq: eb("seq", "+", 1) }))
      .where("chain", "=", input.chain)
      .returning(["seq", "hash"])
      .executeTakeFirst();
  let head = await advance();
  if (!head) {
    // A chain's first entry (two writers may start one at once: the insert is idempotent).
    await trx
      .insertInto("audit_heads")
      .values({ chain: input.chain, seq: 0, hash: GENESIS_HASH })
      .onConflict((oc) => oc.column("chain").doNothing())
      .execute();
    head = await advance();
    if (!head) throw new Error(`audit chain ${input.chain}: its head row cannot be created`);
  }
  const full = sealedRow(state, input, Number(head.seq), head.hash, now());
  await trx.insertInto("audit_entries").values(full).execute();
  await trx.updateTable("audit_heads").set({ hash: full.hash }).where("chain", "=", input.chain).execute();
  const entry = toEntry(full);
  state.entries.push(entry);
  return entry;
}

function sealedRow(
  state: OpenTransaction,
  input: AuditInput,
  seq: number,
  prev: string,
  at: string,
): AuditEntryTable {
  const actor = canonicalJson(input.actor);
  const detail = canonicalJson(input.detail);
  const row: Omit<AuditEntryTable, "hash" | "seal"> = {
    chain: input.chain,
    seq,
    at,
    actor,
    action: input.action,
    target: input.target,
    detail,
    prev_hash: prev,
  };
  const hash = sha256Hex(entryText(row, actor, detail));
  return { ...row, hash, seal: sealOf(state.trail.key, hash) };
}

/** Rows per INSERT: well under SQLite's and PostgreSQL's limits on bound parameters (10 a row). */
const INSERT_BATCH = 100;

/**
 * Appends several entries to one chain in order, as `appendAudit` one by one would (same sequence
 * numbers, hashes and seals), with a constant number of statements per hundred entries: a change
 * that accepts two hundred proposals writes two hundred entries.
 */
export async function appendAuditMany(
  trx: Transaction<Tables>,
  chain: string,
  inputs: readonly Omit<AuditInput, "chain">[],
): Promise<AuditEntry[]> {
  if (inputs.length === 0) return [];
  if (inputs.length === 1)
    return [await appendAudit(trx, { ...(inputs[0] as Omit<AuditInput, "chain">), chain })];
  const state = open.get(trx);
  if (!state) throw new Error("an audit entry must be appended in a transaction of the AuditTrail");
  const n = inputs.length;
  const advance = () =>
    trx
      .updateTable("audit_heads")
      .set((eb) => ({ seq: eb("seq", "+", n) }))
      .where("chain", "=", chain)
      .returning(["seq", "hash"])
      .executeTakeFirst();
  let head = await advance();
  if (!head) {
    await trx
      .insertInto("audit_heads")
      .values({ chain, seq: 0, hash: GENESIS_HASH })
      .onConflict((oc) => oc.column("chain").doNothing())
      .execute();
    head = await advance();
    if (!head) throw new Error(`audit chain ${chain}: its head row cannot be created`);
  }
  const at = now();
  let seq = Number(head.seq) - n;
  let prev = head.hash;
  const rows: AuditEntryTable[] = [];
  for (const input of inputs) {
    const row = sealedRow(state, { ...input, chain }, ++seq, prev, at);
    rows.push(row);
    prev = row.hash;
  }
  for (let i = 0; i < rows.length; i += INSERT_BATCH)
    await trx
      .insertInto("audit_entries")
      .values(rows.slice(i, i + INSERT_BATCH))
      .execute();
  await trx.updateTable("audit_heads").set({ hash: prev }).where("chain", "=", chain).execute();
  const entries = rows.map(toEntry);
  state.entries.push(...entries);
  return entries;
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
  kind:
    | "edited"
    | "missing"
    | "out-of-order"
    | "truncated"
    | "malformed"
    /** No seal: not written by Cairn (inserted into the database by hand). */
    | "unsealed"
    /** A seal that the instance's key does not make: forged. */
    | "forged"
    /** Sealed with another key than the one given. */
    | "other-key"
    /** Differs from an anchor recorded outside the database. */
    | "rewritten";
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
  /** Whether the seals were checked against the key (without it only missing seals are found). */
  sealsChecked: boolean;
  /** The key's public id, when one was given. */
  keyId?: string;
}

export interface VerifyOptions {
  /** The instance's audit key: each entry's seal is checked with it. */
  key?: AuditKey | undefined;
  /** Chain heads recorded earlier outside the database: the entry at `seq` must still have `hash`. */
  anchors?: readonly Anchor[];
  /** Hashes recorded earlier without their number (`--expect-head chain=hash`): must be in the chain. */
  expectHashes?: readonly { chain: string; hash: string }[];
}

const PAGE = 1000;

/**
 * Walks each chain in sequence order and checks that entries are numbered 1, 2, 3... without a
 * gap (a removed entry), that each names the hash of the one before it (reordering, removal,
 * replacement), that each hash matches the entry's content (an edit), that each carries a seal
 * (and, given the key, that the key makes it: an entry appended or a chain rewritten by someone
 * without the key), and that the chain ends where its head says (entries cut off the end). Then
 * against anchors recorded outside the database: a chain rewritten by someone with the key, or cut
 * back. Reports the first break of each chain, and each anchor that does not hold.
 */
export async function verifyAudit(
  db: Kysely<Tables>,
  chains?: string[],
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const key = options.key;
  const anchors = options.anchors ?? [];
  const expected = options.expectHashes ?? [];
  let names = chains;
  if (!names) {
    const a = await db.selectFrom("audit_heads").select("chain").execute();
    const b = await db.selectFrom("audit_entries").select("chain").distinct().execute();
    names = [
      ...new Set([...a.map((r) => r.chain), ...b.map((r) => r.chain), ...anchors.map((x) => x.chain)]),
    ].sort();
  }
  const report: VerifyReport = {
    ok: true,
    chains: [],
    problems: [],
    sealsChecked: key !== undefined,
    ...(key ? { keyId: key.id } : {}),
  };
  for (const chain of names) {
    const problem = (seq: number, kind: AuditProblem["kind"], message: string) => {
      report.problems.push({ chain, seq, kind, message: `audit chain ${chain}, entry ${seq}: ${message}` });
    };
    const anchored = new Map<number, string>();
    for (const x of anchors) if (x.chain === chain) anchored.set(x.seq, "");
    const wanted = new Set(expected.filter((x) => x.chain === chain).map((x) => x.hash));
    const seen = new Set<string>();
    let next = 1;
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
        if (anchored.has(seq)) anchored.set(seq, row.hash);
        if (wanted.has(row.hash)) seen.add(row.hash);
        if (broken) continue;
        if (seq !== next) {
          problem(next, "missing", `missing (the next entry found is ${seq}): removed`);
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
        if (row.seal === null || row.seal === "") {
          problem(
            seq,
            "unsealed",
            `${row.action} on ${row.target}: has no seal: not written by Cairn (added to the database by hand)`,
          );
          broken = true;
          continue;
        }
        if (key) {
          const check = checkSeal(key, row.hash, row.seal);
          if (check === "other-key") {
            problem(
              seq,
              "other-key",
              `${row.action} on ${row.target}: sealed with another key (${sealKeyId(row.seal)}) than the one given (${key.id})`,
            );
            broken = true;
            continue;
          }
          if (check !== "ok") {
            problem(
              seq,
              "forged",
              `${row.action} on ${row.target}: its seal is not the audit key's: forged (written by someone without the key)`,
            );
            broken = true;
            continue;
          }
        }
        prev = row.hash;
        next++;
      }
      if (rows.length < PAGE) break;
    }
    const last = next - 1;
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
    for (const x of anchors) {
      if (x.chain !== chain) continue;
      const found = anchored.get(x.seq);
      if (!found)
        problem(
          x.seq,
          "truncated",
          `missing: an anchor recorded it (${x.hash.slice(0, 16)}...) but the chain ends at ${after}: cut back`,
        );
      else if (found !== x.hash)
        problem(
          x.seq,
          "rewritten",
          `differs from the anchor recorded outside the database (${x.hash.slice(0, 16)}..., now ${found.slice(0, 16)}...): the chain was rewritten`,
        );
    }
    for (const hash of wanted)
      if (!seen.has(hash))
        problem(
          last,
          "rewritten",
          `the recorded head ${hash.slice(0, 16)}... is not in the chain: the chain was rewritten`,
        );
    report.chains.push({ chain, entries: last, head: prev });
  }
  report.ok = report.problems.length === 0;
  return report;
}

/** Each chain's newest entry, as anchors to record outside the database. */
export async function chainHeads(db: Kysely<Tables>): Promise<Anchor[]> {
  const rows = await db.selectFrom("audit_heads").selectAll().orderBy("chain").execute();
  return rows.map((r) => ({ chain: r.chain, seq: Number(r.seq), hash: r.hash }));
}

/**
 * Anchors from a file's text: JSON lines of the server's log (`"auditAnchor":{...}`), a dossier's
 * manifest.json (its `auditAnchor`), a JSON array of anchors, or lines `<chain> <seq> <hash>`
 * (what `cairn audit anchors` prints). Unreadable lines are named.
 */
export function parseAnchors(text: string, source: string): { anchors: Anchor[]; problems: string[] } {
  const anchors: Anchor[] = [];
  const problems: string[] = [];
  const isAnchor = (v: unknown): v is Anchor => {
    const a = v as Record<string, unknown> | null;
    return (
      typeof a === "object" &&
      a !== null &&
      typeof a.chain === "string" &&
      Number.isInteger(a.seq) &&
      (a.seq as number) > 0 &&
      typeof a.hash === "string" &&
      /^[0-9a-f]{64}$/.test(a.hash)
    );
  };
  const take = (v: unknown): boolean => {
    if (Array.isArray(v)) return v.every(take);
    if (isAnchor(v)) {
      anchors.push({ chain: v.chain, seq: v.seq, hash: v.hash });
      return true;
    }
    const inner = (v as { auditAnchor?: unknown } | null)?.auditAnchor;
    if (inner !== undefined && isAnchor(inner)) {
      anchors.push({ chain: inner.chain, seq: inner.seq, hash: inner.hash });
      return true;
    }
    return false;
  };
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      if (take(JSON.parse(trimmed))) return { anchors, problems };
    } catch {
      // JSON lines, not one document: read line by line below.
    }
  }
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const l = line.trim();
    if (l === "" || l.startsWith("#")) return;
    if (l.startsWith("{")) {
      let v: unknown;
      try {
        v = JSON.parse(l);
      } catch {
        problems.push(`${source}:${i + 1}: not JSON`);
        return;
      }
      // Log lines without an anchor are simply other log lines.
      if (!take(v) && (v as { auditAnchor?: unknown }).auditAnchor !== undefined)
        problems.push(`${source}:${i + 1}: auditAnchor is not { chain, seq, hash }`);
      return;
    }
    const m = /^(\S+)\s+(\d+)\s+([0-9a-f]{64})$/.exec(l);
    if (m) anchors.push({ chain: m[1] as string, seq: Number(m[2]), hash: m[3] as string });
    else problems.push(`${source}:${i + 1}: expected "<chain> <seq> <hash>"`);
  });
  return { anchors, problems };
}
