/**
 * JSON Schema `uniqueItems` in linear time, with ajv's verdict and error pair.
 *
 * ajv checks `uniqueItems` on arrays whose item type is an object (or a `$ref`, which it cannot see
 * through) with a nested loop of deep comparisons: n^2/2 calls. CycloneDX puts `uniqueItems` on
 * `components`, `dependencies`, `dependsOn`, `services`, hashes, licences...: a 10,000-component SBOM
 * costs about 50 million deep comparisons per array, which is where `@cyclonedx/cyclonedx-library`'s
 * validator spends its time. Here items are first bucketed by a cheap shallow key (equal items always
 * share it), and only items sharing a bucket are compared, by a canonical serialisation (sorted keys),
 * which is equal exactly when ajv's deep equality holds on JSON data.
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

function shallowKey(v: unknown): string {
  if (typeof v === "string") return `s${v}`;
  if (v === null || typeof v !== "object") return String(v);
  if (Array.isArray(v)) return `a${v.length}`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  let k = "o";
  for (const key of keys) {
    const x = o[key];
    k += `${JSON.stringify(key)}:`;
    if (typeof x === "string") k += JSON.stringify(x);
    else if (x === null || typeof x !== "object") k += String(x);
    else if (Array.isArray(x)) k += `[${x.length}`;
    else k += `{${Object.keys(x).length}`;
    k += ",";
  }
  return k;
}

/**
 * The pair ajv reports for a duplicate, `[i, j]` with `j < i`: the last item that equals an earlier
 * one, and the last earlier item it equals. Undefined when all items are distinct.
 */
export function duplicatePair(items: readonly unknown[]): [number, number] | undefined {
  const n = items.length;
  if (n < 2) return undefined;
  const buckets = new Map<string, number[]>();
  let collisions = false;
  for (let i = 0; i < n; i++) {
    const key = shallowKey(items[i]);
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
    // Scalars that share a shallow key are equal; objects and arrays need the deep form.
    const seen = new Map<string, number>();
    for (const i of members) {
      const v = items[i];
      const c = v !== null && typeof v === "object" ? canonicalJson(v) : "";
      const j = seen.get(c);
      if (j !== undefined && (best === undefined || i > best[0])) best = [i, j];
      seen.set(c, i);
    }
  }
  return best;
}
