/**
 * JSON Schema `uniqueItems` in linear time, with ajv's verdict and error pair.
 *
 * ajv checks `uniqueItems` on arrays whose item type is an object (or a `$ref`, which it cannot see
 * through) with a nested loop of deep comparisons: n^2/2 calls. CycloneDX puts `uniqueItems` on
 * `components`, `dependencies`, `dependsOn`, `services`, hashes, licences...: a 10,000-component SBOM
 * costs about 50 million deep comparisons per array, which is where `@cyclonedx/cyclonedx-library`'s
 * validator spends its time. Here items are first bucketed by a cheap shallow hash (equal items always
 * share it), and only items sharing a bucket are compared, by a canonical serialisation (sorted keys),
 * which is equal exactly when ajv's deep equality holds on JSON data (objects as JSON.parse makes them).
 */

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

// FNV-1a over a string, from a seed that tells value types apart.
function strHash(s: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h | 0;
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

/**
 * The pair ajv reports for a duplicate, `[i, j]` with `j < i`: the last item that equals an earlier
 * one, and the last earlier item it equals. Undefined when all items are distinct.
 */
export function duplicatePair(items: readonly unknown[]): [number, number] | undefined {
  const n = items.length;
  if (n < 2) return undefined;
  const buckets = new Map<number, number[]>();
  let collisions = false;
  for (let i = 0; i < n; i++) {
    const key = shallowHash(items[i]);
    const b = buckets.get(key);
    if (b === undefined) buckets.set(key, [i]);
    else {
      b.push(i);
      collisions = true;
    }
  }
  if (!collisions) return undefined;
  let best: [number, number] | undefined;
  for (const members of buckets.values()) {
    if (members.length < 2) continue;
    // Hashes can collide: the deep form decides.
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
