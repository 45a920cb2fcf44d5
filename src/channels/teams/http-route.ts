// POST /api/messages: the Bot Framework endpoint. The body is read here (with the size limit),
// checked, and authenticated before anything else happens. Invokes are answered in the HTTP
// response; messages and other activities are acknowledged at once and handled in the background,
// so a slow answer never makes the Bot Connector time out and redeliver.
import type { Activity, TurnContext } from 'botbuilder';
import type { Request, RequestHandler, Response } from 'express';
import { checkActivity } from './activity-schema.js';
import { isAuthenticationError, type AuthenticateResult } from './bot-adapter.js';
import { errorFields, type TeamsContext } from './context.js';

export function messagesHandler(t: TeamsContext, logic: (ctx: TurnContext) => Promise<void>): RequestHandler {
  const limit = t.deps.config.limits.maxBodyBytes;
  const authEnabled = t.deps.config.teams.authEnabled;

  return async (req: Request, res: Response) => {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      res.status(405).json({ error: 'Use POST to send Bot Framework activities here.' });
      return;
    }
    const body = await readBody(req, limit);
    if (body.kind === 'too_large') {
      res.status(413).json({ error: `The activity is larger than ${limit} bytes.` });
      return;
    }
    if (body.kind === 'aborted') return;
    let json: unknown;
    try {
      json = JSON.parse(body.text);
    } catch {
      res.status(400).json({ error: 'The request body is not valid JSON.' });
      return;
    }
    const checked = checkActivity(json);
    if (!checked.ok) {
      res.status(400).json({ error: checked.message });
      return;
    }
    const activity = checked.activity as unknown as Activity;

    const header = req.headers.authorization ?? '';
    if (authEnabled && !/^Bearer\s+\S+/i.test(header)) {
      res.status(401).json({ error: 'A Bot Framework bearer token is required.' });
      return;
    }
    let auth: AuthenticateResult;
    try {
      auth = await t.adapter.authenticate(activity, header);
    } catch (err) {
      if (isAuthenticationError(err)) {
        t.logger.warn('teams request refused: invalid Bot Framework token', { channelId: activity.channelId });
        res.status(401).json({ error: 'The Bot Framework token is not valid for this bot.' });
      } else {
        // The signing keys could not be fetched: say "try again" so the Bot Connector redelivers.
        t.logger.error('could not verify a Bot Framework token', errorFields(err));
        res.setHeader('Retry-After', '5');
        res.status(503).json({ error: 'The token could not be verified just now.' });
      }
      return;
    }

    if (activity.type === 'invoke') {
      try {
        const result = await t.adapter.run(auth, activity, logic);
        const status = result?.status ?? 200;
        if (result?.body === undefined) res.status(status).end();
        else res.status(status).json(result.body);
      } catch (err) {
        t.logger.error('teams invoke turn failed', errorFields(err));
        if (!res.headersSent) res.status(500).json({ error: 'Something went wrong on our side.' });
      }
      return;
    }

    // Teams redelivers an activity it thinks was not received; handle each id once across replicas.
    if (activity.id) {
      let first: boolean;
      try {
        first = await t.deps.processedEvents.claim(`teams:${activity.id}`);
      } catch (err) {
        t.logger.error('could not record a Teams activity id', errorFields(err));
        res.setHeader('Retry-After', '5');
        res.status(503).json({ error: 'The service is unavailable; please retry.' });
        return;
      }
      if (!first) {
        t.logger.debug('teams redelivery ignored', { type: activity.type });
        res.status(200).end();
        return;
      }
    }
    res.status(200).end();
    void t.deps.track(
      t.adapter.run(auth, activity, logic).catch((err: unknown) => {
        t.logger.error('teams turn failed', { type: activity.type, ...errorFields(err) });
      }),
    );
  };
}

type Body = { kind: 'ok'; text: string } | { kind: 'too_large' } | { kind: 'aborted' };

/** Reads the raw body up to `limit` bytes, refusing early on a larger Content-Length. */
async function readBody(req: Request, limit: number): Promise<Body> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return { kind: 'too_large' };
  }
  return new Promise<Body>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Past the limit the rest is drained, not kept, so the client still gets its 413.
    req.on('data', (chunk: Buffer | string) => {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      size += buf.length;
      if (size <= limit) chunks.push(buf);
    });
    req.once('end', () => resolve(size > limit ? { kind: 'too_large' } : { kind: 'ok', text: Buffer.concat(chunks).toString('utf8') }));
    req.once('error', () => resolve({ kind: 'aborted' }));
    req.once('aborted', () => resolve({ kind: 'aborted' }));
  });
}
