// Two server processes behind one "load balancer", sharing one PostgreSQL: an event delivered to
// one and Slack's retry delivered to the other produce exactly one answer, and a thread answered
// by one replica is recognised by the other for follow-ups.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackApi, FAKE_BOT_USER_ID } from '../../support/fake-slack-api.js';
import { spawnServer, type ChildServer, type TestServer } from '../../support/server-harness.js';
import { SlackDriver, eventFrom, freshTs } from './slack-driver.js';
import { slackEnv, startSlackServer } from './slack-server.js';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DATABASE_SCHEMA = `slack_replicas_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

let fake: FakeSlackApi;
let inProcess: TestServer;
let child: ChildServer;
let a: SlackDriver;
let b: SlackDriver;

beforeAll(async () => {
  fake = await new FakeSlackApi().start();
  const env = slackEnv(fake, { DATABASE_URL, DATABASE_SCHEMA });
  // The child first, so the in-process server opens an existing schema as a second replica would.
  child = await spawnServer(env, 120_000);
  inProcess = await startSlackServer(fake, { DATABASE_URL, DATABASE_SCHEMA });
  a = new SlackDriver(inProcess.url);
  b = new SlackDriver(child.url);
});

afterAll(async () => {
  await inProcess?.shutdown();
  await child?.stop();
  await fake?.stop();
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${DATABASE_SCHEMA}" CASCADE`);
  } finally {
    await client.end();
  }
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const answersIn = (threadTs: string) => fake.ok('chat.postMessage', (p) => p.channel === 'C0GENERAL' && p.thread_ts === threadTs);

describe('two replicas sharing PostgreSQL', () => {
  it('answers once when the event reaches one replica and its retry the other, even at the same moment', async () => {
    for (let i = 0; i < 3; i++) {
      const ev = eventFrom('app_mention', { user: `U0REPLICA${i}`, text: `<@${FAKE_BOT_USER_ID}> What is the national data opt-out?` });
      const [first, retry] = await Promise.all([a.sendEvent(ev), b.sendEvent(ev, { retryNum: 1, retryReason: 'http_timeout' })]);
      expect([first.status, retry.status]).toEqual([200, 200]);
      await fake.waitForCalls(() => answersIn(ev.event.ts), `answer ${i}`, 1, 60_000);
    }
    // Late retries, after the answer went out, go to either replica.
    const late = eventFrom('app_mention', { user: 'U0REPLICALATE', text: `<@${FAKE_BOT_USER_ID}> What is DSPT?` });
    await a.sendEvent(late);
    await fake.waitForCalls(() => answersIn(late.event.ts), 'the late answer', 1, 60_000);
    await b.sendEvent(late, { retryNum: 2, retryReason: 'http_timeout' });
    await a.sendEvent(late, { retryNum: 3, retryReason: 'http_timeout' });
    await sleep(2000);
    for (const call of fake.ok('chat.postMessage', (p) => p.channel === 'C0GENERAL')) {
      expect(answersIn(call.params.thread_ts)).toHaveLength(1);
    }
    expect(fake.ok('chat.postMessage', (p) => p.channel === 'C0GENERAL').length).toBe(4);
  });

  it('recognises on one replica a thread the other answered in', async () => {
    const user = 'U0XREPLICA';
    const mention = eventFrom('app_mention', { user, text: `<@${FAKE_BOT_USER_ID}> What is DCB0160?` });
    const threadTs = mention.event.ts as string;
    fake.addToThread('C0GENERAL', threadTs, { ts: threadTs, user, text: mention.event.text });
    await a.sendEvent(mention);
    await fake.waitForCalls(() => answersIn(threadTs), 'the first answer', 1, 60_000);
    const ts = freshTs();
    const followUp = eventFrom('message_channels', { user, ts, threadTs, text: 'Who has to comply with it?' });
    await b.sendEvent(followUp);
    await fake.waitForCalls(() => answersIn(threadTs), 'the follow-up answer on the other replica', 2, 60_000);
  });
});
