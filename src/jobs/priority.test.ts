import { getPriority } from "node:os";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { workerScript } from "../core/worker-script.js";
import { yieldToRequests } from "./priority.js";

// The dossier worker lowers its own thread's priority (Linux: a thread has its own nice value), so
// requests get the CPU first while dossiers are built; the server's own thread keeps its priority.
describe.runIf(process.platform === "linux")("a build thread gives way to requests", () => {
  it("lowers a worker thread's nice value, not the process's; the main thread is left alone", async () => {
    const before = getPriority(process.pid);
    const code = `
      import(${JSON.stringify(workerScript("jobs/priority.js"))}).then(({ yieldToRequests }) => {
        require("node:worker_threads").parentPort.postMessage(yieldToRequests());
      });
    `;
    const w = new Worker(code, { eval: true });
    const nice = await new Promise<number | undefined>((resolve) => w.once("message", resolve));
    await w.terminate();
    expect(nice).toBe(Math.min(19, before + 10));
    expect(getPriority(process.pid)).toBe(before);
    expect(yieldToRequests()).toBeUndefined();
    expect(getPriority(process.pid)).toBe(before);
  });
});
