// POST /api/ask: the web chat's endpoint and the public JSON contract (same object as
// `navigator ask --json`). Bad input is a 400 that says what is wrong, never a 500.
import type { Request, Response, Router } from 'express';
import express from 'express';
import { z } from 'zod';
import { toAskJson, type Navigator } from '../core/types.js';
import type { RateLimiter } from '../guard/rate-limit.js';
import { rateLimitText } from '../guard/rate-limit.js';

export interface AskRouteDeps {
  navigator: Navigator;
  maxQuestionChars: number;
  rateLimiter?: RateLimiter;
  onRateLimited?: () => void;
}

const MAX_HISTORY = 20;

export function askRequestSchema(maxChars: number) {
  return z.object({
    question: z
      .string({ message: '"question" must be a string' })
      .refine((q) => q.trim().length > 0, { message: '"question" must not be empty' })
      .refine((q) => q.length <= maxChars, { message: `"question" must be at most ${maxChars} characters` }),
    history: z
      .array(
        z.object({
          role: z.enum(['user', 'assistant'], { message: 'history[].role must be "user" or "assistant"' }),
          text: z.string({ message: 'history[].text must be a string' }).max(maxChars * 4, `history[].text must be at most ${maxChars * 4} characters`),
        }),
        { message: '"history" must be an array of {role, text}' },
      )
      .max(MAX_HISTORY * 2, `"history" may hold at most ${MAX_HISTORY * 2} turns`)
      .optional(),
  });
}

export function askRoutes(deps: AskRouteDeps): Router {
  const router = express.Router();
  const schema = askRequestSchema(deps.maxQuestionChars);
  router.post('/ask', async (req: Request, res: Response) => {
    if (!req.is('application/json')) {
      res.status(415).json({ error: 'Send the request as JSON with Content-Type: application/json.' });
      return;
    }
    const parsed = schema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: parsed.error.issues.map((i) => i.message).join('; ') });
      return;
    }
    const sessionId = webSessionId(req);
    if (deps.rateLimiter) {
      const verdict = await deps.rateLimiter.take(`web:${sessionId}`);
      if (!verdict.allowed) {
        deps.onRateLimited?.();
        res.setHeader('Retry-After', String(Math.ceil(verdict.retryAfterMs / 1000)));
        res.status(429).json({ error: rateLimitText(verdict.retryAfterMs) });
        return;
      }
    }
    const result = await deps.navigator.ask({
      question: parsed.data.question,
      history: parsed.data.history,
      requester: { platform: 'web', userId: sessionId, conversation: { sessionId } },
    });
    res.json(toAskJson(result));
  });
  return router;
}

/** The web chat names its browser session in a header; without one, the client address stands in. */
export function webSessionId(req: Request): string {
  const header = req.get('x-navigator-session');
  if (header && /^[A-Za-z0-9_-]{8,64}$/.test(header)) return header;
  return `ip-${(req.ip ?? 'unknown').replace(/[^A-Za-z0-9]/g, '-')}`;
}
