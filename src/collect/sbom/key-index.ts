/**
 * The first position of each key in a list, for string, number, boolean, null and undefined keys,
 * equal as a Set's are (SameValueZero). An open-addressing table of positions in two typed arrays,
 * allocated once at twice the list's length: for the 100,000 ids and references of a large SBOM a
 * Map's growth and scattered entries cost several times more (the lookups are memory bound).
 */
export class KeyIndex {
  private readonly slots: Int32Array;
  private readonly hashes: Int32Array;
  private readonly mask: number;
  /** How many distinct keys the list holds. */
  readonly distinct: number;

  constructor(private readonly keys: readonly unknown[]) {
    let size = 32;
    while (size < keys.length * 2) size *= 2;
    this.mask = size - 1;
    // slot -> position + 1 (0: empty), with the key's hash beside it to skip most comparisons.
    this.slots = new Int32Array(size);
    this.hashes = new Int32Array(size);
    let distinct = 0;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const h = keyHash(k);
      let at = h & this.mask;
      for (;;) {
        const taken = this.slots[at] as number;
        if (taken === 0) {
          this.slots[at] = i + 1;
          this.hashes[at] = h;
          distinct++;
          break;
        }
        if (this.hashes[at] === h && sameKey(keys[taken - 1], k)) break;
        at = (at + 1) & this.mask;
      }
    }
    this.distinct = distinct;
  }

  /** The first position of `key`, or undefined. */
  get(key: unknown): number | undefined {
    const h = keyHash(key);
    let at = h & this.mask;
    for (;;) {
      const taken = this.slots[at] as number;
      if (taken === 0) return undefined;
      if (this.hashes[at] === h && sameKey(this.keys[taken - 1], key)) return taken - 1;
      at = (at + 1) & this.mask;
    }
  }

  has(key: unknown): boolean {
    return this.get(key) !== undefined;
  }
}

/** Keys equal as a Set's are (SameValueZero): NaN is itself, 0 is -0. */
export function sameKey(a: unknown, b: unknown): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/** FNV-1a over a string, from a seed that tells value types apart. */
export function strHash(s: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h | 0;
}

function keyHash(k: unknown): number {
  if (typeof k === "string") return strHash(k, 0x811c9dc5);
  if (typeof k === "number") {
    // 0 and -0 share 0; NaN hashes as its text, like any other non-integer.
    if (Number.isInteger(k)) return Math.imul(k | 0, 0x9e3779b1) ^ ((k / 2 ** 32) | 0);
    return strHash(String(k), 0x01000193);
  }
  return k === true ? 3 : k === false ? 5 : k === null ? 7 : 11;
}
