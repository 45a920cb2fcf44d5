// The one HTTP server: web chat, JSON API, health and metrics, and mount points for the Slack,
// Teams and triage routers. Body parsing is per route: Slack needs the raw body to verify signatures.
import express, { type ErrorRequestHandler, type Express, type RequestHandler, type Router } from 'express';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../shared/logger.js';
import type { Metrics } from '../shared/metrics.js';

export interface HttpAppDeps {
  logger: Logger;
  metrics: Metrics;
  maxBodyBytes: number;
  /** Ready when the index is loaded and the store answers. */
  readiness: () => Promise<{ ready: boolean; checks: Record<string, boolean | string> }>;
  /** JSON API routes (parsed with the size limit). */
  apiRoutes: Router[];
  /** Routers that parse their own bodies (Slack, Teams, triage forms). */
  rawRoutes: Array<{ path: string; handler: RequestHandler | Router }>;
  /** Set while shutting down: new requests get 503. */
  isDraining?: () => boolean;
}

const STATIC_DIR = fileURLToPath(new URL('../web/static/', import.meta.url));

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

export function createHttpApp(deps: HttpAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.use((req, res, next) => {
    if (deps.isDraining?.() && req.path !== '/healthz') {
      res.setHeader('Connection', 'close');
      res.status(503).json({ error: 'The server is restarting; please retry in a moment.' });
      return;
    }
    const started = performance.now();
    res.on('finish', () => {
      const path = routeLabel(req.originalUrl.split('?')[0] ?? '/');
      const seconds = (performance.now() - started) / 1000;
      deps.metrics.httpRequests.inc({ method: req.method, path, status: String(res.statusCode) });
      deps.metrics.httpLatency.observe({ method: req.method, path }, seconds);
      if (path !== '/healthz' && path !== '/metrics') {
        deps.logger.info('http', { method: req.method, path, status: res.statusCode, ms: Math.round(seconds * 1000) });
      }
    });
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const r = await deps.readiness().catch((err: unknown) => ({ ready: false, checks: { error: String(err) } }));
    res.status(r.ready ? 200 : 503).json({ status: r.ready ? 'ready' : 'not ready', checks: r.checks });
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });

  for (const { path, handler } of deps.rawRoutes) app.use(path, handler);

  const json = express.json({ limit: deps.maxBodyBytes, strict: false, type: ['application/json', 'application/*+json'] });
  for (const router of deps.apiRoutes) app.use('/api', onlyApiJson(json), router);

  const pageHeaders: RequestHandler = (_req, res, next) => {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Frame-Options', 'DENY');
    next();
  };
  app.use('/assets', pageHeaders, express.static(STATIC_DIR, { index: false, maxAge: '1h' }));
  app.get('/', pageHeaders, (_req, res) => {
    res.sendFile('index.html', { root: STATIC_DIR });
  });

  app.use((req, res) => {
    res.status(404).json({ error: `Nothing at ${req.method} ${req.path}` });
  });
  app.use(errorHandler(deps.logger));
  return app;
}

/** JSON body parsing for POST/PUT/PATCH under /api only. */
function onlyApiJson(json: RequestHandler): RequestHandler {
  return (req, res, next) => (['POST', 'PUT', 'PATCH'].includes(req.method) ? json(req, res, next) : next());
}

function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const e = err as { type?: string; status?: number; statusCode?: number; message?: string };
    const status = e.status ?? e.statusCode ?? 500;
    if (res.headersSent) return;
    if (e.type === 'entity.parse.failed') {
      res.status(400).json({ error: 'The request body is not valid JSON.' });
    } else if (e.type === 'entity.too.large') {
      res.status(413).json({ error: 'The request body is too large.' });
    } else if (status >= 400 && status < 500) {
      res.status(status).json({ error: e.message ?? 'Bad request.' });
    } else {
      logger.error('request failed', { path: req.path, error: err instanceof Error ? err : String(err) });
      res.status(500).json({ error: 'Something went wrong on our side. Please try again.' });
    }
  };
}

function routeLabel(path: string): string {
  if (path.startsWith('/assets/')) return '/assets';
  if (path.startsWith('/triage')) return '/triage';
  return ['/', '/healthz', '/readyz', '/metrics', '/api/ask', '/slack/events', '/api/messages'].includes(path) ? path : 'other';
}
