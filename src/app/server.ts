// The composition root: builds every dependency from configuration, mounts the channels, serves
// HTTP, and shuts down gracefully (stop accepting, finish in-flight answers, flush the outbox).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import type { RequestHandler, Router } from 'express';
import { sql } from 'kysely';
import { secretValues, type Config } from '../config/config.js';
import type { Channel, ChannelDeps } from '../channels/channel.js';
import type { Navigator, Platform } from '../core/types.js';
import type { Embedder } from '../embeddings/embedder.js';
import { redactPii } from '../guard/index.js';
import { MemoryRateLimiter, RedisRateLimiter, type RateLimiter } from '../guard/rate-limit.js';
import { askRoutes } from '../http/ask-route.js';
import { createHttpApp } from '../http/app.js';
import {
  AskEvents,
  ChannelRefs,
  Feedback,
  OutboxWorker,
  ProcessedEvents,
  Settings,
  StoreRateLimiter,
  TicketService,
  defaultSqlitePath,
  openDatabase,
  type QueueDatabase,
} from '../queue/index.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { createMetrics, type Metrics } from '../shared/metrics.js';
import { InFlight } from './in-flight.js';
import { createKnowledgeStack, type KnowledgeStack } from './knowledge-stack.js';

export interface StartOptions {
  logger?: Logger;
  embedder?: Embedder;
  /** Install SIGTERM/SIGINT handlers that shut down and exit (the CLI does; tests do not). */
  handleSignals?: boolean;
  /** Extra channels or replacements, keyed by platform (tests). */
  channels?: Array<(deps: ChannelDeps) => Promise<Channel>>;
}

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  config: Readonly<Config>;
  logger: Logger;
  metrics: Metrics;
  knowledge: KnowledgeStack;
  database: QueueDatabase;
  tickets: TicketService;
  outbox: OutboxWorker;
  shutdown(): Promise<void>;
}

export async function startServer(config: Readonly<Config>, options: StartOptions = {}): Promise<RunningServer> {
  const logger =
    options.logger ?? createLogger({ level: config.logLevel, secrets: secretValues(config), scrub: (l) => redactPii(l).text });
  const metrics = createMetrics();
  mkdirSync(config.dataDir, { recursive: true });

  // The store first: if it cannot be reached there is no point building anything else.
  const database = await openDatabase(
    config.databaseUrl
      ? { postgresUrl: config.databaseUrl, schema: config.databaseSchema }
      : { sqlitePath: defaultSqlitePath(config.dataDir) },
  );
  const askEvents = new AskEvents(database.db);
  // The index builds while the server already listens: /healthz answers at once, /readyz when the
  // index is loaded, and questions asked meanwhile wait for it rather than fail.
  const knowledgeReady = createKnowledgeStack({
    config,
    logger,
    metrics,
    embedder: options.embedder,
    onAnswered: (e) => {
      void askEvents
        .record({ route: e.route, category: e.category ?? null, latencyMs: e.latencyMs, redactions: e.redactions })
        .catch((err: unknown) => logger.warn('could not record analytics', { error: err instanceof Error ? err.message : String(err) }));
    },
  });

  // The web dashboard reads the store directly; only chat platforms need triage notifications.
  const triagePlatforms: Platform[] = [];
  if (config.slack.triageChannel && (config.slack.httpEnabled || config.slack.socketMode)) triagePlatforms.push('slack');
  triagePlatforms.push('teams');
  const tickets = new TicketService({ db: database.db, slaWorkingDays: config.slaWorkingDays, triagePlatforms });
  const outbox = new OutboxWorker({ db: database.db, service: tickets, handlers: {}, logger });
  const rateLimiter = await createRateLimiter(config, database, logger);
  const inFlight = new InFlight();

  let knowledge: KnowledgeStack | undefined;
  knowledgeReady.then((k) => (knowledge = k)).catch(() => undefined);
  const navigator: Navigator = { ask: async (request, o) => (await knowledgeReady).navigator.ask(request, o) };

  const processedEvents = new ProcessedEvents(database.db);
  const deps: ChannelDeps = {
    config,
    logger,
    metrics,
    navigator,
    tickets,
    processedEvents,
    channelRefs: new ChannelRefs(database.db),
    settings: new Settings(database.db),
    feedback: new Feedback(database.db),
    rateLimiter,
    redact: (text) => redactPii(text),
    track: (work) => inFlight.track(work),
  };
  const factories = options.channels ?? (await defaultChannels(config));
  const channels: Channel[] = [];
  for (const make of factories) channels.push(await make(deps));
  for (const c of channels) if (c.deliver) outbox.registerHandler(c.platform, c.deliver);

  const rawRoutes: Array<{ path: string; handler: RequestHandler | Router }> = channels.flatMap((c) => c.routes);
  const { triageRoutes } = await import('../triage/triage-routes.js');
  rawRoutes.push(...triageRoutes({ ...deps, outbox, askEvents }));
  const { webEscalationRoutes } = await import('../triage/web-escalation-routes.js');
  const apiRoutes = [
    askRoutes({
      navigator: { ask: (req, o) => inFlight.track(navigator.ask(req, o)) },
      maxQuestionChars: config.limits.maxQuestionChars,
      rateLimiter,
      onRateLimited: () => metrics.rateLimited.inc({ channel: 'web' }),
    }),
    webEscalationRoutes({ ...deps }),
  ];

  let draining = false;
  const app = createHttpApp({
    logger,
    metrics,
    maxBodyBytes: config.limits.maxBodyBytes,
    apiRoutes,
    rawRoutes,
    isDraining: () => draining,
    readiness: async () => {
      const store = await sql`select 1`.execute(database.db).then(
        () => true,
        () => false,
      );
      const stats = await outbox.stats().catch(() => undefined);
      if (stats) for (const status of ['pending', 'failed', 'delivered'] as const) metrics.outbox.set({ status }, stats[status]);
      const index = knowledge !== undefined;
      return {
        ready: store && index && !draining,
        checks: { index, store, ...(knowledge ? { chunks: String(knowledge.prepared.index.chunks.length) } : {}) },
      };
    },
  });

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  logger.info('server listening', { url, channels: channels.map((c) => c.platform) });
  try {
    knowledge = await knowledgeReady;
  } catch (err) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await database.close();
    throw err;
  }
  for (const c of channels) await c.start?.();
  outbox.start();
  // Platforms stop redelivering within minutes; de-duplication keys older than a day only take space.
  const pruneTimer = setInterval(() => {
    processedEvents
      .prune(new Date(Date.now() - 24 * 60 * 60 * 1000))
      .catch((err: unknown) => logger.warn('could not prune processed events', { error: err instanceof Error ? err.message : String(err) }));
  }, 60 * 60 * 1000);
  pruneTimer.unref();
  logger.info('ready', { index: knowledge.prepared.action, chunks: knowledge.prepared.index.chunks.length });

  let closing: Promise<void> | undefined;
  const shutdown = () =>
    (closing ??= (async () => {
      draining = true;
      clearInterval(pruneTimer);
      logger.info('shutting down: finishing in-flight work');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await inFlight.settle(15_000);
      for (const c of channels) await c.stop?.().catch(() => undefined);
      await outbox.stop();
      await outbox.drain().catch((err: unknown) => logger.warn('outbox flush failed', { error: String(err) }));
      await Promise.race([closed, new Promise((r) => setTimeout(r, 5_000))]);
      server.closeAllConnections();
      await database.close();
      logger.info('shut down cleanly');
    })());

  if (options.handleSignals) {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        void shutdown().then(
          () => process.exit(0),
          (err: unknown) => {
            logger.error('shutdown failed', { error: err instanceof Error ? err : String(err) });
            process.exit(1);
          },
        );
      });
    }
  }

  return { url, port, server, config, logger, metrics, knowledge: knowledge!, database, tickets, outbox, shutdown };
}

/**
 * Per-user buckets that hold across replicas: in Redis when REDIS_URL is set, in the shared
 * PostgreSQL store when DATABASE_URL is, and in memory for a single embedded process.
 */
async function createRateLimiter(config: Readonly<Config>, database: QueueDatabase, logger: Logger): Promise<RateLimiter> {
  const settings = { ratePerMinute: config.limits.ratePerMinute, burst: config.limits.burst };
  if (config.redisUrl) {
    const { Redis } = await import('ioredis');
    const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2, connectTimeout: 3000, lazyConnect: false });
    redis.on('error', (err: Error) => logger.warn('redis error', { error: err.message }));
    return new RedisRateLimiter(redis, settings);
  }
  if (database.dialect === 'postgres') {
    const store = new StoreRateLimiter(database.db);
    return { take: (key) => store.take(key, settings) };
  }
  return new MemoryRateLimiter(settings);
}

async function defaultChannels(config: Readonly<Config>): Promise<Array<(deps: ChannelDeps) => Promise<Channel>>> {
  const factories: Array<(deps: ChannelDeps) => Promise<Channel>> = [];
  const { createWebChannel } = await import('../triage/web-channel.js');
  factories.push(async (deps) => createWebChannel(deps));
  if (config.slack.httpEnabled || config.slack.socketMode) {
    const { createSlackChannel } = await import('../channels/slack/index.js');
    factories.push(createSlackChannel);
  }
  const { createTeamsChannel } = await import('../channels/teams/index.js');
  factories.push(createTeamsChannel);
  return factories;
}
