import { type Compilable, sql } from "kysely";
import { emailConflict, emailProblem, type LookAlike, normaliseEmail, prepareEmail } from "../core/email.js";
import { ConflictError, InvalidError, NotFoundError } from "../core/errors.js";
import { type AuditInput, type AuditTrail, appendAudit, SYSTEM_CHAIN } from "./audit.js";
import {
  type Actor,
  auditActor,
  type Db,
  isUniqueViolation,
  staleOrMissing,
  type Trx,
  versionedUpdate,
} from "./common.js";
import type { OrganisationDto, OrgTokenDto, Role, TokenDto, UserDto } from "./dto.js";
import { newId, now, sha256Hex } from "./ids.js";
import type { ApiTokenTable, OrganisationTable, UserTable } from "./schema.js";

/**
 * A new address looks like (or is) another user's: 409 `email-unavailable`. What the client sees
 * is the message only; who holds the address stays here, for the instance's audit chain.
 */
export class EmailUnavailableError extends ConflictError {
  constructor(
    message: string,
    /** The address asked for, normalised. */
    readonly email: string,
    /** The organisation of the user it looks like. */
    readonly holder: string | undefined,
  ) {
    super("email-unavailable", message);
    this.name = "EmailUnavailableError";
  }
}

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
    disabled: r.disabled_at !== null && r.disabled_at !== undefined,
    ...(r.disabled_at ? { disabledAt: r.disabled_at } : {}),
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

  constructor(
    private readonly db: Db,
    private readonly audit: AuditTrail,
  ) {
    this.tokenQuery = this.compiled(
      db
        .selectFrom("api_tokens")
        .innerJoin("users", "users.id", "api_tokens.user_id")
        .selectAll("users")
        .select([
          "api_tokens.id as token_id",
          "api_tokens.expires_at as token_expires",
          "api_tokens.revoked_at as revoked",
          "api_tokens.created_at as token_created",
        ])
        .where("api_tokens.token_hash", "=", "$hash")
        .where("users.disabled_at", "is", null),
    );
    this.sessionQuery = this.compiled(
      db
        .selectFrom("sessions")
        .innerJoin("users", "users.id", "sessions.user_id")
        .selectAll("users")
        .select(["sessions.csrf as csrf", "sessions.expires_at as expires"])
        .where("sessions.id", "=", "$id")
        .where("users.disabled_at", "is", null),
    );
  }

  /** A query compiled once; each call runs it with new values for its parameters, in their order. */
  private compiled<R>(query: Compilable<R>): (...parameters: unknown[]) => Promise<R[]> {
    const c = query.compile();
    return async (...parameters) => (await this.db.executeQuery<R>({ ...c, parameters })).rows;
  }

  private tx<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
    return this.audit.transaction(fn);
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
    return this.refusalsAudited(undefined, actor, () =>
      this.tx((trx) => this.insertOrganisation(trx, name, admin, actor)),
    );
  }

  /**
   * Runs a user creation; an address refused as unavailable is audited (after the failed
   * transaction): in the asking organisation's chain without the holder, in the instance's chain
   * with it (who probes addresses is the instance's business, not the holder's organisation's).
   */
  private async refusalsAudited<T>(
    orgId: string | undefined,
    actor: Actor,
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof EmailUnavailableError)) throw err;
      const detail = { email: err.email, reason: "unavailable" };
      if (orgId !== undefined)
        await this.audit.record({
          chain: orgId,
          actor: auditActor(actor, orgId),
          action: "user.create.refused",
          target: `organisation:${orgId}`,
          detail,
        });
      if (err.holder !== orgId)
        await this.audit.record({
          chain: SYSTEM_CHAIN,
          actor: auditActor(actor),
          action: "user.create.refused",
          target: orgId !== undefined ? `organisation:${orgId}` : "organisation:new",
          detail: {
            ...detail,
            ...(orgId !== undefined ? { organisation: orgId } : {}),
            holder: err.holder ?? null,
          },
        });
      throw err;
    }
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
    // The organisation's chain opens with its creation, by whom as its admins may see it.
    await appendAudit(trx, {
      chain: org.id,
      actor: auditActor(actor, org.id),
      action: "organisation.create",
      target: `organisation:${org.id}`,
      detail: { name },
    });
    let user: UserDto | undefined;
    if (admin) user = await this.insertUser(trx, org.id, admin, actor);
    await appendAudit(trx, {
      chain: SYSTEM_CHAIN,
      actor: auditActor(actor),
      action: "organisation.create",
      target: `organisation:${org.id}`,
      detail: {
        name,
        ...(user ? { admin: { id: user.id, email: user.email, siteAdmin: user.siteAdmin } } : {}),
      },
    });
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
        actor: auditActor(actor, id),
        action: "organisation.rename",
        target: `organisation:${id}`,
        detail: { name, version: Number(r.version) },
      });
      return orgDto(r);
    });
  }

  /** The users whose address looks like `skeleton` (or is `email`), the grandfathered pairs included. */
  private async lookAlikes(trx: Trx | Db, email: string, skeleton: string): Promise<LookAlike[]> {
    const like = `${skeleton.replace(/[\\%_]/g, (c) => `\\${c}`)}#%`;
    const rows = await trx
      .selectFrom("users")
      .select(["id", "org_id", "email"])
      .where((eb) =>
        eb.or([
          eb("email_skeleton", "=", skeleton),
          eb("email", "=", email),
          eb("email_skeleton", "like", sql<string>`${like} escape '\\'`),
        ]),
      )
      .execute();
    return rows.map((r) => ({ id: r.id, orgId: r.org_id, email: r.email }));
  }

  /**
   * Inside a caller's transaction. The address goes through the one check and normalisation of
   * src/core/email.ts (invalid: 400 naming `email`), and is refused when it is, or looks like,
   * another user's (409 `email-unavailable`, without naming another organisation's user).
   */
  async insertUser(trx: Trx, orgId: string, u: NewUser, actor: Actor): Promise<UserDto> {
    const prepared = prepareEmail(u.email.trim());
    if (!prepared.ok)
      throw new InvalidError("the e-mail address is not valid", [
        { location: "email", message: prepared.problem },
      ]);
    const { email, skeleton } = prepared;
    const others = await this.lookAlikes(trx, email, skeleton);
    const conflict = emailConflict(orgId, others);
    if (conflict !== undefined) {
      const holder = others.find((o) => o.orgId === orgId) ?? others[0];
      throw new EmailUnavailableError(conflict, email, holder?.orgId);
    }
    const at = now();
    const row: UserTable = {
      id: newId("usr"),
      org_id: orgId,
      email,
      email_skeleton: skeleton,
      name: u.name,
      role: u.role,
      password_hash: u.passwordHash,
      site_admin: u.siteAdmin ? 1 : 0,
      disabled_at: null,
      created_at: at,
      updated_at: at,
      version: 1,
    };
    try {
      await trx.insertInto("users").values(row).execute();
    } catch (err) {
      // Another writer took the address (or a look-alike) between the check and the insert.
      if (isUniqueViolation(err))
        throw new EmailUnavailableError("this address cannot be used; choose another", email, undefined);
      throw err;
    }
    await appendAudit(trx, {
      chain: orgId,
      actor: auditActor(actor, orgId),
      action: "user.create",
      target: `user:${row.id}`,
      detail: { email, name: u.name, role: u.role, siteAdmin: u.siteAdmin === true },
    });
    return userDto(row);
  }

  async createUser(orgId: string, u: NewUser, actor: Actor): Promise<UserDto> {
    return this.refusalsAudited(orgId, actor, () =>
      this.tx(async (trx) => {
        const org = await trx
          .selectFrom("organisations")
          .select("id")
          .where("id", "=", orgId)
          .executeTakeFirst();
        if (!org) throw new NotFoundError("organisation");
        return this.insertUser(trx, orgId, u, actor);
      }),
    );
  }

  /** Users whose address looked like an older user's before skeletons were unique (migration 0003). */
  async lookAlikeLogins(): Promise<{ id: string; email: string; organisation: string; looksLike: string }[]> {
    const rows = await this.db
      .selectFrom("users")
      .select(["id", "email", "org_id", "email_skeleton"])
      .where("email_skeleton", "like", "%#%")
      .orderBy("id")
      .execute();
    const out: { id: string; email: string; organisation: string; looksLike: string }[] = [];
    for (const r of rows) {
      const skeleton = String(r.email_skeleton).slice(0, String(r.email_skeleton).lastIndexOf("#"));
      const holder = await this.db
        .selectFrom("users")
        .select("id")
        .where("email_skeleton", "=", skeleton)
        .executeTakeFirst();
      out.push({ id: r.id, email: r.email, organisation: r.org_id, looksLike: holder?.id ?? "" });
    }
    return out;
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

  /**
   * With the password hash: for login only. The address is looked up in its normal form; an
   * address kept as it was by migration 0003 (its normal form was another user's) by its old one.
   */
  async userByEmail(raw: string): Promise<UserTable | undefined> {
    const given = raw.trim();
    if (emailProblem(given) !== undefined) return undefined;
    const found = await this.db
      .selectFrom("users")
      .selectAll()
      .where("email", "=", normaliseEmail(given))
      .executeTakeFirst();
    if (found) return found;
    return this.db
      .selectFrom("users")
      .selectAll()
      .where("email", "=", given.toLowerCase())
      .executeTakeFirst();
  }

  /**
   * Changes a user's role, name, or whether they are disabled. A changed role ends their sessions
   * (tokens carry no role); disabling ends their sessions, revokes their live tokens and voids any
   * reset link, at once. An admin does not disable themselves, and an organisation keeps at least
   * one enabled admin.
   */
  async updateUser(
    orgId: string,
    id: string,
    patch: { role?: Role; name?: string; disabled?: boolean },
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
      const wasDisabled = current.disabled_at !== null;
      const disabling = patch.disabled === true && !wasDisabled;
      const enabling = patch.disabled === false && wasDisabled;
      if (patch.disabled !== undefined && id === actor.id)
        throw new ConflictError("self", "you cannot disable or enable yourself", userDto(current));
      const losesAdmin =
        current.role === "admin" &&
        !wasDisabled &&
        (disabling || (patch.role !== undefined && patch.role !== "admin"));
      if (losesAdmin) {
        const admins = await trx
          .selectFrom("users")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("org_id", "=", orgId)
          .where("role", "=", "admin")
          .where("disabled_at", "is", null)
          .executeTakeFirstOrThrow();
        if (Number(admins.n) <= 1)
          throw new ConflictError(
            "last-admin",
            "an organisation keeps at least one enabled admin",
            userDto(current),
          );
      }
      const at = now();
      const r = await trx
        .updateTable("users")
        .set((eb) => ({
          ...(patch.role !== undefined ? { role: patch.role } : {}),
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(disabling ? { disabled_at: at } : enabling ? { disabled_at: null } : {}),
          updated_at: at,
          version: eb("version", "+", 1),
        }))
        .where("id", "=", id)
        .where("version", "=", version)
        .returningAll()
        .executeTakeFirst();
      if (!r)
        throw new ConflictError("stale-version", "the user was changed by someone else", userDto(current));
      const { disabled: _d, ...fields } = patch;
      if (Object.keys(fields).length > 0)
        await appendAudit(trx, {
          chain: orgId,
          actor: auditActor(actor, orgId),
          action: "user.update",
          target: `user:${id}`,
          detail: { ...fields, version: Number(r.version) },
        });
      if (disabling) {
        await trx.deleteFrom("sessions").where("user_id", "=", id).execute();
        await trx.deleteFrom("password_resets").where("user_id", "=", id).execute();
        const revoked = await trx
          .updateTable("api_tokens")
          .set((eb) => ({ revoked_at: at, version: eb("version", "+", 1) }))
          .where("user_id", "=", id)
          .where("revoked_at", "is", null)
          .returning("id")
          .execute();
        await appendAudit(trx, {
          chain: orgId,
          actor: auditActor(actor, orgId),
          action: "user.disable",
          target: `user:${id}`,
          detail: { tokensRevoked: revoked.map((t) => t.id).sort(), version: Number(r.version) },
        });
      } else if (enabling)
        await appendAudit(trx, {
          chain: orgId,
          actor: auditActor(actor, orgId),
          action: "user.enable",
          target: `user:${id}`,
          detail: { version: Number(r.version) },
        });
      if (patch.role !== undefined && patch.role !== current.role && !disabling)
        await trx.deleteFrom("sessions").where("user_id", "=", id).execute();
      return userDto(r);
    });
  }

  // --- passwords --------------------------------------------------------------------------------

  /**
   * The user's own change (the route has checked the current password): the new hash, and every
   * other session of theirs ends (this one, `keepSession`, stays); a pending reset link is void.
   */
  async changePassword(
    user: { id: string; org_id: string },
    passwordHash: string,
    keepSession: string | undefined,
    actor: Actor,
  ): Promise<void> {
    await this.tx(async (trx) => {
      await trx
        .updateTable("users")
        .set((eb) => ({ password_hash: passwordHash, updated_at: now(), version: eb("version", "+", 1) }))
        .where("id", "=", user.id)
        .execute();
      let ended = trx.deleteFrom("sessions").where("user_id", "=", user.id);
      if (keepSession !== undefined) ended = ended.where("id", "<>", sha256Hex(keepSession));
      const r = await ended.executeTakeFirst();
      await trx.deleteFrom("password_resets").where("user_id", "=", user.id).execute();
      await appendAudit(trx, {
        chain: user.org_id,
        actor: auditActor(actor, user.org_id),
        action: "user.password.change",
        target: `user:${user.id}`,
        detail: { sessionsEnded: Number(r.numDeletedRows) },
      });
    });
  }

  /**
   * A one-time link for a user of the organisation to set a new password (an admin's act): only
   * the SHA-256 of `secret` is kept; an earlier unused link of theirs is void. Not for oneself
   * (change it with the current one) nor for a disabled user.
   */
  async issuePasswordReset(
    orgId: string,
    userId: string,
    secret: string,
    ttlMs: number,
    actor: Actor,
  ): Promise<{ expiresAt: string }> {
    return this.tx(async (trx) => {
      const user = await trx
        .selectFrom("users")
        .select(["id", "disabled_at"])
        .where("id", "=", userId)
        .where("org_id", "=", orgId)
        .executeTakeFirst();
      if (!user) throw new NotFoundError("user");
      if (userId === actor.id)
        throw new ConflictError("self", "change your own password with your current one (the account page)");
      if (user.disabled_at !== null)
        throw new ConflictError("disabled", "the user is disabled: enable them first");
      const at = now();
      const expiresAt = new Date(Date.now() + ttlMs).toISOString();
      await trx.deleteFrom("password_resets").where("user_id", "=", userId).execute();
      await trx
        .insertInto("password_resets")
        .values({
          id: sha256Hex(secret),
          user_id: userId,
          org_id: orgId,
          created_by: actor.id,
          created_at: at,
          expires_at: expiresAt,
          used_at: null,
        })
        .execute();
      await appendAudit(trx, {
        chain: orgId,
        actor: auditActor(actor, orgId),
        action: "user.password.reset-issue",
        target: `user:${userId}`,
        detail: { expiresAt },
      });
      return { expiresAt };
    });
  }

  /**
   * Sets a password with a reset link: once, before it expires, for a user still enabled. Every
   * session of the user ends. Undefined when the link is unknown, used or expired (all alike).
   */
  async usePasswordReset(secret: string, passwordHash: string): Promise<{ userId: string } | undefined> {
    return this.tx(async (trx) => {
      const at = now();
      const reset = await trx
        .selectFrom("password_resets")
        .innerJoin("users", "users.id", "password_resets.user_id")
        .select([
          "password_resets.id as id",
          "users.id as user_id",
          "users.org_id as org_id",
          "users.email as email",
        ])
        .where("password_resets.id", "=", sha256Hex(secret))
        .where("password_resets.used_at", "is", null)
        .where("password_resets.expires_at", ">", at)
        .where("users.disabled_at", "is", null)
        .executeTakeFirst();
      if (!reset) return undefined;
      const used = await trx
        .updateTable("password_resets")
        .set({ used_at: at })
        .where("id", "=", reset.id)
        .where("used_at", "is", null)
        .executeTakeFirst();
      if (Number(used.numUpdatedRows) !== 1) return undefined;
      await trx
        .updateTable("users")
        .set((eb) => ({ password_hash: passwordHash, updated_at: at, version: eb("version", "+", 1) }))
        .where("id", "=", reset.user_id)
        .execute();
      const ended = await trx.deleteFrom("sessions").where("user_id", "=", reset.user_id).executeTakeFirst();
      await appendAudit(trx, {
        chain: reset.org_id,
        actor: { id: reset.user_id, email: reset.email, via: "reset" },
        action: "user.password.reset",
        target: `user:${reset.user_id}`,
        detail: { sessionsEnded: Number(ended.numDeletedRows) },
      });
      return { userId: reset.user_id };
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
        actor: auditActor(actor, user.org_id),
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

  /** Every token of the organisation, with whose it is (its admins revoke any of them). */
  async listOrgTokens(orgId: string): Promise<OrgTokenDto[]> {
    const rows = await this.db
      .selectFrom("api_tokens")
      .innerJoin("users", "users.id", "api_tokens.user_id")
      .selectAll("api_tokens")
      .select(["users.email as user_email", "users.name as user_name"])
      .where("api_tokens.org_id", "=", orgId)
      .orderBy("api_tokens.created_at")
      .orderBy("api_tokens.id")
      .execute();
    return rows.map((r) => ({
      ...tokenDto(r),
      user: { id: r.user_id, email: r.user_email, name: r.user_name },
    }));
  }

  /**
   * Revokes a token: one of `userId`'s (the caller's own), or with `userId` undefined any token of
   * the organisation (an admin's). Revoking a revoked token changes nothing.
   */
  async revokeToken(userId: string | undefined, orgId: string, id: string, actor: Actor): Promise<TokenDto> {
    return this.tx(async (trx) => {
      let q = trx.selectFrom("api_tokens").selectAll().where("id", "=", id).where("org_id", "=", orgId);
      if (userId !== undefined) q = q.where("user_id", "=", userId);
      const current = await q.executeTakeFirst();
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
        actor: auditActor(actor, orgId),
        action: "token.revoke",
        target: `token:${id}`,
        detail: { user: current.user_id, name: current.name },
      });
      return tokenDto(r);
    });
  }

  /**
   * The user a token belongs to, while it is live: not revoked, not past its expiry nor past its
   * creation plus `maxAgeMs` (tokens made before expiry was required have none of their own), and
   * its user not disabled.
   */
  async tokenUser(
    secret: string,
    maxAgeMs = Number.POSITIVE_INFINITY,
  ): Promise<{ user: UserTable; tokenId: string } | undefined> {
    const r = (await this.tokenQuery(sha256Hex(secret)))[0];
    const at = now();
    if (!r || r.revoked !== null || (r.token_expires !== null && r.token_expires <= at)) return undefined;
    if (Date.parse(r.token_created) + maxAgeMs <= Date.now()) return undefined;
    const { token_id, token_expires: _e, revoked: _r, token_created: _c, ...user } = r;
    return { user, tokenId: token_id };
  }

  /** An audit entry of its own (a refusal, a download, a read), outside any change. */
  record(input: AuditInput): Promise<unknown> {
    return this.audit.record(input);
  }
}
