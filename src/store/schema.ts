/**
 * Table shapes as Kysely sees them. Portable column types only (text, integer), so the same
 * queries run on SQLite and PostgreSQL: timestamps are ISO 8601 text, JSON is text, booleans are
 * 0/1 integers. Every mutable record carries `version` for optimistic concurrency.
 */

export interface OrganisationTable {
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface UserTable {
  id: string;
  org_id: string;
  /** Normalised (NFKC, case folded: src/core/email.ts); unique across the instance (the login). */
  email: string;
  /**
   * The UTS #39 skeleton of the address, unique: look-alike addresses cannot coexist (a pair that
   * existed before 0003 keeps both logins: the younger's skeleton carries `#<user id>`).
   */
  email_skeleton: string | null;
  /** When an admin disabled the user: no login, no session, no token while set. */
  disabled_at: string | null;
  name: string;
  role: string;
  password_hash: string;
  /** 1 for the instance operator, who may create organisations. */
  site_admin: number;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface SessionTable {
  /** SHA-256 of the cookie value: a copy of the database does not hold usable sessions. */
  id: string;
  user_id: string;
  csrf: string;
  created_at: string;
  expires_at: string;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  org_id: string;
  name: string;
  /** SHA-256 of the secret; the secret itself is shown once and never stored. */
  token_hash: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  version: number;
}

export interface ProfileTable {
  id: string;
  org_id: string;
  title: string;
  /**
   * The profile (cairn-profile/1) as JSON. Changed only by tailoring, and only while no assessment
   * is made against it: from then on it is immutable.
   */
  body: string;
  sha256: string;
  item_count: number;
  created_at: string;
  created_by: string;
  version: number;
}

export interface ProductTable {
  id: string;
  org_id: string;
  manufacturer: string;
  model: string;
  category: string;
  created_at: string;
  updated_at: string;
  version: number;
}

/**
 * An assessment: its document (the text of its assessment.json, cairn-assessment/1, exactly as an
 * assessment folder holds it) and, beside it, the few fields lists and filters read.
 */
export interface AssessmentTable {
  id: string;
  org_id: string;
  product_id: string;
  /** The profile row the assessment is made against (its file is the document's profile.json). */
  profile_id: string;
  title: string;
  kind: string;
  status: string;
  release_version: string;
  created_at: string;
  updated_at: string;
  /** Bumped by every change: cache and ETag key, and what a push names as the copy it started from. */
  revision: number;
  body: string;
}

/** An evidence file by content hash (its bytes: blob_chunks on PostgreSQL, the data folder on SQLite). */
export interface BlobTable {
  sha256: string;
  size: number;
  created_at: string;
}

export interface BlobChunkTable {
  /** The blob's SHA-256 once complete; `tmp:<random>` while it streams in. */
  blob_key: string;
  n: number;
  data: Uint8Array;
  created_at: string;
}

export interface OrgBlobTable {
  org_id: string;
  sha256: string;
  created_at: string;
}

/** Background work (a dossier build...), picked up by any instance. */
export interface JobTable {
  id: string;
  org_id: string;
  kind: string;
  /** What it works on: `assessment:<id>`. */
  subject: string;
  /** JSON. */
  payload: string;
  state: string;
  progress: number;
  message: string | null;
  /** JSON. */
  result: string | null;
  error: string | null;
  attempts: number;
  created_by: string;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** The instance running it, and until when its claim holds without a heartbeat. */
  worker: string | null;
  lease_until: string | null;
}

export interface RateLimitTable {
  key: string;
  count: number;
  /** Epoch milliseconds. */
  reset_at: number;
}

/** A one-time link to set a password, issued by an admin. */
export interface PasswordResetTable {
  /** SHA-256 of the secret in the link: a copy of the database holds no usable link. */
  id: string;
  user_id: string;
  org_id: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** One entry of an audit chain. Rows are only ever inserted. */
export interface AuditEntryTable {
  /** The organisation id, or "system" for instance-level changes. One hash chain per value. */
  chain: string;
  seq: number;
  at: string;
  /** Canonical JSON of the actor. */
  actor: string;
  action: string;
  target: string;
  /** Canonical JSON of what changed. */
  detail: string;
  prev_hash: string;
  hash: string;
  /** HMAC of `hash` under the instance's audit key (src/store/audit-key.ts): `v1:<key id>:<hex>`. */
  seal: string | null;
}

/** The newest entry of each chain: lets verification notice entries cut off the end. */
export interface AuditHeadTable {
  chain: string;
  seq: number;
  hash: string;
}

export interface Tables {
  organisations: OrganisationTable;
  users: UserTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  password_resets: PasswordResetTable;
  profiles: ProfileTable;
  products: ProductTable;
  assessments: AssessmentTable;
  blobs: BlobTable;
  blob_chunks: BlobChunkTable;
  org_blobs: OrgBlobTable;
  jobs: JobTable;
  rate_limits: RateLimitTable;
  audit_entries: AuditEntryTable;
  audit_heads: AuditHeadTable;
}
