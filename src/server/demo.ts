import { randomBytes } from "node:crypto";
import { createReadStream, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Assessment } from "../assessment/model.js";
import { ASSESSMENT_FILE, readAssessmentFolder } from "../assessment/store.js";
import { bundledPath } from "../core/paths.js";
import { CairnError } from "../core/problem.js";
import { type AuditKey, loadAuditKey } from "../store/audit-key.js";
import { openBlobStore } from "../store/blobs.js";
import type { Store } from "../store/database.js";
import { ConflictError } from "../store/errors.js";
import { type Actor, Repository } from "../store/repository.js";
import { DEFAULT_PASSWORD_COST, hashPassword } from "./passwords.js";

// `cairn serve --demo`: on a database without users, an organisation with an admin and the worked
// example (examples/smart-thermostat/assessment) imported in whole, so the UI opens on a full
// assessment. Nothing happens once a user exists.

export const DEMO_ORGANISATION = "Northwind Controls (demo)";
export const DEMO_EMAIL = "admin@northwind-controls.example";
export const DEMO_NAME = "Demo Admin";

export function demoExampleDir(): string {
  return bundledPath("examples", "smart-thermostat", "assessment");
}

export interface DemoOptions {
  store: Store;
  /** The server's data folder: evidence files go to <data>/evidence/ (SQLite; PostgreSQL keeps them itself). */
  dataDir: string;
  /** scrypt cost of the admin's password hash (default: the server's). */
  passwordCost?: number;
  /** The assessment folder to import (default: the bundled worked example). */
  exampleDir?: string;
  /** The instance's audit key (default: the data folder's, as the server's). */
  auditKey?: AuditKey;
}

export type DemoResult =
  | { created: false }
  | {
      created: true;
      organisationId: string;
      assessmentId: string;
      email: string;
      /** Generated; shown once. */
      password: string;
      findings: number;
      evidence: number;
    };

const DEMO_ACTOR: Actor = { id: "cli", via: "cli" };

/**
 * Seeds the demo when the database has no user; otherwise does nothing. The example is read and
 * its evidence files checked and received before anything is written, and the organisation, the
 * admin and the assessment are written in one transaction: a failure leaves nothing behind.
 */
export async function seedDemo(options: DemoOptions): Promise<DemoResult> {
  const repo = new Repository(options.store, {
    auditKey: options.auditKey ?? (loadAuditKey(options.dataDir, { create: true }) as AuditKey),
  });
  if ((await repo.identity.countUsers()) > 0) return { created: false };
  const dir = options.exampleDir ?? demoExampleDir();
  const folder = readAssessmentFolder(dir);
  const a: Assessment = folder.assessment;
  const blobs = openBlobStore(options.store, options.dataDir);
  try {
    // Files first: content-addressed, so one that is never used harms nothing.
    const shas = new Set<string>();
    for (const e of a.evidence) {
      if (!e.file || shas.has(e.file.sha256)) continue;
      const r = await blobs.put(createReadStream(join(dir, e.file.path)), Number.MAX_SAFE_INTEGER);
      if (r.sha256 !== e.file.sha256)
        throw new CairnError(`${e.file.path}: SHA-256 ${r.sha256}, the record says ${e.file.sha256}`);
      shas.add(r.sha256);
    }
    const password = randomBytes(18).toString("base64url");
    const passwordHash = await hashPassword(password, options.passwordCost ?? DEFAULT_PASSWORD_COST);
    const result = await repo.createOrganisationWithAssessment(
      DEMO_ORGANISATION,
      { email: DEMO_EMAIL, name: DEMO_NAME, role: "admin", siteAdmin: true, passwordHash },
      {
        assessmentText: readFileSync(join(dir, ASSESSMENT_FILE), "utf8"),
        profileText: readFileSync(join(dir, a.profile.file), "utf8"),
      },
      DEMO_ACTOR,
    );
    for (const sha of shas) await repo.blobs.note(result.organisation.id, sha);
    return {
      created: true,
      organisationId: result.organisation.id,
      assessmentId: result.assessmentId,
      email: DEMO_EMAIL,
      password,
      findings: a.findings.length,
      evidence: a.evidence.length,
    };
  } catch (err) {
    // Another instance seeded the same database at the same moment: its demo stands.
    if (err instanceof ConflictError && err.code === "email-taken") return { created: false };
    throw err;
  }
}
