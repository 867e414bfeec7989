import { workerScript } from "../core/worker-script.js";
import type { BlobStore } from "../store/blobs.js";
import type { Store } from "../store/database.js";
import type { Repository } from "../store/repository.js";
import { DOSSIER_JOB, type DossierTask, type DossierTaskResult, dossierJob } from "./dossier.js";
import { WorkerPool } from "./pool.js";
import { InProcessQueue, type JobQueue, PgBossQueue } from "./queue.js";
import { JobRunner } from "./runner.js";
import { type ClaimedJob, JobStore } from "./store.js";

export interface JobOptions {
  /** Worker threads for dossier builds (default 1: on a small machine the event loop keeps a core). */
  threads?: number;
  /** A claim's lease (default 30 s): how long a dead instance keeps a job before another takes it. */
  leaseMs?: number;
  /** PostgreSQL: pg-boss's expiry and maintenance interval, in seconds (default 60 and 10). */
  expireInSeconds?: number;
  maintenanceIntervalSeconds?: number;
  /** false: jobs are queued but this instance runs none (an API-only instance). */
  work?: boolean;
  /** Extra catalogs the worker threads load beside the bundled ones. */
  catalogs?: string[];
}

/** The server's background jobs: the jobs table, the queue that hands them out, the threads that run them. */
export class Jobs {
  readonly store: JobStore;
  readonly queue: JobQueue;
  private readonly pool: WorkerPool<DossierTask, DossierTaskResult>;

  constructor(
    store: Store,
    repo: Repository,
    blobs: BlobStore,
    toolVersion: string,
    options: JobOptions = {},
  ) {
    this.store = new JobStore(store.db, store.dialect);
    this.pool = new WorkerPool(workerScript("jobs/dossier-worker.js"), options.threads ?? 1, {
      catalogs: options.catalogs ?? [],
    });
    const leaseMs = options.leaseMs ?? 30_000;
    const runner = new JobRunner(
      this.store,
      { [DOSSIER_JOB]: dossierJob({ repo, blobs, pool: this.pool, toolVersion }) },
      { leaseMs },
    );
    this.queue = store.postgres
      ? new PgBossQueue(runner, this.store, {
          connectionString: store.postgres.url,
          schema: `${store.postgres.schema}_jobs`,
          expireInSeconds: options.expireInSeconds ?? Math.max(60, Math.ceil((leaseMs * 2) / 1000)),
          maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 10,
          pollingIntervalSeconds: 1,
        })
      : new InProcessQueue(runner);
    this.working = options.work !== false;
  }

  private readonly working: boolean;

  async start(): Promise<void> {
    await this.queue.start(this.working);
  }

  /** Queues a job and tells the queue; any instance that works may run it. */
  async enqueue(
    orgId: string,
    kind: string,
    subject: string,
    payload: Record<string, unknown>,
    createdBy: string,
  ): Promise<ClaimedJob> {
    const job = await this.store.create(orgId, kind, subject, payload, createdBy);
    await this.queue.notify(job.id);
    return job;
  }

  async retry(orgId: string, id: string): Promise<ClaimedJob> {
    const job = await this.store.retry(orgId, id);
    await this.queue.notify(job.id);
    return job;
  }

  async stop(): Promise<void> {
    await this.queue.stop();
    await this.pool.close();
  }
}
