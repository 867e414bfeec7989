import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { CairnError } from "../core/problem.js";
import type { CollectorContext } from "./contract.js";
import { detectKinds, loadCollector } from "./registry.js";
import type { Progress, RunFailure, WorkerInput, WorkerMessage } from "./run.js";

// One collector run, in its own worker thread (see run.ts for the limits around it).

const input = workerData as WorkerInput;
const post = (m: WorkerMessage) => parentPort?.postMessage(m);

/** Reads at most maxInputBytes + 1 bytes: a file that grew after the size check still cannot exceed the limit. */
function readBounded(file: string, max: number): Uint8Array | undefined {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    if (size > max) return undefined;
    const buf = Buffer.allocUnsafe(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

async function main(): Promise<void> {
  const bytes = readBounded(input.file, input.maxInputBytes);
  if (bytes === undefined) {
    post({
      type: "failure",
      failure: {
        code: "input-too-large",
        message: `${input.name} grew over the input limit while being read`,
      },
    });
    return;
  }
  let kind = input.kind;
  if (kind === undefined) {
    const found = await detectKinds(bytes, input.name);
    if (found.length === 0) {
      post({
        type: "failure",
        failure: {
          code: "undetected",
          message: `cannot tell what kind of input ${input.name} is: name the kind (cairn collect <kind> <file>)`,
        },
      });
      return;
    }
    kind = (found[0] as { kind: string }).kind;
  }
  const collector = await loadCollector(kind);
  let last = 0;
  const progress = (phase: string, done?: number, total?: number) => {
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    const p: Progress = {
      phase,
      ...(done !== undefined ? { done } : {}),
      ...(total !== undefined ? { total } : {}),
    };
    post({ type: "progress", progress: p });
  };
  const options = collector.prepare
    ? await collector.prepare(input.context.options ?? {})
    : (input.context.options ?? {});
  const context: CollectorContext = { ...input.context, options, progress };
  const report = await collector.collect(
    {
      bytes,
      info: {
        sha256: createHash("sha256").update(bytes).digest("hex"),
        bytes: bytes.length,
        name: input.name,
      },
    },
    context,
  );
  post({ type: "report", kind, report });
}

main().catch((err: unknown) => {
  let failure: RunFailure;
  if (err instanceof CairnError)
    failure = { code: err.exitCode === 2 ? "usage" : "input", message: err.message, problems: err.problems };
  else {
    const e = err as Error;
    failure = {
      code: "internal",
      message: e?.message ?? String(err),
      ...(e?.stack ? { stack: e.stack } : {}),
    };
  }
  post({ type: "failure", failure });
});
