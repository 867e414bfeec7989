/**
 * The collectors' fuzz tests: the generators and the runner are bench/fuzz-inputs.ts (shared with
 * `npm run fuzz`); here a run becomes assertions: no crash, bounded time, bounded heap growth.
 */
import { expect } from "vitest";
import { type FuzzRun, runFuzz } from "../../bench/fuzz-inputs.js";
import type { Collector, CollectorContext } from "../../src/collect/contract.js";

export { jsonMutator, mutator } from "../../bench/fuzz-inputs.js";

export interface FuzzOptions {
  runs?: number;
  /** The slowest single input allowed, in milliseconds. */
  maxMs?: number;
  /** Heap growth allowed over the whole run, in MiB (after a GC when exposed). */
  maxHeapGrowthMb?: number;
  context?: Partial<CollectorContext>;
}

export async function fuzzCollector(
  collector: Collector,
  next: () => Uint8Array,
  { runs = 10_000, maxMs = 1000, maxHeapGrowthMb = 128, context = {} }: FuzzOptions = {},
): Promise<FuzzRun> {
  const r = await runFuzz(collector, next, runs, context);
  const first = r.crashes[0];
  if (first)
    throw new Error(
      `${r.crashCount} of ${r.inputs} inputs failed; input ${first.input} (${first.bytes} bytes, ${first.head}...): ${first.message}`,
    );
  expect(r.heapGrowthMb).toBeLessThan(maxHeapGrowthMb);
  expect(r.slowestMs).toBeLessThan(maxMs);
  return r;
}
