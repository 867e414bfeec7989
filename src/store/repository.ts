import type { AssessmentPackage } from "../assessment/package.js";
import { AssessmentRecords } from "./assessments.js";
import { type Anchor, AuditTrail } from "./audit.js";
import type { AuditKey } from "./audit-key.js";
import type { Actor, Db } from "./common.js";
import type { Store } from "./database.js";
import type { OrganisationDto, UserDto } from "./dto.js";
import { IdentityStore, type NewUser } from "./identity.js";
import { now } from "./ids.js";
import { ProductStore } from "./products.js";
import { ProfileStore } from "./profiles.js";

/**
 * Which organisation holds which evidence file: a push asks what it must still send without
 * learning what other organisations hold.
 */
export class OrgFiles {
  constructor(private readonly db: Db) {}

  async note(orgId: string, sha256: string): Promise<void> {
    await this.db
      .insertInto("org_blobs")
      .values({ org_id: orgId, sha256, created_at: now() })
      .onConflict((oc) => oc.columns(["org_id", "sha256"]).doNothing())
      .execute();
  }

  /** Of `shas`, those the organisation has not sent. */
  async missing(orgId: string, shas: string[]): Promise<string[]> {
    if (shas.length === 0) return [];
    const held = new Set<string>();
    for (let i = 0; i < shas.length; i += 500) {
      const rows = await this.db
        .selectFrom("org_blobs")
        .select("sha256")
        .where("org_id", "=", orgId)
        .where("sha256", "in", shas.slice(i, i + 500))
        .execute();
      for (const r of rows) held.add(r.sha256);
    }
    return shas.filter((s) => !held.has(s));
  }
}

export type { NewAssessment } from "./assessments.js";
export type { Actor } from "./common.js";
export {
  type AssessmentDto,
  type AssessmentSummaryDto,
  type FindingDto,
  type OrganisationDto,
  type ProductDto,
  type ProfileSummaryDto,
  ROLES,
  type Role,
  type TokenDto,
  type UserDto,
} from "./dto.js";
export { EmailUnavailableError, type NewUser, type SessionUser, userDto } from "./identity.js";

export interface RepositoryOptions {
  /** The instance's audit key (src/store/audit-key.ts): every audit entry is sealed with it. */
  auditKey: AuditKey;
  /** Told each chain's new head after every commit that changed it (the server logs it). */
  onAnchor?: (anchor: Anchor) => void;
}
export type { ProductInput } from "./products.js";

/**
 * Every read and write the server does, one store per aggregate: identity (organisations, users,
 * sessions, tokens), profiles, products, assessments (their documents, changed through the
 * assessment core). Reads of organisation-owned data take the caller's organisation and find
 * nothing outside it; writes run in one transaction with their audit entry.
 */
export class Repository {
  readonly db: Db;
  readonly identity: IdentityStore;
  readonly profiles: ProfileStore;
  readonly products: ProductStore;
  readonly assessments: AssessmentRecords;
  readonly blobs: OrgFiles;
  /** Seals audit entries and anchors chain heads: every store's writes go through its transactions. */
  readonly audit: AuditTrail;

  constructor(
    readonly store: Store,
    options: RepositoryOptions,
  ) {
    this.db = store.db;
    this.audit = new AuditTrail(store.db, options.auditKey, options.onAnchor);
    this.identity = new IdentityStore(store.db, this.audit);
    this.profiles = new ProfileStore(store.db, store.dialect, this.audit);
    this.products = new ProductStore(store.db, this.audit);
    this.assessments = new AssessmentRecords(
      store.db,
      store.dialect,
      this.profiles,
      this.products,
      this.audit,
    );
    this.blobs = new OrgFiles(store.db);
  }

  /**
   * A new organisation with its first admin and an assessment taken in whole (an assessment
   * folder's files; its evidence files already in the blob store), in one transaction: `cairn serve
   * --demo` on an empty database.
   */
  async createOrganisationWithAssessment(
    name: string,
    admin: NewUser,
    pkg: AssessmentPackage,
    actor: Actor,
  ): Promise<{ organisation: OrganisationDto; admin: UserDto; assessmentId: string; profileId: string }> {
    return this.audit.transaction(async (trx) => {
      const created = await this.identity.insertOrganisation(trx, name, admin, actor);
      const ids = await this.assessments.insertPackage(trx, created.organisation.id, pkg, actor);
      return { organisation: created.organisation, admin: created.admin as UserDto, ...ids };
    });
  }
}
