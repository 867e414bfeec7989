import type { Glossary } from "./glossary.js";
import type { Catalog, CatalogItem } from "./model.js";
import { normaliseLabel } from "./registry.js";

export interface SearchHit {
  item: CatalogItem;
  score: number;
  /** The query's ideas the item matches (a word, or a glossary phrase as typed). */
  matched: string[];
  /** Ideas of the query the item does not match: it is a partial match when any are. */
  missing: string[];
}

export interface SearchOptions {
  /** Restrict to one catalog id. */
  catalog?: string;
  limit?: number;
}

/** One idea of the query: a word, or a glossary phrase with the other phrases it also searched for. */
export interface QueryConcept {
  text: string;
  /** The glossary group's id when the idea is a glossary phrase. */
  group?: string;
  /** The other phrases of its group, searched for too. */
  alsoSearched: string[];
}

export interface SearchResult {
  hits: SearchHit[];
  /** How the query was read. */
  concepts: QueryConcept[];
  /** Hits (before the limit) that match every idea of the query. */
  complete: number;
  /** Hits before the limit. */
  total: number;
  /** When a word of the query is in no item: queries with near words instead ("pasword" -> "password"). */
  suggestions: string[];
}

// Field weights: a word in the label or title says more about an item than one in its text.
const LABEL_WEIGHT = 3;
const TITLE_WEIGHT = 2;
const TEXT_WEIGHT = 1;
const K1 = 1.2;
const B = 0.75;
const MAX_EXPANSIONS = 64;
/** A phrase of the glossary found by a phrase the user typed counts a little less than the typed one. */
const SYNONYM_WEIGHT = 0.7;
/** Words of a multi-word idea that an item matches without the whole idea: a weak partial match. */
const PARTIAL_WEIGHT = 0.3;

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

/** A way to match one idea: every one of its words must be in the item. */
interface Alternative {
  words: string[];
  weight: number;
  /** Expand each word to the indexed words it prefixes (the user's own words; not glossary phrases). */
  prefix: boolean;
}

interface WordScores {
  /** BM25 by item (0: the word is not in it). */
  score: Float64Array;
  /** The items with a score. */
  docs: number[];
}

interface Concept extends QueryConcept {
  alternatives: Alternative[];
  /** The typed words of the idea, for partial matches of a multi-word idea. */
  words: string[];
}

/** The words of a glossary phrase as the index reads them. */
export function phraseKey(phrase: string): string {
  return tokenize(phrase).join(" ");
}

/**
 * An inverted index over labels, titles and texts of every loaded item, ranked with BM25 over
 * field-weighted term frequencies. A query is read as ideas: a glossary phrase ("SBOM", "secure
 * boot"), else a word. An item matches an idea when it has every word of it or of a phrase of its
 * glossary group (a word also matches longer words it starts). Items that match more of the ideas
 * rank first, then by score; an item matching some of them is a partial match and says which it
 * misses. An exact label match ranks first. When nothing matches, near words are suggested.
 */
export class SearchIndex {
  private readonly docs: CatalogItem[] = [];
  private readonly lengths: number[] = [];
  private readonly postings = new Map<string, Posting>();
  private readonly vocabulary: string[];
  private readonly labels = new Map<string, number[]>();
  private readonly avgLength: number;
  /** Glossary phrase key -> its group. */
  private readonly phrases = new Map<string, { group: string; terms: string[]; term: string }>();
  private readonly longestPhrase: number;

  constructor(catalogs: Iterable<Catalog>, options: { glossary?: Glossary } = {}) {
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
    let longest = 0;
    for (const g of options.glossary?.groups ?? []) {
      for (const term of g.terms) {
        const key = phraseKey(term);
        if (!key || this.phrases.has(key)) continue;
        this.phrases.set(key, { group: g.id, terms: g.terms, term });
        longest = Math.max(longest, key.split(" ").length);
      }
    }
    this.longestPhrase = longest;
  }

  get size(): number {
    return this.docs.length;
  }

  /** The hits only (see `query`). */
  search(query: string, options: SearchOptions = {}): SearchHit[] {
    return this.query(query, options).hits;
  }

  query(query: string, options: SearchOptions = {}): SearchResult {
    const limit = options.limit ?? 20;
    const concepts = this.concepts(tokenize(query));
    const n = this.docs.length;
    const exactLabel = this.labels.get(normaliseLabel(query));
    // Sparse throughout: only the items some word of the query reaches are ever visited.
    const cover = new Float64Array(n);
    const scores = new Float64Array(n);
    const touched: number[] = [];
    const seen = new Uint8Array(n);
    const touch = (d: number) => {
      if (!seen[d]) {
        seen[d] = 1;
        touched.push(d);
      }
    };
    const matchedBy: Uint8Array[] = [];
    const wordScores = new Map<string, WordScores>();
    const scoreOf = (word: string, prefix: boolean) => {
      const key = `${prefix ? "p" : "x"}:${word}`;
      let s = wordScores.get(key);
      if (!s) {
        s = this.wordScores(word, prefix);
        wordScores.set(key, s);
      }
      return s;
    };

    for (const c of concepts) {
      const full = new Uint8Array(n);
      const best = new Float64Array(n);
      const fullDocs: number[] = [];
      for (const alt of c.alternatives) {
        const per = alt.words.map((w) => scoreOf(w, alt.prefix));
        // Walk the rarest word's items; an item must have every word of the alternative.
        let rarest = per[0] as WordScores;
        for (const x of per) if (x.docs.length < rarest.docs.length) rarest = x;
        for (const d of rarest.docs) {
          let sum = 0;
          let all = true;
          for (const x of per) {
            const v = x.score[d] as number;
            if (v === 0) {
              all = false;
              break;
            }
            sum += v;
          }
          if (!all) continue;
          const v = sum * alt.weight;
          if (!full[d]) {
            full[d] = 1;
            fullDocs.push(d);
            best[d] = v;
          } else if (v > (best[d] as number)) best[d] = v;
        }
      }
      for (const d of fullDocs) {
        touch(d);
        cover[d] = (cover[d] as number) + 1;
        scores[d] = (scores[d] as number) + (best[d] as number);
      }
      if (c.words.length > 1) {
        // Some words of a multi-word idea: half a match at most, and a weak score.
        const hit = new Uint8Array(n);
        const sum = new Float64Array(n);
        const partialDocs: number[] = [];
        for (const w of c.words) {
          const x = scoreOf(w, true);
          for (const d of x.docs) {
            if (full[d]) continue;
            if (hit[d] === 0) partialDocs.push(d);
            hit[d] = (hit[d] as number) + 1;
            sum[d] = (sum[d] as number) + (x.score[d] as number);
          }
        }
        for (const d of partialDocs) {
          touch(d);
          cover[d] = (cover[d] as number) + (0.5 * (hit[d] as number)) / c.words.length;
          scores[d] = (scores[d] as number) + PARTIAL_WEIGHT * (sum[d] as number);
        }
      }
      matchedBy.push(full);
    }

    const isExact = new Uint8Array(n);
    if (exactLabel)
      for (const d of exactLabel) {
        isExact[d] = 1;
        touch(d);
      }
    const found = options.catalog
      ? touched.filter((d) => (this.docs[d] as CatalogItem).catalogId === options.catalog)
      : touched;
    // One number orders them: an exact label, then how many ideas matched, then the score (a BM25
    // sum, far below 10^4); equal ones by id.
    const rank = new Float64Array(n);
    for (const d of found)
      rank[d] = (isExact[d] as number) * 1e9 + (cover[d] as number) * 1e5 + (scores[d] as number);
    found.sort(
      (a, b) =>
        (rank[b] as number) - (rank[a] as number) ||
        byId(this.docs[a] as CatalogItem, this.docs[b] as CatalogItem),
    );
    const whole = concepts.length;
    let complete = 0;
    for (const d of found) if (isExact[d] || (cover[d] as number) === whole) complete++;
    const hits = found.slice(0, limit).map((d): SearchHit => {
      const matched: string[] = [];
      const missing: string[] = [];
      concepts.forEach((c, i) => {
        ((matchedBy[i] as Uint8Array)[d] ? matched : missing).push(c.text);
      });
      return {
        item: this.docs[d] as CatalogItem,
        score: (scores[d] as number) + (isExact[d] ? 1000 : 0),
        matched,
        missing: isExact[d] ? [] : missing,
      };
    });
    return {
      hits,
      concepts: concepts.map(({ text, group, alsoSearched }) => ({
        text,
        ...(group !== undefined ? { group } : {}),
        alsoSearched,
      })),
      complete,
      total: found.length,
      suggestions: concepts.some((c) => this.unknown(c)) ? this.suggest(concepts) : [],
    };
  }

  /** Reads the query's words as ideas: the longest glossary phrase at each place, else one word. */
  private concepts(words: string[]): Concept[] {
    const out: Concept[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < words.length; ) {
      let taken = 0;
      for (let len = Math.min(this.longestPhrase, words.length - i); len >= 1; len--) {
        const key = words.slice(i, i + len).join(" ");
        const phrase = this.phrases.get(key);
        if (!phrase) continue;
        taken = len;
        if (!seen.has(`g:${phrase.group}`)) {
          seen.add(`g:${phrase.group}`);
          const alternatives: Alternative[] = [{ words: key.split(" "), weight: 1, prefix: true }];
          const also: string[] = [];
          for (const t of phrase.terms) {
            const k = phraseKey(t);
            if (!k || k === key) continue;
            also.push(t);
            alternatives.push({ words: k.split(" "), weight: SYNONYM_WEIGHT, prefix: false });
          }
          out.push({
            text: phrase.term,
            group: phrase.group,
            alsoSearched: also,
            alternatives,
            words: key.split(" "),
          });
        }
        break;
      }
      if (taken === 0) {
        const w = words[i] as string;
        if (!seen.has(w)) {
          seen.add(w);
          out.push({
            text: w,
            alsoSearched: [],
            alternatives: [{ words: [w], weight: 1, prefix: true }],
            words: [w],
          });
        }
        taken = 1;
      }
      i += taken;
    }
    return out;
  }

  /** BM25 of one word (and the words it prefixes, at half weight) for every item, and the items it is in. */
  private wordScores(word: string, prefix: boolean): WordScores {
    const n = this.docs.length;
    const score = new Float64Array(n);
    const docs: number[] = [];
    const words: [string, number][] = prefix ? this.expand(word) : this.postings.has(word) ? [[word, 1]] : [];
    for (const [w, factor] of words) {
      const p = this.postings.get(w) as Posting;
      const idf = Math.log(1 + (n - p.docs.length + 0.5) / (p.docs.length + 0.5));
      for (let k = 0; k < p.docs.length; k++) {
        const d = p.docs[k] as number;
        const tf = p.weights[k] as number;
        const norm = tf + K1 * (1 - B + (B * (this.lengths[d] as number)) / this.avgLength);
        if (score[d] === 0) docs.push(d);
        score[d] = (score[d] as number) + factor * idf * ((tf * (K1 + 1)) / norm);
      }
    }
    return { score, docs };
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

  /** A plain word that no item has, not even as the start of a longer word. */
  private unknown(c: Concept): boolean {
    return c.group === undefined && this.expand(c.text).length === 0;
  }

  /**
   * Queries with each unknown word replaced by the nearest indexed word (at most one edit for
   * short words, two for longer ones; ties go to the word more items use), best first.
   */
  private suggest(concepts: Concept[]): string[] {
    const replaced = concepts.map((c) => {
      if (!this.unknown(c)) return [c.text];
      const max = c.text.length <= 4 ? 1 : 2;
      const near: { word: string; distance: number; df: number }[] = [];
      for (const word of this.vocabulary) {
        if (Math.abs(word.length - c.text.length) > max) continue;
        const distance = editDistance(c.text, word, max);
        if (distance <= max)
          near.push({ word, distance, df: (this.postings.get(word) as Posting).docs.length });
      }
      near.sort((a, b) => a.distance - b.distance || b.df - a.df || (a.word < b.word ? -1 : 1));
      return near.slice(0, 3).map((x) => x.word);
    });
    if (replaced.some((r) => r.length === 0)) {
      // A word with nothing near: suggest the query without it, if anything is left.
      const kept = concepts.filter((_c, i) => (replaced[i] as string[]).length > 0).map((c) => c.text);
      return kept.length > 0 ? [kept.join(" ")] : [];
    }
    const out: string[] = [];
    for (let k = 0; k < 3; k++) {
      const q = replaced.map((r) => r[Math.min(k, r.length - 1)] as string).join(" ");
      if (!out.includes(q)) out.push(q);
    }
    return out;
  }
}

function byId(a: CatalogItem, b: CatalogItem): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Optimal string alignment distance (Damerau-Levenshtein with adjacent swaps), stopping past `max`. */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  const m = a.length;
  const n = b.length;
  let prev2 = new Int32Array(n + 1);
  let prev = new Int32Array(n + 1);
  let cur = new Int32Array(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + (ai === bj ? 0 : 1),
      );
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj)
        v = Math.min(v, (prev2[j - 2] as number) + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return rowMin;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[n] as number;
}
