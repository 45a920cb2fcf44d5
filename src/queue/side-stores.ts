// Small stores on the queue database for the channels and the dashboard. Each is safe to use from
// several replicas at once: uniqueness and upserts are enforced by the database, not by memory.
import type { Kysely } from 'kysely';
import type { Platform, Route } from '../core/types.js';
import type { DB } from './schema.js';

type Clock = () => Date;
const systemClock: Clock = () => new Date();

/** De-duplicates platform retries (Slack re-sends an event; Teams re-posts an activity). */
export class ProcessedEvents {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock = systemClock,
  ) {}

  /** True for exactly one caller per key, across connections and replicas (insert-or-ignore). */
  async claim(key: string): Promise<boolean> {
    const res = await this.db
      .insertInto('processed_events')
      .values({ key, created_at: this.clock().toISOString() })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  /** Forgets keys older than `before`; platforms stop retrying within minutes, so a day is plenty. */
  async prune(before: Date): Promise<number> {
    const res = await this.db.deleteFrom('processed_events').where('created_at', '<', before.toISOString()).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}

/** Where a ticket's triage message or card lives on each platform, so it can be updated in place. */
export class ChannelRefs {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock = systemClock,
  ) {}

  async get(ticketId: number, platform: Platform): Promise<Record<string, unknown> | null> {
    const row = await this.db
      .selectFrom('channel_refs')
      .select('ref_json')
      .where('ticket_id', '=', ticketId)
      .where('platform', '=', platform)
      .executeTakeFirst();
    return row ? (JSON.parse(row.ref_json) as Record<string, unknown>) : null;
  }

  async set(ticketId: number, platform: Platform, ref: Record<string, unknown>): Promise<void> {
    const ref_json = JSON.stringify(ref);
    const updated_at = this.clock().toISOString();
    await this.db
      .insertInto('channel_refs')
      .values({ ticket_id: ticketId, platform, ref_json, updated_at })
      .onConflict((oc) => oc.columns(['ticket_id', 'platform']).doUpdateSet({ ref_json, updated_at }))
      .execute();
  }
}

/** Key → JSON value, e.g. the Teams triage conversation reference captured at install. */
export class Settings {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock = systemClock,
  ) {}

  async get<T = unknown>(key: string): Promise<T | null> {
    const row = await this.db.selectFrom('settings').select('value_json').where('key', '=', key).executeTakeFirst();
    return row ? (JSON.parse(row.value_json) as T) : null;
  }

  async set(key: string, value: unknown): Promise<void> {
    const value_json = JSON.stringify(value);
    const updated_at = this.clock().toISOString();
    await this.db
      .insertInto('settings')
      .values({ key, value_json, updated_at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value_json, updated_at }))
      .execute();
  }
}

export type FeedbackRating = 'helpful' | 'not_helpful';

export interface FeedbackInput {
  platform: Platform;
  userId: string;
  route: Route;
  rating: FeedbackRating;
  reason?: string | null;
  answerId?: string | null;
}

/** Thumbs up/down on answers. Never the message text: only who, which route and the rating. */
export class Feedback {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock = systemClock,
  ) {}

  async record(input: FeedbackInput): Promise<void> {
    await this.db
      .insertInto('feedback')
      .values({
        platform: input.platform,
        user_id: input.userId,
        route: input.route,
        rating: input.rating,
        reason: input.reason?.slice(0, 200) ?? null,
        answer_id: input.answerId ?? null,
        created_at: this.clock().toISOString(),
      })
      .execute();
  }

  async summary(since?: Date): Promise<{ helpful: number; notHelpful: number; byRoute: Record<string, { helpful: number; notHelpful: number }> }> {
    let q = this.db.selectFrom('feedback').select(['route', 'rating', (eb) => eb.fn.countAll<string | number>().as('n')]).groupBy(['route', 'rating']);
    if (since) q = q.where('created_at', '>=', since.toISOString());
    const out = { helpful: 0, notHelpful: 0, byRoute: {} as Record<string, { helpful: number; notHelpful: number }> };
    for (const r of await q.execute()) {
      const bucket = (out.byRoute[r.route] ??= { helpful: 0, notHelpful: 0 });
      const field = r.rating === 'helpful' ? 'helpful' : 'notHelpful';
      bucket[field] += Number(r.n);
      out[field] += Number(r.n);
    }
    return out;
  }
}

export interface AskEventInput {
  route: Route;
  category?: string | null;
  latencyMs: number;
  redactions: number;
  platform?: Platform | null;
}

export interface AskSummary {
  total: number;
  byRoute: Record<string, number>;
  byCategory: Record<string, number>;
  averageLatencyMs: number;
  withRedactions: number;
}

/** What people ask, in aggregate, for the dashboard: never the question itself. */
export class AskEvents {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock = systemClock,
  ) {}

  async record(input: AskEventInput): Promise<void> {
    await this.db
      .insertInto('ask_events')
      .values({
        platform: input.platform ?? null,
        route: input.route,
        category: input.category ?? null,
        latency_ms: Math.max(0, Math.round(input.latencyMs)),
        redactions: Math.max(0, Math.round(input.redactions)),
        created_at: this.clock().toISOString(),
      })
      .execute();
  }

  async summary(since?: Date): Promise<AskSummary> {
    let q = this.db
      .selectFrom('ask_events')
      .select([
        'route',
        'category',
        (eb) => eb.fn.countAll<string | number>().as('n'),
        (eb) => eb.fn.sum<string | number>('latency_ms').as('latency'),
        (eb) => eb.fn.sum<string | number>(eb.case().when('redactions', '>', 0).then(1).else(0).end()).as('redacted'),
      ])
      .groupBy(['route', 'category']);
    if (since) q = q.where('created_at', '>=', since.toISOString());
    const out: AskSummary = { total: 0, byRoute: {}, byCategory: {}, averageLatencyMs: 0, withRedactions: 0 };
    let latency = 0;
    for (const r of await q.execute()) {
      const n = Number(r.n);
      out.total += n;
      out.byRoute[r.route] = (out.byRoute[r.route] ?? 0) + n;
      if (r.category) out.byCategory[r.category] = (out.byCategory[r.category] ?? 0) + n;
      latency += Number(r.latency ?? 0);
      out.withRedactions += Number(r.redacted ?? 0);
    }
    out.averageLatencyMs = out.total > 0 ? Math.round(latency / out.total) : 0;
    return out;
  }
}
