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
  /** Lower-cased; unique across the instance (login is by e-mail address). */
  email: string;
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

export interface AssessmentTable {
  id: string;
  org_id: string;
  product_id: string;
  profile_id: string;
  title: string;
  kind: string;
  status: string;
  /** JSON: Release. */
  release: string;
  /** JSON: Assessor[]. */
  assessors: string;
  profile_sha256: string;
  created_at: string;
  updated_at: string;
  /** Version of the assessment's own fields (title, status, assessors). */
  version: number;
  /** Bumped by every change to the assessment, its findings or its evidence (cache and ETag key). */
  revision: number;
  /** Last evidence number given out (E-0001, E-0002...). */
  evidence_seq: number;
}

export interface FindingTable {
  assessment_id: string;
  item: string;
  position: number;
  verdict: string;
  method: string | null;
  /** JSON: ImplementationStatement. */
  statement: string | null;
  notes: string | null;
  /** JSON: string[] of evidence ids. */
  evidence: string;
  /** JSON: SignOff. */
  sign_off: string | null;
  /** JSON: { release, profileItem }. */
  basis: string | null;
  updated_by: string | null;
  updated_at: string | null;
  version: number;
}

export interface EvidenceTable {
  assessment_id: string;
  id: string;
  org_id: string;
  position: number;
  kind: string;
  title: string;
  strength: string;
  /** JSON: string[]. */
  tags: string;
  file_name: string | null;
  file_sha256: string | null;
  file_size: number | null;
  media_type: string | null;
  url: string | null;
  text: string | null;
  /** JSON: tool. */
  tool: string | null;
  effective: string;
  expires: string | null;
  added_by: string;
  added_at: string;
  supersedes: string | null;
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
  profiles: ProfileTable;
  products: ProductTable;
  assessments: AssessmentTable;
  findings: FindingTable;
  evidence: EvidenceTable;
  audit_entries: AuditEntryTable;
  audit_heads: AuditHeadTable;
}
