/**
 * A small mutation fuzzer for collectors: seeds (real fixtures) are truncated, bit-flipped,
 * spliced, repeated and salted with hostile tokens. Deterministic (seeded PRNG) so a failure
 * reproduces; each input is checked for a well-formed report, bounded time and bounded heap.
 */
import { expect } from "vitest";
import type { Collector, CollectorContext } from "../../src/collect/contract.js";
import { inputOf } from "./collect.js";

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const enc = new TextEncoder();

export function mutator(seeds: Uint8Array[], tokens: string[], seed = 12345) {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const tokenBytes = tokens.map((t) => enc.encode(t));
  return (): Uint8Array => {
    const base = seeds[int(seeds.length)] as Uint8Array;
    let b = Uint8Array.from(base);
    const rounds = 1 + int(4);
    for (let r = 0; r < rounds; r++) {
      switch (int(8)) {
        case 0: // truncate
          b = b.slice(0, int(b.length + 1));
          break;
        case 1: // flip bits
          for (let k = 0; k < 1 + int(8) && b.length > 0; k++) {
            const at = int(b.length);
            b[at] = (b[at] as number) ^ (1 << int(8));
          }
          break;
        case 2: {
          // insert a hostile token
          const t = tokenBytes[int(tokenBytes.length)] as Uint8Array;
          const at = int(b.length + 1);
          const out = new Uint8Array(b.length + t.length);
          out.set(b.subarray(0, at));
          out.set(t, at);
          out.set(b.subarray(at), at + t.length);
          b = out;
          break;
        }
        case 3: {
          // repeat a slice many times (size pressure)
          const from = int(b.length + 1);
          const len = Math.min(64, b.length - from);
          const times = 1 + int(200);
          const piece = b.subarray(from, from + len);
          const out = new Uint8Array(b.length + piece.length * times);
          out.set(b.subarray(0, from));
          for (let k = 0; k < times; k++) out.set(piece, from + k * piece.length);
          out.set(b.subarray(from), from + piece.length * times);
          b = out;
          break;
        }
        case 4: // random bytes
          b = Uint8Array.from({ length: int(256) }, () => int(256));
          break;
        case 5: {
          // splice two seeds
          const other = seeds[int(seeds.length)] as Uint8Array;
          const a = b.subarray(0, int(b.length + 1));
          const c = other.subarray(int(other.length + 1));
          b = new Uint8Array(a.length + c.length);
          b.set(a);
          b.set(c, a.length);
          break;
        }
        case 6: // overwrite a byte with a boundary value
          if (b.length > 0)
            b[int(b.length)] = [0, 0x7f, 0x80, 0xff, 0x0a, 0x0d, 0x22, 0x7b, 0x5b][int(9)] as number;
          break;
        default: {
          // delete a range
          const from = int(b.length + 1);
          const to = from + int(32);
          const out = new Uint8Array(b.length - Math.max(0, Math.min(to, b.length) - from));
          out.set(b.subarray(0, from));
          out.set(b.subarray(Math.min(to, b.length)), from);
          b = out;
        }
      }
    }
    return b;
  };
}

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
): Promise<{ slowestMs: number; valid: number }> {
  const known = new Set(collector.checks.map((d) => d.id));
  const before = process.memoryUsage().heapUsed;
  let slowestMs = 0;
  let valid = 0;
  for (let i = 0; i < runs; i++) {
    const bytes = next();
    const t0 = performance.now();
    let report: Awaited<ReturnType<Collector["collect"]>>;
    try {
      collector.detect(bytes, undefined);
      report = await collector.collect(inputOf(bytes), { date: "2026-12-01", ...context });
    } catch (e) {
      throw new Error(
        `input ${i} (${bytes.length} bytes, ${Buffer.from(bytes.subarray(0, 64)).toString("hex")}...): ${(e as Error).stack}`,
      );
    }
    const ms = performance.now() - t0;
    if (ms > slowestMs) slowestMs = ms;
    if (report.valid) valid++;
    // Plain checks: expect() per input would dominate the run time.
    if (report.kind !== collector.kind || !Array.isArray(report.checks) || !Array.isArray(report.proposals))
      throw new Error(`input ${i}: malformed report`);
    for (const c of report.checks)
      if (!known.has(c.id)) throw new Error(`input ${i}: undocumented check ${c.id}`);
  }
  const growth = (process.memoryUsage().heapUsed - before) / 1048576;
  expect(growth).toBeLessThan(maxHeapGrowthMb);
  expect(slowestMs).toBeLessThan(maxMs);
  return { slowestMs, valid };
}
