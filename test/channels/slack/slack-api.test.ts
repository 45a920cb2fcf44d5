// The real Web API client against the local fake: failures map to the outbox's DeliveryOutcome,
// the delivery client fails fast (the outbox retries), and every call goes to SLACK_API_URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import { createSlackDelivery } from '../../../src/channels/slack/delivery.js';
import { createSlackClients, outcomeFromSlackError } from '../../../src/channels/slack/slack-api.js';
import { SupportTeam } from '../../../src/channels/slack/support-team.js';
import { createMemoryLogger } from '../../../src/shared/logger.js';
import type { OutboxItem, Ticket } from '../../../src/queue/types.js';
import { FakeSlackApi } from '../../support/fake-slack-api.js';

let fake: FakeSlackApi;
const logger = createMemoryLogger('warn');

beforeAll(async () => {
  fake = await new FakeSlackApi().start();
});
afterAll(async () => {
  await fake?.stop();
});

const clients = (extra: Record<string, string> = {}) =>
  createSlackClients(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 's3cret-value', SLACK_API_URL: fake.url + '/api', ...extra }), logger);

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

describe('Web API failures as delivery outcomes', () => {
  it('sends calls to SLACK_API_URL (adding the trailing slash) with the bot token', async () => {
    const res = await clients().delivery.auth.test();
    expect(res.user_id).toBe('U0BOT');
    expect(fake.of('auth.test').at(-1)?.path).toBe('/api/auth.test');
  });

  it('maps HTTP 500 to a retryable outcome without retrying in the client', async () => {
    fake.failNext('chat.postMessage', { status: 500 });
    const err = await failure(() => clients().delivery.chat.postMessage({ channel: 'C1', text: 'x' }));
    expect(outcomeFromSlackError(err)).toMatchObject({ ok: false, retryable: true, error: expect.stringMatching(/HTTP 500/) });
    expect(fake.of('chat.postMessage').filter((c) => c.status === 500)).toHaveLength(1);
  });

  it('maps HTTP 429 to a retryable outcome carrying Retry-After', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const err = await failure(() => clients().delivery.chat.postMessage({ channel: 'C1', text: 'x' }));
    expect(outcomeFromSlackError(err)).toEqual({ ok: false, retryable: true, error: expect.stringMatching(/rate limited/), retryAfterMs: 7000 });
  });

  it('treats Slack errors such as channel_not_found as final, and internal_error as retryable', async () => {
    fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    const final = outcomeFromSlackError(await failure(() => clients().delivery.chat.postMessage({ channel: 'C1', text: 'x' })));
    expect(final).toEqual({ ok: false, retryable: false, error: 'slack error: channel_not_found' });
    fake.failNext('chat.postMessage', { error: 'internal_error' });
    const transient = outcomeFromSlackError(await failure(() => clients().delivery.chat.postMessage({ channel: 'C1', text: 'x' })));
    expect(transient).toMatchObject({ ok: false, retryable: true });
  });

  it('treats an unreachable API as retryable', async () => {
    const c = createSlackClients(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 's3cret-value', SLACK_API_URL: 'http://127.0.0.1:9/api/' }), logger);
    const err = await failure(() => c.delivery.chat.postMessage({ channel: 'C1', text: 'x' }));
    expect(outcomeFromSlackError(err)).toMatchObject({ ok: false, retryable: true, error: expect.stringMatching(/request failed/) });
  });
});

describe('createSlackDelivery', () => {
  const ticket = {
    id: 99,
    reference: 'NAV-0099',
    requester: { platform: 'slack', userId: 'U0REQ', conversation: { channel: 'C0ASK', thread_ts: '111.222' } },
    status: 'in_progress',
  } as unknown as Ticket;
  const item = (kind: OutboxItem['kind'], payload: Record<string, unknown>): OutboxItem =>
    ({ id: 1, platform: 'slack', kind, ticketId: 99, payload, idempotencyKey: 'k', attempts: 1, status: 'pending', nextAttemptAt: '', lastError: null, createdAt: '' }) as OutboxItem;
  const noRefs = { get: async () => null, set: async () => undefined } as never;

  it('posts replies in the requester’s thread and returns the failure for the outbox to retry', async () => {
    const deliver = createSlackDelivery({ api: clients().delivery, channelRefs: noRefs, triageChannel: 'C0TRIAGE', logger });
    fake.failNext('chat.postMessage', { status: 503 });
    const failed = await deliver(item('reply', { reference: 'NAV-0099', text: 'We can help.', author: { name: 'Sam' } }), ticket);
    expect(failed).toMatchObject({ ok: false, retryable: true });
    const ok = await deliver(item('reply', { reference: 'NAV-0099', text: 'We can help.', author: { name: 'Sam' } }), ticket);
    expect(ok).toEqual({ ok: true });
    const post = fake.ok('chat.postMessage', (p) => p.channel === 'C0ASK' && p.thread_ts === '111.222').at(-1);
    expect(String(post?.params.text)).toMatch(/Sam \(support team\) replied about NAV-0099/);
  });

  it('holds a triage update until the ticket’s first post exists, keeping changes in order', async () => {
    const deliver = createSlackDelivery({ api: clients().delivery, channelRefs: noRefs, triageChannel: 'C0TRIAGE', logger });
    expect(await deliver(item('ticket_updated', { line: 'Claimed by sam' }), ticket)).toMatchObject({ ok: false, retryable: true, retryAfterMs: 2000 });
  });
});

describe('SupportTeam', () => {
  it('accepts listed users, user-group members, or triage-channel members, and refuses when a lookup fails', async () => {
    const api = clients().interactive;
    const base = { httpEnabled: true, socketMode: false, triageChannel: 'C0TRIAGE' };
    expect(await new SupportTeam(api, { ...base, supportUsers: ['U1'] }, logger).isMember('U1')).toBe(true);
    expect(await new SupportTeam(api, { ...base, supportUsers: ['U1'] }, logger).isMember('U2')).toBe(false);

    fake.setUsergroupUsers('S0SUPPORT', ['U3']);
    const group = new SupportTeam(api, { ...base, supportUsers: [], supportUsergroup: 'S0SUPPORT' }, logger);
    expect(await group.isMember('U3')).toBe(true);
    expect(await group.isMember('U4')).toBe(false);

    fake.setChannelMembers('C0TRIAGE', ['U5', 'U6']);
    const channel = new SupportTeam(api, { ...base, supportUsers: [] }, logger);
    expect(await channel.isMember('U6')).toBe(true);
    expect(await channel.isMember('U7')).toBe(false);
    expect(fake.of('conversations.members')).toHaveLength(1); // cached

    fake.failNext('conversations.members', { error: 'missing_scope' });
    const failing = new SupportTeam(api, { ...base, supportUsers: [] }, logger);
    expect(await failing.isMember('U5')).toBe(false);
  });
});
