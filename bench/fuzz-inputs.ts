/**
 * A small mutation fuzzer for collectors: seeds (real fixtures) are truncated, bit-flipped,
 * spliced, repeated and salted with hostile tokens, or (JSON) changed in structure. Deterministic
 * (seeded PRNG) so a failure reproduces. Used by the collectors' tests (test/helpers/fuzz.ts) and by
 * `npm run fuzz` (bench/fuzz-collectors.ts), which runs every parser at full count.
 */
import type { Collector, CollectorContext } from "../src/collect/contract.js";
import { sha256Hex } from "../src/collect/support/report.js";

export function prng(seed: number): () => number {
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

export interface FuzzRun {
  inputs: number;
  /** Inputs that threw, or gave a malformed report or an undocumented check id (at most 10 kept). */
  crashes: { input: number; bytes: number; head: string; message: string }[];
  crashCount: number;
  valid: number;
  slowestMs: number;
  /** Heap growth over the run, after a GC when node runs with --expose-gc. */
  heapGrowthMb: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Runs a collector on `runs` generated inputs; never throws for what an input does. */
export async function runFuzz(
  collector: Collector,
  next: () => Uint8Array,
  runs: number,
  context: Partial<CollectorContext> = {},
): Promise<FuzzRun> {
  const known = new Set(collector.checks.map((d) => d.id));
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const out: FuzzRun = { inputs: 0, crashes: [], crashCount: 0, valid: 0, slowestMs: 0, heapGrowthMb: 0 };
  for (let i = 0; i < runs; i++) {
    const bytes = next();
    out.inputs++;
    const t0 = performance.now();
    let problem: string | undefined;
    try {
      collector.detect(bytes, undefined);
      const report = await collector.collect(
        { bytes, info: { sha256: sha256Hex(bytes), bytes: bytes.byteLength } },
        { date: "2026-12-01", ...context },
      );
      if (report.valid) out.valid++;
      if (report.kind !== collector.kind || !Array.isArray(report.checks) || !Array.isArray(report.proposals))
        problem = "malformed report";
      else
        for (const c of report.checks)
          if (!known.has(c.id)) {
            problem = `undocumented check ${c.id}`;
            break;
          }
    } catch (e) {
      problem = (e as Error).stack ?? String(e);
    }
    const ms = performance.now() - t0;
    if (ms > out.slowestMs) out.slowestMs = ms;
    if (problem !== undefined) {
      out.crashCount++;
      if (out.crashes.length < 10)
        out.crashes.push({
          input: i,
          bytes: bytes.length,
          head: Buffer.from(bytes.subarray(0, 64)).toString("hex"),
          message: problem,
        });
    }
  }
  gc?.();
  out.heapGrowthMb = (process.memoryUsage().heapUsed - before) / 1048576;
  return out;
}

/**
 * Structure-aware mutations of JSON seeds: the result still parses, so the checks behind the
 * parser (schema, library tests, walkers) see wrong types, deep nesting, huge arrays and odd keys.
 */
export function jsonMutator(seeds: unknown[], seed = 777) {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const deep = (n: number): unknown => {
    let v: unknown = "x";
    for (let i = 0; i < n; i++) v = int(2) ? [v] : { branches: [v], category: "vendor", name: "n" };
    return v;
  };
  const hostile = (): unknown => {
    switch (int(12)) {
      case 0:
        return null;
      case 1:
        return -1e308;
      case 2:
        return "";
      case 3:
        return "\u0000".repeat(int(100));
      case 4:
        return "A".repeat(int(20_000));
      case 5:
        return deep(1 + int(400));
      case 6:
        return Array.from({ length: int(2000) }, (_, i) => ({ product_id: `P${i % 7}`, name: i }));
      case 7:
        return { __proto__: { polluted: true }, constructor: { prototype: 1 } };
      case 8:
        return [];
      case 9:
        return {};
      case 10:
        return true;
      default:
        return "2026-02-30T25:61:61Z";
    }
  };
  return (): Uint8Array => {
    const doc = structuredClone(seeds[int(seeds.length)]);
    const rounds = 1 + int(3);
    let root: unknown = doc;
    for (let r = 0; r < rounds; r++) {
      // Walk a random path, then replace, delete or duplicate what is there.
      let node: unknown = root;
      let parent: Record<string, unknown> | unknown[] | undefined;
      let key: string | number | undefined;
      for (let d = 0; d < 8; d++) {
        if (Array.isArray(node) && node.length > 0) {
          parent = node;
          key = int(node.length);
          node = node[key];
        } else if (node && typeof node === "object" && Object.keys(node).length > 0) {
          const keys = Object.keys(node);
          parent = node as Record<string, unknown>;
          key = keys[int(keys.length)] as string;
          node = (node as Record<string, unknown>)[key];
        } else break;
        if (int(4) === 0) break;
      }
      if (parent === undefined || key === undefined) {
        root = hostile();
        continue;
      }
      const action = int(3);
      if (action === 0) (parent as Record<string | number, unknown>)[key] = hostile();
      else if (action === 1) {
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key as string];
      } else (parent as Record<string | number, unknown>)[key] = [node, node, hostile()];
    }
    return new TextEncoder().encode(JSON.stringify(root));
  };
}
