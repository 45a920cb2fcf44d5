// The core use case, the same for every channel: guard → route → retrieve → answer, abstain or
// offer escalation. Nothing the user typed goes further than this function unredacted.
import type { Answerer, AnswerInput } from '../answering/answerer.js';
import type { RetrievalResult, Retriever, RetrievedDocument } from '../retrieval/retriever.js';
import type { RouteDecision, Router } from '../routing/router.js';
import type { Logger } from '../shared/logger.js';
import { CATEGORY_LABELS } from '../queue/types.js';
import { toCitation } from '../answering/citations.js';
import { standaloneQuestion, type StandaloneQuestion } from './follow-up.js';
import { abstentionText, escalationText, outOfScopeText, smalltalkText } from './replies.js';
import type { AskOptions, AskRequest, AskResult, Navigator, Route, Turn } from './types.js';

export interface Redactor {
  (text: string): { text: string; redactions: number; kinds: string[] };
}

export interface AnswerEvent {
  route: Route;
  latencyMs: number;
  mode: 'extractive' | 'llm';
  fellBack: boolean;
  redactions: number;
  category?: string;
  sources: string[];
  reason: string;
}

export interface NavigatorDeps {
  redact: Redactor;
  piiNotice: (kinds: string[]) => string;
  router: Router;
  retriever: Retriever;
  answerer: Answerer;
  logger: Logger;
  /** Rewrites follow-ups with a model when one is configured. */
  rewrite?: (question: string, history: Turn[], signal?: AbortSignal) => Promise<StandaloneQuestion>;
  /** With a language model: the most time one question may spend waiting on it (routing, rewriting, answering). */
  modelBudgetMs?: number;
  onAnswered?: (event: AnswerEvent) => void;
  abstention?: AbstentionPolicy;
}

/** When retrieval support is too weak to answer from. */
export interface AbstentionPolicy {
  minCoverage: number;
  /** Below this coverage an answer also needs dense similarity of at least `minSimilarity`. */
  strongCoverage: number;
  minSimilarity: number;
  /**
   * A word the knowledge base never uses that carries at least this much of the question's
   * meaning ("salary", "blockchain") means the subject is not covered, unless the best document
   * covers at least `unknownWordCoverage` of the question anyway.
   */
  unknownWordWeight?: number;
  unknownWordCoverage?: number;
}

export const DEFAULT_ABSTENTION: AbstentionPolicy = {
  minCoverage: 0.1,
  strongCoverage: 0.3,
  minSimilarity: 0.5,
  unknownWordWeight: 0.1,
  unknownWordCoverage: 0.45,
};

export class NavigatorService implements Navigator {
  constructor(private readonly deps: NavigatorDeps) {}

  async ask(request: AskRequest, options: AskOptions = {}): Promise<AskResult> {
    const started = performance.now();
    const { redact, router, logger } = this.deps;

    const q = redact(request.question);
    let redactions = q.redactions;
    const kinds = new Set(q.kinds);
    const history: Turn[] = (request.history ?? []).map((t) => {
      const r = redact(t.text);
      redactions += r.redactions;
      r.kinds.forEach((k) => kinds.add(k));
      return { role: t.role, text: r.text };
    });
    const question = q.text.trim();

    // One budget for every model call this question makes, so a hung model costs the user at most
    // the configured timeout before the extractive answer takes over.
    const budget = this.deps.modelBudgetMs ? AbortSignal.timeout(this.deps.modelBudgetMs) : undefined;
    const signal = budget && options.signal ? AbortSignal.any([budget, options.signal]) : (budget ?? options.signal);
    options = { ...options, signal };

    options.onStatus?.('Reading your question…');
    const decision = await router.classify(question, history, { signal });
    let result: Omit<AskResult, 'meta' | 'redactions'> & { mode?: 'extractive' | 'llm'; fellBack?: boolean };
    let standalone: StandaloneQuestion = { question };

    if (decision.route === 'smalltalk') {
      result = { answer: smalltalkText(question), route: 'smalltalk', confidence: 1, citations: [] };
    } else if (decision.route === 'out_of_scope') {
      result = { answer: outOfScopeText(decision.reason === 'rule:clinical'), route: 'out_of_scope', confidence: 0.9, citations: [] };
    } else {
      options.onStatus?.('Searching guidance…');
      standalone = this.deps.rewrite
        ? await this.deps.rewrite(question, history, signal)
        : await standaloneQuestion(question, history);
      const retrieval = await this.deps.retriever.retrieve(standalone.question, { k: 5, context: standalone.context });
      result = await this.respond(decision, question, standalone, history, retrieval, options);
    }

    const notice = redactions > 0 ? `${this.deps.piiNotice([...kinds])}\n\n` : '';
    const latencyMs = Math.round(performance.now() - started);
    const mode = result.mode ?? 'extractive';
    const final: AskResult = {
      answer: notice + result.answer,
      route: result.route,
      confidence: result.confidence,
      citations: result.citations,
      redactions,
      meta: {
        mode,
        redactedQuestion: question,
        standaloneQuestion: standalone.context ? `${standalone.context} → ${standalone.question}` : standalone.question,
        redactedKinds: [...kinds],
        suggestedCategory: decision.category,
        latencyMs,
        fellBack: result.fellBack,
      },
    };
    const event: AnswerEvent = {
      route: final.route,
      latencyMs,
      mode,
      fellBack: Boolean(result.fellBack),
      redactions,
      category: decision.category,
      sources: final.citations.map((c) => c.url),
      reason: decision.reason,
    };
    logger.info('ask', { ...event });
    this.deps.onAnswered?.(event);
    return final;
  }

  private async respond(
    decision: RouteDecision,
    question: string,
    standalone: StandaloneQuestion,
    history: Turn[],
    retrieval: RetrievalResult,
    options: AskOptions,
  ) {
    const policy = this.deps.abstention ?? DEFAULT_ABSTENTION;
    const { coverage, topSimilarity } = retrieval.support;
    const unknownSubject =
      policy.unknownWordWeight !== undefined &&
      coverage < (policy.unknownWordCoverage ?? 1) &&
      (retrieval.support.unknownWords ?? []).some((u) => u.weight >= policy.unknownWordWeight!);
    const weak =
      retrieval.documents.length === 0 ||
      coverage < policy.minCoverage ||
      // Dense similarity is evidence only when there was a dense side (lexical-only has none).
      (retrieval.queryVector !== undefined && coverage < policy.strongCoverage && topSimilarity < policy.minSimilarity) ||
      unknownSubject;

    if (decision.route === 'escalate') {
      // Offer the hands-on route, with whatever guidance is relevant to read meanwhile.
      const related = weak ? [] : retrieval.documents.slice(0, 3).map((d) => toCitation(d));
      return {
        answer: escalationText(CATEGORY_LABELS[decision.category], related.length > 0),
        route: 'escalate' as const,
        confidence: 0.8,
        citations: related,
      };
    }
    if (weak) {
      if (decision.offTopic) return { answer: outOfScopeText(false), route: 'out_of_scope' as const, confidence: 0.6, citations: [] };
      return { answer: abstentionText(), route: 'abstain' as const, confidence: round(Math.max(coverage, topSimilarity) * 0.5), citations: [] };
    }

    options.onStatus?.('Writing an answer…');
    const input: AnswerInput = {
      question,
      standalone: standalone.question,
      history,
      retrieval,
      documentChunks: (doc: RetrievedDocument) => this.documentChunks(doc),
    };
    const draft = await this.deps.answerer.answer(input, { onToken: options.onToken, signal: options.signal });
    if (draft.route === 'abstain') {
      return { answer: abstentionText(), route: 'abstain' as const, confidence: 0.2, citations: [], mode: draft.mode, fellBack: draft.fellBack };
    }
    return {
      answer: draft.text,
      route: 'answer' as const,
      confidence: draft.confidence,
      citations: draft.citations,
      mode: draft.mode,
      fellBack: draft.fellBack,
    };
  }

  /** Every chunk of a document, the retrieved ones keeping their scores. */
  private documentChunks(doc: RetrievedDocument): RetrievedDocument['chunks'] {
    const scored = new Map(doc.chunks.map((c) => [c.chunk.id, c]));
    return this.deps.retriever.chunksOf(doc.docId).map((chunk) => scored.get(chunk.id) ?? { chunk, index: -1, score: 0 });
  }
}

function round(n: number): number {
  return Math.round(Math.min(1, Math.max(0, n)) * 100) / 100;
}
