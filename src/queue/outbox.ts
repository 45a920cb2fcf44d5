// Delivers outbox items through each platform's handler. Items are leased before delivery, so
// several workers (replicas) never deliver one item at the same time; a worker that dies mid-way
// loses its lease and the item is delivered by another. Delivery is at least once: each item's
// idempotency key goes to the handler so the receiving side can drop a repeat after a crash.
//
// Items for 'web' and 'cli' with no registered handler are marked delivered at once: the web chat
// and the CLI read replies and statuses from the store. Items for any other platform with no
// handler stay pending (stats() reports them) until a handler is registered.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Platform } from '../core/types.js';
import { withTimeout } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { OutboxStore, type LeasedItem, type OutboxStats } from './outbox-store.js';
import type { DB } from './schema.js';
import type { DeliveryHandler, DeliveryOutcome, OutboxItem, Ticket } from './types.js';

const STORE_READ_PLATFORMS: readonly Platform[] = ['web', 'cli'];

export interface OutboxWorkerOptions {
  db: Kysely<DB>;
  /** Loads the ticket each handler receives; checkSla runs on the poll loop when slaCheckMs > 0. */
  service: { get(id: number): Promise<Ticket | null>; checkSla?(now: Date): Promise<number> };
  handlers?: Partial<Record<Platform, DeliveryHandler>>;
  logger: Logger;
  clock?: () => Date;
  /** Pause between polls when idle. Default 1000. */
  pollMs?: number;
  /** Attempts before an item is marked failed. Default 8. */
  maxAttempts?: number;
  /** First retry delay; doubles each attempt (with jitter) up to maxDelayMs. Defaults 2000 and 900000. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long a lease lasts; a handler call is cut off at half of it. Default 60000. */
  leaseMs?: number;
  batchSize?: number;
  /** How often the poll loop runs the SLA check; 0 turns it off. Default 60000. */
  slaCheckMs?: number;
  random?: () => number;
  workerId?: string;
}

export interface DrainResult {
  delivered: number;
  retried: number;
  failed: number;
}

export class OutboxWorker {
  readonly workerId: string;
  private readonly store: OutboxStore;
  private readonly handlers = new Map<Platform, DeliveryHandler>();
  private readonly clock: () => Date;
  private readonly o: Required<Pick<OutboxWorkerOptions, 'pollMs' | 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'leaseMs' | 'batchSize' | 'slaCheckMs' | 'random'>>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private active = false;
  private lastSlaCheck = 0;

  constructor(private readonly options: OutboxWorkerOptions) {
    this.workerId = options.workerId ?? `outbox-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.clock = options.clock ?? (() => new Date());
    this.store = new OutboxStore(options.db, this.clock);
    this.o = {
      pollMs: options.pollMs ?? 1000,
      maxAttempts: options.maxAttempts ?? 8,
      baseDelayMs: options.baseDelayMs ?? 2000,
      maxDelayMs: options.maxDelayMs ?? 15 * 60_000,
      leaseMs: options.leaseMs ?? 60_000,
      batchSize: options.batchSize ?? 20,
      slaCheckMs: options.slaCheckMs ?? 60_000,
      random: options.random ?? Math.random,
    };
    for (const [platform, handler] of Object.entries(options.handlers ?? {})) {
      if (handler) this.handlers.set(platform as Platform, handler);
    }
  }

  registerHandler(platform: Platform, handler: DeliveryHandler): void {
    this.handlers.set(platform, handler);
  }

  /** Polls until stop(). Safe to call twice. */
  start(): void {
    if (this.active) return;
    this.active = true;
    this.schedule(0);
  }

  /** Stops polling and waits for the delivery in progress, for graceful shutdown. */
  async stop(): Promise<void> {
    this.active = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Delivers everything due now, returning when nothing due is left (retries scheduled later are left). */
  async drain(): Promise<DrainResult> {
    const result: DrainResult = { delivered: 0, retried: 0, failed: 0 };
    const platforms = [...new Set([...this.handlers.keys(), ...STORE_READ_PLATFORMS])];
    for (;;) {
      const batch = await this.store.lease({ workerId: this.workerId, platforms, limit: this.o.batchSize, leaseMs: this.o.leaseMs });
      if (batch.length === 0) return result;
      for (const item of batch) result[await this.deliver(item)] += 1;
    }
  }

  async stats(): Promise<OutboxStats & { unhandledPlatforms: Platform[] }> {
    const stats = await this.store.stats();
    const unhandledPlatforms = (Object.keys(stats.pendingByPlatform) as Platform[]).filter(
      (p) => !this.handlers.has(p) && !STORE_READ_PLATFORMS.includes(p),
    );
    return { ...stats, unhandledPlatforms };
  }

  listFailed(limit?: number): Promise<OutboxItem[]> {
    return this.store.listFailed(limit);
  }

  retry(id: number): Promise<boolean> {
    return this.store.retry(id);
  }

  private schedule(ms: number): void {
    if (!this.active) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined;
        this.schedule(this.o.pollMs);
      });
    }, ms);
    // The worker never keeps a process alive on its own; the server or CLI decides that.
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      const now = this.clock();
      const checkSla = this.options.service.checkSla;
      if (checkSla && this.o.slaCheckMs > 0 && now.getTime() - this.lastSlaCheck >= this.o.slaCheckMs) {
        this.lastSlaCheck = now.getTime();
        await checkSla.call(this.options.service, now);
      }
      await this.drain();
    } catch (err) {
      this.options.logger.warn('outbox poll failed', { error: err, workerId: this.workerId });
    }
  }

  private async deliver(item: LeasedItem): Promise<keyof DrainResult> {
    const log = this.options.logger;
    const fields = { outboxId: item.id, kind: item.kind, platform: item.platform, ticketId: item.ticketId, attempt: item.attempts };
    const handler = this.handlers.get(item.platform);
    if (!handler) {
      await this.store.markDelivered(item);
      return 'delivered';
    }
    const ticket = await this.options.service.get(item.ticketId);
    if (!ticket) {
      await this.store.markFailed(item, 'ticket not found');
      return 'failed';
    }
    let outcome: DeliveryOutcome;
    try {
      const { lockedBy: _ignored, ...plain } = item;
      outcome = await withTimeout(`${item.platform} delivery`, Math.max(1, Math.floor(this.o.leaseMs / 2)), () => handler(plain, ticket));
    } catch (err) {
      outcome = { ok: false, retryable: true, error: err instanceof Error ? err.message : String(err) };
    }

    if (outcome.ok) {
      if (!(await this.store.markDelivered(item))) log.warn('outbox lease lost before delivery was recorded', fields);
      else log.debug('outbox item delivered', fields);
      return 'delivered';
    }
    if (!outcome.retryable || item.attempts >= this.o.maxAttempts) {
      await this.store.markFailed(item, outcome.error);
      log.warn('outbox item failed', { ...fields, error: outcome.error, retryable: outcome.retryable });
      return 'failed';
    }
    const delay = outcome.retryAfterMs !== undefined ? Math.max(0, outcome.retryAfterMs) : this.backoff(item.attempts);
    await this.store.markRetry(item, new Date(this.clock().getTime() + delay), outcome.error);
    log.info('outbox item will be retried', { ...fields, error: outcome.error, delayMs: delay });
    return 'retried';
  }

  /** base × 2^(attempt−1), capped, with "equal jitter" (half fixed, half random) to spread retries. */
  private backoff(attempt: number): number {
    const exp = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(exp / 2 + (this.o.random() * exp) / 2);
  }
}

/**
 * Maps an HTTP response to a delivery outcome, for handlers that call a platform API:
 * 2xx ok; 408, 429 and 5xx retryable (429/503 honour Retry-After); other statuses are final.
 */
export function outcomeFromHttp(status: number, retryAfter?: string | null, body = ''): DeliveryOutcome {
  if (status >= 200 && status < 300) return { ok: true };
  const error = `HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}`;
  const retryable = status === 408 || status === 429 || status >= 500;
  const retryAfterMs = parseRetryAfter(retryAfter);
  return { ok: false, retryable, error, ...(retryable && retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

/** Retry-After as delay-seconds or an HTTP date, in milliseconds from now. */
export function parseRetryAfter(value: string | null | undefined, now: Date = new Date()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
