// 1,100 malformed or hostile payloads to /api/ask, /slack/events (correctly signed) and
// /api/messages: each gets a 4xx or a valid answer, the process never crashes, memory stays bounded.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBotConnector } from '../support/fake-bot-connector.js';
import { FakeSlackApi } from '../support/fake-slack-api.js';
import { hostileActivities, hostileJsonBodies, hostileSlackBodies } from '../support/fuzz.js';
import { spawnServer, type ChildServer } from '../support/server-harness.js';

const SECRET = 'fuzz-signing-secret';

async function rssBytes(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = text.match(/^navigator_process_resident_memory_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)/m);
  if (!m) throw new Error('no resident memory metric');
  return Number(m[1]);
}

async function heapUsedBytes(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = text.match(/^navigator_nodejs_heap_size_used_bytes (\S+)/m);
  if (!m) throw new Error('no heap metric');
  return Number(m[1]);
}

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

describe('hostile input', () => {
  const slack = new FakeSlackApi();
  const connector = new FakeBotConnector();
  let server: ChildServer;
  const statuses = new Map<string, number[]>();
  const record = (endpoint: string, status: number) => statuses.set(endpoint, [...(statuses.get(endpoint) ?? []), status]);

  beforeAll(async () => {
    await slack.start();
    await connector.start();
    server = await spawnServer({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      RATE_LIMIT_PER_MINUTE: '100000',
      RATE_LIMIT_BURST: '100000',
    });
  }, 180_000);
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await slack.stop();
    await connector.stop();
  });

  it('survives 1,100 hostile payloads with 4xx or valid answers and bounded memory', async () => {
    const asks = [...hostileJsonBodies(1, 600)];
    const slackBodies = [...hostileSlackBodies(250)];
    const activities = [...hostileActivities(connector.url, 250)];
    const half = <T>(list: T[], round: number) => list.slice(round * Math.ceil(list.length / 2), (round + 1) * Math.ceil(list.length / 2));

    // Two rounds of the same mix: memory may grow in the first (caches, heap sizing), but a second
    // round must not keep growing it.
    const rss = [await rssBytes(server.url)];
    for (const round of [0, 1]) {
      await inBatches(half(asks, round), 6, async (body) => {
        const res = await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const text = await res.text();
        record('/api/ask', res.status);
        if (res.status === 200) {
          const json = JSON.parse(text);
          expect(Object.keys(json).sort()).toEqual(['answer', 'citations', 'confidence', 'redactions', 'route']);
          expect(JSON.stringify(json)).not.toContain('943 476 5919');
        }
      });
      // Bolt holds a request it has no listener for up to 3 s before answering 404, so send these wide.
      await inBatches(half(slackBodies, round), 30, async ({ body, contentType }) => {
        const ts = Math.floor(Date.now() / 1000);
        const signature = 'v0=' + createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex');
        const res = await fetch(`${server.url}/slack/events`, {
          method: 'POST',
          headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature },
          body,
        });
        await res.arrayBuffer();
        record('/slack/events', res.status);
      });
      await inBatches(half(activities, round), 10, async (body) => {
        const res = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await res.arrayBuffer();
        record('/api/messages', res.status);
      });
      rss.push(await rssBytes(server.url));
    }

    const all = [...statuses.values()].flat();
    expect(all.length).toBeGreaterThanOrEqual(1100);
    for (const [endpoint, list] of statuses) {
      const bad = list.filter((s) => s >= 500);
      expect({ endpoint, serverErrors: bad.length }).toEqual({ endpoint, serverErrors: 0 });
    }
    expect(server.proc.exitCode).toBeNull();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    const normal = await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: 'What is a DPIA?' }) });
    expect((await normal.json()).route).toBe('answer');

    const [start, afterFirst, afterSecond] = rss as [number, number, number];
    console.log(
      `fuzz: ${all.length} payloads; status counts ${JSON.stringify(Object.fromEntries([...statuses].map(([k, v]) => [k, countBy(v)])))}; RSS ${mib(start)} → ${mib(afterFirst)} → ${mib(afterSecond)} MiB`,
    );
    // The heap is reclaimed between rounds (garbage collection is lazy, so resident memory lags);
    // a leak would show as a second round growing as much as the first.
    expect(afterSecond - afterFirst).toBeLessThan(Math.max(200 * 1024 * 1024, (afterFirst - start) * 0.9));
    expect(afterSecond).toBeLessThan(1024 * 1024 * 1024);
    expect(await heapUsedBytes(server.url)).toBeLessThan(512 * 1024 * 1024);
  }, 600_000);
});

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}

function countBy(list: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of list) out[s] = (out[s] ?? 0) + 1;
  return out;
}
