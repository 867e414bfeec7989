import { type Compilable, sql } from "kysely";
import type { AssessmentCommand, AssessmentEvent, ChangeContext } from "../assessment/changes.js";
import type { Assessment, AssessmentKind, AssessmentStatus, Assessor, Release } from "../assessment/model.js";
import { newAssessment } from "../assessment/ops.js";
import { type AssessmentPackage, checkPackage, pushRefusals } from "../assessment/package.js";
import {
  type AssessmentHandle,
  type CommandsResult,
  runCommands,
  type StoredAssessment,
  type Transition,
} from "../assessment/service.js";
import { assessmentText } from "../assessment/store.js";
import { ConflictError, InvalidError, NotFoundError } from "../core/errors.js";
import type { Profile } from "../profile/model.js";
import { type AuditEntry, type AuditTrail, appendAudit, appendAuditMany, toEntry } from "./audit.js";
import { type Actor, auditActor, type Db, type Trx } from "./common.js";
import type { AssessmentDto, AssessmentSummaryDto } from "./dto.js";
import { newId, now } from "./ids.js";
import type { ProductStore } from "./products.js";
import type { ProfileStore } from "./profiles.js";
import type { AssessmentTable } from "./schema.js";

export interface NewAssessment {
  title: string;
  kind: AssessmentKind;
  productId: string;
  profileId: string;
  release: Release;
  assessors: Assessor[];
}

/** What a pull writes: the files of an assessment folder, exactly as the server holds them. */
export interface ExportedPackage extends AssessmentPackage {
  id: string;
  revision: number;
  profileFile: string;
  files: { sha256: string; path: string; size: number }[];
}

/** A server copy's state, for a push refused because it changed: the client tells what changed where. */
export interface CopyState {
  revision: number;
  updated: string;
  findings: Record<string, number>;
  evidence: string[];
  status: AssessmentStatus;
}

export function copyState(a: Assessment, revision: number): CopyState {
  return {
    revision,
    updated: a.updated,
    findings: Object.fromEntries(a.findings.map((f) => [f.item, f.version ?? 1])),
    evidence: a.evidence.map((e) => e.id),
    status: a.status,
  };
}

/** The document with every finding's version and the server's handles: what the API returns. */
export function assessmentDto(
  row: Pick<AssessmentTable, "id" | "revision" | "product_id" | "profile_id">,
  a: Assessment,
): AssessmentDto {
  return {
    ...a,
    // The API names the assessment by its server id; the document keeps the id it was made with.
    id: row.id,
    documentId: a.id,
    findings: a.findings.map((f) => ({ ...f, version: f.version ?? 1 })),
    version: Number(row.revision),
    revision: Number(row.revision),
    productId: row.product_id,
    profileId: row.profile_id,
  };
}

function target(id: string, subject: AssessmentEvent["subject"]): string {
  if (subject === "assessment") return `assessment:${id}`;
  if ("finding" in subject) return `finding:${id}#${subject.finding}`;
  return `evidence:${id}#${subject.evidence}`;
}

/** The list columns, kept beside the document in the same write. */
function projection(a: Assessment) {
  return {
    title: a.title,
    kind: a.kind,
    status: a.status,
    release_version: a.release.version,
  };
}

const DOC_CACHE = 32;

interface Locked {
  row: Pick<AssessmentTable, "id" | "revision" | "product_id" | "profile_id">;
  stored: StoredAssessment;
}

/**
 * Assessments in SQL: one row per assessment holding its document, changed only through the
 * assessment core (the same commands the CLI runs on a folder). A change locks the row (FOR UPDATE
 * on PostgreSQL; SQLite has one writer), applies the commands, writes the document, the list columns
 * and one audit entry per event in one transaction.
 */
export class AssessmentRecords {
  private readonly revisionQuery;
  /** Parsed documents by id, valid while the revision is the stored one: never mutated (the core copies). */
  private readonly docs = new Map<string, { revision: number; assessment: Assessment }>();

  constructor(
    private readonly db: Db,
    private readonly dialect: "sqlite" | "postgres",
    private readonly profiles: ProfileStore,
    private readonly products: ProductStore,
    private readonly trail: AuditTrail,
  ) {
    this.revisionQuery = this.compiled(
      db.selectFrom("assessments").select("revision").where("id", "=", "$id").where("org_id", "=", "$org"),
    );
  }

  private compiled<R>(query: Compilable<R>): (...parameters: unknown[]) => Promise<R[]> {
    const c = query.compile();
    return async (...parameters) => (await this.db.executeQuery<R>({ ...c, parameters })).rows;
  }

  private tx<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
    return this.trail.transaction(fn);
  }

  private parsed(id: string, revision: number, body: string): Assessment {
    const hit = this.docs.get(id);
    if (hit && hit.revision === revision) return hit.assessment;
    const assessment = JSON.parse(body) as Assessment;
    this.remember(id, revision, assessment);
    return assessment;
  }

  private remember(id: string, revision: number, assessment: Assessment): void {
    this.docs.delete(id);
    this.docs.set(id, { revision, assessment });
    if (this.docs.size > DOC_CACHE) {
      const oldest = this.docs.keys().next().value;
      if (oldest !== undefined) this.docs.delete(oldest);
    }
  }

  /** Reads the row (locked for update on PostgreSQL when `lock`), the document and its profile. */
  private async read(db: Db | Trx, orgId: string, id: string, lock = false): Promise<Locked> {
    let q = db
      .selectFrom("assessments")
      .select(["id", "revision", "product_id", "profile_id"])
      .where("id", "=", id)
      .where("org_id", "=", orgId);
    if (lock && this.dialect === "postgres") q = q.forUpdate();
    const row = await q.executeTakeFirst();
    if (!row) throw new NotFoundError("assessment");
    const revision = Number(row.revision);
    const hit = this.docs.get(id);
    const assessment =
      hit && hit.revision === revision
        ? hit.assessment
        : this.parsed(
            id,
            revision,
            (await db.selectFrom("assessments").select("body").where("id", "=", id).executeTakeFirstOrThrow())
              .body,
          );
    const profile = await this.profiles.load(db, row.profile_id);
    return { row: { ...row, revision }, stored: { assessment, profile, revision } };
  }

  /** The assessment as the port sees it: what the assessment service changes. */
  handle(orgId: string, id: string, actor: Actor): AssessmentHandle {
    return {
      read: async () => (await this.read(this.db, orgId, id)).stored,
      transact: <T extends Transition>(change: (current: StoredAssessment) => T) =>
        this.tx(async (trx) => {
          const current = await this.read(trx, orgId, id, true);
          const transition = change(current.stored);
          if (transition.events.length === 0) return { stored: current.stored, transition };
          let profileId = current.row.profile_id;
          let profile = current.stored.profile;
          if (transition.profile) {
            const row = await this.profiles.insert(
              trx,
              orgId,
              transition.profile.profile,
              transition.profile.text,
              actor,
              { adoptedBy: id },
            );
            profileId = row.id;
            profile = transition.profile.profile;
          }
          const revision = current.stored.revision + 1;
          const updated = await trx
            .updateTable("assessments")
            .set({
              ...projection(transition.assessment),
              body: assessmentText(transition.assessment),
              revision,
              profile_id: profileId,
              updated_at: now(),
            })
            .where("id", "=", id)
            .where("revision", "=", current.stored.revision)
            .executeTakeFirst();
          // The row is locked (or SQLite's one writer holds it): a miss means a bug, not a race.
          if (Number(updated.numUpdatedRows) !== 1)
            throw new ConflictError("stale-version", "the assessment was changed by someone else; try again");
          const who = auditActor(actor);
          await appendAuditMany(
            trx,
            orgId,
            transition.events.map((e) => ({
              actor: who,
              action: e.action,
              target: target(id, e.subject),
              detail: e.detail,
            })),
          );
          this.remember(id, revision, transition.assessment);
          return { stored: { assessment: transition.assessment, profile, revision }, transition };
        }),
    };
  }

  /** Runs commands of the assessment core against a stored assessment, all or nothing. */
  async change(
    orgId: string,
    id: string,
    commands: readonly AssessmentCommand[],
    ctx: ChangeContext,
    actor: Actor,
    options: { expectRevision?: number } = {},
  ): Promise<CommandsResult> {
    try {
      return await runCommands(this.handle(orgId, id, actor), commands, ctx, options);
    } catch (err) {
      // A stale revision: the client gets the assessment as it is now, to show both and retry.
      if (err instanceof ConflictError && err.code === "stale-version" && err.current === undefined)
        throw new ConflictError(err.code, err.message, await this.get(orgId, id));
      throw err;
    }
  }

  async create(orgId: string, input: NewAssessment, actor: Actor): Promise<AssessmentDto> {
    const { row, assessment } = await this.tx(async (trx) => {
      const product = await trx
        .selectFrom("products")
        .selectAll()
        .where("id", "=", input.productId)
        .where("org_id", "=", orgId)
        .executeTakeFirst();
      // FOR SHARE holds off a concurrent tailoring of the profile until this assessment commits.
      const profileRow = await this.profiles.forUse(trx, orgId, input.profileId);
      const problems = [];
      if (!product) problems.push({ location: "body.productId", message: "no such product" });
      if (!profileRow) problems.push({ location: "body.profileId", message: "no such profile" });
      if (!product || !profileRow)
        throw new InvalidError("the assessment refers to unknown objects", problems);
      const profile = this.profiles.parse(profileRow.id, profileRow.sha256, profileRow.body);
      const at = now();
      const id = newId("asm");
      const assessment = newAssessment(profile, {
        id,
        title: input.title,
        kind: input.kind,
        product: {
          id: product.id,
          manufacturer: product.manufacturer,
          model: product.model,
          category: product.category,
        },
        release: input.release,
        assessors: input.assessors,
        date: at,
        profileFile: "profile.json",
        profileSha256: profileRow.sha256,
      });
      const row: AssessmentTable = {
        id,
        org_id: orgId,
        product_id: product.id,
        profile_id: profileRow.id,
        ...projection(assessment),
        created_at: at,
        updated_at: at,
        revision: 1,
        body: assessmentText(assessment),
      };
      await trx.insertInto("assessments").values(row).execute();
      await appendAudit(trx, {
        chain: orgId,
        actor: auditActor(actor),
        action: "assessment.create",
        target: `assessment:${id}`,
        detail: {
          title: input.title,
          kind: input.kind,
          product: product.id,
          profile: profileRow.id,
          profileSha256: profileRow.sha256,
          release: input.release,
          findings: assessment.findings.length,
        },
      });
      return { row, assessment };
    });
    this.remember(row.id, 1, assessment);
    return assessmentDto(row, assessment);
  }

  /**
   * Inside a caller's transaction: an assessment made elsewhere (an assessment folder), taken in
   * whole after the package checks. Its evidence files must be in the blob store already.
   */
  async insertPackage(
    trx: Trx,
    orgId: string,
    pkg: AssessmentPackage,
    actor: Actor,
    action = "assessment.import",
  ): Promise<{ assessmentId: string; profileId: string; productId: string }> {
    const checked = checkPackage(pkg);
    if (!checked.assessment || !checked.profile || checked.problems.length > 0)
      throw new InvalidError("the assessment folder is invalid: nothing was stored", checked.problems);
    const a = checked.assessment;
    const product = await this.products.findOrInsert(
      trx,
      orgId,
      { manufacturer: a.product.manufacturer, model: a.product.model, category: a.product.category },
      actor,
    );
    const profileRow = await this.profiles.insert(trx, orgId, checked.profile, pkg.profileText, actor, {
      importedFrom: checked.profile.id,
    });
    const at = now();
    const row: AssessmentTable = {
      id: newId("asm"),
      org_id: orgId,
      product_id: product.id,
      profile_id: profileRow.id,
      ...projection(a),
      created_at: at,
      updated_at: at,
      revision: 1,
      body: pkg.assessmentText,
    };
    await trx.insertInto("assessments").values(row).execute();
    await appendAudit(trx, {
      chain: orgId,
      actor: auditActor(actor),
      action,
      target: `assessment:${row.id}`,
      detail: {
        importedFrom: a.id,
        title: a.title,
        kind: a.kind,
        status: a.status,
        product: product.id,
        profile: profileRow.id,
        profileSha256: profileRow.sha256,
        release: a.release,
        findings: a.findings.length,
        evidence: a.evidence.map((e) => ({ id: e.id, sha256: e.file?.sha256 })),
      },
    });
    return { assessmentId: row.id, profileId: profileRow.id, productId: product.id };
  }

  async importPackage(
    orgId: string,
    pkg: AssessmentPackage,
    actor: Actor,
  ): Promise<{ id: string; revision: number }> {
    const ids = await this.tx((trx) => this.insertPackage(trx, orgId, pkg, actor));
    return { id: ids.assessmentId, revision: 1 };
  }

  /**
   * A push onto the server's copy: refused unless the copy is still at `expectRevision` (a conflict
   * carries the copy's state, so the client can say what changed where) and the pushed document
   * keeps the rules a change through the core keeps (evidence append-only, same assessment, not done).
   */
  async replacePackage(
    orgId: string,
    id: string,
    expectRevision: number,
    pkg: AssessmentPackage,
    actor: Actor,
  ): Promise<{ id: string; revision: number; changed: boolean; before: Assessment; after: Assessment }> {
    const checked = checkPackage(pkg);
    if (!checked.assessment || !checked.profile || checked.problems.length > 0)
      throw new InvalidError("the assessment folder is invalid: nothing was stored", checked.problems);
    const next = checked.assessment;
    const nextProfile = checked.profile;
    return this.tx(async (trx) => {
      const current = await this.read(trx, orgId, id, true);
      const before = current.stored.assessment;
      if (current.stored.revision !== expectRevision)
        throw new ConflictError(
          "stale-revision",
          `the server's copy changed since revision ${expectRevision} (it is at ${current.stored.revision}): pull, then push again`,
          copyState(before, current.stored.revision),
        );
      const body = await trx
        .selectFrom("assessments")
        .select("body")
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      const profileRow = await trx
        .selectFrom("profiles")
        .select(["id", "body"])
        .where("id", "=", current.row.profile_id)
        .executeTakeFirstOrThrow();
      if (body.body === pkg.assessmentText && profileRow.body === pkg.profileText)
        return { id, revision: current.stored.revision, changed: false, before, after: before };
      const refusals = pushRefusals(before, next);
      if (refusals.length > 0)
        throw new ConflictError("push-refused", refusals[0] as string, { reasons: refusals });
      let profileId = current.row.profile_id;
      if (profileRow.body !== pkg.profileText)
        profileId = (
          await this.profiles.insert(trx, orgId, nextProfile, pkg.profileText, actor, { pushedTo: id })
        ).id;
      const revision = current.stored.revision + 1;
      await trx
        .updateTable("assessments")
        .set({
          ...projection(next),
          body: pkg.assessmentText,
          revision,
          profile_id: profileId,
          updated_at: now(),
        })
        .where("id", "=", id)
        .execute();
      const changedFindings = next.findings
        .filter((f) => (before.findings.find((x) => x.item === f.item)?.version ?? 0) !== (f.version ?? 1))
        .map((f) => f.item);
      await appendAudit(trx, {
        chain: orgId,
        actor: auditActor(actor),
        action: "assessment.push",
        target: `assessment:${id}`,
        detail: {
          from: current.stored.revision,
          revision,
          findings: changedFindings,
          evidenceAdded: next.evidence.slice(before.evidence.length).map((e) => e.id),
          status: next.status,
          profileChanged: profileId !== current.row.profile_id,
        },
      });
      this.remember(id, revision, next);
      return { id, revision, changed: true, before, after: next };
    });
  }

  /** What a pull writes: the document's and the profile's exact text, and the evidence files to fetch. */
  async exportPackage(orgId: string, id: string): Promise<ExportedPackage> {
    const row = await this.db
      .selectFrom("assessments")
      .innerJoin("profiles", "profiles.id", "assessments.profile_id")
      .select(["assessments.body as body", "assessments.revision as revision", "profiles.body as profile"])
      .where("assessments.id", "=", id)
      .where("assessments.org_id", "=", orgId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError("assessment");
    const a = this.parsed(id, Number(row.revision), row.body);
    const files = new Map<string, { sha256: string; path: string; size: number }>();
    for (const e of a.evidence)
      if (e.file && !files.has(e.file.path))
        files.set(e.file.path, { sha256: e.file.sha256, path: e.file.path, size: e.file.size });
    return {
      id,
      revision: Number(row.revision),
      assessmentText: row.body,
      profileText: row.profile,
      profileFile: a.profile.file,
      files: [...files.values()],
    };
  }

  async list(orgId: string, productId?: string): Promise<AssessmentSummaryDto[]> {
    let q = this.db
      .selectFrom("assessments")
      .innerJoin("products", "products.id", "assessments.product_id")
      .select([
        "assessments.id",
        "assessments.title",
        "assessments.kind",
        "assessments.status",
        "assessments.release_version",
        "assessments.profile_id",
        "assessments.created_at",
        "assessments.updated_at",
        "assessments.revision",
        "products.id as product_id",
        "products.manufacturer",
        "products.model",
      ])
      .where("assessments.org_id", "=", orgId);
    if (productId !== undefined) q = q.where("assessments.product_id", "=", productId);
    const rows = await q.orderBy("assessments.created_at", "desc").orderBy("assessments.id").execute();
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      kind: r.kind as AssessmentKind,
      status: r.status as AssessmentStatus,
      product: { id: r.product_id, manufacturer: r.manufacturer, model: r.model },
      release: r.release_version,
      profile: r.profile_id,
      created: r.created_at,
      updated: r.updated_at,
      version: Number(r.revision),
    }));
  }

  /** The assessment's revision, or undefined when it is not the organisation's. Cheap: one row. */
  async revision(orgId: string, id: string): Promise<number | undefined> {
    const r = (await this.revisionQuery(id, orgId))[0];
    return r ? Number(r.revision) : undefined;
  }

  /** Throws NotFoundError unless the assessment is the organisation's. */
  async require(orgId: string, id: string): Promise<void> {
    if ((await this.revision(orgId, id)) === undefined) throw new NotFoundError("assessment");
  }

  async get(orgId: string, id: string): Promise<AssessmentDto> {
    const { row, stored } = await this.read(this.db, orgId, id);
    return assessmentDto(row, stored.assessment);
  }

  /** The document, its profile and the server's handles: what reports and dossiers are made from. */
  async stored(
    orgId: string,
    id: string,
  ): Promise<StoredAssessment & { productId: string; profileId: string; profileSha256: string }> {
    const { row, stored } = await this.read(this.db, orgId, id);
    return {
      ...stored,
      productId: row.product_id,
      profileId: row.profile_id,
      profileSha256: stored.assessment.profile.sha256,
    };
  }

  /**
   * The organisation's audit entries about one assessment: the assessment itself, its findings,
   * its evidence, and the product and profile it is made of. Oldest first.
   */
  async audit(orgId: string, assessmentId: string): Promise<AuditEntry[]> {
    const a = await this.db
      .selectFrom("assessments")
      .select(["product_id", "profile_id"])
      .where("id", "=", assessmentId)
      .where("org_id", "=", orgId)
      .executeTakeFirst();
    if (!a) throw new NotFoundError("assessment");
    // Ids are [A-Za-z0-9_-]: `_` is the one LIKE wildcard among them, escaped.
    const like = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await this.db
      .selectFrom("audit_entries")
      .selectAll()
      .where("chain", "=", orgId)
      .where((eb) =>
        eb.or([
          eb("target", "in", [
            `assessment:${assessmentId}`,
            `product:${a.product_id}`,
            `profile:${a.profile_id}`,
          ]),
          eb("target", "like", sql<string>`${like(`finding:${assessmentId}#`)} escape '\\'`),
          eb("target", "like", sql<string>`${like(`evidence:${assessmentId}#`)} escape '\\'`),
        ]),
      )
      .orderBy("seq")
      .execute();
    return rows.map(toEntry);
  }

  /** Whether any assessment of any organisation names this file (before a stored file is removed). */
  async fileReferenced(sha256: string): Promise<boolean> {
    const like = `%"sha256": "${sha256}"%`;
    return (
      (await this.db
        .selectFrom("assessments")
        .select("id")
        .where("body", "like", like)
        .executeTakeFirst()) !== undefined
    );
  }
}

export type { Profile };
