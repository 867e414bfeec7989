import { type Compilable, type Kysely, sql, type Transaction } from "kysely";
import type {
  Assessment,
  AssessmentKind,
  AssessmentStatus,
  Assessor,
  EvidenceKind,
  EvidenceRecord,
  EvidenceStrength,
  Finding,
  ImplementationStatement,
  Method,
  Release,
  Verdict,
} from "../assessment/model.js";
import { profileItemDigest } from "../assessment/ops.js";
import type { Profile } from "../profile/model.js";
import {
  type AuditActor,
  type AuditEntry,
  appendAudit,
  canonicalJson,
  SYSTEM_CHAIN,
  toEntry,
} from "./audit.js";
import type { Store } from "./database.js";
import type {
  AssessmentDto,
  AssessmentSummaryDto,
  FindingDto,
  OrganisationDto,
  ProductDto,
  ProfileSummaryDto,
  Role,
  TokenDto,
  UserDto,
} from "./dto.js";
import { ConflictError, InvalidError, NotFoundError } from "./errors.js";
import { newId, now, sha256Hex } from "./ids.js";
import type {
  ApiTokenTable,
  AssessmentTable,
  EvidenceTable,
  FindingTable,
  OrganisationTable,
  ProductTable,
  ProfileTable,
  Tables,
  UserTable,
} from "./schema.js";

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

/** Who makes a change: recorded in the audit trail. */
export interface Actor {
  /** User id, or "cli". */
  id: string;
  email?: string;
  via: "session" | "token" | "cli" | "setup";
  tokenId?: string;
}

type Db = Kysely<Tables>;
type Trx = Transaction<Tables>;

/**
 * After a version-checked write matched no row: the object is gone (404) or someone else changed
 * it (409 with its current state, so the client can show both and retry).
 */
function staleOrMissing<T>(what: string, current: T | undefined): never {
  if (current === undefined) throw new NotFoundError(what);
  throw new ConflictError("stale-version", `the ${what} was changed by someone else`, current);
}

function orgDto(r: OrganisationTable): OrganisationDto {
  return {
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
}

export function userDto(r: UserTable): UserDto {
  return {
    id: r.id,
    organisation: r.org_id,
    email: r.email,
    name: r.name,
    role: r.role as Role,
    siteAdmin: Number(r.site_admin) === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
}

function tokenDto(r: ApiTokenTable): TokenDto {
  const t: TokenDto = { id: r.id, name: r.name, createdAt: r.created_at };
  if (r.expires_at) t.expiresAt = r.expires_at;
  if (r.revoked_at) t.revokedAt = r.revoked_at;
  return t;
}

function profileSummary(r: Omit<ProfileTable, "body">): ProfileSummaryDto {
  return {
    id: r.id,
    title: r.title,
    itemCount: Number(r.item_count),
    sha256: r.sha256,
    createdAt: r.created_at,
    createdBy: r.created_by,
    version: Number(r.version),
  };
}

function productDto(r: ProductTable): ProductDto {
  return {
    id: r.id,
    manufacturer: r.manufacturer,
    model: r.model,
    category: r.category,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
}

function parse<T>(text: string | null): T | undefined {
  return text === null ? undefined : (JSON.parse(text) as T);
}

export function findingDto(r: FindingTable): FindingDto {
  const f: FindingDto = {
    item: r.item,
    verdict: r.verdict as Verdict,
    evidence: JSON.parse(r.evidence) as string[],
    version: Number(r.version),
  };
  const statement = parse<ImplementationStatement>(r.statement);
  if (statement) f.statement = statement;
  if (r.method !== null) f.method = r.method as Method;
  if (r.notes !== null) f.notes = r.notes;
  const signOff = parse<Finding["signOff"]>(r.sign_off);
  if (signOff) f.signOff = signOff;
  const basis = parse<Finding["basis"]>(r.basis);
  if (basis) f.basis = basis;
  if (r.updated_by !== null && r.updated_at !== null) f.updated = { by: r.updated_by, date: r.updated_at };
  return f;
}

export function evidenceDto(r: EvidenceTable): EvidenceRecord {
  const e: EvidenceRecord = {
    id: r.id,
    kind: r.kind as EvidenceKind,
    title: r.title,
    strength: r.strength as EvidenceStrength,
    tags: JSON.parse(r.tags) as string[],
    effective: r.effective,
    addedBy: r.added_by,
    addedAt: r.added_at,
  };
  if (r.file_sha256 !== null) {
    e.file = {
      name: r.file_name ?? r.file_sha256,
      path: evidencePath(r.file_sha256),
      sha256: r.file_sha256,
      size: Number(r.file_size ?? 0),
      mediaType: r.media_type ?? "application/octet-stream",
    };
  }
  if (r.url !== null) e.url = r.url;
  if (r.text !== null) e.text = r.text;
  const tool = parse<EvidenceRecord["tool"]>(r.tool);
  if (tool) e.tool = tool;
  if (r.expires !== null) e.expires = r.expires;
  if (r.supersedes !== null) e.supersedes = r.supersedes;
  return e;
}

/** Where a file is kept, relative to the data folder: by content hash, never by its name. */
export function evidencePath(sha256: string): string {
  return `evidence/${sha256.slice(0, 2)}/${sha256}`;
}

function auditActor(a: Actor): AuditActor {
  const out: AuditActor = { id: a.id, via: a.via };
  if (a.email !== undefined) out.email = a.email;
  if (a.tokenId !== undefined) out.token = a.tokenId;
  return out;
}

export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

const CHUNK = 200;

// ---------------------------------------------------------------------------------------------

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  siteAdmin?: boolean;
}

export interface ProductInput {
  manufacturer: string;
  model: string;
  category: string;
}

export interface NewAssessment {
  title: string;
  kind: AssessmentKind;
  productId: string;
  profileId: string;
  release: Release;
  assessors: Assessor[];
}

export interface AssessmentPatch {
  title?: string;
  status?: AssessmentStatus;
  assessors?: Assessor[];
}

export interface FindingPatch {
  verdict?: Verdict;
  method?: Method | null;
  statement?: ImplementationStatement | null;
  notes?: string | null;
  evidence?: string[];
  /** true: sign off as `reviewer`; false: withdraw the sign-off. */
  signOff?: boolean;
}

export interface NewEvidence {
  kind: EvidenceKind;
  title: string;
  strength: EvidenceStrength;
  tags: string[];
  file?: { name: string; sha256: string; size: number; mediaType: string };
  url?: string;
  text?: string;
  tool?: EvidenceRecord["tool"];
  effective: string;
  expires?: string;
  supersedes?: string;
}

/** An assessment made elsewhere (an assessment folder: `cairn assess`), taken in whole. */
export interface ImportedAssessment {
  product: ProductInput;
  profile: Profile;
  assessment: Omit<Assessment, "product" | "profile">;
  /** Evidence files by SHA-256, already received (see EvidenceFiles.receive). */
  files: Map<string, { size: number; mediaType: string }>;
}

export interface SessionUser {
  user: UserTable;
  csrf: string;
  expiresAt: string;
}

/**
 * Every read and write the server does. Reads of organisation-owned data take the caller's
 * organisation and find nothing outside it; writes run in one transaction with their audit entry.
 */
export class Repository {
  readonly db: Db;

  // Queries on the path of every request, compiled once (building and compiling a query costs
  // more than running it): see `compiled`.
  private readonly tokenQuery;
  private readonly sessionQuery;
  private readonly revisionQuery;
  /** Profile item digests (what a verdict was given against) by profile row hash: content-addressed. */
  private readonly digests = new Map<string, Map<string, string>>();

  constructor(readonly store: Store) {
    this.db = store.db;
    this.tokenQuery = this.compiled(
      this.db
        .selectFrom("api_tokens")
        .innerJoin("users", "users.id", "api_tokens.user_id")
        .selectAll("users")
        .select([
          "api_tokens.id as token_id",
          "api_tokens.expires_at as token_expires",
          "api_tokens.revoked_at as revoked",
        ])
        .where("api_tokens.token_hash", "=", "$hash"),
    );
    this.sessionQuery = this.compiled(
      this.db
        .selectFrom("sessions")
        .innerJoin("users", "users.id", "sessions.user_id")
        .selectAll("users")
        .select(["sessions.csrf as csrf", "sessions.expires_at as expires"])
        .where("sessions.id", "=", "$id"),
    );
    this.revisionQuery = this.compiled(
      this.db
        .selectFrom("assessments")
        .select("revision")
        .where("id", "=", "$id")
        .where("org_id", "=", "$org"),
    );
  }

  /** A query compiled once; each call runs it with new values for its parameters, in their order. */
  private compiled<R>(query: Compilable<R>): (...parameters: unknown[]) => Promise<R[]> {
    const c = query.compile();
    return async (...parameters) => (await this.db.executeQuery<R>({ ...c, parameters })).rows;
  }

  private tx<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  // --- organisations and users ----------------------------------------------------------------

  async countUsers(): Promise<number> {
    const r = await this.db
      .selectFrom("users")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** An organisation and, optionally, its first user (an admin), in one transaction. */
  async createOrganisation(
    name: string,
    admin: NewUser | undefined,
    actor: Actor,
  ): Promise<{ organisation: OrganisationDto; admin?: UserDto }> {
    return this.tx((trx) => this.insertOrganisation(trx, name, admin, actor));
  }

  private async insertOrganisation(
    trx: Trx,
    name: string,
    admin: NewUser | undefined,
    actor: Actor,
  ): Promise<{ organisation: OrganisationDto; admin?: UserDto }> {
    const at = now();
    const org: OrganisationTable = { id: newId("org"), name, created_at: at, updated_at: at, version: 1 };
    await trx.insertInto("organisations").values(org).execute();
    await appendAudit(trx, {
      chain: SYSTEM_CHAIN,
      actor: auditActor(actor),
      action: "organisation.create",
      target: `organisation:${org.id}`,
      detail: { name },
    });
    let user: UserDto | undefined;
    if (admin) user = await this.insertUser(trx, org.id, admin, actor);
    return user ? { organisation: orgDto(org), admin: user } : { organisation: orgDto(org) };
  }

  /**
   * A new organisation with its first admin and an assessment taken in whole (its product, profile,
   * findings and evidence records), in one transaction: `cairn serve --demo` on an empty database.
   * `beforeCommit` runs inside the transaction once the rows are written (the evidence files go
   * into place there).
   */
  async createOrganisationWithAssessment(
    name: string,
    admin: NewUser,
    input: ImportedAssessment,
    actor: Actor,
    beforeCommit?: () => Promise<void>,
  ): Promise<{ organisation: OrganisationDto; admin: UserDto; assessmentId: string; profileId: string }> {
    return this.tx(async (trx) => {
      const created = await this.insertOrganisation(trx, name, admin, actor);
      const ids = await this.insertImported(trx, created.organisation.id, input, actor);
      if (beforeCommit) await beforeCommit();
      return { organisation: created.organisation, admin: created.admin as UserDto, ...ids };
    });
  }

  private async insertImported(
    trx: Trx,
    orgId: string,
    input: ImportedAssessment,
    actor: Actor,
  ): Promise<{ assessmentId: string; profileId: string }> {
    const a = input.assessment;
    const at = now();
    const product: ProductTable = {
      id: newId("prd"),
      org_id: orgId,
      ...input.product,
      created_at: at,
      updated_at: at,
      version: 1,
    };
    await trx.insertInto("products").values(product).execute();
    await appendAudit(trx, {
      chain: orgId,
      actor: auditActor(actor),
      action: "product.create",
      target: `product:${product.id}`,
      detail: { ...input.product },
    });
    const profile: Profile = { ...input.profile, id: newId("pro") };
    const profileRow: ProfileTable = {
      id: profile.id,
      org_id: orgId,
      title: profile.title,
      body: JSON.stringify(profile),
      sha256: sha256Hex(canonicalJson(profile)),
      item_count: profile.items.length,
      created_at: at,
      created_by: actor.id,
      version: 1,
    };
    await trx.insertInto("profiles").values(profileRow).execute();
    await appendAudit(trx, {
      chain: orgId,
      actor: auditActor(actor),
      action: "profile.create",
      target: `profile:${profile.id}`,
      detail: {
        title: profile.title,
        sha256: profileRow.sha256,
        items: profileRow.item_count,
        context: profile.context,
        importedFrom: input.profile.id,
      },
    });
    const numbers = a.evidence.map((e) => Number(/^E-(\d+)$/.exec(e.id)?.[1] ?? Number.NaN));
    if (numbers.some((n) => !Number.isInteger(n)))
      throw new InvalidError("evidence ids must be E-<number>", [
        { location: "evidence", message: "bad id" },
      ]);
    const row: AssessmentTable = {
      id: newId("asm"),
      org_id: orgId,
      product_id: product.id,
      profile_id: profile.id,
      title: a.title,
      kind: a.kind,
      status: a.status,
      release: JSON.stringify(a.release),
      assessors: JSON.stringify(a.assessors),
      profile_sha256: profileRow.sha256,
      created_at: a.created,
      updated_at: a.updated,
      version: 1,
      revision: 1,
      evidence_seq: Math.max(0, ...numbers),
    };
    await trx.insertInto("assessments").values(row).execute();
    const findings: FindingTable[] = a.findings.map((f, position) => ({
      assessment_id: row.id,
      item: f.item,
      position,
      verdict: f.verdict,
      method: f.method ?? null,
      statement: f.statement ? JSON.stringify(f.statement) : null,
      notes: f.notes ?? null,
      evidence: JSON.stringify(f.evidence),
      sign_off: f.signOff ? JSON.stringify(f.signOff) : null,
      basis: f.basis ? JSON.stringify(f.basis) : null,
      updated_by: f.updated?.by ?? null,
      updated_at: f.updated?.date ?? null,
      version: 1,
    }));
    for (let i = 0; i < findings.length; i += CHUNK)
      await trx
        .insertInto("findings")
        .values(findings.slice(i, i + CHUNK))
        .execute();
    const evidence: EvidenceTable[] = a.evidence.map((e, i) => {
      const file = e.file ? input.files.get(e.file.sha256) : undefined;
      if (e.file && !file)
        throw new InvalidError("an evidence file is missing", [
          { location: `evidence[${i}] (${e.id}).file`, message: `no file with SHA-256 ${e.file.sha256}` },
        ]);
      return {
        assessment_id: row.id,
        id: e.id,
        org_id: orgId,
        position: numbers[i] as number,
        kind: e.kind,
        title: e.title,
        strength: e.strength,
        tags: JSON.stringify(e.tags),
        file_name: e.file?.name ?? null,
        file_sha256: e.file?.sha256 ?? null,
        file_size: file?.size ?? null,
        media_type: file?.mediaType ?? null,
        url: e.url ?? null,
        text: e.text ?? null,
        tool: e.tool ? JSON.stringify(e.tool) : null,
        effective: e.effective,
        expires: e.expires ?? null,
        added_by: e.addedBy,
        added_at: e.addedAt,
        supersedes: e.supersedes ?? null,
      };
    });
    for (let i = 0; i < evidence.length; i += CHUNK)
      await trx
        .insertInto("evidence")
        .values(evidence.slice(i, i + CHUNK))
        .execute();
    await appendAudit(trx, {
      chain: orgId,
      actor: auditActor(actor),
      action: "assessment.import",
      target: `assessment:${row.id}`,
      detail: {
        importedFrom: a.id,
        title: a.title,
        kind: a.kind,
        status: a.status,
        product: product.id,
        profile: profile.id,
        profileSha256: profileRow.sha256,
        release: a.release,
        findings: findings.length,
        evidence: evidence.map((e) => ({ id: e.id, sha256: e.file_sha256 ?? undefined })),
      },
    });
    return { assessmentId: row.id, profileId: profile.id };
  }

  async listOrganisations(): Promise<OrganisationDto[]> {
    const rows = await this.db
      .selectFrom("organisations")
      .selectAll()
      .orderBy("name")
      .orderBy("id")
      .execute();
    return rows.map(orgDto);
  }

  async getOrganisation(id: string): Promise<OrganisationDto> {
    const r = await this.db.selectFrom("organisations").selectAll().where("id", "=", id).executeTakeFirst();
    if (!r) throw new NotFoundError("organisation");
    return orgDto(r);
  }

  async renameOrganisation(
    id: string,
    name: string,
    version: number,
    actor: Actor,
  ): Promise<OrganisationDto> {
    return this.tx(async (trx) => {
      const r = await trx
        .updateTable("organisations")
        .set((eb) => ({ name, updated_at: now(), version: eb("version", "+", 1) }))
        .where("id", "=", id)
        .where("version", "=", version)
        .returningAll()
        .executeTakeFirst();
      if (!r) {
        const current = await trx
          .selectFrom("organisations")
          .selectAll()
          .where("id", "=", id)
          .executeTakeFirst();
        staleOrMissing("organisation", current && orgDto(current));
      }
      await appendAudit(trx, {
        chain: id,
        actor: auditActor(actor),
        action: "organisation.rename",
        target: `organisation:${id}`,
        detail: { name, version: Number(r.version) },
      });
      return orgDto(r);
    });
  }

  private async insertUser(trx: Trx, orgId: string, u: NewUser, actor: Actor): Promise<UserDto> {
    const email = u.email.trim().toLowerCase();
    const existing = await trx.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst();
    if (existing) throw new ConflictError("email-taken", "a user with this e-mail address exists");
    const at = now();
    const row: UserTable = {
      id: newId("usr"),
      org_id: orgId,
      email,
      name: u.name,
      role: u.role,
      password_hash: u.passwordHash,
      site_admin: u.siteAdmin ? 1 : 0,
      created_at: at,
      updated_at: at,
      version: 1,
    };
    try {
      await trx.insertInto("users").values(row).execute();
    } catch (err) {
      if (isUniqueViolation(err))
        throw new ConflictError("email-taken", "a user with this e-mail address exists");
      throw err;
    }
    await appendAudit(trx, {
      chain: orgId,
      actor: auditActor(actor),
      action: "user.create",
      target: `user:${row.id}`,
      detail: { email, name: u.name, role: u.role, siteAdmin: u.siteAdmin === true },
    });
    return userDto(row);
  }

  async createUser(orgId: string, u: NewUser, actor: Actor): Promise<UserDto> {
    return this.tx(async (trx) => {
      const org = await trx
        .selectFrom("organisations")
        .select("id")
        .where("id", "=", orgId)
        .executeTakeFirst();
      if (!org) throw new NotFoundError("organisation");
      return this.insertUser(trx, orgId, u, actor);
    });
  }

  async listUsers(orgId: string): Promise<UserDto[]> {
    const rows = await this.db
      .selectFrom("users")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("email")
      .execute();
    return rows.map(userDto);
  }

  async getUser(orgId: string, id: string): Promise<UserDto> {
    const r = await this.db
      .selectFrom("users")
      .selectAll()
      .where("id", "=", id)
      .where("org_id", "=", orgId)
      .executeTakeFirst();
    if (!r) throw new NotFoundError("user");
    return userDto(r);
  }

  /** With the password hash: for login only. */
  async userByEmail(email: string): Promise<UserTable | undefined> {
    return this.db
      .selectFrom("users")
      .selectAll()
      .where("email", "=", email.trim().toLowerCase())
      .executeTakeFirst();
  }

  async updateUser(
    orgId: string,
    id: string,
    patch: { role?: Role; name?: string },
    version: number,
    actor: Actor,
  ): Promise<UserDto> {
    return this.tx(async (trx) => {
      const current = await trx
        .selectFrom("users")
        .selectAll()
        .where("id", "=", id)
        .where("org_id", "=", orgId)
        .executeTakeFirst();
      if (!current || Number(current.version) !== version) {
        staleOrMissing("user", current && userDto(current));
      }
      if (patch.role !== undefined && patch.role !== "admin" && current.role === "admin") {
        const admins = await trx
          .selectFrom("users")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("org_id", "=", orgId)
          .where("role", "=", "admin")
          .executeTakeFirstOrThrow();
        if (Number(admins.n) <= 1)
          throw new ConflictError("last-admin", "an organisation keeps at least one admin", userDto(current));
      }
      const r = await trx
        .updateTable("users")
        .set((eb) => ({
          ...(patch.role !== undefined ? { role: patch.role } : {}),
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          updated_at: now(),
          version: eb("version", "+", 1),
        }))
        .where("id", "=", id)
        .where("version", "=", version)
        .returningAll()
        .executeTakeFirst();
      if (!r)
        throw new ConflictError("stale-version", "the user was changed by someone else", userDto(current));
      await appendAudit(trx, {
        chain: orgId,
        actor: auditActor(actor),
        action: "user.update",
        target: `user:${id}`,
        detail: { ...patch, version: Number(r.version) },
      });
      // A changed role takes effect at once: the user's sessions end, tokens stay (they carry no role).
      if (patch.role !== undefined && patch.role !== current.role)
        await trx.deleteFrom("sessions").where("user_id", "=", id).execute();
      return userDto(r);
    });
  }

  async userById(id: string): Promise<UserTable | undefined> {
    return this.db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
  }

  // --- sessions and tokens --------------------------------------------------------------------

  async createSession(
    userId: string,
    token: string,
    csrf: string,
    ttlMs: number,
    actor: Actor,
  ): Promise<string> {
    const at = now();
    const expires = new Date(Date.now() + ttlMs).toISOString();
    await this.tx(async (trx) => {
      const user = await trx
        .selectFrom("users")
        .select("org_id")
        .where("id", "=", userId)
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("sessions")
        .values({ id: sha256Hex(token), user_id: userId, csrf, created_at: at, expires_at: expires })
        .execute();
      await trx.deleteFrom("sessions").where("expires_at", "<", at).execute();
      await appendAudit(trx, {
        chain: user.org_id,
        actor: auditActor(actor),
        action: "auth.login",
        target: `user:${userId}`,
        detail: {},
      });
    });
    return expires;
  }

  async sessionUser(token: string): Promise<SessionUser | undefined> {
    const r = (await this.sessionQuery(sha256Hex(token)))[0];
    if (!r || r.expires <= now()) return undefined;
    const { csrf, expires, ...user } = r;
    return { user, csrf, expiresAt: expires };
  }

  async deleteSession(token: string, actor: Actor, orgId: string): Promise<void> {
    await this.tx(async (trx) => {
      const r = await trx.deleteFrom("sessions").where("id", "=", sha256Hex(token)).executeTakeFirst();
      if (Number(r.numDeletedRows) > 0)
        await appendAudit(trx, {
          chain: orgId,
          actor: auditActor(actor),
          action: "auth.logout",
          target: `user:${actor.id}`,
          detail: {},
        });
    });
  }

  async createToken(
    user: { id: string; org_id: string },
    name: string,
    secret: string,
    expiresAt: string | undefined,
    actor: Actor,
  ): Promise<TokenDto> {
    return this.tx(async (trx) => {
      const row: ApiTokenTable = {
        id: newId("tok"),
        user_id: user.id,
        org_id: user.org_id,
        name,
        token_hash: sha256Hex(secret),
        created_at: now(),
        expires_at: expiresAt ?? null,
        revoked_at: null,
        version: 1,
      };
      await trx.insertInto("api_tokens").values(row).execute();
      await appendAudit(trx, {
        chain: user.org_id,
        actor: auditActor(actor),
        action: "token.create",
        target: `token:${row.id}`,
        detail: { name, expiresAt: expiresAt ?? null, user: user.id },
      });
      return tokenDto(row);
    });
  }

  async listTokens(userId: string): Promise<TokenDto[]> {
    const rows = await this.db
      .selectFrom("api_tokens")
      .selectAll()
      .where("user_id", "=", userId)
      .orderBy("created_at")
      .execute();
    return rows.map(tokenDto);
  }

  async revokeToken(userId: string, orgId: string, id: string, actor: Actor): Promise<TokenDto> {
    return this.tx(async (trx) => {
      const current = await trx
        .selectFrom("api_tokens")
        .selectAll()
        .where("id", "=", id)
        .where("user_id", "=", userId)
        .executeTakeFirst();
      if (!current) throw new NotFoundError("token");
      if (current.revoked_at !== null) return tokenDto(current);
      const r = await trx
        .updateTable("api_tokens")
        .set((eb) => ({ revoked_at: now(), version: eb("version", "+", 1) }))
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await appendAudit(trx, {
        chain: orgId,
        actor: auditActor(actor),
        action: "token.revoke",
        target: `token:${id}`,
        detail: {},
      });
      return tokenDto(r);
    });
  }

  async tokenUser(secret: string): Promise<{ user: UserTable; tokenId: string } | undefined> {
    const r = (await this.tokenQuery(sha256Hex(secret)))[0];
    if (!r || r.revoked !== null || (r.token_expires !== null && r.token_expires <= now())) return undefined;
    const { token_id, token_expires: _e, revoked: _r, ...user } = r;
    return { user, tokenId: token_id };
  }

  // --- profiles -------------------------------------------------------------------------------

  async createProfile(orgId: string, profile: Profile, actor: Actor): Promise<ProfileSummaryDto> {
    return this.tx(async (trx) => {
      const body = JSON.stringify(profile);
      const row: ProfileTable = {
        id: profile.id,
        org_id: orgId,
        title: profile.title,
        body,
        sha256: sha256Hex(canonicalJson(profile)),
        item_count: profile.items.length,
        created_at: now(),
        created_by: actor.id,
        version: 1,
      };
      await trx.insertInto("profiles").values(row).execute();
      await appendAudit(trx, {
        chain: orgId,
        actor: auditActor(actor),
        action: "profile.create",
        target: `profile:${row.id}`,
        detail: { title: row.title, sha256: row.sha256, items: row.item_count, context: profile.context },
      });
      return profileSummary(row);
    });
  }

  async listProfiles(orgId: string): Promise<ProfileSummaryDto[]> {
    const rows = await this.db
      .selectFrom("profiles")
      .select(["id", "org_id", "title", "sha256", "item_count", "created_at", "created_by", "version"])
      .where("org_id", "=", orgId)
      .orderBy("created_at", "desc")
      .orderBy("id")
      .execute();
    return rows.map(profileSummary);
  }

  async getProfile(orgId: string, id: string): Promise<{ summary: ProfileSummaryDto; profile: Profile }> {
    const r = await this.db
      .selectFrom("profiles")
      .selectAll()
      .where("id", "=", id)
      .where("org_id", "=", orgId)
      .executeTakeFirst();
    if (!r) throw new NotFoundError("profile");
    return { summary: profileSummary(r), profile: JSON.parse(r.body) as Profile };
  }

  /**
   * Tailors a profile (adds or removes an item with its rationale) if `version` is still the
   * stored one: `change` makes the new profile from the current one. A profile that assessments
   * are made against is refused (409 `in-use`): their findings and recorded hash follow the profile
   * as it was. The conditional UPDATE comes before that check, so on PostgreSQL it waits for an
   * assessment being created over the profile (which reads it FOR SHARE) and then sees it.
   */
  async tailorProfile(
    orgId: string,
    id: string,
    version: number,
    change: (profile: Profile) => { profile: Profile; detail: Record<string, unknown> },
    actor: Actor,
  ): Promise<{ summary: ProfileSummaryDto; profile: Profile }> {
    return this.tx(async (trx) => {
      const read = async () => {
        const r = await trx
          .selectFrom("profiles")
          .selectAll()
          .where("id", "=", id)
          .where("org_id", "=", orgId)
          .executeTakeFirst();
        if (!r) throw new NotFoundError("profile");
        return { record: profileSummary(r), profile: JSON.parse(r.body) as Profile };
      };
      const current = await read();
      if (current.record.version !== version)
        throw new ConflictError("stale-version", "the profile was changed by someone else", current);
      const { profile, detail } = change(current.profile);
      const row = await trx
        .updateTable("profiles")
        .set((eb) => ({
          title: profile.title,
          body: JSON.stringify(profile),
          sha256: sha256Hex(canonicalJson(profile)),
          item_count: profile.items.length,
          version: eb("version", "+", 1),
        }))
        .where("id", "=", id)
        .where("org_id", "=", orgId)
        .where("version", "=", version)
        .returningAll()
        .executeTakeFirst();
      if (!row)
        throw new ConflictError("stale-version", "the profile was changed by someone else", await read());
      const used = await trx
        .selectFrom("assessments")
        .select(["id", "title"])
        .where("profile_id", "=", id)
        .where("org_id", "=", orgId)
        .executeTakeFirst();
      if (used)
        throw new ConflictError(
          "in-use",
          `assessments are made against this profile (${used.title}): it can no longer be tailored; build a new profile to tailor`,
          current,
        );
      await appendAudit(trx, {
        chain: orgId,
        actor: auditActor(actor),
        action: "profile.tailor",
        target: `profile:${id}`,
        detail: {
          ...detail,
          sha256: row.sha256,
          items: Number(row.item_count),
          version: Number(row.version),
        },
      });
      return { summary: profileSummary(row), profile };
    });
  }

  /** What each item of a profile row is required as (stringency, method, obligation): a verdict's basis. */
  private async itemDigests(trx: Trx, profileId: string): Promise<Map<string, string>> {
    // The hash first (one small row): the body, which can be large, only when it is not cached.
    const r = await trx
      .selectFrom("profiles")
      .select("sha256")
      .where("id", "=", profileId)
      .executeTakeFirstOrThrow();
    let digests = this.digests.get(r.sha256);
    if (!digests) {
      const { body } = await trx
        .selectFrom("profiles")
        .select("body")
        .where("id", "=", profileId)
        .executeTakeFirstOrThrow();
      const profile = JSON.parse(body) as Profile;
      digests = new Map(profile.items.map((i) => [i.id, profileItemDigest(i)]));
      this.digests.set(r.sha256, digests);
      if (this.digests.size > 64) {
        const oldest = this.digests.keys().next().value;
        if (oldest !== undefined) this.digests.delete(oldest);
      }
    }
    return digests;
  }

  // --- products -------------------------------------------------------------------------------

  async createProduct(orgId: string, p: ProductInput, actor: Actor): Promise<ProductDto> {
    return this.tx(async (trx) => {
      const at = now();
      const row: ProductTable = {
        id: newId("prd"),
        org_id: orgId,
        ...p,
        created_at: at,
        updated_at: at,
        version: 1,
      };
      await trx.insertInto("products").values(row).execute();
      await appendAudit(trx, {
        chain: orgId,
        actor: auditActor(actor),
        action: "product.create",
        target: `product:${row.id}`,
        detail: { ...p },
      });
      return productDto(row);
    });
  }

  async listProducts(orgId: string): Promise<ProductDto[]> {
    const rows = await this.db
      .selectFrom("products")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("manufacturer")
      .orderBy("model")
      .orderBy("id")
      .execute();
    return rows.map(productDto);
  }

  async getProduct(orgId: string, id: string): Promise<ProductDto> {
    const r = await this.db
      .selectFrom("products")
      .selectAll()
      .where("id", "=", id)
      .where("org_id", "=", orgId)
      .executeTakeFirst();
    if (!r) throw new NotFoundError("product");
    return productDto(r);
  }

  async updateProduct(
    orgId: string,
    id: string,
    patch: Partial<ProductInput>,
    version: number,
    actor: Actor,
  ): Promise<ProductDto> {
    return this.tx(async (trx) => {
      const r = await trx
        .updateTable("products")
        .set((eb) => ({ ...patch, updated_at: now(), version: eb("version", "+", 1) }))
        .where("id", "=", id)
        .where("org_id", "=", orgId)
        .where("version", "=", version)
        .returningAll()
        .executeTakeFirst();
      if (!r) {
        const current = await trx
          .selectFrom("products")
          .selectAll()
          .where("id", "=", id)
          .where("org_id", "=", orgId)
          .executeTakeFirst();
        staleOrMissing("product", current && productDto(current));
      }
      await appendAudit(trx, {
        chain: orgId,
        actor: auditActor(actor),
        action: "product.update",
        target: `product:${id}`,
        detail: { ...patch, version: Number(r.version) },
      });
      // Assessments show the product as it is now: their cached JSON is out of date.
      await trx
        .updateTable("assessments")
        .set((eb) => ({ revision: eb("revision", "+", 1) }))
        .where("product_id", "=", id)
        .execute();
      return productDto(r);
    });
  }

  async deleteProduct(orgId: string, id: string, version: number, actor: Actor): Promise<void> {
    await this.tx(async (trx) => {
      const current = await trx
        .selectFrom("products")
        .selectAll()
        .where("id", "=", id)
        .where("org_id", "=", orgId)
        .executeTakeFirst();
      if (!current || Number(current.version) !== version) {
        staleOrMissing("product", current && productDto(current));
      }
      const used = await trx
        .selectFrom("assessments")
        .select("id")
        .where("product_id", "=", id)
        .executeTakeFirst();
      if (used)
        throw new ConflictError(
          "in-use",
          "the product has assessments; it cannot be deleted",
          productDto(current),
        );
      await trx.deleteFrom("products").where("id", "=", id).where("version", "=", version).execute();
      await appendAudit(trx, {
        chain: orgId,
        actor: auditActor(actor),
        action: "product.delete",
        target: `product:${id}`,
        detail: { manufacturer: current.manufacturer, model: current.model, version },
      });
    });
  }

  // --- assessments ----------------------------------------------------------------------------

  async createAssessment(orgId: string, input: NewAssessment, actor: Actor): Promise<AssessmentDto> {
    const id = await this.tx(async (trx) => {
      const product = await trx
        .selectFrom("products")
        .select("id")
        .where("id", "=", input.productId)
        .where("org_id", "=", orgId)
        .executeTakeFirst();
      let profileQuery = trx
        .selectFrom("profiles")
        .select(["id", "body", "sha256"])
        .where("id", "=", input.profileId)
        .where("org_id", "=", orgId);
      // Holds off a concurrent tailoring of the profile until this assessment is committed (it then
      // sees the assessment and refuses). SQLite runs one writer at a time anyway.
      if (this.store.dialect === "postgres") profileQuery = profileQuery.forShare();
      const profile = await profileQuery.executeTakeFirst();
      // A foreign or unknown reference is a bad request that names the field, as for any other.
      const problems = [];
      if (!product) problems.push({ location: "body.productId", message: "no such product" });
      if (!profile) problems.push({ location: "body.profileId", message: "no such profile" });
      if (!product || !profile) throw new InvalidError("the assessment refers to unknown objects", problems);
      const items = (JSON.parse(profile.body) as Profile).items;
      const at = now();
      const row: AssessmentTable = {
        id: newId("asm"),
        org_id: orgId,
        product_id: product.id,
        profile_id: profile.id,
        title: input.title,
        kind: input.kind,
        status: "planned",
        release: JSON.stringify(input.release),
        assessors: JSON.stringify(input.assessors),
        profile_sha256: profile.sha256,
        created_at: at,
        updated_at: at,
        version: 1,
        revision: 1,
        evidence_seq: 0,
      };
      await trx.insertInto("assessments").values(row).execute();
      const findings: FindingTable[] = items.map((item, position) => ({
        assessment_id: row.id,
        item: item.id,
        position,
        verdict: "not-assessed",
        method: null,
        statement: null,
        notes: null,
        evidence: "[]",
        sign_off: null,
        basis: null,
        updated_by: null,
        updated_at: null,
        version: 1,
      }));
      for (let i = 0; i < findings.length; i += CHUNK)
        await trx
          .insertInto("findings")
          .values(findings.slice(i, i + CHUNK))
          .execute();
      await appendAudit(trx, {
        chain: orgId,
        actor: auditActor(actor),
        action: "assessment.create",
        target: `assessment:${row.id}`,
        detail: {
          title: input.title,
          kind: input.kind,
          product: product.id,
          profile: profile.id,
          profileSha256: profile.sha256,
          release: input.release,
          findings: findings.length,
        },
      });
      return row.id;
    });
    return this.getAssessment(orgId, id);
  }

  async listAssessments(orgId: string, productId?: string): Promise<AssessmentSummaryDto[]> {
    let q = this.db
      .selectFrom("assessments")
      .innerJoin("products", "products.id", "assessments.product_id")
      .select([
        "assessments.id",
        "assessments.title",
        "assessments.kind",
        "assessments.status",
        "assessments.release",
        "assessments.profile_id",
        "assessments.created_at",
        "assessments.updated_at",
        "assessments.version",
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
      release: (JSON.parse(r.release) as Release).version,
      profile: r.profile_id,
      created: r.created_at,
      updated: r.updated_at,
      version: Number(r.version),
    }));
  }

  /** The assessment's revision, or undefined when it is not the organisation's. Cheap: one row. */
  async assessmentRevision(orgId: string, id: string): Promise<number | undefined> {
    const r = (await this.revisionQuery(id, orgId))[0];
    return r ? Number(r.revision) : undefined;
  }

  async getAssessment(orgId: string, id: string, db: Db | Trx = this.db): Promise<AssessmentDto> {
    const a = await db
      .selectFrom("assessments")
      .innerJoin("products", "products.id", "assessments.product_id")
      .selectAll("assessments")
      .select(["products.manufacturer", "products.model", "products.category"])
      .where("assessments.id", "=", id)
      .where("assessments.org_id", "=", orgId)
      .executeTakeFirst();
    if (!a) throw new NotFoundError("assessment");
    const findings = await db
      .selectFrom("findings")
      .selectAll()
      .where("assessment_id", "=", id)
      .orderBy("position")
      .execute();
    const evidence = await db
      .selectFrom("evidence")
      .selectAll()
      .where("assessment_id", "=", id)
      .orderBy("position")
      .execute();
    return {
      format: "cairn-assessment/1",
      id: a.id,
      title: a.title,
      kind: a.kind as AssessmentKind,
      status: a.status as AssessmentStatus,
      assessors: JSON.parse(a.assessors) as Assessor[],
      product: { id: a.product_id, manufacturer: a.manufacturer, model: a.model, category: a.category },
      release: JSON.parse(a.release) as Release,
      profile: { file: "profile.json", id: a.profile_id, sha256: a.profile_sha256 },
      created: a.created_at,
      updated: a.updated_at,
      findings: findings.map(findingDto),
      evidence: evidence.map(evidenceDto),
      version: Number(a.version),
      revision: Number(a.revision),
    };
  }

  async updateAssessment(
    orgId: string,
    id: string,
    patch: AssessmentPatch,
    version: number,
    actor: Actor,
  ): Promise<AssessmentDto> {
    return this.tx(async (trx) => {
      const r = await trx
        .updateTable("assessments")
        .set((eb) => ({
          ...(patch.title !== undefined ? { title: patch.title } : {}),
          ...(patch.status !== undefined ? { status: patch.status } : {}),
          ...(patch.assessors !== undefined ? { assessors: JSON.stringify(patch.assessors) } : {}),
          updated_at: now(),
          version: eb("version", "+", 1),
          revision: eb("revision", "+", 1),
        }))
        .where("id", "=", id)
        .where("org_id", "=", orgId)
        .where("version", "=", version)
        .returning("version")
        .executeTakeFirst();
      if (!r) {
        const current = await this.getAssessment(orgId, id, trx);
        throw new ConflictError("stale-version", "the assessment was changed by someone else", current);
      }
      await appendAudit(trx, {
        chain: orgId,
        actor: auditActor(actor),
        action: "assessment.update",
        target: `assessment:${id}`,
        detail: { ...patch, version: Number(r.version) },
      });
      return this.getAssessment(orgId, id, trx);
    });
  }

  async getFinding(orgId: string, assessmentId: string, item: string): Promise<FindingDto> {
    const r = await this.db
      .selectFrom("findings")
      .innerJoin("assessments", "assessments.id", "findings.assessment_id")
      .selectAll("findings")
      .where("findings.assessment_id", "=", assessmentId)
      .where("findings.item", "=", item)
      .where("assessments.org_id", "=", orgId)
      .executeTakeFirst();
    if (!r) throw new NotFoundError("finding");
    return findingDto(r);
  }

  /**
   * Records a finding if `version` is still the stored one: a conditional UPDATE, so of two
   * writers holding the same version exactly one succeeds and the other gets the current state.
   * Any change to the verdict, statement, method, notes or evidence withdraws an earlier sign-off.
   */
  async updateFinding(
    orgId: string,
    assessmentId: string,
    item: string,
    patch: FindingPatch,
    version: number,
    actor: Actor & { name: string },
  ): Promise<FindingDto> {
    return this.tx(async (trx) => {
      const a = await trx
        .selectFrom("assessments")
        .select(["status", "release", "profile_id"])
        .where("id", "=", assessmentId)
        .where("org_id", "=", orgId)
        .executeTakeFirst();
      if (!a) throw new NotFoundError("assessment");
      const current = await trx
        .selectFrom("findings")
        .selectAll()
        .where("assessment_id", "=", assessmentId)
        .where("item", "=", item)
        .executeTakeFirst();
      if (!current || Number(current.version) !== version) {
        staleOrMissing("finding", current && findingDto(current));
      }
      if (a.status === "done")
        throw new ConflictError(
          "assessment-done",
          "the assessment is done; set its status back to record findings",
          findingDto(current),
        );
      if (patch.evidence && patch.evidence.length > 0) {
        const known = new Set(
          (
            await trx
              .selectFrom("evidence")
              .select("id")
              .where("assessment_id", "=", assessmentId)
              .where("id", "in", patch.evidence)
              .execute()
          ).map((r) => r.id),
        );
        const problems = patch.evidence
          .map((e, i) => ({ e, i }))
          .filter(({ e }) => !known.has(e))
          .map(({ e, i }) => ({
            location: `body.evidence[${i}]`,
            message: `no evidence ${e} in this assessment`,
          }));
        if (problems.length > 0) throw new InvalidError("unknown evidence", problems);
      }
      const at = now();
      const set: Partial<FindingTable> = {};
      if (patch.verdict !== undefined) {
        set.verdict = patch.verdict;
        // What the verdict is given against: the release, and the item as the profile requires it
        // (stringency, method, obligation); a change of either makes the verdict stale.
        const digests = await this.itemDigests(trx, a.profile_id);
        set.basis = JSON.stringify({
          release: (JSON.parse(a.release) as Release).version,
          profileItem: digests.get(item) ?? item,
        });
      }
      if (patch.method !== undefined) set.method = patch.method;
      if (patch.statement !== undefined)
        set.statement = patch.statement === null ? null : JSON.stringify(patch.statement);
      if (patch.notes !== undefined) set.notes = patch.notes;
      if (patch.evidence !== undefined) set.evidence = JSON.stringify([...new Set(patch.evidence)]);
      const changesContent = Object.keys(set).length > 0;
      if (patch.signOff === true) set.sign_off = JSON.stringify({ reviewer: actor.name, date: at });
      else if (patch.signOff === false || (changesContent && current.sign_off !== null)) set.sign_off = null;
      const r = await trx
        .updateTable("findings")
        .set((eb) => ({
          ...set,
          updated_by: actor.email ?? actor.id,
          updated_at: at,
          version: eb("version", "+", 1),
        }))
        .where("assessment_id", "=", assessmentId)
        .where("item", "=", item)
        .where("version", "=", version)
        .returningAll()
        .executeTakeFirst();
      if (!r) {
        const now2 = await trx
          .selectFrom("findings")
          .selectAll()
          .where("assessment_id", "=", assessmentId)
          .where("item", "=", item)
          .executeTakeFirstOrThrow();
        throw new ConflictError("stale-version", "the finding was changed by someone else", findingDto(now2));
      }
      await trx
        .updateTable("assessments")
        .set((eb) => ({ revision: eb("revision", "+", 1), updated_at: at }))
        .where("id", "=", assessmentId)
        .execute();
      await appendAudit(trx, {
        chain: orgId,
        actor: auditActor(actor),
        action: "finding.update",
        target: `finding:${assessmentId}#${item}`,
        detail: { ...patch, version: Number(r.version) },
      });
      return findingDto(r);
    });
  }

  // --- evidence -------------------------------------------------------------------------------

  /** Checks the assessment is the organisation's (before a file is received for it). */
  async requireAssessment(orgId: string, id: string): Promise<void> {
    if ((await this.assessmentRevision(orgId, id)) === undefined) throw new NotFoundError("assessment");
  }

  /**
   * Adds an evidence record. `beforeCommit` runs inside the transaction once the row is written
   * (the server moves the uploaded file into place there), so a failure leaves neither behind.
   */
  async addEvidence(
    orgId: string,
    assessmentId: string,
    e: NewEvidence,
    actor: Actor,
    beforeCommit?: () => Promise<void>,
  ): Promise<EvidenceRecord> {
    return this.tx(async (trx) => {
      const a = await trx
        .updateTable("assessments")
        .set((eb) => ({
          evidence_seq: eb("evidence_seq", "+", 1),
          revision: eb("revision", "+", 1),
          updated_at: now(),
        }))
        .where("id", "=", assessmentId)
        .where("org_id", "=", orgId)
        .returning("evidence_seq")
        .executeTakeFirst();
      if (!a) throw new NotFoundError("assessment");
      if (e.supersedes !== undefined) {
        const old = await trx
          .selectFrom("evidence")
          .select("id")
          .where("assessment_id", "=", assessmentId)
          .where("id", "=", e.supersedes)
          .executeTakeFirst();
        if (!old)
          throw new InvalidError("unknown evidence", [
            { location: "body.supersedes", message: `no evidence ${e.supersedes} in this assessment` },
          ]);
      }
      const seq = Number(a.evidence_seq);
      const row: EvidenceTable = {
        assessment_id: assessmentId,
        id: `E-${String(seq).padStart(4, "0")}`,
        org_id: orgId,
        position: seq,
        kind: e.kind,
        title: e.title,
        strength: e.strength,
        tags: JSON.stringify(e.tags),
        file_name: e.file?.name ?? null,
        file_sha256: e.file?.sha256 ?? null,
        file_size: e.file?.size ?? null,
        media_type: e.file?.mediaType ?? null,
        url: e.url ?? null,
        text: e.text ?? null,
        tool: e.tool ? JSON.stringify(e.tool) : null,
        effective: e.effective,
        expires: e.expires ?? null,
        added_by: actor.email ?? actor.id,
        added_at: now(),
        supersedes: e.supersedes ?? null,
      };
      await trx.insertInto("evidence").values(row).execute();
      await appendAudit(trx, {
        chain: orgId,
        actor: auditActor(actor),
        action: "evidence.add",
        target: `evidence:${assessmentId}#${row.id}`,
        detail: {
          kind: e.kind,
          title: e.title,
          strength: e.strength,
          sha256: e.file?.sha256,
          size: e.file?.size,
          mediaType: e.file?.mediaType,
          url: e.url,
          supersedes: e.supersedes,
        },
      });
      if (beforeCommit) await beforeCommit();
      return evidenceDto(row);
    });
  }

  async listEvidence(orgId: string, assessmentId: string): Promise<EvidenceRecord[]> {
    await this.requireAssessment(orgId, assessmentId);
    const rows = await this.db
      .selectFrom("evidence")
      .selectAll()
      .where("assessment_id", "=", assessmentId)
      .where("org_id", "=", orgId)
      .orderBy("position")
      .execute();
    return rows.map(evidenceDto);
  }

  async getEvidence(orgId: string, assessmentId: string, id: string): Promise<EvidenceRecord> {
    const r = await this.db
      .selectFrom("evidence")
      .selectAll()
      .where("assessment_id", "=", assessmentId)
      .where("id", "=", id)
      .where("org_id", "=", orgId)
      .executeTakeFirst();
    if (!r) throw new NotFoundError("evidence");
    return evidenceDto(r);
  }

  /**
   * The organisation's audit entries about one assessment: the assessment itself, its findings,
   * its evidence, and the product and profile it is made of. Oldest first.
   */
  async assessmentAudit(orgId: string, assessmentId: string): Promise<AuditEntry[]> {
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

  async fileReferenced(sha256: string): Promise<boolean> {
    return (
      (await this.db
        .selectFrom("evidence")
        .select("id")
        .where("file_sha256", "=", sha256)
        .executeTakeFirst()) !== undefined
    );
  }
}
