// A token bucket kept in the database, so every replica draws from the same bucket per key
// (e.g. per user). Each take is one short transaction; PostgreSQL locks the key's row, SQLite
// admits one writer at a time.
import type { Kysely } from 'kysely';
import { dialectOf } from './dialect.js';
import type { DB } from './schema.js';

export interface RateLimit {
  ratePerMinute: number;
  burst: number;
}

export interface RateDecision {
  allowed: boolean;
  /** 0 when allowed; otherwise how long until one token is back. */
  retryAfterMs: number;
}

export class StoreRateLimiter {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async take(key: string, limit: RateLimit): Promise<RateDecision> {
    if (!(limit.ratePerMinute > 0) || !(limit.burst >= 1)) throw new RangeError('ratePerMinute must be > 0 and burst ≥ 1');
    return this.db.transaction().execute(async (trx) => {
      const nowMs = this.clock().getTime();
      await trx
        .insertInto('rate_limits')
        .values({ key, tokens: limit.burst, updated_ms: nowMs })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      let q = trx.selectFrom('rate_limits').select(['tokens', 'updated_ms']).where('key', '=', key);
      if (dialectOf(trx) === 'postgres') q = q.forUpdate();
      const row = await q.executeTakeFirstOrThrow();
      const elapsed = Math.max(0, nowMs - Number(row.updated_ms));
      let tokens = Math.min(limit.burst, Number(row.tokens) + (elapsed * limit.ratePerMinute) / 60_000);
      const allowed = tokens >= 1;
      if (allowed) tokens -= 1;
      await trx.updateTable('rate_limits').set({ tokens, updated_ms: Math.max(nowMs, Number(row.updated_ms)) }).where('key', '=', key).execute();
      return { allowed, retryAfterMs: allowed ? 0 : Math.ceil(((1 - tokens) * 60_000) / limit.ratePerMinute) };
    });
  }
}
