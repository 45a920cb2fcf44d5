// The triage dashboard at /triage: server-rendered pages under a strict CSP, signed-in with the
// triage token and a name, every form POST checked against a CSRF token bound to the session.
// Mounted before body parsing, so this router parses its own (small, url-encoded) form bodies.
import express, { type ErrorRequestHandler, type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { ChannelDeps } from '../channels/channel.js';
import { CONTENT_SECURITY_POLICY } from '../http/app.js';
import type { AskEvents, OutboxWorker } from '../queue/index.js';
import { listAssignees } from './assignees.js';
import type { SafeHtml } from './html.js';
import { messagePage, signInPage, type Flash } from './layout.js';
import { EXPORT_LIMIT, PAGE_SIZE, parseQueueQuery, toTicketFilter } from './queue-filters.js';
import { queuePage } from './queue-page.js';
import { TICKET_ACTIONS, runTicketAction, type TicketAction } from './ticket-actions.js';
import { ticketPage } from './ticket-page.js';
import { TriageAuth, cleanName, readCookie, resolveTriageToken, type TriageSession } from './triage-auth.js';

export type TriageDeps = ChannelDeps & { outbox: OutboxWorker; askEvents: AskEvents };

const FLASH_COOKIE = 'navigator_triage_flash';

const send = (res: Response, status: number, body: SafeHtml) => res.status(status).type('html').send(body.value);

/** Only a path inside the dashboard may be a post-sign-in destination (no open redirects). */
const safeNext = (next: unknown) => (typeof next === 'string' && /^\/triage(\/|\?|$)/.test(next) && !next.includes('//') ? next : '/triage');

/**
 * Belt and braces beside SameSite=Strict and the CSRF token: a browser's own word that the form
 * came from another site (Sec-Fetch-Site), or an Origin naming another host, is refused. Our pages
 * send no referrer, so their own posts carry `Origin: null`, which says nothing either way.
 */
function sameOrigin(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.get('origin');
  if (!origin || origin === 'null') return true;
  try {
    return new URL(origin).host === req.host;
  } catch {
    return false;
  }
}

export function triageRoutes(deps: TriageDeps): Array<{ path: string; handler: RequestHandler | Router }> {
  const auth = new TriageAuth(resolveTriageToken(deps.config, deps.logger));
  const router = express.Router();
  const sessionOf = (res: Response) => res.locals.triageSession as TriageSession;

  router.use((req, res, next) => {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cache-Control', 'no-store');
    if (req.method === 'POST' && !sameOrigin(req)) {
      send(res, 403, messagePage('Refused', 'This form was sent from another site.'));
      return;
    }
    next();
  });
  router.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 }));

  const takeFlash = (req: Request, res: Response): Flash | null => {
    const raw = readCookie(req, FLASH_COOKIE);
    if (!raw) return null;
    res.clearCookie(FLASH_COOKIE, { path: '/triage' });
    try {
      const f = JSON.parse(raw) as Partial<Flash>;
      return (f.kind === 'ok' || f.kind === 'error') && typeof f.text === 'string' ? { kind: f.kind, text: f.text.slice(0, 500) } : null;
    } catch {
      return null;
    }
  };
  const redirectWith = (req: Request, res: Response, to: string, flash: Flash) => {
    res.cookie(FLASH_COOKIE, JSON.stringify({ kind: flash.kind, text: flash.text.slice(0, 500) }), {
      httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/triage', maxAge: 60_000,
    });
    res.redirect(303, to);
  };

  router.get('/sign-in', (req, res) => {
    if (auth.session(req)) return res.redirect(303, safeNext(req.query.next));
    send(res, 200, signInPage({ csrf: auth.preSessionCsrf(req, res), next: safeNext(req.query.next) }));
  });

  router.post('/sign-in', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const verdict = await deps.rateLimiter.take(`triage-sign-in:${req.ip ?? 'unknown'}`);
    const name = cleanName(body.name);
    const again = (status: number, error: string) =>
      send(res, status, signInPage({ csrf: auth.preSessionCsrf(req, res), next: safeNext(body.next), name: name ?? '', error }));
    if (!verdict.allowed) return again(429, 'Too many sign-in attempts. Please wait a minute and try again.');
    if (!auth.checkPreSessionCsrf(req, body.csrf)) return again(403, 'The sign-in form expired. Please try again.');
    if (!auth.checkToken(body.token)) {
      deps.logger.warn('triage sign-in refused: wrong token', { ip: req.ip });
      return again(401, 'That token is not right.');
    }
    if (!name) return again(400, 'Give your name (1–80 characters): it is recorded against your actions.');
    auth.signIn(req, res, name);
    deps.logger.info('triage sign-in');
    res.redirect(303, safeNext(body.next));
  });

  // Everything below needs a session; every POST below also needs the session's CSRF token.
  router.use((req: Request, res: Response, next: NextFunction) => {
    const session = auth.session(req);
    if (!session) {
      if (req.method === 'GET' || req.method === 'HEAD') return res.redirect(302, `/triage/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
      return send(res, 401, messagePage('Signed out', 'Your session has ended. Please sign in again.'));
    }
    if (req.method === 'POST' && !auth.checkCsrf(session, (req.body as Record<string, unknown> | undefined)?.csrf)) {
      return send(res, 403, messagePage('Refused', 'This form is out of date or was not sent from the dashboard. Reload the page and try again.', session));
    }
    res.locals.triageSession = session;
    next();
  });

  router.post('/sign-out', (req, res) => {
    auth.signOut(req, res);
    res.redirect(303, '/triage/sign-in');
  });

  router.get('/', async (req, res) => {
    const session = sessionOf(res);
    const query = parseQueueQuery(req.query as Record<string, unknown>);
    const filter = toTicketFilter(query, session.actor.id);
    const [list, total, assignees, asks, feedback, outbox, failedItems] = await Promise.all([
      deps.tickets.list({ ...filter, limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE }),
      deps.tickets.count(filter),
      listAssignees(deps.tickets, query.assignee),
      deps.askEvents.summary(),
      deps.feedback.summary(),
      deps.outbox.stats(),
      deps.outbox.listFailed(20),
    ]);
    send(res, 200, queuePage({
      session,
      flash: takeFlash(req, res),
      query,
      tickets: list.map((ticket) => ({ ticket, breached: deps.tickets.slaBreached(ticket) })),
      total,
      assignees,
      figures: { asks, feedback, outbox: { pending: outbox.pending, failed: outbox.failed }, failedItems },
    }));
  });

  router.get('/export.csv', async (req, res) => {
    const query = parseQueueQuery(req.query as Record<string, unknown>);
    const list = await deps.tickets.list({ ...toTicketFilter(query, sessionOf(res).actor.id), limit: EXPORT_LIMIT, offset: 0 });
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="tickets-${new Date().toISOString().slice(0, 10)}.csv"`);
    res.send(deps.tickets.toCsv(list));
  });

  router.get('/tickets/:ref', async (req, res) => {
    const session = sessionOf(res);
    const ticket = await deps.tickets.getByReference(String(req.params.ref));
    if (!ticket) return send(res, 404, messagePage('Not found', `There is no ticket ${String(req.params.ref)}.`, session));
    const [comments, audit] = await Promise.all([deps.tickets.comments(ticket.id, { includeInternal: true }), deps.tickets.audit(ticket.id)]);
    send(res, 200, ticketPage({ session, flash: takeFlash(req, res), ticket, breached: deps.tickets.slaBreached(ticket), comments, audit }));
  });

  router.post('/tickets/:ref/:action', async (req, res) => {
    const session = sessionOf(res);
    const action = String(req.params.action);
    const ticket = await deps.tickets.getByReference(String(req.params.ref));
    if (!ticket || !(TICKET_ACTIONS as readonly string[]).includes(action)) {
      return send(res, 404, messagePage('Not found', 'There is no such ticket or action.', session));
    }
    const flash = await runTicketAction(deps, session, ticket, action as TicketAction, (req.body ?? {}) as Record<string, unknown>);
    redirectWith(req, res, `/triage/tickets/${ticket.reference}`, flash);
  });

  router.post('/outbox/:id/retry', async (req, res) => {
    const id = Number(req.params.id);
    const retried = Number.isSafeInteger(id) && id > 0 && (await deps.outbox.retry(id));
    redirectWith(req, res, '/triage', retried ? { kind: 'ok', text: `Notification ${id} will be retried.` } : { kind: 'error', text: `Notification ${String(req.params.id)} is not a failed item.` });
  });

  const onError: ErrorRequestHandler = (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.too.large') return send(res, 413, messagePage('Too long', 'That form was too large to accept.'));
    if (e.status && e.status >= 400 && e.status < 500) return send(res, e.status, messagePage('Bad request', 'The request could not be read.'));
    deps.logger.error('triage request failed', { path: req.path, error: err instanceof Error ? err : String(err) });
    send(res, 503, messagePage('Unavailable', 'The support queue could not be reached. Please try again in a moment.'));
  };
  router.use(onError);

  return [{ path: '/triage', handler: router }];
}
