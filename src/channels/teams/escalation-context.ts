// What a "Request hands-on help" action carries to the form, and the form to the ticket: the
// redacted question, a short answer excerpt, the suggested category and the sources. It travels in
// the card's Action.Execute data, so any replica can open and submit the form without a lookup.
// Card data comes back from the client, so it is re-validated (and re-redacted by the caller).
import { z } from 'zod';
import type { Citation } from '../../core/types.js';
import { CATEGORIES, type Category } from '../../queue/types.js';

export interface EscalationContext {
  /** The user's question after redaction: the only form of it that may prefill the form. */
  question?: string;
  answer?: string;
  category?: Category;
  sources?: Citation[];
}

const QUESTION_MAX = 2000;
const ANSWER_MAX = 1500;
const SOURCES_MAX = 5;

const source = z.object({
  title: z.string().max(300),
  url: z.string().max(2000).refine((u) => /^https?:\/\//i.test(u), { message: 'not an http(s) URL' }),
  publisher: z.string().max(200).default(''),
  published: z.string().max(50).default(''),
});

const schema = z.object({
  q: z.string().max(QUESTION_MAX * 2).optional(),
  a: z.string().max(ANSWER_MAX * 2).optional(),
  cat: z.enum(CATEGORIES).optional(),
  src: z.array(source).max(SOURCES_MAX).optional(),
});

export function encodeContext(ctx: EscalationContext): Record<string, unknown> {
  return {
    ...(ctx.question ? { q: ctx.question.slice(0, QUESTION_MAX) } : {}),
    ...(ctx.answer ? { a: ctx.answer.slice(0, ANSWER_MAX) } : {}),
    ...(ctx.category ? { cat: ctx.category } : {}),
    ...(ctx.sources?.length
      ? { src: ctx.sources.slice(0, SOURCES_MAX).map((s) => ({ title: s.title.slice(0, 300), url: s.url, publisher: s.publisher.slice(0, 200), published: s.published.slice(0, 50) })) }
      : {}),
  };
}

/** Tolerates anything (old cards, tampering): unreadable parts are dropped, never fatal. */
export function decodeContext(data: unknown): EscalationContext {
  const d = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const parsed = schema.safeParse({ q: d.q, a: d.a, cat: d.cat, src: d.src });
  if (!parsed.success) {
    // Keep what is individually valid.
    const q = typeof d.q === 'string' ? d.q.slice(0, QUESTION_MAX) : undefined;
    const cat = CATEGORIES.includes(d.cat as Category) ? (d.cat as Category) : undefined;
    return { question: q, category: cat };
  }
  const { q, a, cat, src } = parsed.data;
  return {
    question: q?.slice(0, QUESTION_MAX),
    answer: a?.slice(0, ANSWER_MAX),
    category: cat,
    sources: src?.map((s) => ({ ...s, snippet: '' })),
  };
}
