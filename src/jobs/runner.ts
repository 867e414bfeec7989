import type { ClaimedJob, JobStore } from "./store.js";

/** What a job's code gets: a way to report progress, and a signal when its claim is lost. */
export interface JobContext {
  progress(percent: number, message?: string): void;
  signal: AbortSignal;
}

/** A failure that another attempt cannot mend (an assessment that does not validate...): no retry. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentJobError";
  }
}

export type JobHandler = (job: ClaimedJob, ctx: JobContext) => Promise<Record<string, unknown>>;

export interface RunnerOptions {
  /** How long a claim holds without a heartbeat (an instance that dies loses its jobs after this). */
  leaseMs: number;
}

export type RunOutcome = "done" | "failed" | "retry" | "not-claimed" | "busy-elsewhere";

/**
 * Runs one job: claims it (with a lease), runs its handler while renewing the lease, and records
 * the outcome, all conditional on still holding the claim. The same runner serves the in-process
 * loop (SQLite) and the PostgreSQL queue; the jobs table is the record either way.
 */
export class JobRunner {
  constructor(
    private readonly store: JobStore,
    private readonly handlers: Record<string, JobHandler>,
    private readonly options: RunnerOptions,
  ) {}

  async run(jobId: string): Promise<RunOutcome> {
    const job = await this.store.claim(jobId, this.options.leaseMs);
    if (!job) return "not-claimed";
    return this.execute(job);
  }

  /** The oldest claimable job, run; undefined when there is none. */
  async runNext(): Promise<RunOutcome | undefined> {
    const job = await this.store.claimNext(this.options.leaseMs);
    return job ? this.execute(job) : undefined;
  }

  private async execute(job: ClaimedJob): Promise<RunOutcome> {
    const handler = this.handlers[job.kind];
    if (!handler) {
      await this.store.fail(job.id, `no handler for jobs of kind ${job.kind}`, false);
      return "failed";
    }
    const abort = new AbortController();
    let progress = 0;
    let message: string | undefined;
    let beating = Promise.resolve();
    const beat = () => {
      beating = beating
        .then(async () => {
          if (!(await this.store.heartbeat(job.id, this.options.leaseMs, progress, message))) abort.abort();
        })
        .catch(() => undefined);
    };
    const timer = setInterval(beat, Math.max(200, Math.floor(this.options.leaseMs / 3)));
    timer.unref();
    try {
      const result = await handler(job, {
        progress: (p, m) => {
          const changed = Math.round(p) !== Math.round(progress) || m !== message;
          progress = p;
          message = m;
          if (changed) beat();
        },
        signal: abort.signal,
      });
      clearInterval(timer);
      await beating;
      return (await this.store.complete(job.id, result)) ? "done" : "not-claimed";
    } catch (err) {
      clearInterval(timer);
      await beating;
      const permanent = err instanceof PermanentJobError;
      const state = await this.store.fail(job.id, (err as Error).message ?? String(err), !permanent);
      return state === "queued" ? "retry" : "failed";
    }
  }
}
