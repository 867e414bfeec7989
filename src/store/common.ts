import type { Kysely, Transaction } from "kysely";
import { ConflictError, NotFoundError } from "../core/errors.js";
import type { AuditActor } from "./audit.js";
import type { Tables } from "./schema.js";

export type Db = Kysely<Tables>;
export type Trx = Transaction<Tables>;

/** Who makes a change: recorded in the audit trail. */
export interface Actor {
  /** User id, or "cli". */
  id: string;
  email?: string;
  via: "session" | "token" | "cli" | "setup" | "reset";
  tokenId?: string;
  /** The actor's own organisation (a user's): an entry in another organisation's chain hides them. */
  orgId?: string;
}

/** How a site admin acting on another organisation appears in that organisation's chain. */
export const SITE_ADMIN_ACTOR = { id: "site-admin", via: "site-admin" } as const;

/**
 * The actor as an entry of `chain` records them. A user of another organisation (a site admin
 * creating an organisation and its first admin) is not named in this organisation's chain: its
 * admins read it, and who operates the instance is not theirs to see (the system chain says).
 */
export function auditActor(a: Actor, chain?: string): AuditActor {
  if (chain !== undefined && chain !== "system" && a.orgId !== undefined && a.orgId !== chain)
    return { ...SITE_ADMIN_ACTOR };
  const out: AuditActor = { id: a.id, via: a.via };
  if (a.email !== undefined) out.email = a.email;
  if (a.tokenId !== undefined) out.token = a.tokenId;
  return out;
}

export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

/** Rows per INSERT when many go in at once (bound parameters stay under every driver's limit). */
export const CHUNK = 200;

/**
 * After a version-checked write matched no row: the object is gone (404) or someone else changed
 * it (409 with its current state, so the client can show both and retry).
 */
export function staleOrMissing<T>(what: string, current: T | undefined): never {
  if (current === undefined) throw new NotFoundError(what);
  throw new ConflictError("stale-version", `the ${what} was changed by someone else`, current);
}

/**
 * The select / version-check / update chain every versioned record shares: `update` is a
 * conditional UPDATE ... WHERE version = ... RETURNING; when it matches nothing, `current` reads the
 * row to tell a missing object from a stale version.
 */
export async function versionedUpdate<R, D>(
  what: string,
  update: () => Promise<R | undefined>,
  current: () => Promise<R | undefined>,
  dto: (row: R) => D,
): Promise<R> {
  const row = await update();
  if (row !== undefined) return row;
  const now = await current();
  return staleOrMissing(what, now === undefined ? undefined : dto(now));
}

export function parseJson<T>(text: string | null): T | undefined {
  return text === null ? undefined : (JSON.parse(text) as T);
}
