import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Wall-clock milliseconds of whole processes, as a user or a CI job runs them. */
export function timeProcess(args: string[], runs: number, cwd = ROOT): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
    out.push(performance.now() - t);
    if (r.status !== 0 && r.status !== 1)
      throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  }
  return out;
}
