// A BM25 index over chunks. Fields are weighted by repeating their terms' contributions:
// a word in the title or in a "questions this answers" line says more than one in the body.
import { terms } from './text.js';

export interface LexicalField {
  text: string;
  weight: number;
}

export interface LexicalHit {
  index: number;
  score: number;
}

interface Posting {
  docs: number[];
  tfs: number[];
}

export interface SerializedLexicalIndex {
  version: 1;
  k1: number;
  b: number;
  lengths: number[];
  postings: Record<string, [number[], number[]]>;
}

export class LexicalIndex {
  private readonly postings = new Map<string, Posting>();
  private lengths: number[] = [];
  private avgLength = 0;
  private scratch?: Float64Array;
  private norms?: Float64Array;

  constructor(
    private readonly k1 = 1.2,
    private readonly b = 0.6,
  ) {}

  get size(): number {
    return this.lengths.length;
  }

  /** Adds a document made of weighted fields; returns its index. */
  add(fields: LexicalField[]): number {
    const index = this.lengths.length;
    const tf = new Map<string, number>();
    let length = 0;
    for (const field of fields) {
      for (const t of terms(field.text)) {
        tf.set(t, (tf.get(t) ?? 0) + field.weight);
        length += field.weight;
      }
    }
    for (const [t, f] of tf) {
      let p = this.postings.get(t);
      if (!p) this.postings.set(t, (p = { docs: [], tfs: [] }));
      p.docs.push(index);
      p.tfs.push(f);
    }
    this.lengths.push(length);
    this.avgLength += (length - this.avgLength) / this.lengths.length;
    this.scratch = undefined;
    return index;
  }

  /** Weighted query terms (term → weight); a term asked twice counts more. */
  search(query: Map<string, number>, k: number): LexicalHit[] {
    const n = this.lengths.length;
    if (n === 0) return [];
    // Scores accumulate in a reused typed array; only documents a query term touches are visited.
    if (!this.scratch || this.scratch.length < n) {
      this.scratch = new Float64Array(n);
      this.norms = Float64Array.from(this.lengths, (len) => this.k1 * (1 - this.b + (this.b * len) / this.avgLength));
    }
    const scores = this.scratch;
    const norms = this.norms!;
    const touched: number[] = [];
    for (const [term, qWeight] of query) {
      const p = this.postings.get(term);
      if (!p) continue;
      const idf = Math.log(1 + (n - p.docs.length + 0.5) / (p.docs.length + 0.5));
      const factor = qWeight * idf * (this.k1 + 1);
      const { docs, tfs } = p;
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i]!;
        const f = tfs[i]!;
        if (scores[d] === 0) touched.push(d);
        scores[d] = scores[d]! + (factor * f) / (f + norms[d]!);
      }
    }
    const hits = topK(scores, touched, k);
    for (const d of touched) scores[d] = 0;
    return hits;
  }

  /** The best score any single document could get for this query: used to judge support. */
  idf(term: string): number {
    const p = this.postings.get(term);
    const n = this.lengths.length;
    return p ? Math.log(1 + (n - p.docs.length + 0.5) / (p.docs.length + 0.5)) : 0;
  }

  has(term: string): boolean {
    return this.postings.has(term);
  }

  /**
   * The indexed term a misspelt one most likely meant ("princip" from "principals" → "principl"):
   * within `limit` edits, used in at least two chunks, the nearest and then the most used winning.
   */
  closest(term: string, limit = 1): string | undefined {
    if (/\d/.test(term) || this.postings.has(term)) return undefined;
    let best: { term: string; distance: number; df: number } | undefined;
    for (const [candidate, p] of this.postings) {
      if (p.docs.length < 2 || Math.abs(candidate.length - term.length) > limit || /\d/.test(candidate)) continue;
      const distance = editDistance(term, candidate, limit);
      if (distance > limit) continue;
      if (!best || distance < best.distance || (distance === best.distance && p.docs.length > best.df)) {
        best = { term: candidate, distance, df: p.docs.length };
      }
    }
    return best?.term;
  }

  toJSON(): SerializedLexicalIndex {
    const postings: SerializedLexicalIndex['postings'] = {};
    for (const [t, p] of this.postings) postings[t] = [p.docs, p.tfs];
    return { version: 1, k1: this.k1, b: this.b, lengths: this.lengths, postings };
  }

  static fromJSON(data: SerializedLexicalIndex): LexicalIndex {
    const index = new LexicalIndex(data.k1, data.b);
    index.lengths = data.lengths;
    index.avgLength = data.lengths.reduce((a, b) => a + b, 0) / Math.max(1, data.lengths.length);
    for (const [t, [docs, tfs]] of Object.entries(data.postings)) index.postings.set(t, { docs, tfs });
    return index;
  }
}

export function queryTerms(text: string, weight = 1, into = new Map<string, number>()): Map<string, number> {
  for (const t of terms(text)) into.set(t, Math.max(into.get(t) ?? 0, weight));
  return into;
}

/** Optimal string alignment distance (adjacent swaps count once), giving up past `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prevPrev[j - 2]! + 1);
      row.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > limit) return rowMin;
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/** The k best of the touched documents, with a bounded insertion list (k is small). */
function topK(scores: Float64Array, touched: number[], k: number): LexicalHit[] {
  const best: LexicalHit[] = [];
  for (const index of touched) {
    const score = scores[index]!;
    if (best.length === k && score <= best[k - 1]!.score) continue;
    let at = best.length;
    while (at > 0 && (best[at - 1]!.score < score || (best[at - 1]!.score === score && best[at - 1]!.index > index))) at--;
    best.splice(at, 0, { index, score });
    if (best.length > k) best.pop();
  }
  return best;
}
