import type { Catalog, CatalogItem } from "./model.js";
import { normaliseLabel } from "./registry.js";

export interface SearchHit {
  item: CatalogItem;
  score: number;
}

export interface SearchOptions {
  /** Restrict to one catalog id. */
  catalog?: string;
  limit?: number;
}

// Field weights: a word in the label or title says more about an item than one in its text.
const LABEL_WEIGHT = 3;
const TITLE_WEIGHT = 2;
const TEXT_WEIGHT = 1;
const K1 = 1.2;
const B = 0.75;
const MAX_EXPANSIONS = 64;

const STOP = new Set([
  "a",
  "an",
  "and",
  "are",
  "as",
  "at",
  "be",
  "by",
  "for",
  "from",
  "in",
  "is",
  "it",
  "of",
  "on",
  "or",
  "that",
  "the",
  "this",
  "to",
  "with",
]);

/** Lower-cases, splits on anything that is not a letter or digit, and strips a plural "s". */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (raw.length === 0 || STOP.has(raw)) continue;
    out.push(stem(raw));
  }
  return out;
}

function stem(word: string): string {
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss") && !word.endsWith("us"))
    return word.slice(0, -1);
  return word;
}

interface Posting {
  docs: number[];
  weights: number[];
}

/**
 * An inverted index over labels, titles and texts of every loaded item, ranked with BM25 over
 * field-weighted term frequencies. All query words must match (exactly, or as the prefix of an
 * indexed word); an exact label match ranks first.
 */
export class SearchIndex {
  private readonly docs: CatalogItem[] = [];
  private readonly lengths: number[] = [];
  private readonly postings = new Map<string, Posting>();
  private readonly vocabulary: string[];
  private readonly labels = new Map<string, number[]>();
  private readonly avgLength: number;

  constructor(catalogs: Iterable<Catalog>) {
    let total = 0;
    for (const catalog of catalogs) {
      for (const item of catalog.items) {
        const doc = this.docs.length;
        this.docs.push(item);
        const tf = new Map<string, number>();
        const add = (text: string | undefined, weight: number) => {
          if (!text) return;
          for (const t of tokenize(text)) tf.set(t, (tf.get(t) ?? 0) + weight);
        };
        add(item.label, LABEL_WEIGHT);
        add(item.title, TITLE_WEIGHT);
        add(item.text, TEXT_WEIGHT);
        let length = 0;
        for (const [term, w] of tf) {
          length += w;
          let p = this.postings.get(term);
          if (!p) {
            p = { docs: [], weights: [] };
            this.postings.set(term, p);
          }
          p.docs.push(doc);
          p.weights.push(w);
        }
        this.lengths.push(length);
        total += length;
        const label = normaliseLabel(item.label);
        const list = this.labels.get(label);
        if (list) list.push(doc);
        else this.labels.set(label, [doc]);
      }
    }
    this.avgLength = this.docs.length > 0 ? total / this.docs.length : 1;
    this.vocabulary = [...this.postings.keys()].sort();
  }

  get size(): number {
    return this.docs.length;
  }

  search(query: string, options: SearchOptions = {}): SearchHit[] {
    const limit = options.limit ?? 20;
    const terms = [...new Set(tokenize(query))];
    const n = this.docs.length;
    const scores = new Float64Array(n);
    const matched = new Uint16Array(n);
    const exactLabel = this.labels.get(normaliseLabel(query));

    terms.forEach((term, i) => {
      const seen = new Set<number>();
      for (const [word, factor] of this.expand(term)) {
        const p = this.postings.get(word) as Posting;
        const idf = Math.log(1 + (n - p.docs.length + 0.5) / (p.docs.length + 0.5));
        for (let k = 0; k < p.docs.length; k++) {
          const d = p.docs[k] as number;
          const w = p.weights[k] as number;
          const norm = w + K1 * (1 - B + (B * (this.lengths[d] as number)) / this.avgLength);
          scores[d] = (scores[d] as number) + factor * idf * ((w * (K1 + 1)) / norm);
          if (!seen.has(d)) {
            seen.add(d);
            if (matched[d] === i) matched[d] = i + 1;
          }
        }
      }
    });

    const hits: SearchHit[] = [];
    const want = terms.length;
    if (exactLabel) for (const d of exactLabel) scores[d] = (scores[d] as number) + 1000;
    for (let d = 0; d < n; d++) {
      const isLabel = exactLabel?.includes(d) ?? false;
      if ((want === 0 || matched[d] !== want) && !isLabel) continue;
      const item = this.docs[d] as CatalogItem;
      if (options.catalog && item.catalogId !== options.catalog) continue;
      hits.push({ item, score: scores[d] as number });
    }
    hits.sort((a, b) => b.score - a.score || a.item.id.localeCompare(b.item.id));
    return hits.slice(0, limit);
  }

  /** The indexed words a query word stands for: itself (full weight) and words it prefixes. */
  private expand(term: string): [string, number][] {
    const out: [string, number][] = [];
    if (this.postings.has(term)) out.push([term, 1]);
    if (term.length < 3) return out;
    let lo = 0;
    let hi = this.vocabulary.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.vocabulary[mid] as string) < term) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.vocabulary.length && out.length < MAX_EXPANSIONS; i++) {
      const word = this.vocabulary[i] as string;
      if (!word.startsWith(term)) break;
      if (word !== term) out.push([word, 0.5]);
    }
    return out;
  }
}
