import { statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { fileErrorMessage } from "../core/file-errors.js";
import type { Problem } from "../core/problem.js";
import {
  type CollectorContext,
  type CollectorLimits,
  type CollectorReport,
  DEFAULT_LIMITS,
} from "./contract.js";

/**
 * Runs one collector on one file within its limits: the input size is checked before anything is
 * read; the collector runs in a worker thread whose heap is capped (`resourceLimits`) and which is
 * terminated when the wall-clock limit passes. A limit hit is a clean failure naming the limit and
 * the option that raises it, never a crash of the calling process.
 */

export type RunFailureCode =
  | "input-too-large"
  | "timeout"
  | "heap"
  | "undetected"
  | "unreadable"
  | "input"
  | "usage"
  | "internal";

export interface RunFailure {
  code: RunFailureCode;
  message: string;
  problems?: Problem[];
  /** For internal errors: the worker's stack, shown with --debug. */
  stack?: string;
}

export type RunResult =
  | { ok: true; kind: string; report: CollectorReport; ms: number }
  | { ok: false; failure: RunFailure; ms: number };

export interface Progress {
  phase: string;
  done?: number;
  total?: number;
}

export interface RunRequest {
  /** Omitted: detected from the input (every collector's `detect`). */
  kind?: string;
  file: string;
  context: Omit<CollectorContext, "progress">;
  limits?: Partial<CollectorLimits>;
  onProgress?: (p: Progress) => void;
}

/** Messages from the worker (src/collect/worker.ts). */
export type WorkerMessage =
  | { type: "progress"; progress: Progress }
  | { type: "report"; kind: string; report: CollectorReport }
  | { type: "failure"; failure: RunFailure };

export interface WorkerInput {
  kind?: string;
  file: string;
  name: string;
  context: Omit<CollectorContext, "progress">;
  maxInputBytes: number;
}

/**
 * The worker script: beside this module in the unbundled build (dist/src/collect/); from dist/ when
 * running the TypeScript sources (tests); in the bundled CLI this module is a chunk under
 * dist/cli/chunks/ and the worker an entry of its own, dist/cli/collect-worker.js
 * (scripts/bundle-cli.mjs).
 */
function workerPath(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".ts")) return join(dirname(here), "..", "..", "dist", "src", "collect", "worker.js");
  if (basename(dirname(here)) === "chunks") return join(dirname(here), "..", "collect-worker.js");
  return join(dirname(here), "worker.js");
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 0)} MiB`;

export function effectiveLimits(limits: Partial<CollectorLimits> = {}): CollectorLimits {
  return {
    ...DEFAULT_LIMITS,
    ...Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)),
  };
}

export async function runCollector(req: RunRequest): Promise<RunResult> {
  const started = performance.now();
  const limits = effectiveLimits(req.limits);
  const elapsed = () => Math.round(performance.now() - started);
  const fail = (failure: RunFailure): RunResult => ({ ok: false, failure, ms: elapsed() });

  let size: number;
  try {
    const st = statSync(req.file);
    if (!st.isFile())
      return fail({
        code: "unreadable",
        message: st.isDirectory()
          ? fileErrorMessage(req.file, { code: "EISDIR" }, "file to read")
          : `${req.file} is not a regular file: give the path of the file to read`,
      });
    size = st.size;
  } catch (err) {
    return fail({ code: "unreadable", message: fileErrorMessage(req.file, err, "file to read") });
  }
  if (size > limits.maxInputBytes)
    return fail({
      code: "input-too-large",
      message: `${req.file} is ${mb(size)}, over the input limit of ${mb(limits.maxInputBytes)} (raise it with --max-input-mb)`,
    });

  const input: WorkerInput = {
    file: req.file,
    name: basename(req.file),
    context: req.context,
    maxInputBytes: limits.maxInputBytes,
    ...(req.kind !== undefined ? { kind: req.kind } : {}),
  };
  const worker = new Worker(workerPath(), {
    workerData: input,
    resourceLimits: { maxOldGenerationSizeMb: limits.maxHeapMb },
    stdout: false,
    stderr: false,
  });

  return new Promise<RunResult>((resolve) => {
    let settled = false;
    const settle = (r: RunResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(r);
    };
    const timer = setTimeout(() => {
      settle(
        fail({
          code: "timeout",
          message: `the ${req.kind ?? "collector"} run on ${input.name} passed the time limit of ${limits.timeoutMs / 1000} s and was stopped (raise it with --timeout-s)`,
        }),
      );
    }, limits.timeoutMs);
    worker.on("message", (m: WorkerMessage) => {
      if (m.type === "progress") req.onProgress?.(m.progress);
      else if (m.type === "report") settle({ ok: true, kind: m.kind, report: m.report, ms: elapsed() });
      else settle(fail(m.failure));
    });
    worker.on("error", (err: Error & { code?: string }) => {
      if (err.code === "ERR_WORKER_OUT_OF_MEMORY" || /out of memory|heap/i.test(err.message))
        settle(
          fail({
            code: "heap",
            message: `the ${req.kind ?? "collector"} run on ${input.name} needed more than the heap limit of ${limits.maxHeapMb} MiB and was stopped (raise it with --max-heap-mb)`,
          }),
        );
      else
        settle(fail({ code: "internal", message: err.message, ...(err.stack ? { stack: err.stack } : {}) }));
    });
    worker.on("exit", (code) => {
      if (!settled)
        settle(
          fail({ code: "internal", message: `the collector worker exited (code ${code}) without a result` }),
        );
    });
  });
}
