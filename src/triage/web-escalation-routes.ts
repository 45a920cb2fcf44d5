// The web chat's escalation API, mounted under /api after JSON parsing:
//   POST /api/escalations/prefill  → a suggested category and summary for the form
//   POST /api/escalations          → a ticket (201), 400 with per-field messages, 503 if not saved
//   GET  /api/escalations          → this browser session's tickets with the support team's public replies
// The browser names its session in x-navigator-session, as for /api/ask; its tickets are only
// readable with that header, so the id is required here (no client-address stand-in).
import express, { type Request, type Response, type Router } from 'express';
import type { ChannelDeps } from '../channels/channel.js';
import type { Turn } from '../core/types.js';
import { CATEGORY_LABELS, STATUS_LABELS, type Actor, type NewTicketInput, type Ticket } from '../queue/index.js';
import { suggestCategory } from '../routing/category.js';
import { InputError } from '../shared/errors.js';
import { escalationSchema, fieldErrors, prefillSchema, type EscalationInput } from './escalation-schema.js';

const SESSION_HEADER = /^[A-Za-z0-9_-]{8,64}$/;
const NOT_SAVED = 'Your request could not be saved. Please try again.';
const MAX_LISTED = 20;

function sessionOf(req: Request, res: Response): string | null {
  const id = req.get('x-navigator-session');
  if (id && SESSION_HEADER.test(id)) return id;
  res.status(400).json({ error: 'Send the chat session id in the x-navigator-session header (8–64 letters, digits, - or _).' });
  return null;
}

const clip = (text: string, max: number) => {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
};

/** A one-line restatement of what the person asked: their first question and, if different, their last. */
export function prefillSummary(userTexts: string[]): string {
  const asked = userTexts.map((t) => clip(t, 200)).filter(Boolean);
  if (asked.length === 0) return '';
  const first = asked[0]!;
  const last = asked[asked.length - 1]!;
  return first === last ? `Asked: "${first}"` : `Asked: "${first}"; then: "${last}"`;
}

export function webEscalationRoutes(deps: ChannelDeps): Router {
  const router = express.Router();
  const redact = (text: string) => deps.redact(text).text;

  router.post('/escalations/prefill', (req, res) => {
    const parsed = prefillSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400).json({ error: 'The request is not valid.', fields: fieldErrors(parsed.error.issues) });
      return;
    }
    const userTexts = [...(parsed.data.history ?? []).filter((t) => t.role === 'user').map((t) => t.text), parsed.data.question]
      .map((t) => redact(t))
      .filter((t) => t.trim());
    const category = suggestCategory(userTexts.join('\n'));
    res.json({ category, categoryLabel: CATEGORY_LABELS[category], summary: prefillSummary(userTexts) });
  });

  router.post('/escalations', async (req, res) => {
    const sessionId = sessionOf(req, res);
    if (!sessionId) return;
    const verdict = await deps.rateLimiter.take(`web-escalation:${sessionId}`);
    if (!verdict.allowed) {
      res.setHeader('Retry-After', String(Math.ceil(verdict.retryAfterMs / 1000)));
      res.status(429).json({ error: 'Too many requests in a short time. Please wait a moment and try again.' });
      return;
    }
    const parsed = escalationSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400).json({ error: 'Please correct the highlighted fields.', fields: fieldErrors(parsed.error.issues) });
      return;
    }
    const { input, redactions } = toTicketInput(parsed.data, sessionId, deps.redact);
    const actor: Actor = { id: sessionId, via: 'web' };
    try {
      const result = await deps.tickets.create(input, actor);
      deps.metrics.tickets.inc({ event: result.kind === 'created' ? 'created' : 'linked_duplicate' });
      res.status(201).json({ reference: result.ticket.reference, status: result.ticket.status, linked: result.kind === 'linked_duplicate', redactions });
    } catch (err) {
      if (err instanceof InputError) {
        res.status(400).json({ error: err.message });
        return;
      }
      deps.logger.error('web escalation could not be saved', { error: err instanceof Error ? err : String(err) });
      res.status(503).json({ error: NOT_SAVED });
    }
  });

  router.get('/escalations', async (req, res) => {
    const sessionId = sessionOf(req, res);
    if (!sessionId) return;
    try {
      const tickets = (await deps.tickets.listForRequester('web', sessionId)).slice(0, MAX_LISTED);
      res.setHeader('Cache-Control', 'no-store');
      res.json(await Promise.all(tickets.map((t) => publicView(deps, t))));
    } catch (err) {
      deps.logger.error('web escalations could not be read', { error: err instanceof Error ? err : String(err) });
      res.status(503).json({ error: 'Your requests could not be loaded just now.' });
    }
  });

  return router;
}

/** What the requester may see: public replies from the support team, never internal notes or their own messages. */
async function publicView(deps: ChannelDeps, t: Ticket) {
  const comments = await deps.tickets.comments(t.id, { includeInternal: false });
  const replies = comments
    .filter((c) => c.visibility === 'public' && c.author.id !== t.requester.userId && c.author.id !== 'requester')
    .map((c) => ({ text: c.text, at: c.createdAt, ...(c.author.name ? { author: c.author.name } : {}) }));
  return { reference: t.reference, status: t.status, statusLabel: STATUS_LABELS[t.status], summary: t.summary, updatedAt: t.updatedAt, replies };
}

/** Every free-text field through the patient-data guard; the conversation only with consent. */
function toTicketInput(data: EscalationInput, sessionId: string, guard: ChannelDeps['redact']): { input: NewTicketInput; redactions: number } {
  let redactions = 0;
  const r = (text: string) => {
    const out = guard(text);
    redactions += out.redactions;
    return out.text;
  };
  const conversation: Turn[] = data.consent ? (data.conversation ?? []).map((t) => ({ role: t.role, text: r(t.text) })) : [];
  const citations = (data.citations ?? []).map((c) => ({
    title: r(c.title),
    url: c.url,
    publisher: r(c.publisher),
    published: c.published,
    snippet: r(c.snippet),
    ...(c.section ? { section: r(c.section) } : {}),
    ...(c.status ? { status: c.status } : {}),
  }));
  const input: NewTicketInput = {
    requester: { platform: 'web', userId: sessionId, conversation: { sessionId } },
    orgType: data.orgType,
    orgName: r(data.orgName),
    category: data.category,
    priority: data.priority,
    deadline: data.deadline ? data.deadline : null,
    summary: r(data.summary),
    details: data.details ? r(data.details) : '',
    conversation,
    citations,
    consentToShare: data.consent,
  };
  return { input, redactions };
}
