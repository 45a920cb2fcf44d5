// Per-user token buckets: the arithmetic, and buckets shared by two "replicas" through a real
// Redis server (REDIS_URL) and through the real PostgreSQL store.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryRateLimiter, RedisRateLimiter, rateLimitText } from '../../src/guard/rate-limit.js';
import { StoreRateLimiter, openDatabase } from '../../src/queue/index.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const settings = { ratePerMinute: 6, burst: 3 };

describe('rate limits', () => {
  it('refills over time and says how long to wait', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter(settings, () => now);
    for (let i = 0; i < 3; i++) expect((await limiter.take('u1')).allowed).toBe(true);
    const refused = await limiter.take('u1');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBe(10_000);
    expect(rateLimitText(refused.retryAfterMs)).toMatch(/wait about 10 seconds/);
    now = 10_000;
    expect((await limiter.take('u1')).allowed).toBe(true);
    expect((await limiter.take('u2')).allowed).toBe(true);
  });

  describe('in Redis, shared by two replicas', () => {
    const a = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    const b = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    afterAll(() => {
      a.disconnect();
      b.disconnect();
    });

    it('spends one bucket from either replica, atomically', async () => {
      await Promise.all([a.connect(), b.connect()]);
      const prefix = `navigator:test:${process.pid}:${Date.now()}:`;
      const one = new RedisRateLimiter(a, settings, prefix);
      const two = new RedisRateLimiter(b, settings, prefix);
      const verdicts = await Promise.all([one.take('u'), two.take('u'), one.take('u'), two.take('u'), one.take('u')]);
      expect(verdicts.filter((v) => v.allowed)).toHaveLength(3);
      expect(verdicts.find((v) => !v.allowed)!.retryAfterMs).toBeGreaterThan(0);
      expect((await two.take('someone-else')).allowed).toBe(true);
    });
  });

  describe('in the PostgreSQL store, shared by two replicas', () => {
    const schema = `rate_${process.pid}_${Date.now()}`;
    it('spends one bucket from two separate connection pools', async () => {
      const [x, y] = await Promise.all([openDatabase({ postgresUrl: PG_URL, schema }), openDatabase({ postgresUrl: PG_URL, schema })]);
      try {
        const one = new StoreRateLimiter(x.db);
        const two = new StoreRateLimiter(y.db);
        const verdicts = await Promise.all([1, 2, 3, 4, 5].map((i) => (i % 2 ? one : two).take('u', settings)));
        expect(verdicts.filter((v) => v.allowed)).toHaveLength(3);
      } finally {
        await x.db.schema.dropSchema(schema).ifExists().cascade().execute().catch(() => undefined);
        await Promise.all([x.close(), y.close()]);
      }
    });
  });
});
