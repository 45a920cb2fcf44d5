// Follow-ups lean on the thread: "who signs it off?" after a question about DCB0160 means DCB0160.
// Embedded mode keeps the earlier user turn as low-weight retrieval context; model mode rewrites the
// question into a stand-alone one and falls back to the same context on failure.
import type { Turn } from './types.js';
import type { ChatModel } from '../llm/chat-model.js';
import type { Prompt } from '../llm/prompts.js';
import { words } from '../retrieval/text.js';
import { anySignal } from '../routing/router.js';

const ANAPHORA = /\b(?:it|its|that|this|these|those|they|them|their|there|he|she|one|same|above|such)\b/i;
const CONTINUATION = /^(?:and|also|but|so|what about|how about|what if|does that|do they|is that|are they|who|when|where|how long|how often|why|which one)\b/i;

export function looksLikeFollowUp(question: string, history: Turn[]): boolean {
  if (!history.some((t) => t.role === 'user')) return false;
  const n = words(question).length;
  return n <= 6 || ANAPHORA.test(question) || CONTINUATION.test(question.trim());
}

/** The earlier user turns that give a follow-up its subject, most recent last. */
export function historyContext(history: Turn[]): string {
  const users = history.filter((t) => t.role === 'user').slice(-2);
  return users.map((t) => t.text).join(' ');
}

export interface StandaloneQuestion {
  question: string;
  /** Extra retrieval context (embedded mode) when the question was not rewritten. */
  context?: string;
}

export async function standaloneQuestion(
  question: string,
  history: Turn[],
  rewriter?: { model: ChatModel; prompt: Prompt; timeoutMs: number },
  signal?: AbortSignal,
): Promise<StandaloneQuestion> {
  if (!looksLikeFollowUp(question, history)) return { question };
  const context = historyContext(history);
  if (!rewriter) return { question, context };
  try {
    const rewritten = await rewriter.model.complete(
      [
        { role: 'system', content: rewriter.prompt.system },
        {
          role: 'user',
          content: rewriter.prompt.render({
            history: history
              .slice(-6)
              .map((t) => `${t.role}: ${t.text.replace(/</g, '‹').replace(/>/g, '›')}`)
              .join('\n'),
            question: question.replace(/</g, '‹').replace(/>/g, '›'),
          }),
        },
      ],
      {
        temperature: 0,
        maxTokens: rewriter.prompt.config.max_tokens,
        signal: anySignal(AbortSignal.timeout(Math.min(rewriter.timeoutMs, 8000)), signal),
      },
    );
    const clean = rewritten.trim().split('\n')[0]!.slice(0, 500);
    return clean.length >= 3 ? { question: clean } : { question, context };
  } catch {
    return { question, context };
  }
}
