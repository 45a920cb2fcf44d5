// Escalation and the triage channel over real HTTP: the button opens the form, validation errors
// show inline, a valid submission stores a redacted ticket, posts to triage (through the outbox)
// and confirms in the requester's thread; support-team actions update the triage message in place;
// everyone else is refused; Web API failures are retried by the outbox and delivered once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeEscalationContext } from '../../../src/channels/slack/escalation-context.js';
import type { Ticket } from '../../../src/queue/types.js';
import { FakeSlackApi, FAKE_BOT_USER_ID, type SlackCall } from '../../support/fake-slack-api.js';
import type { TestServer } from '../../support/server-harness.js';
import { SlackDriver, fixture, freshTs, type Json } from './slack-driver.js';
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
const blockText = (call: SlackCall) => JSON.stringify(call.params.blocks ?? []);
const triagePosts = (reference: string) => fake.ok('chat.postMessage', (p) => p.channel === 'C0TRIAGE' && !p.thread_ts && String(p.text).startsWith(reference));

interface Submission {
  user: string;
  channel?: string;
  threadTs?: string;
  summary?: string;
  orgName?: string;
  category?: string | null;
  consent?: boolean;
  deadline?: string | null;
}

function submission(s: Submission): Json {
  const p = fixture('view_submission_escalation');
  p.user = { id: s.user, username: s.user.toLowerCase(), name: s.user.toLowerCase(), team_id: 'T0TEAM' };
  p.view.private_metadata = JSON.stringify({ ch: s.channel, th: s.threadTs });
  const v = p.view.state.values;
  if (s.summary !== undefined) v.summary.value.value = s.summary;
  if (s.orgName !== undefined) v.org_name.value.value = s.orgName;
  if (s.category === null) v.category.value.selected_option = null;
  else if (s.category) v.category.value.selected_option = { text: { type: 'plain_text', text: s.category }, value: s.category };
  if (s.consent === false) v.consent.value.selected_options = [];
  if (s.deadline !== undefined) v.deadline.value.selected_date = s.deadline;
  return p;
}

function triageAction(action: Json, user = 'U0SUPPORT'): Json {
  const p = fixture('block_actions_triage');
  p.user = { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T0TEAM' };
  p.trigger_id = `${freshTs()}.triage`;
  p.actions = [{ action_ts: '1767226250.654321', ...action }];
  return p;
}

/** Escalates through the form from a mention thread, delivers the outbox, and returns the ticket and its triage message. */
async function escalate(user: string, summary: string): Promise<{ ticket: Ticket; triageTs: string; threadTs: string }> {
  const threadTs = freshTs();
  const res = await slack.sendInteraction(submission({ user, channel: 'C0GENERAL', threadTs, summary }));
  expect(res.status).toBe(200);
  const reference = String(res.json?.view?.blocks?.[0]?.text?.text).match(/NAV-\d+/)?.[0];
  expect(reference).toBeDefined();
  const ticket = (await server.tickets.getByReference(reference!))!;
  await server.outbox.drain();
  const [post] = await fake.waitForCalls(() => triagePosts(reference!), 'the triage post');
  return { ticket, triageTs: post!.response!.ts as string, threadTs };
}

async function triageRef(ticketId: number): Promise<{ channel: string; ts: string }> {
  const row = await server.database.db.selectFrom('channel_refs').select('ref_json').where('ticket_id', '=', ticketId).where('platform', '=', 'slack').executeTakeFirstOrThrow();
  return JSON.parse(row.ref_json) as { channel: string; ts: string };
}

describe('escalation form', () => {
  it('opens the form from the button, prefilled with the suggested category and the redacted question', async () => {
    const p = fixture('block_actions_request_help');
    p.trigger_id = `${freshTs()}.help`;
    p.actions[0].value = encodeEscalationContext({ channel: 'C0GENERAL', threadTs: '1767225600.000100', category: 'ip', question: 'Can someone review the IP clauses in our agreement?' });
    const res = await slack.sendInteraction(p);
    expect(res.status).toBe(200);
    const [open] = await fake.waitForCalls(() => fake.ok('views.open', (q) => q.trigger_id === p.trigger_id), 'views.open');
    const view = open!.params.view as Json;
    expect(view.callback_id).toBe('escalation_form');
    expect(JSON.parse(view.private_metadata)).toEqual({ ch: 'C0GENERAL', th: '1767225600.000100' });
    const byId = Object.fromEntries((view.blocks as Json[]).filter((b) => b.block_id).map((b) => [b.block_id, b]));
    expect(byId.summary.element.initial_value).toBe('Can someone review the IP clauses in our agreement?');
    expect(byId.category.element.initial_option.value).toBe('ip');
    expect(byId.org_type.element.type).toBe('static_select');
    expect(byId.org_name.element.type).toBe('plain_text_input');
    expect(byId.deadline.element.type).toBe('datepicker');
    expect(byId.urgency.element.initial_option.value).toBe('normal');
    expect(byId.consent.element.options[0].value).toBe('share');
  });

  it('shows validation errors inside the form and stores nothing', async () => {
    const before = await server.tickets.count();
    const res = await slack.sendInteraction(submission({ user: 'U0INVALID', channel: 'C0GENERAL', threadTs: freshTs(), orgName: '   ', category: null, deadline: '2020-01-01' }));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ response_action: 'errors', errors: { org_name: expect.any(String), category: expect.any(String), deadline: expect.stringMatching(/past/) } });
    expect(res.json?.errors.summary).toBeUndefined();
    expect(await server.tickets.count()).toBe(before);
  });

  it('stores a redacted ticket, posts it to triage through the outbox and confirms in the requester’s thread', async () => {
    const user = 'U0REQUESTER';
    const threadTs = freshTs();
    fake.addToThread('C0GENERAL', threadTs, { ts: threadTs, user, text: `<@${FAKE_BOT_USER_ID}> Our patient (NHS number 943 476 5919) data deal needs IP terms` });
    fake.addToThread('C0GENERAL', threadTs, { ts: freshTs(), user: FAKE_BOT_USER_ID, bot_id: 'B0BOT', text: 'This sounds like a request for hands-on help.' });
    const summary = 'Please review the IP and value-share terms; contact me on jo.bloggs@example.org or 07700 900123.';
    const res = await slack.sendInteraction(submission({ user, channel: 'C0GENERAL', threadTs, summary }));

    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ response_action: 'update', view: { type: 'modal' } });
    const reference = String(res.json?.view?.blocks?.[0]?.text?.text).match(/NAV-\d+/)?.[0];
    expect(reference).toMatch(/^NAV-\d{4}$/);

    const ticket = (await server.tickets.getByReference(reference!))!;
    expect(ticket.requester).toMatchObject({ platform: 'slack', userId: user, conversation: { channel: 'C0GENERAL', thread_ts: threadTs } });
    expect(ticket).toMatchObject({ category: 'ip', orgType: 'nhs_trust', priority: 'high', orgName: 'Northshire Hospitals NHS Foundation Trust' });
    expect(ticket.summary).not.toMatch(/jo\.bloggs|07700/);
    expect(ticket.summary).toContain('[email]');
    expect(ticket.conversation.length).toBe(2);
    expect(JSON.stringify(ticket.conversation)).not.toContain('943 476 5919');
    expect(ticket.conversation[0]).toMatchObject({ role: 'user' });
    expect(ticket.conversation[1]).toMatchObject({ role: 'assistant' });

    const [confirmation] = await fake.waitForCalls(() => fake.ok('chat.postMessage', (p) => p.channel === 'C0GENERAL' && p.thread_ts === threadTs), 'the confirmation');
    expect(String(confirmation!.params.text)).toContain(reference);

    await server.outbox.drain();
    const [post] = await fake.waitForCalls(() => triagePosts(reference!), 'the triage post');
    const text = blockText(post!);
    expect(text).toContain(`${reference}: Intellectual property`);
    expect(text).toContain(`<@${user}>`);
    expect(text).toMatch(/<!date\^\d+\^/); // the SLA due time
    for (const action of ['triage_claim', 'triage_assign', 'triage_priority', 'triage_status', 'triage_reply', 'triage_note', 'triage_resolve']) expect(text).toContain(action);
    expect(await triageRef(ticket.id)).toEqual({ channel: 'C0TRIAGE', ts: post!.response!.ts });
  });
});

describe('triage channel', () => {
  it('lets a support member claim: the message is updated in place, a log line is threaded, the audit records it', async () => {
    const { ticket } = await escalate('U0CLAIMREQ', 'We need a contract review of the data access agreement with a pharma company.');
    const ref = await triageRef(ticket.id);
    const res = await slack.sendInteraction(triageAction({ action_id: 'triage_claim', block_id: `ticket_a_${ticket.id}`, type: 'button', value: String(ticket.id) }));
    expect(res.status).toBe(200);

    let fresh = await server.tickets.get(ticket.id);
    for (let i = 0; i < 100 && !fresh?.assignee; i++) {
      await sleep(30);
      fresh = await server.tickets.get(ticket.id);
    }
    expect(fresh).toMatchObject({ status: 'in_progress', assignee: { id: 'U0SUPPORT', via: 'slack' } });
    const audit = await server.tickets.audit(ticket.id);
    expect(audit.map((a) => a.action)).toContain('claimed');
    expect(audit.find((a) => a.action === 'claimed')?.actor).toMatchObject({ id: 'U0SUPPORT', via: 'slack' });

    await server.outbox.drain();
    const [update] = await fake.waitForCalls(() => fake.ok('chat.update', (p) => p.channel === ref.channel && p.ts === ref.ts), 'chat.update');
    expect(blockText(update!)).toContain('<@U0SUPPORT>');
    expect(blockText(update!)).not.toContain('triage_claim');
    await fake.waitForCalls(() => fake.ok('chat.postMessage', (p) => p.channel === 'C0TRIAGE' && p.thread_ts === ref.ts && /Claimed by/.test(p.text)), 'the log line');
    // The requester hears that work has started, in their own thread.
    await fake.waitForCalls(
      () => fake.ok('chat.postMessage', (p) => p.thread_ts === ticket.requester.conversation?.thread_ts && /being worked on/.test(String(p.text))),
      'the status message',
    );
  });

  it('refuses someone outside the support team with an ephemeral message and changes nothing', async () => {
    const { ticket } = await escalate('U0REFUSEREQ', 'Could someone help us value our data for a partnership with a startup?');
    const auditBefore = (await server.tickets.audit(ticket.id)).length;
    const updatesBefore = fake.ok('chat.update').length;
    const res = await slack.sendInteraction(triageAction({ action_id: 'triage_claim', block_id: `ticket_a_${ticket.id}`, type: 'button', value: String(ticket.id) }, 'U0MALLORY'));
    expect(res.status).toBe(200);
    const [refusal] = await fake.waitForCalls(() => fake.ok('chat.postEphemeral', (p) => p.user === 'U0MALLORY'), 'the refusal');
    expect(refusal!.params).toMatchObject({ channel: 'C0TRIAGE', text: expect.stringMatching(/Only members of the support team/) });
    await server.outbox.drain();
    const after = (await server.tickets.get(ticket.id))!;
    expect(after.version).toBe(ticket.version);
    expect(after.assignee).toBeNull();
    expect((await server.tickets.audit(ticket.id)).length).toBe(auditBefore);
    expect(fake.ok('chat.update').length).toBe(updatesBefore);
  });

  it('relays a reply from the reply form to the requester’s thread', async () => {
    const { ticket, threadTs } = await escalate('U0REPLYREQ', 'We need help with IP ownership of a model trained on trust data.');
    const open = triageAction({ action_id: 'triage_reply', block_id: `ticket_b_${ticket.id}`, type: 'button', value: String(ticket.id) });
    await slack.sendInteraction(open);
    const [form] = await fake.waitForCalls(() => fake.ok('views.open', (p) => p.trigger_id === open.trigger_id), 'the reply form');
    expect(form!.params.view).toMatchObject({ callback_id: 'triage_reply_form', private_metadata: String(ticket.id) });

    const submit = fixture('view_submission_triage_reply');
    submit.view.private_metadata = String(ticket.id);
    submit.view.state.values.text.value.value = 'Thanks, we can help. Please send the draft agreement (not patient data like 943 476 5919).';
    const res = await slack.sendInteraction(submit);
    expect(res.status).toBe(200);
    expect(res.text).toBe('');

    await server.outbox.drain();
    const [reply] = await fake.waitForCalls(
      () => fake.ok('chat.postMessage', (p) => p.channel === 'C0GENERAL' && p.thread_ts === threadTs && /replied about/.test(String(p.text))),
      'the relayed reply',
    );
    expect(String(reply!.params.text)).toContain('send the draft agreement');
    expect(String(reply!.params.text)).not.toContain('943 476 5919');
    const comments = await server.tickets.comments(ticket.id);
    expect(comments.some((c) => c.visibility === 'public' && c.text.includes('draft agreement'))).toBe(true);
  });

  it('adds the requester’s reply in their ticket’s thread to the ticket instead of answering it', async () => {
    const user = 'U0THREADREPLY';
    const { ticket, threadTs } = await escalate(user, 'We need a review of the exclusivity clause in a proposed data deal.');
    await server.tickets.changeStatus(ticket.id, 'resolved', { id: 'U0SUPPORT', via: 'slack' });
    const ts = freshTs();
    const reply = fixture('message_channels');
    reply.event_id = `Ev${ts.replace('.', '')}`;
    Object.assign(reply.event, { user, ts, event_ts: ts, thread_ts: threadTs, text: 'Not quite solved: the clause still grants 5 years of exclusivity. My number is 07700 900123.' });
    delete reply.event.blocks;
    expect((await slack.sendEvent(reply)).status).toBe(200);

    const [ack] = await fake.waitForCalls(() => fake.ok('chat.postEphemeral', (p) => p.user === user && p.thread_ts === threadTs), 'the ephemeral acknowledgement');
    expect(String(ack!.params.text)).toContain(ticket.reference);
    const comments = await server.tickets.comments(ticket.id);
    const added = comments.find((c) => c.author.id === user && c.text.includes('exclusivity'));
    expect(added?.text).not.toContain('07700');
    expect((await server.tickets.get(ticket.id))!.status).toBe('in_progress');
    await sleep(500);
    // Relayed, not answered from the knowledge base.
    const answered = fake.ok('chat.postMessage', (p) => p.thread_ts === threadTs && /request_help|feedback_buttons/.test(JSON.stringify(p.blocks ?? [])));
    expect(answered).toHaveLength(0);
  });

  it('retries a triage post that failed with HTTP 500 through the outbox and delivers it once', async () => {
    const threadTs = freshTs();
    fake.failNext('chat.postMessage', { status: 500 }, 1, (p) => p.channel === 'C0TRIAGE' && !p.thread_ts);
    const res = await slack.sendInteraction(submission({ user: 'U0FIVEHUNDRED', channel: 'C0GENERAL', threadTs, summary: 'Help us procure a digital pathology product through a framework.' }));
    const reference = String(res.json?.view?.blocks?.[0]?.text?.text).match(/NAV-\d+/)![0];
    await server.outbox.drain();
    await fake.waitForCalls(() => fake.of('chat.postMessage').filter((c) => c.status === 500 && String(c.params.text).startsWith(reference)), 'the failed attempt');
    expect(triagePosts(reference)).toHaveLength(0);
    // The retry is scheduled with backoff; the server's own worker (or a drain) delivers it.
    const deadline = Date.now() + 15_000;
    while (triagePosts(reference).length === 0 && Date.now() < deadline) {
      await sleep(250);
      await server.outbox.drain();
    }
    await sleep(300);
    await server.outbox.drain();
    expect(triagePosts(reference)).toHaveLength(1);
    expect((await server.outbox.listFailed()).filter((i) => i.platform === 'slack')).toHaveLength(0);
  });

  it('honours Retry-After on HTTP 429 and delivers once', async () => {
    const threadTs = freshTs();
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 2 }, 1, (p) => p.channel === 'C0TRIAGE' && !p.thread_ts);
    const res = await slack.sendInteraction(submission({ user: 'U0RATELIMITED', channel: 'C0GENERAL', threadTs, summary: 'We need support with a DPIA for a shared care record analytics project.' }));
    const reference = String(res.json?.view?.blocks?.[0]?.text?.text).match(/NAV-\d+/)![0];
    await server.outbox.drain();
    const [limited] = await fake.waitForCalls(() => fake.of('chat.postMessage').filter((c) => c.status === 429 && String(c.params.text).startsWith(reference)), 'the rate-limited attempt');
    await server.outbox.drain();
    expect(triagePosts(reference)).toHaveLength(0); // not before Retry-After
    const deadline = Date.now() + 15_000;
    while (triagePosts(reference).length === 0 && Date.now() < deadline) {
      await sleep(200);
      await server.outbox.drain();
    }
    const [delivered] = triagePosts(reference);
    expect(delivered).toBeDefined();
    expect(delivered!.at - limited!.at).toBeGreaterThanOrEqual(1900);
    await sleep(300);
    await server.outbox.drain();
    expect(triagePosts(reference)).toHaveLength(1);
  });
});
