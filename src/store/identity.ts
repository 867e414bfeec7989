import type { Compilable } from "kysely";
import { ConflictError, NotFoundError } from "../core/errors.js";
import { appendAudit, SYSTEM_CHAIN } from "./audit.js";
import {
  type Actor,
  auditActor,
  type Db,
  isUniqueViolation,
  staleOrMissing,
  type Trx,
  versionedUpdate,
} from "./common.js";
import type { OrganisationDto, Role, TokenDto, UserDto } from "./dto.js";
import { newId, now, sha256Hex } from "./ids.js";
import type { ApiTokenTable, OrganisationTable, UserTable } from "./schema.js";

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  siteAdmin?: boolean;
}

export interface SessionUser {
  user: UserTable;
  csrf: string;
  expiresAt: string;
}

export function orgDto(r: OrganisationTable): OrganisationDto {
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

/**
 * Identity: organisations, users, sessions and API tokens. Reads of organisation-owned data take
 * the caller's organisation; writes run in one transaction with their audit entry.
 */
export class IdentityStore {
  // Queries on the path of every request, compiled once (building and compiling a query costs
  // more than running it).
  private readonly tokenQuery;
  private readonly sessionQuery;

  constructor(private readonly db: Db) {
    this.tokenQuery = this.compiled(
      db
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
      db
        .selectFrom("sessions")
        .innerJoin("users", "users.id", "sessions.user_id")
        .selectAll("users")
        .select(["sessions.csrf as csrf", "sessions.expires_at as expires"])
        .where("sessions.id", "=", "$id"),
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

  /** Inside a caller's transaction: the demo seeds an organisation with an assessment in one. */
  async insertOrganisation(
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
      const r = await versionedUpdate(
        "organisation",
        () =>
          trx
            .updateTable("organisations")
            .set((eb) => ({ name, updated_at: now(), version: eb("version", "+", 1) }))
            .where("id", "=", id)
            .where("version", "=", version)
            .returningAll()
            .executeTakeFirst(),
        () => trx.selectFrom("organisations").selectAll().where("id", "=", id).executeTakeFirst(),
        orgDto,
      );
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

  async insertUser(trx: Trx, orgId: string, u: NewUser, actor: Actor): Promise<UserDto> {
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
}
