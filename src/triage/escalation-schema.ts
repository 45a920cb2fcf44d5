// What the web chat's "Request hands-on help" form may send. Messages are written for the person
// filling in the form: the chat shows each one beside its field.
import { z } from 'zod';
import { CATEGORIES, ORG_TYPES, PRIORITIES } from '../queue/index.js';

const MAX_TURNS = 40;
const MAX_CITATIONS = 20;

const httpUrl = z
  .string()
  .max(2000)
  .refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), { message: 'citation links must be http(s) URLs' });

export const citationSchema = z.object({
  title: z.string().max(500),
  url: httpUrl,
  publisher: z.string().max(300).default(''),
  published: z.string().max(50).default(''),
  snippet: z.string().max(2000).default(''),
  section: z.string().max(500).optional(),
  status: z.enum(['current', 'superseded', 'stale']).optional(),
});

export const turnSchema = z.object({
  role: z.enum(['user', 'assistant'], { message: 'conversation roles must be "user" or "assistant"' }),
  text: z.string().max(20_000, 'a conversation turn is too long'),
});

export const escalationSchema = z.object({
  orgType: z.enum(ORG_TYPES, { message: 'Choose your type of organisation.' }),
  orgName: z
    .string({ message: 'Give the name of your organisation.' })
    .trim()
    .min(1, 'Give the name of your organisation.')
    .max(200, 'The organisation name must be at most 200 characters.'),
  category: z.enum(CATEGORIES, { message: 'Choose what the request is about.' }),
  priority: z.enum(PRIORITIES, { message: 'Choose how urgent this is.' }),
  deadline: z
    .union([z.literal(''), z.null(), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Give the deadline as a date, e.g. 2026-12-31.')])
    .optional()
    .refine((d) => !d || !Number.isNaN(Date.parse(d)), { message: 'That deadline is not a real date.' }),
  summary: z
    .string({ message: 'Give a short summary of what you need.' })
    .trim()
    .min(1, 'Give a short summary of what you need.')
    .max(1000, 'The summary must be at most 1,000 characters.'),
  details: z.string().trim().max(5000, 'The details must be at most 5,000 characters.').optional(),
  consent: z.boolean({ message: 'Say whether the conversation may be shared.' }),
  conversation: z.array(turnSchema).max(MAX_TURNS, `At most ${MAX_TURNS} conversation turns can be shared.`).optional(),
  citations: z.array(citationSchema).max(MAX_CITATIONS).optional(),
});

export type EscalationInput = z.infer<typeof escalationSchema>;

export const prefillSchema = z.object({
  question: z.string({ message: '"question" must be a string' }).max(20_000).default(''),
  history: z.array(turnSchema).max(MAX_TURNS).optional(),
});

/** Issues → { field: first message }, with nested paths joined ("citations.0.url"). */
export function fieldErrors(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.') || '_';
    out[key] ??= issue.message;
  }
  return out;
}
