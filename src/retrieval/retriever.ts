// Hybrid retrieval: BM25 (with glossary expansion) and HNSW rankings fused by weighted
// reciprocal rank, then grouped by document so a citation names each source once.
import { cosineSimilarity, type Embedder } from '../embeddings/embedder.js';
import type { Chunk, DocumentMeta } from '../knowledge/types.js';
import type { Glossary } from './glossary.js';
import type { KnowledgeIndex } from './knowledge-index.js';
import { queryTerms } from './lexical-index.js';
import { isStopWord, stem, words } from './text.js';

export type RetrievalMode = 'hybrid' | 'lexical' | 'dense';

/** Each unknown word costs one more query embedding; a question rarely has more than this. */
const MAX_UNKNOWN_WORDS = 3;

export interface FusionWeights {
  lexical: number;
  dense: number;
  /** RRF's k: larger flattens the difference between neighbouring ranks. */
  k: number;
  /** Weight of glossary expansion terms relative to the user's own words. */
  expansion: number;
  /** `rrf` fuses ranks; `score` fuses min-max normalised scores, keeping how decisive each ranking was. */
  method: 'rrf' | 'score';
  /**
   * When lexical retrieval's first document holds a chunk scoring at least this many times any
   * other document's best, the lexical evidence is decisive (an exact code, acronym or name) and
   * that document stays first; fusion orders the rest. Unset or Infinity: pure fusion.
   */
  decisiveLexicalMargin?: number;
}

export const DEFAULT_FUSION: FusionWeights = { lexical: 1, dense: 0.4, k: 20, expansion: 0.5, method: 'rrf', decisiveLexicalMargin: 1.25 };

export interface ScoredChunk {
  chunk: Chunk;
  index: number;
  score: number;
  lexicalRank?: number;
  denseRank?: number;
  similarity?: number;
}

export interface RetrievedDocument {
  docId: string;
  meta: DocumentMeta;
  score: number;
  chunks: ScoredChunk[];
}

export interface RetrievalResult {
  documents: RetrievedDocument[];
  /** Evidence for abstention: how well the best document covers the question. */
  support: {
    topSimilarity: number;
    topLexicalScore: number;
    /** Share of the query's idf mass found in the best document's chunks. */
    coverage: number;
    queryTerms: number;
    /**
     * Words of the question the knowledge base never uses (after spelling correction and the
     * glossary), each with how much of the question's meaning it carries: how far the question's
     * embedding moves without it. "salary" in "what salary does a Caldicott guardian earn?" carries
     * a lot; "nutshell" little. Empty in lexical-only mode, which has no encoder to ask.
     */
    unknownWords?: Array<{ word: string; weight: number }>;
  };
  /** The query terms with their weights, for sentence scoring downstream. */
  terms: Map<string, number>;
  queryVector?: number[];
}

export interface RetrieveOptions {
  k?: number;
  mode?: RetrievalMode;
  /** Earlier context for follow-ups: contributes terms at a lower weight. */
  context?: string;
}

export class Retriever {
  constructor(
    private readonly index: KnowledgeIndex,
    private readonly embedder: Embedder,
    private readonly glossary: Glossary,
    private readonly weights: FusionWeights = DEFAULT_FUSION,
    /** The mode used when a call does not name one: evaluation compares the three. */
    private readonly defaultMode: RetrievalMode = 'hybrid',
  ) {
    for (const [i, c] of index.chunks.entries()) {
      const list = this.byDoc.get(c.docId) ?? [];
      list.push(i);
      this.byDoc.set(c.docId, list);
    }
  }

  private readonly byDoc = new Map<string, number[]>();
  private readonly docTerms = new Map<string, Set<string>>();

  get chunkCount(): number {
    return this.index.chunks.length;
  }

  async retrieve(query: string, options: RetrieveOptions = {}): Promise<RetrievalResult> {
    const k = options.k ?? 5;
    const mode = options.mode ?? this.defaultMode;
    const w = this.weights;
    const terms = queryTerms(query, 1);
    if (options.context) queryTerms(options.context, 0.4, terms);
    const corrections = this.corrections(query);
    for (const fixed of corrections.values()) if (!terms.has(fixed)) terms.set(fixed, 0.8);
    const ownTerms = new Set(terms.keys());
    for (const phrase of this.glossary.expand(`${query} ${options.context ?? ''}`)) {
      for (const [t] of queryTerms(phrase)) if (!ownTerms.has(t)) terms.set(t, Math.max(terms.get(t) ?? 0, w.expansion));
    }

    const pool = Math.max(50, k * 10);
    const lexHits = mode === 'dense' ? [] : this.index.lexical.search(terms, pool);
    let queryVector: number[] | undefined;
    let denseHits: Array<{ chunk: number; similarity: number }> = [];
    if (mode !== 'lexical') {
      const text = options.context ? `${options.context} ${query}` : query;
      queryVector = await this.embedder.embedQuery(text);
      denseHits = await this.index.denseSearch(queryVector, pool);
    }

    const scored = new Map<number, ScoredChunk>();
    const entry = (i: number): ScoredChunk => {
      let s = scored.get(i);
      if (!s) scored.set(i, (s = { chunk: this.index.chunks[i]!, index: i, score: 0 }));
      return s;
    };
    const lexTop = lexHits[0]?.score ?? 0;
    const lexFloor = lexHits.at(-1)?.score ?? 0;
    const simTop = denseHits[0]?.similarity ?? 0;
    const simFloor = denseHits.at(-1)?.similarity ?? 0;
    const contribution = (weight: number, rank: number, value: number, top: number, floor: number) =>
      w.method === 'rrf' ? weight / (w.k + rank + 1) : weight * (top > floor ? (value - floor) / (top - floor) : 1);
    const lexicalWeight = mode === 'hybrid' ? w.lexical : 1;
    const denseWeight = mode === 'hybrid' ? w.dense : 1;
    const lexicalDocs = new DocumentTally();
    lexHits.forEach((h, rank) => {
      const s = entry(h.index);
      s.lexicalRank = rank + 1;
      const c = contribution(1, rank, h.score, lexTop, lexFloor);
      s.score += lexicalWeight * c;
      lexicalDocs.add(s.chunk.docId, c);
    });
    const denseDocs = new DocumentTally();
    denseHits.forEach((h, rank) => {
      const s = entry(h.chunk);
      s.denseRank = rank + 1;
      s.similarity = h.similarity;
      const c = contribution(1, rank, h.similarity, simTop, simFloor);
      s.score += denseWeight * c;
      denseDocs.add(s.chunk.docId, c);
    });

    // Each retriever ranks documents, and the document rankings are fused: a document whose best
    // lexical chunk and best dense chunk differ gets credit from both, as it would if they were one.
    const byDoc = new Map<string, RetrievedDocument>();
    for (const s of [...scored.values()].sort((a, b) => b.score - a.score)) {
      let doc = byDoc.get(s.chunk.docId);
      if (!doc) byDoc.set(s.chunk.docId, (doc = { docId: s.chunk.docId, meta: s.chunk.meta, score: 0, chunks: [] }));
      doc.chunks.push(s);
    }
    for (const doc of byDoc.values()) {
      doc.score =
        w.method === 'rrf'
          ? lexicalDocs.reciprocalRank(doc.docId, lexicalWeight, w.k) + denseDocs.reciprocalRank(doc.docId, denseWeight, w.k)
          : lexicalWeight * lexicalDocs.score(doc.docId) + denseWeight * denseDocs.score(doc.docId);
    }
    const ranked = [...byDoc.values()].sort((a, b) => b.score - a.score);
    if (mode === 'hybrid') keepDecisiveLexicalTop(ranked, lexHits, this.index.chunks, w.decisiveLexicalMargin ?? Infinity, w.k);
    const documents = ranked.slice(0, k);
    const support = this.support(query, documents, terms, corrections, denseHits[0]?.similarity ?? 0, lexHits[0]?.score ?? 0);
    // Only a stand-alone question: a follow-up takes its subject from the thread.
    if (queryVector && !options.context) support.unknownWords = await this.unknownWords(query, queryVector, corrections);
    return {
      documents,
      support,
      terms,
      queryVector,
    };
  }

  private support(
    query: string,
    documents: RetrievedDocument[],
    terms: Map<string, number>,
    corrections: Map<string, string>,
    topSimilarity: number,
    topLexicalScore: number,
  ): RetrievalResult['support'] {
    const own = [...terms].filter(([, weight]) => weight >= 1).map(([t]) => t);
    // A word the best document lacks still counts as covered when the document uses the word's
    // correction or, for a glossary term ("s251"), one of its expansions in full ("section 251").
    const alternatives = new Map<string, string[][]>();
    for (const m of this.glossary.matches(query)) {
      const expansions = m.expansions.map((e) => [...queryTerms(e).keys()]).filter((e) => e.length > 0);
      for (const t of queryTerms(m.term).keys()) alternatives.set(t, [...(alternatives.get(t) ?? []), ...expansions]);
    }
    for (const [t, fixed] of corrections) alternatives.set(t, [...(alternatives.get(t) ?? []), [fixed]]);
    const weightOf = (t: string) => this.idfOrUnknown(corrections.get(t) ?? t);
    const totalIdf = own.reduce((sum, t) => sum + weightOf(t), 0);
    let coverage = 0;
    const best = documents[0];
    if (best && totalIdf > 0) {
      const docTerms = this.termsOf(best.docId);
      const covered = (t: string) => docTerms.has(t) || (alternatives.get(t) ?? []).some((alt) => alt.every((x) => docTerms.has(x)));
      coverage = own.filter(covered).reduce((sum, t) => sum + weightOf(t), 0) / totalIdf;
    }
    return { topSimilarity, topLexicalScore, coverage, queryTerms: own.length };
  }

  /** Every index term of a document, tokenised once per document rather than on every question. */
  private termsOf(docId: string): Set<string> {
    let terms = this.docTerms.get(docId);
    if (!terms) {
      terms = new Set<string>();
      for (const c of this.chunksOf(docId)) {
        for (const t of queryTerms(`${c.meta.title} ${c.headingPath.join(' ')} ${c.text} ${(c.questions ?? []).join(' ')}`).keys()) terms.add(t);
      }
      this.docTerms.set(docId, terms);
    }
    return terms;
  }

  /**
   * A misspelt word finds nothing; the indexed word it most likely meant stands in for it. Only
   * long words are corrected (one edit from eight letters, two from eleven), and never a word the
   * glossary knows: "retraining" is no typo for "retaining".
   */
  private corrections(query: string): Map<string, string> {
    const out = new Map<string, string>();
    const known = new Set(this.glossary.matches(query).flatMap((m) => words(m.term)));
    for (const w of words(query)) {
      if (w.length < 8 || isStopWord(w) || known.has(w) || /\d/.test(w)) continue;
      const t = stem(w);
      const fixed = this.index.lexical.closest(t, w.length >= 11 ? 2 : 1);
      if (fixed) out.set(t, fixed);
    }
    return out;
  }

  private async unknownWords(query: string, queryVector: number[], corrections: Map<string, string>) {
    const known = new Set(this.glossary.matches(query).flatMap((m) => words(m.term)));
    const unknown = [
      ...new Set(
        words(query).filter((w) => {
          if (w.length < 3 || isStopWord(w) || /\d/.test(w) || known.has(w)) return false;
          const t = stem(w);
          return !this.index.lexical.has(t) && !corrections.has(t);
        }),
      ),
    ].slice(0, MAX_UNKNOWN_WORDS);
    const out: Array<{ word: string; weight: number }> = [];
    for (const word of unknown) {
      const without = query.replace(new RegExp(`\\b${word}\\b`, 'gi'), ' ').replace(/\s+/g, ' ').trim();
      if (!without) continue;
      const vector = await this.embedder.embedQuery(without);
      out.push({ word, weight: Math.round((1 - cosineSimilarity(queryVector, vector)) * 1000) / 1000 });
    }
    return out.sort((a, b) => b.weight - a.weight);
  }

  /** Words the corpus never uses weigh like the rarest words: asking about them is asking about something unknown. */
  private idfOrUnknown(term: string): number {
    const idf = this.index.lexical.idf(term);
    return idf > 0 ? idf : Math.log(1 + this.index.chunks.length);
  }

  /** All chunks of a document, in order: the answerer may draw sentences from any of them. */
  chunksOf(docId: string): Chunk[] {
    return (this.byDoc.get(docId) ?? []).map((i) => this.index.chunks[i]!);
  }
}

/**
 * Rank fusion forgets how far ahead BM25's best document was. A small encoder that does not know
 * "DCB0160" or "CAG" can outvote an exact match by a hair, so when the document lexical retrieval
 * alone would rank first also holds a chunk scoring `margin` times any other document's best, it
 * stays first; fusion orders the rest.
 */
function keepDecisiveLexicalTop(
  ranked: RetrievedDocument[],
  lexHits: Array<{ index: number; score: number }>,
  chunks: Chunk[],
  margin: number,
  k: number,
): void {
  if (!Number.isFinite(margin) || ranked.length < 2 || lexHits.length === 0) return;
  const rankScore = new Map<string, number>();
  const bestScore = new Map<string, number>();
  lexHits.forEach((h, rank) => {
    const docId = chunks[h.index]!.docId;
    const rrf = 1 / (k + rank + 1);
    const prev = rankScore.get(docId);
    rankScore.set(docId, prev === undefined ? rrf : prev + rrf * 0.1);
    if (!bestScore.has(docId)) bestScore.set(docId, h.score);
  });
  const top = [...rankScore].sort((a, b) => b[1] - a[1])[0]![0];
  const runnerUp = Math.max(0, ...[...bestScore].filter(([id]) => id !== top).map(([, score]) => score));
  if (bestScore.get(top)! < runnerUp * margin) return;
  const at = ranked.findIndex((d) => d.docId === top);
  if (at <= 0) return;
  const [doc] = ranked.splice(at, 1);
  doc!.score = ranked[0]!.score;
  ranked.unshift(doc!);
}

/** One retriever's view of documents: the best chunk's contribution plus a little for each further chunk. */
class DocumentTally {
  private readonly scores = new Map<string, number>();
  private ranks?: Map<string, number>;

  add(docId: string, contribution: number): void {
    const prev = this.scores.get(docId);
    this.scores.set(docId, prev === undefined ? contribution : prev + contribution * 0.1);
    this.ranks = undefined;
  }

  score(docId: string): number {
    return this.scores.get(docId) ?? 0;
  }

  reciprocalRank(docId: string, weight: number, k: number): number {
    this.ranks ??= new Map([...this.scores].sort((a, b) => b[1] - a[1]).map(([id], i) => [id, i]));
    const rank = this.ranks.get(docId);
    return rank === undefined ? 0 : weight / (k + rank + 1);
  }
}
