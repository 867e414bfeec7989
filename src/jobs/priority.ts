import { readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";

/**
 * Long work gives way to requests: on Linux a thread is scheduled on its own and has its own nice
 * value, so a worker thread can lower its own (its id read from /proc/thread-self). When the cores
 * are busy, the server's event loop then gets the CPU first, and reads stay fast while dossiers are
 * built (bench/server-jobs.ts). Elsewhere, or when not allowed, the work runs at the server's
 * priority. Returns the thread's new nice value, or undefined when nothing changed.
 */
export function yieldToRequests(by = 10): number | undefined {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    // The main thread's id is the process id: lowering it would slow the requests instead.
    if (!Number.isInteger(tid) || tid <= 0 || tid === process.pid) return undefined;
    setPriority(tid, Math.min(19, getPriority(tid) + by));
    return getPriority(tid);
  } catch {
    return undefined;
  }
}
