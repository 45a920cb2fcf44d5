// Per-user token buckets. In memory for one process; Redis (REDIS_URL) or the store when several
// replicas must share one limit. A refused request always gets a friendly message, never silence.

export interface RateVerdict {
  allowed: boolean;
  retryAfterMs: number;
}

export interface RateLimiter {
  take(key: string): Promise<RateVerdict>;
}

export interface BucketSettings {
  ratePerMinute: number;
  burst: number;
}

export function rateLimitText(retryAfterMs: number): string {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return `You’re sending messages faster than I can take them. Please wait about ${seconds} second${seconds === 1 ? '' : 's'} and try again.`;
}

/** The bucket arithmetic shared by every backend: refill since last seen, then take one token. */
export function refill(
  state: { tokens: number; updatedAt: number } | undefined,
  now: number,
  settings: BucketSettings,
): { tokens: number; updatedAt: number; verdict: RateVerdict } {
  const perMs = settings.ratePerMinute / 60_000;
  const tokens = state ? Math.min(settings.burst, state.tokens + (now - state.updatedAt) * perMs) : settings.burst;
  if (tokens >= 1) return { tokens: tokens - 1, updatedAt: now, verdict: { allowed: true, retryAfterMs: 0 } };
  return { tokens, updatedAt: now, verdict: { allowed: false, retryAfterMs: Math.ceil((1 - tokens) / perMs) } };
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();
  constructor(
    private readonly settings: BucketSettings,
    private readonly now: () => number = Date.now,
  ) {}

  async take(key: string): Promise<RateVerdict> {
    const next = refill(this.buckets.get(key), this.now(), this.settings);
    this.buckets.set(key, { tokens: next.tokens, updatedAt: next.updatedAt });
    if (this.buckets.size > 100_000) this.evictOldest();
    return next.verdict;
  }

  private evictOldest(): void {
    const cutoff = this.now() - (this.settings.burst / this.settings.ratePerMinute) * 60_000;
    for (const [k, v] of this.buckets) if (v.updatedAt < cutoff) this.buckets.delete(k);
  }
}

/** Minimal slice of ioredis this limiter uses, so tests can pass a real client. */
export interface RedisLike {
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

// Atomic in Redis: read, refill, take and write back in one script, so replicas cannot race.
const REDIS_SCRIPT = `
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local rate = tonumber(ARGV[1]) / 60000
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local tokens = burst
if state[1] then
  tokens = math.min(burst, tonumber(state[1]) + (now - tonumber(state[2])) * rate)
end
local allowed = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  wait = math.ceil((1 - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)
return {allowed, wait}
`;

export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: RedisLike,
    private readonly settings: BucketSettings,
    private readonly prefix = 'navigator:rate:',
  ) {}

  async take(key: string): Promise<RateVerdict> {
    const [allowed, wait] = (await this.redis.eval(
      REDIS_SCRIPT,
      1,
      this.prefix + key,
      this.settings.ratePerMinute,
      this.settings.burst,
      Date.now(),
    )) as [number, number];
    return { allowed: allowed === 1, retryAfterMs: Number(wait) };
  }
}
