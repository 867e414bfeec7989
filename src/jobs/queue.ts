import type PgBoss from "pg-boss";
import type { JobRunner, RunOutcome } from "./runner.js";
import type { JobStore } from "./store.js";

/**
 * Background work behind one interface: `start` picks jobs up, `notify` says a job was queued,
 * `stop` lets the running job finish its claim (or lose it at its lease). Jobs are rows of the jobs
 * table either way; what differs is who tells an instance there is work.
 */
export interface JobQueue {
  readonly kind: "in-process" | "pg-boss";
  /** Starts handing jobs out; with `work` false this instance only queues (it runs none). */
  start(work: boolean): Promise<void>;
  notify(jobId: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * SQLite, one machine: a loop in the server's process takes the oldest claimable job; the work
 * itself runs in worker threads (the handlers' business), so requests are never held up. A job
 * left running by a killed process is taken again once its lease runs out.
 */
export class InProcessQueue implements JobQueue {
  readonly kind = "in-process" as const;
  private wake?: () => void;
  private loop?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly runner: JobRunner,
    private readonly pollMs = 1000,
  ) {}

  async start(work: boolean): Promise<void> {
    if (!work) return;
    this.stopped = false;
    this.loop = (async () => {
      while (!this.stopped) {
        let ran: RunOutcome | undefined;
        try {
          ran = await this.runner.runNext();
        } catch {
          ran = undefined;
        }
        if (ran === undefined && !this.stopped)
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, this.pollMs);
            t.unref();
            this.wake = () => {
              clearTimeout(t);
              resolve();
            };
          });
      }
    })();
  }

  async notify(): Promise<void> {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }
}

export const QUEUE_NAME = "cairn-jobs";

export interface PgBossOptions {
  connectionString: string;
  /** pg-boss's own schema (tests give one per database schema). */
  schema: string;
  /** A job an instance took and did not finish (it died) is offered again after this many seconds. */
  expireInSeconds: number;
  /** How often pg-boss's maintenance looks for such jobs. */
  maintenanceIntervalSeconds: number;
  pollingIntervalSeconds: number;
}

/**
 * PostgreSQL, many instances: pg-boss (a well-kept job queue in PostgreSQL, SKIP LOCKED) delivers
 * job ids to whichever instance is free, and offers a job again when the instance that took it dies
 * (its expiry). The jobs table stays the record: the runner's claim makes a second delivery harmless,
 * and a job still held under a live lease elsewhere is given back to pg-boss to offer later.
 */
export class PgBossQueue implements JobQueue {
  readonly kind = "pg-boss" as const;
  private boss?: PgBoss;

  constructor(
    private readonly runner: JobRunner,
    private readonly store: JobStore,
    private readonly options: PgBossOptions,
  ) {}

  async start(work: boolean): Promise<void> {
    const { default: PgBossClass } = await import("pg-boss");
    const boss = new PgBossClass({
      connectionString: this.options.connectionString,
      schema: this.options.schema,
      max: 4,
      maintenanceIntervalSeconds: this.options.maintenanceIntervalSeconds,
      monitorStateIntervalSeconds: 60,
      schedule: false,
    });
    boss.on("error", () => undefined);
    await boss.start();
    await boss.createQueue(QUEUE_NAME, {
      name: QUEUE_NAME,
      retryLimit: 50,
      retryDelay: 2,
      expireInSeconds: this.options.expireInSeconds,
    });
    this.boss = boss;
    if (!work) return;
    await boss.work<{ jobId: string }>(
      QUEUE_NAME,
      { pollingIntervalSeconds: this.options.pollingIntervalSeconds, batchSize: 1 },
      async ([delivered]) => {
        if (!delivered) return;
        const outcome = await this.runner.run(delivered.data.jobId);
        if (outcome === "retry") throw new Error("the job failed and is queued again");
        if (outcome === "not-claimed") {
          const state = await this.store.state(delivered.data.jobId);
          // Another instance holds it under a live lease: offer it again later, in case that one dies.
          if (state === "running") throw new Error("the job is running elsewhere");
        }
      },
    );
    // Jobs queued while no instance could be told (a crash between the insert and the send).
    for (const id of await this.store.queuedIds()) await this.notify(id);
  }

  async notify(jobId: string): Promise<void> {
    await this.boss?.send(
      QUEUE_NAME,
      { jobId },
      { retryLimit: 50, retryDelay: 2, expireInSeconds: this.options.expireInSeconds },
    );
  }

  async stop(): Promise<void> {
    await this.boss?.stop({ graceful: true, wait: true, timeout: 15_000 });
    this.boss = undefined;
  }
}
