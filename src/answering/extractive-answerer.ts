// The embedded default: no model writes anything. The best-supported sentences from the top
// sources are picked for relevance and variety, and composed as a lead sentence and a few bullets,
// each carrying the number of the source it came from.
import type { Citation } from '../core/types.js';
import { queryTerms } from '../retrieval/lexical-index.js';
import type { RetrievedDocument } from '../retrieval/retriever.js';
import { sentences, terms as toTerms } from '../retrieval/text.js';
import { NOT_LEGAL_ADVICE, type AnswerDraft, type AnswerInput, type Answerer } from './answerer.js';
import { toCitation } from './citations.js';

export interface ExtractiveOptions {
  /** How many sources an answer may cite. */
  maxSources: number;
  /** Sources scoring below this share of the best one are not cited. */
  minRelativeScore: number;
  maxBullets: number;
  /** Relevance against novelty in the maximal-marginal-relevance pick (1 = relevance only). */
  lambda: number;
}

export const DEFAULT_EXTRACTIVE: ExtractiveOptions = { maxSources: 5, minRelativeScore: 0.3, maxBullets: 3, lambda: 0.7 };

interface Candidate {
  text: string;
  source: number; // index into the cited documents
  relevance: number;
  terms: Set<string>;
}

export class ExtractiveAnswerer implements Answerer {
  readonly mode = 'extractive' as const;

  constructor(
    private readonly idf: (term: string) => number,
    private readonly options: ExtractiveOptions = DEFAULT_EXTRACTIVE,
  ) {}

  async answer(input: AnswerInput): Promise<AnswerDraft> {
    const docs = selectSources(input.retrieval.documents, this.options);
    const weights = queryTerms(input.question, 1);
    for (const [t, w] of input.retrieval.terms) if (!weights.has(t)) weights.set(t, w * 0.6);
    const candidates = this.candidates(docs, input, weights);
    if (candidates.length === 0 || candidates[0]!.relevance <= 0) {
      return { text: '', citations: [], route: 'abstain', confidence: 0, mode: this.mode };
    }
    const picked = mmr(candidates, this.options);
    const lead = picked[0]!;
    // Number sources in retrieval order; a source is cited only once, however many sentences use it.
    const citations: Citation[] = docs.map((d, i) => toCitation(d, picked.find((p) => p.source === i)?.text));
    const marker = (c: Candidate) => ` [${c.source + 1}]`;
    const lines = [`${lead.text}${marker(lead)}`];
    if (picked.length > 1) {
      lines.push('');
      for (const c of picked.slice(1)) lines.push(`- ${c.text}${marker(c)}`);
    }
    lines.push('', NOT_LEGAL_ADVICE);
    return {
      text: lines.join('\n'),
      citations,
      route: 'answer',
      confidence: confidenceOf(input, lead.relevance),
      mode: this.mode,
    };
  }

  private candidates(docs: RetrievedDocument[], input: AnswerInput, weights: Map<string, number>): Candidate[] {
    const totalWeight = [...weights].reduce((sum, [t, w]) => sum + w * this.idfOf(t), 0) || 1;
    const out: Candidate[] = [];
    const seen = new Set<string>();
    docs.forEach((doc, source) => {
      const retrieved = new Map(doc.chunks.map((c, rank) => [c.chunk.id, rank]));
      const sourcePrior = 1 / (1 + source * 0.35);
      for (const sc of input.documentChunks(doc)) {
        const chunkRank = retrieved.get(sc.chunk.id);
        const chunkPrior = chunkRank === undefined ? 0.75 : 1 - Math.min(chunkRank, 4) * 0.05;
        const isSummary = /summary/i.test(sc.chunk.headingPath.at(-1) ?? '');
        for (const text of sentences(sc.chunk.text)) {
          const key = text.toLowerCase();
          if (seen.has(key) || text.length < 30 || text.length > 480 || text.endsWith('?') || text.endsWith(':')) continue;
          seen.add(key);
          const sentenceTerms = new Set(toTerms(text));
          let matched = 0;
          for (const [t, w] of weights) if (sentenceTerms.has(t)) matched += w * this.idfOf(t);
          const overlap = matched / totalWeight;
          const lengthPenalty = text.length < 60 ? 0.85 : text.length > 320 ? 0.9 : 1;
          const relevance = (overlap * 0.8 + 0.2 * (isSummary ? 1 : 0.6)) * sourcePrior * chunkPrior * lengthPenalty;
          out.push({ text: tidy(text), source, relevance, terms: sentenceTerms });
        }
      }
    });
    return out.sort((a, b) => b.relevance - a.relevance);
  }

  private idfOf(term: string): number {
    return Math.max(0.2, this.idf(term));
  }
}

function selectSources(documents: RetrievedDocument[], options: ExtractiveOptions): RetrievedDocument[] {
  const best = documents[0]?.score ?? 0;
  return documents.filter((d, i) => i === 0 || d.score >= best * options.minRelativeScore).slice(0, options.maxSources);
}

/** Maximal marginal relevance: each next sentence is relevant and says something new. */
function mmr(candidates: Candidate[], options: ExtractiveOptions): Candidate[] {
  const picked: Candidate[] = [candidates[0]!];
  const floor = candidates[0]!.relevance * 0.45;
  const pool = candidates.slice(1, 60).filter((c) => c.relevance >= floor);
  while (picked.length < options.maxBullets + 1 && pool.length > 0) {
    let bestIndex = -1;
    let bestScore = -Infinity;
    pool.forEach((c, i) => {
      const redundancy = Math.max(...picked.map((p) => jaccard(p.terms, c.terms)));
      const score = options.lambda * c.relevance - (1 - options.lambda) * redundancy * picked[0]!.relevance;
      if (redundancy < 0.6 && score > bestScore) {
        bestScore = score;
        bestIndex = i;
      }
    });
    if (bestIndex < 0) break;
    picked.push(pool.splice(bestIndex, 1)[0]!);
  }
  return picked;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let inter = 0;
  for (const t of a) if (b.has(t)) inter++;
  const union = a.size + b.size - inter;
  return union === 0 ? 0 : inter / union;
}

function tidy(sentence: string): string {
  const s = sentence.replace(/\s+/g, ' ').trim();
  return /[.!?)"”]$/.test(s) ? s : `${s}.`;
}

function confidenceOf(input: AnswerInput, leadRelevance: number): number {
  const { coverage, topSimilarity } = input.retrieval.support;
  const value = 0.45 * coverage + 0.35 * Math.min(1, Math.max(0, (topSimilarity - 0.2) / 0.5)) + 0.2 * Math.min(1, leadRelevance * 1.5);
  return Math.round(Math.min(1, Math.max(0, value)) * 100) / 100;
}
