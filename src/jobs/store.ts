import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { ConflictError, NotFoundError } from "../core/errors.js";
import type { Db } from "../store/common.js";
import { newId } from "../store/ids.js";
import type { JobTable } from "../store/schema.js";

export type JobState = "queued" | "running" | "done" | "failed";
export const JOB_STATES: readonly JobState[] = ["queued", "running", "done", "failed"];

/** A background job as the API shows it. */
export interface Job {
  id: string;
  kind: string;
  /** What it works on: `assessment:<id>`. */
  subject: string;
  state: JobState;
  /** 0 to 100. */
  progress: number;
  message?: string;
  result?: Record<string, unknown>;
  error?: string;
  attempts: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  finishedAt?: string;
}

export function jobDto(r: JobTable): Job {
  const j: Job = {
    id: r.id,
    kind: r.kind,
    subject: r.subject,
    state: r.state as JobState,
    progress: Number(r.progress),
    attempts: Number(r.attempts),
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
  if (r.message !== null) j.message = r.message;
  if (r.result !== null) j.result = JSON.parse(r.result) as Record<string, unknown>;
  if (r.error !== null) j.error = r.error;
  if (r.started_at !== null) j.startedAt = r.started_at;
  if (r.finished_at !== null) j.finishedAt = r.finished_at;
  return j;
}

/** A job claimed by a worker: its row, with the payload to work from. */
export interface ClaimedJob extends Job {
  orgId: string;
  payload: Record<string, unknown>;
}

/** How many times a job runs before it is marked failed (a crash of its instance counts). */
export const MAX_ATTEMPTS = 3;

/** This process's name in the jobs table: which instance holds a job. */
export const WORKER_ID = `${process.pid}-${randomBytes(4).toString("hex")}`;

const iso = (ms = Date.now()) => new Date(ms).toISOString();

/**
 * The jobs table: the record of every background job, shared by every instance. A job is claimed
 * with a lease that its worker renews while it runs; a job whose lease ran out (its instance died)
 * can be claimed again, and completing it is conditional on still holding it, so it is done once.
 */
export class JobStore {
  constructor(
    private readonly db: Db,
    private readonly dialect: "sqlite" | "postgres",
  ) {}

  async create(
    orgId: string,
    kind: string,
    subject: string,
    payload: Record<string, unknown>,
    createdBy: string,
  ): Promise<ClaimedJob> {
    const at = iso();
    const row: JobTable = {
      id: newId("job"),
      org_id: orgId,
      kind,
      subject,
      payload: JSON.stringify(payload),
      state: "queued",
      progress: 0,
      message: null,
      result: null,
      error: null,
      attempts: 0,
      created_by: createdBy,
      created_at: at,
      updated_at: at,
      started_at: null,
      finished_at: null,
      worker: null,
      lease_until: null,
    };
    await this.db.insertInto("jobs").values(row).execute();
    return { ...jobDto(row), orgId, payload };
  }

  async get(orgId: string, id: string): Promise<Job> {
    const r = await this.db
      .selectFrom("jobs")
      .selectAll()
      .where("id", "=", id)
      .where("org_id", "=", orgId)
      .executeTakeFirst();
    if (!r) throw new NotFoundError("job");
    return jobDto(r);
  }

  async list(orgId: string, subject?: string, limit = 50): Promise<Job[]> {
    let q = this.db.selectFrom("jobs").selectAll().where("org_id", "=", orgId);
    if (subject !== undefined) q = q.where("subject", "=", subject);
    const rows = await q.orderBy("created_at", "desc").orderBy("id").limit(limit).execute();
    return rows.map(jobDto);
  }

  /** Claims one job by id: queued, or running under a lease that ran out. Undefined when it is not claimable. */
  async claim(id: string, leaseMs: number): Promise<ClaimedJob | undefined> {
    const now = iso();
    const r = await this.db
      .updateTable("jobs")
      .set((eb) => ({
        state: "running",
        worker: WORKER_ID,
        lease_until: iso(Date.now() + leaseMs),
        attempts: eb("attempts", "+", 1),
        started_at: eb.fn.coalesce("started_at", sql.lit(now)),
        updated_at: now,
      }))
      .where("id", "=", id)
      .where((eb) =>
        eb.or([
          eb("state", "=", "queued"),
          eb.and([eb("state", "=", "running"), eb("lease_until", "<", now)]),
        ]),
      )
      .returningAll()
      .executeTakeFirst();
    return r
      ? { ...jobDto(r), orgId: r.org_id, payload: JSON.parse(r.payload) as Record<string, unknown> }
      : undefined;
  }

  /** The oldest claimable job, claimed (the in-process runner's loop). */
  async claimNext(leaseMs: number): Promise<ClaimedJob | undefined> {
    const now = iso();
    let q = this.db
      .selectFrom("jobs")
      .select("id")
      .where((eb) =>
        eb.or([
          eb("state", "=", "queued"),
          eb.and([eb("state", "=", "running"), eb("lease_until", "<", now)]),
        ]),
      )
      .orderBy("created_at")
      .limit(1);
    if (this.dialect === "postgres") q = q.forUpdate().skipLocked();
    const next = await q.executeTakeFirst();
    return next ? this.claim(next.id, leaseMs) : undefined;
  }

  /** Renews the lease and records progress; false when the job is no longer this worker's. */
  async heartbeat(id: string, leaseMs: number, progress: number, message?: string): Promise<boolean> {
    const r = await this.db
      .updateTable("jobs")
      .set({
        lease_until: iso(Date.now() + leaseMs),
        progress: Math.max(0, Math.min(100, Math.round(progress))),
        ...(message !== undefined ? { message } : {}),
        updated_at: iso(),
      })
      .where("id", "=", id)
      .where("worker", "=", WORKER_ID)
      .where("state", "=", "running")
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Marks the job done, once: only while this worker holds it. */
  async complete(id: string, result: Record<string, unknown>): Promise<boolean> {
    const now = iso();
    const r = await this.db
      .updateTable("jobs")
      .set({
        state: "done",
        progress: 100,
        result: JSON.stringify(result),
        error: null,
        finished_at: now,
        updated_at: now,
        lease_until: null,
      })
      .where("id", "=", id)
      .where("worker", "=", WORKER_ID)
      .where("state", "=", "running")
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Records why the job failed: queued again while attempts remain, failed after. */
  async fail(id: string, error: string, retry: boolean): Promise<JobState | undefined> {
    const now = iso();
    const current = await this.db
      .selectFrom("jobs")
      .select(["attempts"])
      .where("id", "=", id)
      .executeTakeFirst();
    if (!current) return undefined;
    const state: JobState = retry && Number(current.attempts) < MAX_ATTEMPTS ? "queued" : "failed";
    const r = await this.db
      .updateTable("jobs")
      .set({
        state,
        error: error.slice(0, 2000),
        updated_at: now,
        lease_until: null,
        worker: null,
        ...(state === "failed" ? { finished_at: now } : {}),
      })
      .where("id", "=", id)
      .where("worker", "=", WORKER_ID)
      .where("state", "=", "running")
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1 ? state : undefined;
  }

  async state(id: string): Promise<JobState | undefined> {
    const r = await this.db.selectFrom("jobs").select("state").where("id", "=", id).executeTakeFirst();
    return r?.state as JobState | undefined;
  }

  /** Jobs still waiting (to hand to a queue at start, in case they were never handed). */
  async queuedIds(limit = 1000): Promise<string[]> {
    const rows = await this.db
      .selectFrom("jobs")
      .select("id")
      .where("state", "=", "queued")
      .orderBy("created_at")
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** A failed job, queued again (by a person). */
  async retry(orgId: string, id: string): Promise<ClaimedJob> {
    const now = iso();
    const r = await this.db
      .updateTable("jobs")
      .set({
        state: "queued",
        attempts: 0,
        progress: 0,
        error: null,
        message: null,
        finished_at: null,
        updated_at: now,
      })
      .where("id", "=", id)
      .where("org_id", "=", orgId)
      .where("state", "=", "failed")
      .returningAll()
      .executeTakeFirst();
    if (!r) {
      const job = await this.get(orgId, id);
      throw new ConflictError("not-failed", `the job is ${job.state}: only a failed job can be retried`, job);
    }
    return { ...jobDto(r), orgId: r.org_id, payload: JSON.parse(r.payload) as Record<string, unknown> };
  }
}
