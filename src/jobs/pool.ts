import { Worker } from "node:worker_threads";

export interface TaskMessage<R> {
  id: number;
  progress?: { fraction: number; phase: string };
  result?: R;
  error?: string;
}

/**
 * Long work off the event loop: a small pool of worker threads that stay up between tasks (so the
 * reference data they load is loaded once), each running one task at a time. A worker that dies is
 * replaced; its task fails with the reason.
 */
export class WorkerPool<T, R> {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();
  private readonly waiting: (() => void)[] = [];
  private next = 1;
  private closed = false;

  constructor(
    private readonly script: string,
    private readonly size = 1,
    private readonly workerData?: unknown,
  ) {}

  private spawn(): Worker {
    const w = new Worker(this.script, { workerData: this.workerData });
    this.all.add(w);
    w.on("exit", () => this.all.delete(w));
    return w;
  }

  private async acquire(): Promise<Worker> {
    for (;;) {
      if (this.closed) throw new Error("the worker pool is closed");
      const w = this.idle.pop();
      if (w) return w;
      if (this.all.size < this.size) return this.spawn();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private release(w: Worker, healthy: boolean): void {
    if (healthy && !this.closed) this.idle.push(w);
    else void w.terminate();
    this.waiting.shift()?.();
  }

  /** Runs one task; `onProgress` hears the worker's progress messages. */
  async run(
    task: T,
    onProgress?: (fraction: number, phase: string) => void,
    transfer: ArrayBuffer[] = [],
  ): Promise<R> {
    const w = await this.acquire();
    const id = this.next++;
    return new Promise<R>((resolve, reject) => {
      const done = (healthy: boolean) => {
        w.off("message", onMessage);
        w.off("error", onError);
        w.off("exit", onExit);
        this.release(w, healthy);
      };
      const onMessage = (m: TaskMessage<R>) => {
        if (m.id !== id) return;
        if (m.progress) onProgress?.(m.progress.fraction, m.progress.phase);
        else if (m.error !== undefined) {
          done(true);
          reject(new Error(m.error));
        } else {
          done(true);
          resolve(m.result as R);
        }
      };
      const onError = (err: Error) => {
        done(false);
        reject(err);
      };
      const onExit = (code: number) => {
        done(false);
        reject(new Error(`the worker stopped (exit code ${code})`));
      };
      w.on("message", onMessage);
      w.once("error", onError);
      w.once("exit", onExit);
      w.postMessage({ id, task }, transfer);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const resolve of this.waiting.splice(0)) resolve();
    await Promise.all([...this.all].map((w) => w.terminate()));
    this.idle.length = 0;
  }
}
