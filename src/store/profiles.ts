import { ConflictError, NotFoundError } from "../core/errors.js";
import type { Profile } from "../profile/model.js";
import { type AuditTrail, appendAudit } from "./audit.js";
import { type Actor, auditActor, type Db, type Trx } from "./common.js";
import type { ProfileSummaryDto } from "./dto.js";
import { newId, now, sha256Hex } from "./ids.js";
import type { ProfileTable } from "./schema.js";

/** The text of a profile file as Cairn writes it (`cairn profile new -o`): what a pull writes. */
export function profileText(profile: Profile): string {
  return `${JSON.stringify(profile, null, 2)}\n`;
}

export function profileSummary(r: Omit<ProfileTable, "body">): ProfileSummaryDto {
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

export interface StoredProfile {
  summary: ProfileSummaryDto;
  profile: Profile;
  /** The profile file's exact text; `summary.sha256` is its SHA-256. */
  text: string;
}

const CACHE = 64;

/**
 * The organisation's profiles. A row keeps the profile file's exact text (a pulled folder gets
 * the bytes that were pushed) and the SHA-256 of that text, which an assessment records as the
 * profile it was made against. A profile is tailored only while no assessment uses it.
 */
export class ProfileStore {
  /** Parsed profiles by row id and hash: a row in use never changes, so an entry never goes stale. */
  private readonly parsed = new Map<string, Profile>();

  constructor(
    private readonly db: Db,
    private readonly dialect: "sqlite" | "postgres",
    private readonly audit: AuditTrail,
  ) {}

  private tx<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
    return this.audit.transaction(fn);
  }

  /** Inside a caller's transaction: a new row holding `text`, audited. */
  async insert(
    trx: Trx,
    orgId: string,
    profile: Profile,
    text: string,
    actor: Actor,
    extra: Record<string, unknown> = {},
    id = newId("pro"),
  ): Promise<ProfileTable> {
    const row: ProfileTable = {
      id,
      org_id: orgId,
      title: profile.title,
      body: text,
      sha256: sha256Hex(text),
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
      detail: {
        title: row.title,
        sha256: row.sha256,
        items: row.item_count,
        context: profile.context,
        ...extra,
      },
    });
    return row;
  }

  /** A profile the server built: its row id is the profile's own id. */
  async create(orgId: string, profile: Profile, actor: Actor): Promise<ProfileSummaryDto> {
    return this.tx(async (trx) =>
      profileSummary(await this.insert(trx, orgId, profile, profileText(profile), actor, {}, profile.id)),
    );
  }

  async list(orgId: string): Promise<ProfileSummaryDto[]> {
    const rows = await this.db
      .selectFrom("profiles")
      .select(["id", "org_id", "title", "sha256", "item_count", "created_at", "created_by", "version"])
      .where("org_id", "=", orgId)
      .orderBy("created_at", "desc")
      .orderBy("id")
      .execute();
    return rows.map(profileSummary);
  }

  async get(orgId: string, id: string, db: Db | Trx = this.db): Promise<StoredProfile> {
    const r = await db
      .selectFrom("profiles")
      .selectAll()
      .where("id", "=", id)
      .where("org_id", "=", orgId)
      .executeTakeFirst();
    if (!r) throw new NotFoundError("profile");
    return { summary: profileSummary(r), profile: this.parse(r.id, r.sha256, r.body), text: r.body };
  }

  /** The parsed profile of a row, from the cache when its hash is known. */
  parse(id: string, sha256: string, body: string): Profile {
    const key = `${id}:${sha256}`;
    let p = this.parsed.get(key);
    if (!p) {
      p = JSON.parse(body) as Profile;
      this.parsed.set(key, p);
      if (this.parsed.size > CACHE) {
        const oldest = this.parsed.keys().next().value;
        if (oldest !== undefined) this.parsed.delete(oldest);
      }
    }
    return p;
  }

  /** Inside a caller's transaction: the profile an assessment is made against (no org check: the caller has it). */
  async load(trx: Trx | Db, id: string): Promise<Profile> {
    const r = await trx
      .selectFrom("profiles")
      .select("sha256")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    const cached = this.parsed.get(`${id}:${r.sha256}`);
    if (cached) return cached;
    const { body } = await trx
      .selectFrom("profiles")
      .select("body")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    return this.parse(id, r.sha256, body);
  }

  /** Inside a caller's transaction: the row, read FOR SHARE on PostgreSQL (a concurrent tailoring waits). */
  async forUse(trx: Trx, orgId: string, id: string): Promise<ProfileTable | undefined> {
    let q = trx.selectFrom("profiles").selectAll().where("id", "=", id).where("org_id", "=", orgId);
    if (this.dialect === "postgres") q = q.forShare();
    return q.executeTakeFirst();
  }

  /**
   * Tailors a profile (adds or removes an item with its rationale) if `version` is still the
   * stored one: `change` makes the new profile from the current one. A profile that assessments
   * are made against is refused (409 `in-use`): their findings and recorded hash follow the profile
   * as it was. The conditional UPDATE comes before that check, so on PostgreSQL it waits for an
   * assessment being created over the profile (which reads it FOR SHARE) and then sees it.
   */
  async tailor(
    orgId: string,
    id: string,
    version: number,
    change: (profile: Profile) => { profile: Profile; detail: Record<string, unknown> },
    actor: Actor,
  ): Promise<{ summary: ProfileSummaryDto; profile: Profile }> {
    return this.tx(async (trx) => {
      const read = async () => {
        const c = await this.get(orgId, id, trx);
        return { record: c.summary, profile: c.profile };
      };
      const current = await read();
      if (current.record.version !== version)
        throw new ConflictError("stale-version", "the profile was changed by someone else", current);
      const { profile, detail } = change(current.profile);
      const text = profileText(profile);
      const row = await trx
        .updateTable("profiles")
        .set((eb) => ({
          title: profile.title,
          body: text,
          sha256: sha256Hex(text),
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
}
