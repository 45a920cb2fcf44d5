// The Slack app over real HTTP: signed requests in, Web API calls out to a local fake that records
// them. Covers where the assistant answers (mentions, DMs, thread follow-ups, the assistant panel,
// the slash command), exactly-once answering under retries, and what it must ignore.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Feedback } from '../../../src/queue/index.js';
import { FakeSlackApi, FAKE_BOT_ID, FAKE_BOT_USER_ID, type SlackCall } from '../../support/fake-slack-api.js';
import type { TestServer } from '../../support/server-harness.js';
import { SlackDriver, eventFrom, fixture, freshEventId, freshTs, signature, type Json } from './slack-driver.js';
import { startSlackServer } from './slack-server.js';

let fake: FakeSlackApi;
let server: TestServer;
let slack: SlackDriver;

beforeAll(async () => {
  fake = await new FakeSlackApi().start();
  server = await startSlackServer(fake);
  slack = new SlackDriver(server.url);
});

afterAll(async () => {
  await server?.shutdown();
  await fake?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const postsIn = (channel: string, threadTs?: string) =>
  fake.ok('chat.postMessage', (p) => p.channel === channel && (threadTs === undefined ? p.thread_ts === undefined : p.thread_ts === threadTs));
const blocksOf = (call: SlackCall): Json[] => (call.params.blocks ?? []) as Json[];
const blockText = (call: SlackCall) => JSON.stringify(call.params.blocks ?? []);

describe('request verification', () => {
  it('rejects a bad signature, a wrong secret and a stale timestamp with 401, and nothing is answered', async () => {
    const ev = eventFrom('app_mention', { user: 'U0SIG' });
    const body = JSON.stringify(ev);
    const tampered = await slack.sendEvent(ev, { signature: 'v0=' + '0'.repeat(64) });
    const wrongSecret = await slack.sendEvent(ev, { secret: 'not-the-secret' });
    const old = Math.floor(Date.now() / 1000) - 6 * 60;
    const stale = await slack.post(body, 'application/json', { timestamp: old, signature: signature(body, old) });
    const unsigned = await fetch(`${server.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

    expect([tampered.status, wrongSecret.status, stale.status, unsigned.status]).toEqual([401, 401, 401, 401]);
    await sleep(500);
    expect(postsIn('C0GENERAL', ev.event.ts)).toHaveLength(0);
  });

  it('answers Slack’s url_verification challenge', async () => {
    const res = await slack.sendEvent({ token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });
});

describe('mentions', () => {
  it('answers a mention once, in its thread, with sources, the disclaimer, feedback and the hands-on button', async () => {
    const ev = eventFrom('app_mention', { user: 'U0MENTION' });
    const res = await slack.sendEvent(ev);
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1000);

    const [answer] = await fake.waitForCalls(() => postsIn('C0GENERAL', ev.event.ts), 'the answer');
    const blocks = blocksOf(answer!);
    expect(answer!.params.text).toMatch(/principles/i);
    expect(blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    const sources = blocks.find((b) => b.type === 'section' && String(b.text?.text).startsWith('*Sources*'));
    expect(sources?.text.text).toMatch(/<https:\/\/www\.gov\.uk\/[^|>]+\|[^>]+>/);
    expect(sources?.text.text).toMatch(/Department of Health and Social Care/);
    expect(blockText(answer!)).toContain('not legal advice');
    const actions = blocks.find((b) => b.type === 'actions');
    expect(actions?.elements[0]).toMatchObject({ type: 'button', action_id: 'request_help' });
    const feedback = blocks.find((b) => b.type === 'context_actions');
    expect(feedback?.elements[0]).toMatchObject({ type: 'feedback_buttons', action_id: 'answer_feedback' });
    // The core's closing disclaimer is said once, in the context line, not twice.
    expect((blockText(answer!).match(/not legal advice/g) ?? []).length).toBe(1);
  });

  it('answers once when Slack retries the event and when the message also arrives as a message event', async () => {
    const ev = eventFrom('app_mention', { user: 'U0RETRY', text: `<@${FAKE_BOT_USER_ID}> What is a DPIA?` });
    const first = await slack.sendEvent(ev);
    const retry = await slack.sendEvent(ev, { retryNum: 1, retryReason: 'http_timeout' });
    const retry2 = await slack.sendEvent(ev, { retryNum: 2, retryReason: 'http_error' });
    // Slack also delivers the same channel message as `message` (message.channels) with its own event id.
    const asMessage = fixture('message_channels');
    asMessage.event_id = freshEventId();
    Object.assign(asMessage.event, { text: ev.event.text, ts: ev.event.ts, event_ts: ev.event.ts, user: 'U0RETRY' });
    delete asMessage.event.thread_ts;
    const dup = await slack.sendEvent(asMessage);
    expect([first.status, retry.status, retry2.status, dup.status]).toEqual([200, 200, 200, 200]);

    await fake.waitFor(() => postsIn('C0GENERAL', ev.event.ts).length > 0, 20_000, 'the answer');
    await sleep(1500);
    expect(postsIn('C0GENERAL', ev.event.ts)).toHaveLength(1);
    expect(server.logLines.some((l) => l.includes('slack event redelivered') && l.includes('"retryNum":1'))).toBe(true);
  });

  it('ignores other bots, its own messages and edits', async () => {
    const bot = eventFrom('message_bot', { channel: 'D0BOTS' });
    const own = eventFrom('message_im', { user: FAKE_BOT_USER_ID, channel: 'D0OWN', text: 'What is a DPIA?' });
    own.event.bot_id = FAKE_BOT_ID;
    const edit = eventFrom('message_im', { user: 'U0EDIT', channel: 'D0EDIT' });
    edit.event.subtype = 'message_changed';
    for (const e of [bot, own, edit]) expect((await slack.sendEvent(e)).status).toBe(200);
    // A real question afterwards is answered, so silence above is not just slowness.
    const real = eventFrom('message_im', { user: 'U0EDIT', channel: 'D0EDIT2' });
    await slack.sendEvent(real);
    await fake.waitFor(() => postsIn('D0EDIT2').length > 0, 20_000, 'the real answer');
    await sleep(300);
    for (const channel of ['D0BOTS', 'D0OWN', 'D0EDIT']) expect(fake.ok('chat.postMessage', (p) => p.channel === channel)).toHaveLength(0);
  });
});

describe('direct messages and threads', () => {
  it('answers a direct message at the top level of the DM', async () => {
    const ev = eventFrom('message_im', { user: 'U0DM', channel: 'D0DM' });
    expect((await slack.sendEvent(ev)).status).toBe(200);
    const [answer] = await fake.waitForCalls(() => postsIn('D0DM'), 'the DM answer');
    expect(answer!.params.text).toMatch(/DPIA|impact assessment/i);
    expect(blockText(answer!)).toContain('request_help');
  });

  it('answers a follow-up without a mention in a thread it answered in, using the thread history', async () => {
    const user = 'U0FOLLOW';
    const mention = eventFrom('app_mention', { user, text: `<@${FAKE_BOT_USER_ID}> What is DCB0160?` });
    const threadTs = mention.event.ts as string;
    fake.addToThread('C0GENERAL', threadTs, { ts: threadTs, user, text: mention.event.text });
    await slack.sendEvent(mention);
    await fake.waitFor(() => postsIn('C0GENERAL', threadTs).length === 1, 20_000, 'the first answer');
    const ts = freshTs();
    fake.addToThread('C0GENERAL', threadTs, { ts, user, text: 'Who has to comply with it?' });
    const followUp = eventFrom('message_channels', { user, ts, threadTs, text: 'Who has to comply with it?' });
    expect((await slack.sendEvent(followUp)).status).toBe(200);

    await fake.waitFor(() => postsIn('C0GENERAL', threadTs).length === 2, 20_000, 'the follow-up answer');
    const replies = fake.ok('conversations.replies', (p) => p.channel === 'C0GENERAL' && p.ts === threadTs);
    expect(replies.length).toBeGreaterThan(0);
    const second = postsIn('C0GENERAL', threadTs)[1]!;
    // With the history the answer is about DCB0160; the same words asked fresh are not.
    const body = (call: SlackCall) => String(blocksOf(call)[0]?.text?.text);
    expect(body(second)).toMatch(/DCB0160/);
    const control = eventFrom('app_mention', { user: 'U0CONTROL', text: `<@${FAKE_BOT_USER_ID}> Who has to comply with it?` });
    await slack.sendEvent(control);
    const [fresh] = await fake.waitForCalls(() => postsIn('C0GENERAL', control.event.ts), 'the control answer');
    expect(body(fresh!)).not.toMatch(/DCB0160/);
  });

  it('stays silent in threads it has not answered in', async () => {
    const threadTs = freshTs();
    const stray = eventFrom('message_channels', { user: 'U0STRAY', threadTs, text: 'What is a DPIA?' });
    await slack.sendEvent(stray);
    await sleep(1200);
    expect(postsIn('C0GENERAL', threadTs)).toHaveLength(0);
  });
});

describe('assistant panel', () => {
  it('sets suggested prompts when a thread starts', async () => {
    const ev = fixture('assistant_thread_started');
    ev.event_id = freshEventId();
    const threadTs = freshTs();
    ev.event.assistant_thread.thread_ts = threadTs;
    expect((await slack.sendEvent(ev)).status).toBe(200);
    const [call] = await fake.waitForCalls(() => fake.ok('assistant.threads.setSuggestedPrompts', (p) => p.thread_ts === threadTs), 'suggested prompts');
    expect(call!.params.channel_id).toBe('D0CAROL');
    expect(call!.params.prompts).toHaveLength(4);
    expect(call!.params.prompts[0]).toMatchObject({ title: expect.any(String), message: expect.any(String) });
  });

  it('shows a status, sets a title and answers in the assistant thread', async () => {
    const threadTs = freshTs();
    const ev = eventFrom('assistant_user_message', { threadTs });
    expect((await slack.sendEvent(ev)).status).toBe(200);
    await fake.waitFor(() => postsIn('D0CAROL', threadTs).length > 0, 20_000, 'the assistant answer');
    expect(fake.ok('assistant.threads.setStatus', (p) => p.thread_ts === threadTs && p.status === 'Searching guidance…')).toHaveLength(1);
    expect(fake.ok('assistant.threads.setTitle', (p) => p.thread_ts === threadTs && /DTAC/.test(p.title))).toHaveLength(1);
    expect(blockText(postsIn('D0CAROL', threadTs)[0]!)).toMatch(/DTAC|Digital Technology Assessment Criteria/);
  });
});

describe('/navigator', () => {
  const command = (text: string, user = 'U0CMD') => {
    const f = fixture('slash_command') as Record<string, string>;
    return { ...f, text, user_id: user, response_url: fake.responseUrl(`T0TEAM/${freshTs()}`), trigger_id: `${freshTs()}.trigger` };
  };

  it('acknowledges a question at once and answers privately through response_url', async () => {
    const fields = command('what is DCB0129?');
    const res = await slack.sendCommand(fields);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/Searching/) });
    const url = new URL(fields.response_url!).pathname;
    const [answer] = await fake.waitForCalls(() => fake.ok('response_url').filter((c) => c.path === url), 'the command answer');
    expect(answer!.params).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect(JSON.stringify(answer!.params.blocks)).toMatch(/DCB0129/);
  });

  it('shows usage for help, opens the form for request, and lists the requester’s tickets', async () => {
    const help = await slack.sendCommand(command('help'));
    expect(help.status).toBe(200);
    expect(JSON.stringify(help.json)).toContain('/navigator request');

    const req = command('request');
    await slack.sendCommand(req);
    const [open] = await fake.waitForCalls(() => fake.ok('views.open', (p) => p.trigger_id === req.trigger_id), 'views.open');
    expect(open!.params.view.callback_id).toBe('escalation_form');

    await server.tickets.create(
      {
        requester: { platform: 'slack', userId: 'U0LISTER', conversation: { channel: 'D0LISTER' } },
        orgType: 'startup_sme',
        orgName: 'Acme Health',
        category: 'regulation',
        priority: 'normal',
        summary: 'Help with our DTAC submission for a remote monitoring product',
        conversation: [],
        citations: [],
        consentToShare: false,
      },
      { id: 'U0LISTER', via: 'slack' },
    );
    const mine = command('my-requests', 'U0LISTER');
    await slack.sendCommand(mine);
    const url = new URL(mine.response_url!).pathname;
    const [list] = await fake.waitForCalls(() => fake.ok('response_url').filter((c) => c.path === url), 'my-requests');
    expect(JSON.stringify(list!.params.blocks)).toMatch(/NAV-\d{4}.*New.*Regulation/);
  });
});

describe('limits and feedback', () => {
  it('tells a user who sends too fast to wait, instead of going silent', async () => {
    const user = 'U0FAST';
    const events = Array.from({ length: 11 }, () => eventFrom('message_im', { user, channel: 'D0FAST', text: 'hello' }));
    for (const e of events) await slack.sendEvent(e);
    await fake.waitFor(() => postsIn('D0FAST').length === 11, 30_000, 'eleven replies');
    const texts = postsIn('D0FAST').map((c) => String(c.params.text));
    expect(texts.filter((t) => /faster than I can take them/.test(t))).toHaveLength(1);
  });

  it('stores helpful and not-helpful feedback (with the optional reason) without the answer text', async () => {
    const feedback = new Feedback(server.database.db);
    const before = await feedback.summary();
    const up = fixture('block_actions_feedback');
    expect((await slack.sendInteraction(up)).status).toBe(200);

    const down = fixture('block_actions_feedback');
    down.trigger_id = `${freshTs()}.fb`;
    down.actions[0].value = 'not_helpful|answer|abc123def456';
    await slack.sendInteraction(down);
    const [open] = await fake.waitForCalls(() => fake.ok('views.open', (p) => p.trigger_id === down.trigger_id), 'reason form');
    const view = open!.params.view as Json;
    expect(view.callback_id).toBe('feedback_reason');
    const submit = {
      type: 'view_submission',
      team: { id: 'T0TEAM', domain: 'nhs-partners' },
      user: { id: 'U0ALICE', username: 'alice', name: 'alice', team_id: 'T0TEAM' },
      api_app_id: 'A0NAVIGATOR',
      view: { id: 'V0FB', type: 'modal', callback_id: 'feedback_reason', private_metadata: view.private_metadata, state: { values: { reason: { value: { type: 'radio_buttons', selected_option: { value: 'incomplete' } } } } } },
    };
    expect((await slack.sendInteraction(submit)).status).toBe(200);

    let after = await feedback.summary();
    for (let i = 0; i < 50 && after.helpful + after.notHelpful < before.helpful + before.notHelpful + 2; i++) {
      await sleep(50);
      after = await feedback.summary();
    }
    expect(after.helpful).toBe(before.helpful + 1);
    expect(after.notHelpful).toBe(before.notHelpful + 1);
    const rows = await server.database.db.selectFrom('feedback').selectAll().where('user_id', '=', 'U0ALICE').execute();
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.reason)).toEqual(expect.arrayContaining(['incomplete', null]));
    expect(rows.every((r) => r.platform === 'slack' && r.route === 'answer' && r.answer_id === 'abc123def456')).toBe(true);
  });
});
