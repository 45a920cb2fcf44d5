// Answers written by a language model from numbered sources. The model's output is checked, not
// trusted: citations outside the retrieved set are dropped, links are limited to the knowledge
// base, and an answer citing nothing becomes an abstention. Any failure or timeout falls back to
// the extractive answer, so the user never sees a model error.
import type { Citation } from '../core/types.js';
import type { ChatModel } from '../llm/chat-model.js';
import type { Prompt } from '../llm/prompts.js';
import type { Logger } from '../shared/logger.js';
import { TimeoutError } from '../shared/errors.js';
import type { RetrievedDocument } from '../retrieval/retriever.js';
import { NOT_LEGAL_ADVICE, type AnswerDraft, type AnswerInput, type AnswerOptions, type Answerer } from './answerer.js';
import { citedNumbers, toCitation } from './citations.js';

export interface LlmAnswererOptions {
  model: ChatModel;
  prompt: Prompt;
  fallback: Answerer;
  timeoutMs: number;
  logger: Logger;
  /** URLs the answer may link to: those of the knowledge base's documents. */
  allowedUrls: Set<string>;
  maxSources?: number;
  onFallback?: (reason: string) => void;
}

export class LlmAnswerer implements Answerer {
  readonly mode = 'llm' as const;
  constructor(private readonly options: LlmAnswererOptions) {}

  async answer(input: AnswerInput, options: AnswerOptions = {}): Promise<AnswerDraft> {
    const docs = input.retrieval.documents.slice(0, this.options.maxSources ?? 5);
    if (docs.length === 0) return this.options.fallback.answer(input, options);
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    if (options.signal?.aborted) controller.abort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => controller.abort(new TimeoutError('language model', this.options.timeoutMs)), this.options.timeoutMs);
    try {
      if (controller.signal.aborted) throw new TimeoutError('language model budget', this.options.timeoutMs);
      const { prompt, model } = this.options;
      const raw = await model.complete(
        [
          { role: 'system', content: prompt.system },
          {
            role: 'user',
            content: prompt.render({
              sources: formatSources(docs, input),
              history: formatHistory(input),
              question: asData(input.question),
            }),
          },
        ],
        {
          temperature: prompt.config.temperature,
          maxTokens: prompt.config.max_tokens,
          onToken: options.onToken,
          signal: controller.signal,
        },
      );
      if (controller.signal.aborted) throw new TimeoutError('language model', this.options.timeoutMs);
      return this.finish(raw, docs);
    } catch (err) {
      const reason = controller.signal.aborted ? `timeout after ${this.options.timeoutMs} ms` : describe(err);
      this.options.logger.warn('language model failed; answering extractively', { reason, model: this.options.model.id });
      this.options.onFallback?.(reason);
      const draft = await this.options.fallback.answer(input, options);
      return { ...draft, fellBack: true };
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  private finish(raw: string, docs: RetrievedDocument[]): AnswerDraft {
    const text = raw.trim();
    if (/^NO_ANSWER\b/.test(text)) return { text: '', citations: [], route: 'abstain', confidence: 0, mode: this.mode };
    if (revealsPrompt(text, this.options.prompt.system)) {
      this.options.logger.warn('model output quoted its instructions; replaced by an abstention');
      return { text: '', citations: [], route: 'abstain', confidence: 0, mode: this.mode };
    }
    // Renumber the sources the model actually cited, in order of first use; drop the rest.
    const order: number[] = [];
    for (const n of citedNumbers(text)) if (n >= 1 && n <= docs.length && !order.includes(n)) order.push(n);
    if (order.length === 0) return { text: '', citations: [], route: 'abstain', confidence: 0, mode: this.mode };
    const renumber = new Map(order.map((n, i) => [n, i + 1]));
    const cleaned = stripForeignLinks(text, this.options.allowedUrls)
      .replace(/\[(\d+(?:\s*,\s*\d+)*)\]/g, (_, list: string) => {
        const kept = list
          .split(',')
          .map((n) => renumber.get(Number(n.trim())))
          .filter((n): n is number => n !== undefined);
        return kept.length ? kept.map((n) => `[${n}]`).join('') : '';
      })
      .replace(/[ \t]+\n/g, '\n')
      .trim();
    const citations: Citation[] = order.map((n) => toCitation(docs[n - 1]!));
    const confidence = Math.min(0.95, 0.55 + 0.1 * order.length);
    return { text: `${cleaned}\n\n${NOT_LEGAL_ADVICE}`, citations, route: 'answer', confidence, mode: this.mode };
  }
}

/** Sources go to the model as delimited data; angle brackets inside them cannot close the tags. */
function formatSources(docs: RetrievedDocument[], input: AnswerInput): string {
  return docs
    .map((doc, i) => {
      const chunks = input.documentChunks(doc);
      const retrieved = doc.chunks.slice(0, 2).map((c) => c.chunk.text);
      const body = (retrieved.length ? retrieved : chunks.slice(0, 2).map((c) => c.chunk.text)).join('\n\n');
      return `<source n="${i + 1}" title="${attr(doc.meta.title)}" publisher="${attr(doc.meta.publisher)}" published="${attr(doc.meta.published)}">\n${asData(body)}\n</source>`;
    })
    .join('\n');
}

function formatHistory(input: AnswerInput): string {
  return input.history
    .slice(-6)
    .map((t) => `${t.role}: ${asData(t.text)}`)
    .join('\n');
}

function asData(text: string): string {
  return text.replace(/</g, '‹').replace(/>/g, '›');
}

function attr(text: string): string {
  return asData(text).replace(/"/g, "'");
}

/** Links may only point at the knowledge base's own documents. */
export function stripForeignLinks(text: string, allowed: Set<string>): string {
  const withoutMarkdownLinks = text.replace(/\[([^\]]+)\]\((\S+?)\)/g, (m, label: string, url: string) => (allowed.has(url) ? m : label));
  return withoutMarkdownLinks.replace(/\b(?:https?:\/\/|www\.)[^\s)<>\]]+/g, (url) => (allowed.has(url.replace(/[.,;:]+$/, '')) ? url : '[link removed]'));
}

/** True when the output quotes a run of the system prompt: instructions are never shown to users. */
export function revealsPrompt(output: string, system: string, window = 40): boolean {
  const norm = (t: string) => t.toLowerCase().replace(/\s+/g, ' ');
  const out = norm(output);
  const sys = norm(system);
  for (let i = 0; i + window <= sys.length; i += 10) if (out.includes(sys.slice(i, i + window))) return true;
  return false;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
