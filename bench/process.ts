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

/**
 * Wall-clock milliseconds of several commands run in alternation, round after round: on a shared
 * machine the load drifts, and alternating gives each command the same conditions (running one
 * command's rounds after the other's compares two different machines).
 */
export function timeProcessesAlternating(commands: string[][], rounds: number, cwd = ROOT): number[][] {
  const out = commands.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++)
    commands.forEach((args, i) => {
      const t = performance.now();
      const res = spawnSync(process.execPath, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
      (out[i] as number[]).push(performance.now() - t);
      if (res.status !== 0) throw new Error(`${args.join(" ")} exited ${res.status}: ${res.stderr}`);
    });
  return out;
}
