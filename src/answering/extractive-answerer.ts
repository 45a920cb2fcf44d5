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

/** How much a word common to every candidate sentence still counts (0 = nothing). */
const LOCAL_FLOOR = 0.3;
/** A word in a sentence's section heading counts this share of a word in the sentence itself. */
const HEADING_SHARE = 0.5;
/** Added to a sentence that has the shape the question asks for (a figure, a date). */
const TYPE_BONUS = 0.1;
/** Multiplies the relevance of a sentence that talks about its document rather than the subject. */
const META_FACTOR = 0.85;

type AnswerType = 'amount' | 'time';

/** Questions that ask for a figure or a date are best answered by a sentence that holds one. */
function answerType(question: string): AnswerType | undefined {
  if (/\b(?:how (?:much|many|big|large)|max(?:imum)?|min(?:imum)?|the (?:most|least) (?:a|an|we|you|i|they|it|one|our|my|this|that)|cap|caps|capped|limit|ceiling|cost|costs|price|fee|fees|budget|what (?:percentage|proportion|share|fraction|number))\b/i.test(question)) return 'amount';
  if (/\b(?:when|till|until|by what date|what (?:date|year|month)|deadline|how long|since)\b/i.test(question)) return 'time';
  return undefined;
}

const ANSWER_SHAPES: Record<AnswerType, RegExp> = {
  amount: /[£$€]\s?\d|\d\s?%|\b\d[\d,.]*\s?(?:million|billion|bn|m|k)\b|\bper cent\b|\b(?:no|an?) (?:upper )?(?:limit|cap|ceiling|maximum)\b|\bup to\b|\b\d{1,3}(?:,\d{3})+\b/i,
  time: /\b(?:19|20)\d{2}\b|\b(?:january|february|march|april|may|june|july|august|september|october|november|december)\b|\b\d+ (?:days?|weeks?|months?|years?)\b/i,
};

/** Sentences about the document itself ("This guide explains…") introduce an answer rather than give one. */
const SELF_REFERENCE = /^(?:this|the|in this|in the) (?:[\w-]+ ){0,4}(?:guide|guidance|page|article|briefing|blog(?: post)?|chapter|document|report|feature|section|summary|post|consultation|review|paper|note|factsheet|faq|q&a)\b[^.]*\b(?:explains?|sets? out|describes?|summarises?|covers?|outlines?|looks at|discuss(?:es)?|introduces?)\b/i;

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
    const candidates = await this.candidates(docs, input, weights);
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

  private async candidates(docs: RetrievedDocument[], input: AnswerInput, weights: Map<string, number>): Promise<Candidate[]> {
    // Gather every usable sentence first: how common a word is among them decides how much it says.
    const raw: Array<{ text: string; source: number; prior: number; terms: Set<string>; heading: Set<string> }> = [];
    const seen = new Set<string>();
    docs.forEach((doc, source) => {
      const retrieved = new Map(doc.chunks.map((c, rank) => [c.chunk.id, rank]));
      const sourcePrior = 1 / (1 + source * 0.35);
      for (const sc of input.documentChunks(doc)) {
        const chunkRank = retrieved.get(sc.chunk.id);
        const chunkPrior = chunkRank === undefined ? 0.75 : 1 - Math.min(chunkRank, 4) * 0.05;
        const heading = new Set(toTerms(sc.chunk.headingPath.filter((h) => h !== doc.meta.title).join(' ')));
        // A split section repeats the end of the previous chunk; that overlap may start mid-sentence.
        const body = sc.chunk.overlapChars ? sc.chunk.text.slice(sc.chunk.overlapChars) : sc.chunk.text;
        for (const text of sentences(body)) {
          const key = text.toLowerCase();
          if (seen.has(key) || text.length < 30 || text.length > 480 || text.endsWith('?') || text.endsWith(':')) continue;
          seen.add(key);
          raw.push({ text, source, prior: sourcePrior * chunkPrior, terms: new Set(toTerms(text)), heading });
        }
      }
    });
    if (raw.length === 0) return [];

    // Within one source, a query word found in most of its sentences (usually the topic the whole
    // document is about) cannot tell them apart; a word found in few of them points at the answer.
    const perSource = new Map<number, { n: number; df: Map<string, number> }>();
    for (const r of raw) {
      let s = perSource.get(r.source);
      if (!s) perSource.set(r.source, (s = { n: 0, df: new Map() }));
      s.n++;
      for (const t of new Set([...r.terms, ...r.heading])) s.df.set(t, (s.df.get(t) ?? 0) + 1);
    }
    const localWeights = new Map<number, Array<{ t: string; w: number }>>();
    for (const [source, { n, df }] of perSource) {
      const local = (t: string) => LOCAL_FLOOR + (1 - LOCAL_FLOOR) * (Math.log(1 + n / (1 + (df.get(t) ?? 0))) / Math.log(1 + n));
      localWeights.set(source, [...weights].map(([t, w]) => ({ t, w: w * this.idfOf(t) * local(t) })));
    }
    const weighted = [...weights].map(([t, w]) => ({ t, w: w * this.idfOf(t) }));
    const totalWeight = weighted.reduce((sum, x) => sum + x.w, 0) || 1;

    const wants = answerType(input.question);
    const out: Candidate[] = raw.map((r) => {
      let matched = 0;
      for (const { t, w } of localWeights.get(r.source)!) {
        if (r.terms.has(t)) matched += w;
        else if (r.heading.has(t)) matched += w * HEADING_SHARE;
      }
      const overlap = matched / totalWeight;
      const lengthPenalty = r.text.length < 60 ? 0.85 : r.text.length > 320 ? 0.9 : 1;
      const typed = wants && ANSWER_SHAPES[wants].test(r.text) ? TYPE_BONUS : 0;
      const meta = SELF_REFERENCE.test(r.text) ? META_FACTOR : 1;
      const relevance = (overlap * 0.8 + typed + 0.12) * r.prior * lengthPenalty * meta;
      return { text: tidy(r.text), source: r.source, relevance, terms: r.terms };
    });
    out.sort((a, b) => b.relevance - a.relevance);
    return out;
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
