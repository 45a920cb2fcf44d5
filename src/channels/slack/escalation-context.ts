// What the "Request hands-on help" button carries to the escalation form: where the conversation
// is and what the core suggested. It travels in the button's value (Slack caps it at 2,000
// characters), so any replica can open the form without a store lookup.
import { z } from 'zod';
import { CATEGORIES, type Category } from '../../queue/types.js';

export interface EscalationContext {
  /** Channel (or DM) of the conversation; absent when opened from a slash command in no thread. */
  channel?: string;
  threadTs?: string;
  category?: Category;
  /** The user's question after redaction: the only form of it that may prefill the form. */
  question?: string;
}

const VALUE_LIMIT = 2000;

const schema = z.object({
  ch: z.string().max(40).optional(),
  th: z.string().max(40).optional(),
  cat: z.enum(CATEGORIES).optional(),
  q: z.string().max(VALUE_LIMIT).optional(),
});

export function encodeEscalationContext(ctx: EscalationContext): string {
  const base = { ch: ctx.channel, th: ctx.threadTs, cat: ctx.category };
  const empty = JSON.stringify({ ...base, q: '' }).length;
  const room = VALUE_LIMIT - empty - 16;
  // JSON escaping can lengthen the text, so the question is cut until the whole value fits.
  let q = (ctx.question ?? '').slice(0, Math.max(0, room));
  let value = JSON.stringify({ ...base, ...(q ? { q } : {}) });
  while (value.length > VALUE_LIMIT && q.length > 0) {
    q = q.slice(0, Math.floor(q.length * 0.9));
    value = JSON.stringify({ ...base, ...(q ? { q } : {}) });
  }
  return value;
}

/** Tolerates anything (old buttons, tampering): an unreadable value is an empty context. */
export function decodeEscalationContext(value: string | undefined): EscalationContext {
  if (!value) return {};
  try {
    const parsed = schema.safeParse(JSON.parse(value));
    if (!parsed.success) return {};
    const { ch, th, cat, q } = parsed.data;
    return { channel: ch, threadTs: th, category: cat, question: q };
  } catch {
    return {};
  }
}

/** The form's private_metadata: where to confirm, and where the answer came from. */
export function encodeFormMetadata(ctx: Pick<EscalationContext, 'channel' | 'threadTs'>): string {
  return JSON.stringify({ ch: ctx.channel, th: ctx.threadTs });
}

export function decodeFormMetadata(value: string | undefined): Pick<EscalationContext, 'channel' | 'threadTs'> {
  const ctx = decodeEscalationContext(value);
  return { channel: ctx.channel, threadTs: ctx.threadTs };
}
