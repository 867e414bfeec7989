/**
 * JSON Schema `uniqueItems` in linear time, with ajv's verdict and error pair.
 *
 * ajv checks `uniqueItems` on arrays whose item type is an object (or a `$ref`, which it cannot see
 * through) with a nested loop of deep comparisons: n^2/2 calls. CycloneDX puts `uniqueItems` on
 * `components`, `dependencies`, `dependsOn`, `services`, hashes, licences...: a 10,000-component SBOM
 * costs about 50 million deep comparisons per array, which is where `@cyclonedx/cyclonedx-library`'s
 * validator spends its time. Here items are first bucketed by a key equal items always share (the
 * item itself for strings and numbers, one member's value or a shallow hash for objects), and only
 * items sharing a bucket are compared, by a canonical serialisation (sorted keys),
 * which is equal exactly when ajv's deep equality holds on JSON data (objects as JSON.parse makes them).
 */

import { KeyIndex, sameKey, strHash } from "./key-index.js";

class Lit {
  constructor(readonly s: string) {}
}
const COMMA = new Lit(",");
const CLOSE_ARRAY = new Lit("]");
const CLOSE_OBJECT = new Lit("}");

/** A canonical JSON text (sorted keys), built without recursion so that deep nesting cannot overflow the stack. */
export function canonicalJson(root: unknown): string {
  const out: string[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v instanceof Lit) {
      out.push(v.s);
    } else if (v === null || typeof v !== "object") {
      out.push(JSON.stringify(v) ?? "null");
    } else if (Array.isArray(v)) {
      out.push("[");
      stack.push(CLOSE_ARRAY);
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push(v[i]);
        if (i > 0) stack.push(COMMA);
      }
    } else {
      out.push("{");
      stack.push(CLOSE_OBJECT);
      const keys = Object.keys(v).sort();
      const o = v as Record<string, unknown>;
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i] as string;
        stack.push(o[k]);
        stack.push(new Lit(`${JSON.stringify(k)}:`));
        if (i > 0) stack.push(COMMA);
      }
    }
  }
  return out.join("");
}

function leafHash(x: unknown): number {
  if (typeof x === "string") return strHash(x, 0x811c9dc5);
  if (typeof x === "number") return strHash(String(x), 0x01000193);
  if (typeof x === "boolean") return x ? 3 : 5;
  if (x === null || typeof x !== "object") return 7;
  if (Array.isArray(x)) return Math.imul(x.length + 11, 0x9e3779b1);
  let n = 0;
  for (const _ in x as object) n++;
  return Math.imul(n + 13, 0x85ebca6b);
}

/**
 * A cheap hash that equal items always share: leaves fully, nested values by type and size only.
 * Object members are combined by addition, so key order does not matter (as for deep equality).
 */
function shallowHash(v: unknown): number {
  if (v === null || typeof v !== "object") return leafHash(v);
  if (Array.isArray(v)) {
    let h = 0x27d4eb2d ^ v.length;
    for (let i = 0; i < v.length; i++) h = Math.imul(h ^ leafHash(v[i]), 16777619);
    return h | 0;
  }
  const o = v as Record<string, unknown>;
  let sum = 0x165667b1;
  for (const k in o) sum = (sum + (Math.imul(strHash(k, 0x2545f491), 31) ^ leafHash(o[k]))) | 0;
  return sum;
}

const ABSENT = Symbol("absent");

/**
 * The member whose values best tell the first few objects apart (CycloneDX: `bom-ref`, `ref`), or
 * undefined. Any member will do for correctness: equal objects have equal values for every member.
 */
function probeMember(items: readonly unknown[]): string | undefined {
  const sample: Record<string, unknown>[] = [];
  for (let i = 0; i < items.length && sample.length < 8; i++) {
    const x = items[i];
    if (x !== null && typeof x === "object" && !Array.isArray(x)) sample.push(x as Record<string, unknown>);
  }
  const first = sample[0];
  if (first === undefined || sample.length < 2) return undefined;
  let best: string | undefined;
  let bestDistinct = 1;
  for (const k in first) {
    const values = new Set<unknown>();
    for (const o of sample) {
      const v = Object.hasOwn(o, k) ? o[k] : ABSENT;
      if (v !== null && typeof v === "object") break;
      values.add(v);
    }
    if (values.size > bestDistinct) {
      best = k;
      bestDistinct = values.size;
      if (values.size === sample.length) break;
    }
  }
  return best;
}

/**
 * The bucket of an item, shared by all items deep-equal to it: a primitive is its own key (the
 * engine hashes strings natively); an object is keyed by its probe member's value when that is a
 * primitive; anything else by its shallow hash. Keys of different kinds may collide: only bucketing.
 */
function bucketKey(x: unknown, probe: string | undefined): unknown {
  if (x === null || typeof x !== "object") return x;
  if (probe !== undefined && !Array.isArray(x)) {
    const o = x as Record<string, unknown>;
    if (Object.hasOwn(o, probe)) {
      const v = o[probe];
      if (v === null || typeof v !== "object") return v;
    }
  }
  return shallowHash(x);
}

/** Whether two items fall in one bucket (one pass; only then are the buckets' members collected). */
function sharesBucket(items: readonly unknown[], probe: string | undefined): boolean {
  const n = items.length;
  const keys: unknown[] = new Array(n);
  for (let i = 0; i < n; i++) keys[i] = bucketKey(items[i], probe);
  if (n <= 16) {
    for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) if (sameKey(keys[i], keys[j])) return true;
    return false;
  }
  return new KeyIndex(keys).distinct < n;
}

/**
 * The pair ajv reports for a duplicate, `[i, j]` with `j < i`: the last item that equals an earlier
 * one, and the last earlier item it equals. Undefined when all items are distinct.
 */
export function duplicatePair(items: readonly unknown[]): [number, number] | undefined {
  const n = items.length;
  if (n < 2) return undefined;
  const probe = probeMember(items);
  // Nearly every array holds no two items in one bucket.
  if (!sharesBucket(items, probe)) return undefined;
  // The first item of each bucket; the few buckets with more than one item keep their list.
  const firsts = new Map<unknown, number>();
  let shared: Map<unknown, number[]> | undefined;
  for (let i = 0; i < n; i++) {
    const key = bucketKey(items[i], probe);
    const j = firsts.get(key);
    if (j === undefined) firsts.set(key, i);
    else {
      shared ??= new Map();
      const b = shared.get(key);
      if (b === undefined) shared.set(key, [j, i]);
      else b.push(i);
    }
  }
  if (shared === undefined) return undefined;
  let best: [number, number] | undefined;
  for (const members of shared.values()) {
    // Buckets are not equality: the deep form decides.
    const seen = new Map<string, number>();
    for (const i of members) {
      const c = canonicalJson(items[i]);
      const j = seen.get(c);
      if (j !== undefined && (best === undefined || i > best[0])) best = [i, j];
      seen.set(c, i);
    }
  }
  return best;
}
