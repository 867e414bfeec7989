import type { Jobs } from "../jobs/service.js";
import type { BlobStore } from "../store/blobs.js";
import type { Repository } from "../store/repository.js";
import type { Reference } from "./reference.js";

export interface Limits {
  uploadBytes: number;
  loginMax: number;
  loginWindowMs: number;
  sessionTtlMs: number;
  secureCookies: boolean;
  passwordCost: number;
}

/** What the routes share: storage, reference data, evidence files, limits. */
export interface ServerContext {
  repo: Repository;
  ref: Reference;
  /** Evidence files by content hash: the data folder (SQLite) or the database (PostgreSQL). */
  blobs: BlobStore;
  /** Background work (dossier builds): queued here, run by any instance that works. */
  jobs: Jobs;
  limits: Limits;
  /** A hash to check a password against when the user does not exist, so timing tells nothing. */
  dummyHash: string;
  /** One-time first-start secret; undefined once an admin exists. */
  setupSecret: { value?: string };
  /** Serialised assessments, keyed by id, valid while their revision is unchanged. */
  assessmentCache: Map<string, { revision: number; orgId: string; body: Buffer }>;
  /** The version of Cairn written into dossiers. */
  toolVersion: string;
}
