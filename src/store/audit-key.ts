import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The instance's audit key: a secret kept outside the database (the data folder's `audit.key`, or
 * `CAIRN_AUDIT_KEY`), with which every audit entry is sealed (HMAC-SHA-256 over its hash). Someone
 * who can write the database but not read the key can compute an entry's hash, not its seal: an
 * entry they append, or a chain they rewrite, does not verify. See docs/decisions/0007.
 */
export interface AuditKey {
  /** A short public name of the key (not the key): says which key sealed an entry. */
  id: string;
  bytes: Buffer;
  /** Where it came from, for messages: a file path or the environment variable. */
  source: string;
}

export const AUDIT_KEY_ENV = "CAIRN_AUDIT_KEY";
export const AUDIT_KEY_FILE = "audit.key";
const MIN_KEY_BYTES = 32;

function keyOf(text: string, source: string): AuditKey {
  const t = text.trim();
  const bytes =
    /^[0-9a-f]+$/i.test(t) && t.length % 2 === 0 ? Buffer.from(t, "hex") : Buffer.from(t, "base64url");
  if (bytes.length < MIN_KEY_BYTES)
    throw new Error(`${source}: the audit key must hold at least ${MIN_KEY_BYTES} bytes (hex or base64url)`);
  const id = createHash("sha256").update("cairn-audit-key-id\n").update(bytes).digest("hex").slice(0, 12);
  return { id, bytes, source };
}

/**
 * The audit key: `CAIRN_AUDIT_KEY` if set, else `<dataDir>/audit.key`, created (random, mode 0600)
 * when `create` and missing. Undefined when neither exists and `create` is false.
 */
export function loadAuditKey(dataDir: string, options: { create: boolean }): AuditKey | undefined {
  const env = process.env[AUDIT_KEY_ENV];
  if (env !== undefined && env !== "") return keyOf(env, AUDIT_KEY_ENV);
  const file = join(dataDir, AUDIT_KEY_FILE);
  try {
    return keyOf(readFileSync(file, "utf8"), file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  if (!options.create) return undefined;
  mkdirSync(dataDir, { recursive: true });
  try {
    // `wx`: of two processes starting together, one writes it and the other reads that one.
    writeFileSync(file, `${randomBytes(32).toString("base64url")}\n`, { flag: "wx", mode: 0o600 });
    chmodSync(file, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  return keyOf(readFileSync(file, "utf8"), file);
}

/** The seal of an entry: `v1:<key id>:<HMAC-SHA-256 of its hash, hex>`. */
export function sealOf(key: AuditKey, hash: string): string {
  return `v1:${key.id}:${createHmac("sha256", key.bytes).update(hash).digest("hex")}`;
}

export type SealCheck = "ok" | "other-key" | "forged" | "malformed";

export function checkSeal(key: AuditKey, hash: string, seal: string): SealCheck {
  const m = /^v1:([0-9a-f]{12}):([0-9a-f]{64})$/.exec(seal);
  if (!m) return "malformed";
  if (m[1] !== key.id) return "other-key";
  const want = Buffer.from(sealOf(key, hash).slice(-64), "hex");
  return timingSafeEqual(want, Buffer.from(m[2] as string, "hex")) ? "ok" : "forged";
}

/** The key id a seal names, if it is well-formed. */
export function sealKeyId(seal: string): string | undefined {
  return /^v1:([0-9a-f]{12}):/.exec(seal)?.[1];
}
