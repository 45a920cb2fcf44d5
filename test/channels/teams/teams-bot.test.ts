// The Teams bot over real HTTP: Bot Framework activities shaped like Teams' own (fixtures in
// test/fixtures/teams) posted to the real server, with the Bot Connector played by a local server
// that records every call. Authentication is off here (no MICROSOFT_APP_ID); teams-auth.test.ts
// covers it on.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelRefs, Settings, type Ticket } from '../../../src/queue/index.js';
import { FakeBotConnector, type ConnectorCall } from '../../support/fake-bot-connector.js';
import { startTestServer, type TestServer } from '../../support/server-harness.js';
import { actionsOf, activityFrom, cardAction, cardElements, cardOf, cardText, fixture, postActivity, type Json } from './teams-driver.js';

const PERSONAL = fixture('message_personal').conversation.id as string;
const REQUESTER_AAD = fixture('message_personal').from.aadObjectId as string;
const TRIAGE = '19:triage5a6b7c8d9e0f1a2b3c4d5e6f7a8b@thread.tacv2';
const SUPPORT_TEAM = '19:supportteam0a1b2c3d4e5f6a7b8c9d0e1f@thread.tacv2';
const DANA = fixture('message_set_triage').from;
const MEMBER_2 = { id: '29:1mEmBeR2xYz', name: 'Sam Member', aadObjectId: 'aad-member-2' };
const OUTSIDER = { id: '29:1oUtSiDeR9', name: 'Olly Outsider', aadObjectId: 'aad-outsider-9' };

let fake: FakeBotConnector;
let server: TestServer;

beforeAll(async () => {
  fake = await new FakeBotConnector().start();
  // One member a page, so the support-team check has to follow continuation tokens.
  fake.maxPageSize = 1;
  fake.setMembers(SUPPORT_TEAM, [
    { id: DANA.id, name: DANA.name, aadObjectId: DANA.aadObjectId },
    MEMBER_2,
  ]);
  server = await startTestServer({ TEAMS_SUPPORT_USERS: 'aad-support-1' });
});

afterAll(async () => {
  await server?.shutdown();
  await fake?.stop();
});

const post = (body: Json | string, headers?: Record<string, string>) => postActivity(server.url, body, headers);
const repliesTo = (activityId: string) => (calls: ConnectorCall[]) => calls.filter((c) => c.kind === 'reply' && c.activityId === activityId && c.status < 300);
const messageReplyTo = (activityId: string) => (calls: ConnectorCall[]) => repliesTo(activityId)(calls).find((c) => c.body?.type === 'message');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Posts a question and waits for the answer message that replies to it. */
async function askAndWait(name: string, changes?: (a: Json) => void): Promise<{ activity: Json; answer: ConnectorCall }> {
  const activity = activityFrom(name, fake, changes);
  const res = await post(activity);
  expect(res.status).toBe(200);
  const answer = await fake.waitFor(messageReplyTo(activity.id));
  return { activity, answer };
}

function requestHelpData(answer: ConnectorCall): Json {
  const action = actionsOf(cardOf(answer.body)).find((a) => a.verb === 'requestHelp');
  expect(action, 'the answer card has a Request hands-on help action').toBeTruthy();
  return action.data;
}

function formInputs(card: Json): Record<string, Json> {
  return Object.fromEntries(cardElements(card).filter((e) => String(e.type).startsWith('Input.')).map((e) => [e.id, e]));
}

async function setTriageChannel(): Promise<void> {
  const activity = activityFrom('message_set_triage', fake);
  expect((await post(activity)).status).toBe(200);
  await fake.waitFor(messageReplyTo(activity.id));
}

/** The full requester journey: ask, open the form, submit it. Returns the ticket and the form's message id. */
async function escalate(details = 'We have a draft contract from a start-up; call me on 07700 900123.'): Promise<{ ticket: Ticket; formId: string; response: Json }> {
  const { answer } = await askAndWait('message_personal', (a) => (a.text = 'Who owns the IP when an NHS trust shares data with a company?'));
  const help = cardAction(fake, 'requestHelp', requestHelpData(answer), (a) => (a.replyToId = answer.resultId));
  const opened = await post(help);
  expect(opened.json).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
  const formCall = await fake.waitFor((calls) => calls.find((c) => c.kind === 'reply' && c.activityId === answer.resultId && formInputs(cardOf(c.body)).summary));
  const form = cardOf(formCall.body);
  const submitAction = actionsOf(form).find((a) => a.verb === 'submitEscalation');
  const inputs = formInputs(form);
  const submit = cardAction(
    fake,
    'submitEscalation',
    {
      ...submitAction.data,
      summary: inputs.summary.value,
      category: inputs.category.value || 'ip',
      orgType: 'nhs_trust',
      orgName: 'Northshire Hospitals NHS Foundation Trust',
      priority: 'high',
      deadline: '',
      details,
      consent: 'true',
    },
    (a) => (a.replyToId = formCall.resultId),
  );
  const response = await post(submit);
  expect(response.status).toBe(200);
  expect(response.json.type).toBe('application/vnd.microsoft.card.adaptive');
  const reference = /NAV-\d{4,}/.exec(cardText(response.json.value))?.[0];
  expect(reference, cardText(response.json.value)).toBeTruthy();
  const ticket = (await server.tickets.getByReference(reference!))!;
  return { ticket, formId: formCall.resultId!, response: response.json };
}

describe('answering', () => {
  it('warns at start that Bot Framework authentication is off without MICROSOFT_APP_ID', () => {
    expect(server.logLines.some((l) => l.includes('"level":"warn"') && l.includes('authentication is OFF'))).toBe(true);
  });

  it('answers a personal message once, in that conversation, with citations, the AI label, feedback and the hands-on action', async () => {
    const activity = activityFrom('message_personal', fake);
    const res = await post(activity);
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1500);

    const answer = await fake.waitFor(messageReplyTo(activity.id));
    expect(answer.conversationId).toBe(PERSONAL);
    expect(answer.path).toContain(`/v3/conversations/${encodeURIComponent(PERSONAL)}/activities/${activity.id}`);
    const typing = repliesTo(activity.id)(fake.calls).filter((c) => c.body.type === 'typing');
    expect(typing.length).toBeGreaterThanOrEqual(1);

    const body = answer.body;
    expect(body.text).toMatch(/principles/i);
    expect(body.text).toMatch(/\[1\]/);
    expect(body.text).toContain('not legal advice');
    expect(body.channelData).toMatchObject({ feedbackLoopEnabled: true });
    const entity = body.entities.find((e: Json) => e.type === 'https://schema.org/Message');
    expect(entity).toMatchObject({ '@type': 'Message', '@context': 'https://schema.org', additionalType: ['AIGeneratedContent'] });
    expect(entity.citation[0]).toMatchObject({ '@type': 'Claim', position: 1, appearance: { '@type': 'DigitalDocument' } });
    expect(entity.citation[0].appearance.url).toMatch(/^https:\/\//);
    expect(entity.citation[0].appearance.name.length).toBeGreaterThan(5);
    expect(entity.citation[0].appearance.abstract).toMatch(/Department of Health and Social Care|NHS England/);
    expect(entity.citation[0].appearance.abstract.length).toBeLessThanOrEqual(160);
    const help = actionsOf(cardOf(body)).find((a) => a.verb === 'requestHelp');
    expect(help).toMatchObject({ type: 'Action.Execute', title: 'Request hands-on help' });

    await sleep(300);
    expect(fake.calls.filter((c) => c.body?.type === 'message' && c.activityId === activity.id)).toHaveLength(1);
  });

  it('answers a redelivered activity only once', async () => {
    const activity = activityFrom('message_personal', fake, (a) => (a.text = 'What is the national data opt-out?'));
    const [first, again] = [await post(activity), await post(activity)];
    expect([first.status, again.status]).toEqual([200, 200]);
    await fake.waitFor(messageReplyTo(activity.id));
    await sleep(500);
    expect(fake.calls.filter((c) => c.body?.type === 'message' && c.activityId === activity.id)).toHaveLength(1);
  });

  it('answers a channel @mention in its thread, with the mention stripped from the question', async () => {
    const { activity, answer } = await askAndWait('message_channel_mention');
    expect(answer.conversationId).toBe(activity.conversation.id);
    expect(answer.conversationId).toMatch(/;messageid=/);
    expect(answer.body.replyToId).toBe(activity.id);
    expect(answer.body.text).toMatch(/DPIA|impact assessment/i);
    // The question the core saw (and that would prefill an escalation) has no trace of the mention.
    expect(requestHelpData(answer).q).toBe('do we need a DPIA before sharing patient data with a company?');
  });

  it('answers an @mention in a group chat', async () => {
    const { activity, answer } = await askAndWait('message_groupchat_mention');
    expect(answer.conversationId).toBe(activity.conversation.id);
    expect(answer.body.text).toMatch(/DTAC|Digital Technology Assessment/i);
    expect(requestHelpData(answer).q).toBe('what is DTAC?');
  });

  it('sends the welcome card, with what it can do and questions to try, when installed', async () => {
    const activity = activityFrom('conversation_update_installed', fake);
    expect((await post(activity)).status).toBe(200);
    const welcome = await fake.waitFor((calls) => calls.find((c) => c.kind === 'reply' && c.activityId === activity.id && cardOf(c.body)));
    const card = cardOf(welcome.body);
    expect(card.version).toBe('1.5');
    const text = cardText(card);
    expect(text).toContain('Partnership Navigator');
    for (const command of ['Ask', 'Request help', 'My requests', 'Help']) expect(text).toContain(`**${command}**`);
    const asks = actionsOf(card).filter((a) => a.verb === 'ask');
    expect(asks.length).toBeGreaterThanOrEqual(3);
    expect(asks[0]).toMatchObject({ type: 'Action.Execute', data: { question: expect.any(String) } });
  });

  it('does not greet other people joining the conversation', async () => {
    const activity = activityFrom('conversation_update_installed', fake, (a) => (a.membersAdded = [{ id: '29:1someoneElse' }]));
    expect((await post(activity)).status).toBe(200);
    await sleep(400);
    expect(fake.calls.filter((c) => c.activityId === activity.id)).toHaveLength(0);
  });

  it('answers a suggested question pressed on the welcome card, in the background', async () => {
    const press = cardAction(fake, 'ask', { question: 'What is DTAC and who has to meet it?' }, (a) => (a.replyToId = 'welcome-card-1'));
    const res = await post(press);
    expect(res.json).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    const answer = await fake.waitFor((calls) => calls.find((c) => c.body?.type === 'message' && c.conversationId === PERSONAL && c.activityId === 'welcome-card-1'));
    expect(answer.body.text).toMatch(/DTAC|Digital Technology Assessment/i);
  });

  it('shows the help card for "help" and lists the requester’s requests for "my requests"', async () => {
    const help = activityFrom('message_personal', fake, (a) => (a.text = 'help'));
    await post(help);
    const helpReply = await fake.waitFor((calls) => calls.find((c) => c.activityId === help.id && cardOf(c.body)));
    expect(cardText(cardOf(helpReply.body))).toContain('Partnership Navigator');

    const mine = activityFrom('message_personal', fake, (a) => (a.text = 'my requests'));
    await post(mine);
    const mineReply = await fake.waitFor((calls) => calls.find((c) => c.activityId === mine.id && cardOf(c.body)));
    expect(cardText(cardOf(mineReply.body))).toContain('Your requests');

    // In a channel the list would be public: the bot says where to ask instead.
    const inChannel = activityFrom('message_channel_mention', fake, (a) => (a.text = '<at>Partnership Navigator</at> my requests'));
    await post(inChannel);
    const channelReply = await fake.waitFor(messageReplyTo(inChannel.id));
    expect(channelReply.body.text).toMatch(/one-to-one chat/);
    expect(cardOf(channelReply.body)).toBeUndefined();
  });
});

describe('feedback', () => {
  it('stores the native feedback loop (message/submitAction) with a redacted comment, and answers 200', async () => {
    const { answer } = await askAndWait('message_personal', (a) => (a.text = 'What does DCB0129 require?'));
    const invoke = activityFrom('invoke_feedback_submit_action', fake, (a) => (a.replyToId = answer.resultId));
    const res = await post(invoke);
    expect(res.status).toBe(200);
    const rows = await server.database.db.selectFrom('feedback').selectAll().where('answer_id', '=', answer.resultId!).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ platform: 'teams', user_id: REQUESTER_AAD, rating: 'not_helpful', route: 'answer' });
    expect(rows[0]!.reason).toContain('missed the opt-out');
    expect(rows[0]!.reason).not.toContain('07700');
  });

  it('stores feedback from a card button (adaptiveCard/action) and answers with a message', async () => {
    const invoke = activityFrom('invoke_adaptive_card_action', fake, (a) => (a.replyToId = 'answer-card-77'));
    const res = await post(invoke);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Thanks for the feedback.' });
    const rows = await server.database.db.selectFrom('feedback').selectAll().where('answer_id', '=', 'answer-card-77').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ platform: 'teams', rating: 'helpful', route: 'answer' });
  });
});

describe('before a triage channel is chosen', () => {
  it('treats new tickets as delivered for Teams and says triage is not configured', async () => {
    const { ticket } = await server.tickets
      .create(
        {
          requester: { platform: 'web', userId: 'web-session-1' },
          orgType: 'startup_sme',
          orgName: 'Acme Health',
          category: 'commercial',
          priority: 'normal',
          summary: 'Help pricing a data licence',
          conversation: [],
          citations: [],
          consentToShare: false,
        },
        { id: 'web-session-1', via: 'web' },
      )
      .then((r) => r);
    await server.outbox.drain();
    const item = await server.database.db.selectFrom('outbox').selectAll().where('ticket_id', '=', ticket.id).where('platform', '=', 'teams').executeTakeFirstOrThrow();
    expect(item.status).toBe('delivered');
    expect(server.logLines.some((l) => l.includes('Teams triage is not configured'))).toBe(true);
    expect(fake.calls.filter((c) => c.conversationId === TRIAGE)).toHaveLength(0);
  });

  it('refuses "use this channel for triage" from someone not on the support team', async () => {
    const activity = activityFrom('message_set_triage', fake, (a) => (a.from = OUTSIDER));
    await post(activity);
    const reply = await fake.waitFor(messageReplyTo(activity.id));
    expect(reply.body.text).toMatch(/Only the support team/);
    expect(await new Settings(server.database.db).get('teams:triage')).toBeNull();
  });
});

describe('escalation', () => {
  beforeAll(setTriageChannel);

  it('opens the form from the answer’s action, prefilled from the conversation', async () => {
    const { answer } = await askAndWait('message_personal', (a) => (a.text = 'Can someone review our data sharing agreement with a pharma company?'));
    const res = await post(cardAction(fake, 'requestHelp', requestHelpData(answer), (a) => (a.replyToId = answer.resultId)));
    expect(res.json).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    const formCall = await fake.waitFor((calls) => calls.find((c) => c.activityId === answer.resultId && formInputs(cardOf(c.body)).summary));
    const inputs = formInputs(cardOf(formCall.body));
    expect(inputs.summary.value).toBe('Can someone review our data sharing agreement with a pharma company?');
    expect(Object.keys(inputs).sort()).toEqual(['category', 'consent', 'deadline', 'details', 'orgName', 'orgType', 'priority', 'summary']);
    expect(inputs.category.choices.length).toBe(9);
    expect(inputs.consent).toMatchObject({ type: 'Input.Toggle', value: 'false' });
    expect(actionsOf(cardOf(formCall.body)).find((a) => a.verb === 'submitEscalation')).toMatchObject({ type: 'Action.Execute' });
  });

  it('sends the form back with a message when a required field is missing, and creates nothing', async () => {
    const before = await server.tickets.count();
    const submit = cardAction(
      fake,
      'submitEscalation',
      { q: 'Who owns the IP?', summary: 'We need help agreeing IP ownership terms with a start-up.', category: 'ip', orgType: 'nhs_trust', orgName: '', priority: 'normal', consent: 'false' },
      (a) => (a.replyToId = 'form-message-1'),
    );
    const res = await post(submit);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const text = cardText(res.json.value);
    expect(text).toContain('Tell us the name of your organisation.');
    expect(formInputs(res.json.value).summary.value).toBe('We need help agreeing IP ownership terms with a start-up.');
    expect(await server.tickets.count()).toBe(before);
    expect(fake.updates().filter((c) => c.activityId === 'form-message-1')).toHaveLength(0);
  });

  it('creates the ticket, replaces the form with a confirmation in place, and posts it to the triage channel', async () => {
    const { ticket, formId, response } = await escalate();
    expect(ticket.requester).toMatchObject({ platform: 'teams', userId: REQUESTER_AAD, displayName: 'Priya Shah' });
    expect(ticket.requester.conversation).toMatchObject({ serviceUrl: fake.url, conversation: { id: PERSONAL } });
    expect(ticket).toMatchObject({ orgType: 'nhs_trust', orgName: 'Northshire Hospitals NHS Foundation Trust', priority: 'high', status: 'new' });
    expect(ticket.details).toContain('[phone number]');
    expect(ticket.details).not.toContain('07700');
    expect(ticket.conversation.map((t) => t.role)).toEqual(['user', 'assistant']);
    expect(cardText(response.value)).toContain(ticket.reference);

    const put = await fake.waitFor((calls) => calls.find((c) => c.kind === 'update' && c.activityId === formId));
    expect(put.conversationId).toBe(PERSONAL);
    expect(cardText(cardOf(put.body))).toContain(ticket.reference);

    await server.outbox.drain();
    const posted = await fake.waitFor((calls) => calls.find((c) => c.kind === 'send' && c.conversationId === TRIAGE && c.status === 201 && cardText(cardOf(c.body)).includes(ticket.reference)));
    const card = cardOf(posted.body);
    const verbs = actionsOf(card).map((a) => a.verb).filter(Boolean);
    for (const verb of ['ticket.claim', 'ticket.assign', 'ticket.priority', 'ticket.status', 'ticket.reply', 'ticket.note', 'ticket.resolve']) expect(verbs).toContain(verb);
    expect(await new ChannelRefs(server.database.db).get(ticket.id, 'teams')).toMatchObject({ conversationId: TRIAGE, activityId: posted.resultId, serviceUrl: fake.url });
  });

  it('says honestly that a request could not be saved when the store fails, and confirms nothing', async () => {
    const db = server.database.db;
    await sql`CREATE TRIGGER teams_test_fail BEFORE INSERT ON tickets BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`.execute(db);
    try {
      const before = await server.tickets.count();
      const submit = cardAction(
        fake,
        'submitEscalation',
        { summary: 'Please review the IP clauses in our draft agreement.', category: 'ip', orgType: 'academia', orgName: 'Northshire University', priority: 'normal', consent: 'false' },
        (a) => (a.replyToId = 'form-message-2'),
      );
      const res = await post(submit);
      expect(res.json.type).toBe('application/vnd.microsoft.card.adaptive');
      const text = cardText(res.json.value);
      expect(text).toMatch(/could not be saved/);
      expect(text).not.toMatch(/NAV-\d/);
      expect(await server.tickets.count()).toBe(before);
      expect(fake.updates().filter((c) => c.activityId === 'form-message-2')).toHaveLength(0);
    } finally {
      await sql`DROP TRIGGER teams_test_fail`.execute(db);
    }
  });
});

describe('triage in Teams', () => {
  let ticket: Ticket;
  let cardId: string;

  beforeAll(async () => {
    if (!(await new Settings(server.database.db).get('teams:triage'))) await setTriageChannel();
    ({ ticket } = await escalate('Two trusts want to pool data; who should hold the IP?'));
    await server.outbox.drain();
    const posted = await fake.waitFor((calls) => calls.find((c) => c.kind === 'send' && c.conversationId === TRIAGE && c.status === 201 && cardText(cardOf(c.body)).includes(ticket.reference)));
    cardId = posted.resultId!;
  });

  const triageInvoke = (verb: string, user: Json, extra: Json = {}) =>
    cardAction(fake, verb, { ticketId: ticket.id, v: 1, surface: 'triage', ...extra }, (a) => {
      a.from = user;
      a.conversation = { isGroup: true, conversationType: 'channel', tenantId: a.conversation.tenantId, id: `${TRIAGE};messageid=${cardId}` };
      a.channelData = { ...fixture('message_set_triage').channelData };
      a.replyToId = cardId;
    });

  it('refuses a claim by someone outside the support team, and changes nothing', async () => {
    const auditBefore = (await server.tickets.audit(ticket.id)).length;
    const res = await post(triageInvoke('ticket.claim', OUTSIDER));
    expect(res.json).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    expect(res.json.value).toMatch(/Only the support team/);
    const after = (await server.tickets.get(ticket.id))!;
    expect(after.assignee).toBeNull();
    expect(after.version).toBe(ticket.version);
    expect((await server.tickets.audit(ticket.id)).length).toBe(auditBefore);
  });

  it('lets a support-team member claim: the card comes back updated, is updated in place in the channel, and the claim is audited', async () => {
    const res = await post(triageInvoke('ticket.claim', DANA));
    expect(res.json.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(res.json.value)).toContain('Claimed by Dana Support');
    expect(cardText(res.json.value)).toContain('Assignee: Dana Support');

    const audit = await server.tickets.audit(ticket.id);
    expect(audit.at(-1)).toMatchObject({ action: 'claimed', actor: { id: 'aad-support-1', via: 'teams' } });
    expect((await server.tickets.get(ticket.id))!.status).toBe('in_progress');

    await server.outbox.drain();
    const put = await fake.waitFor((calls) => calls.find((c) => c.kind === 'update' && c.conversationId === TRIAGE && c.activityId === cardId && cardText(cardOf(c.body)).includes('Assignee: Dana Support')));
    expect(put.method).toBe('PUT');
    // The claim moved it to in progress, which the requester hears about in their own chat.
    const notice = await fake.waitFor((calls) => calls.find((c) => c.kind === 'send' && c.conversationId === PERSONAL && String(c.body?.text).includes(`${ticket.reference} is now being worked on`)));
    expect(notice.body.replyToId).toBeUndefined();
  });

  it('lets a member of the triage channel’s team act even when not listed in TEAMS_SUPPORT_USERS', async () => {
    const res = await post(triageInvoke('ticket.note', MEMBER_2, { text: 'Checked the contract template; NHS number 943 476 5919 was in the attachment.' }));
    expect(res.json.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(res.json.value)).toContain('Internal note added.');
    const notes = await server.tickets.comments(ticket.id, { includeInternal: true });
    const note = notes.find((c) => c.visibility === 'internal');
    expect(note?.author).toMatchObject({ id: 'aad-member-2', via: 'teams' });
    expect(note?.text).not.toContain('943 476 5919');
  });

  it('relays a public reply to the requester’s chat, and their answer back to the ticket', async () => {
    const res = await post(triageInvoke('ticket.reply', DANA, { text: 'Thanks, we will call you on Thursday to go through the IP clauses.' }));
    expect(cardText(res.json.value)).toContain('Reply sent to the requester.');
    await server.outbox.drain();
    const reply = await fake.waitFor((calls) => calls.find((c) => c.kind === 'send' && c.conversationId === PERSONAL && cardText(cardOf(c.body)).includes('we will call you on Thursday')));
    const replyCard = cardOf(reply.body);
    expect(cardText(replyCard)).toContain(ticket.reference);
    const answerBack = actionsOf(replyCard).find((a) => a.verb === 'requester.reply');
    expect(answerBack).toBeTruthy();

    const requesterReply = cardAction(fake, 'requester.reply', { ...answerBack.data, text: 'Thursday works, thank you.' });
    const back = await post(requesterReply);
    expect(back.json.value).toContain('Sent to the support team');
    const comments = await server.tickets.comments(ticket.id);
    expect(comments.at(-1)).toMatchObject({ visibility: 'public', text: 'Thursday works, thank you.' });
  });

  it('refreshes a stale card with the ticket as it is now instead of failing', async () => {
    const res = await post(triageInvoke('ticket.legacyEscalate', DANA));
    expect(res.json.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(res.json.value)).toContain('out of date');
    expect(cardText(res.json.value)).toContain(ticket.reference);

    const unknown = await post(cardAction(fake, 'oldVerbFromV0', { whatever: true }));
    expect(unknown.json.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(unknown.json.value)).toContain('Partnership Navigator');
  });

  it('warns in the ticket’s thread when the first response is overdue', async () => {
    const fresh = await escalate('Need help valuing a data set for a licence negotiation.');
    await server.outbox.drain();
    const posted = await fake.waitFor((calls) => calls.find((c) => c.kind === 'send' && c.conversationId === TRIAGE && c.status === 201 && cardText(cardOf(c.body)).includes(fresh.ticket.reference)));
    await server.tickets.checkSla(new Date(Date.now() + 30 * 24 * 60 * 60_000));
    // checkSla stamps its items with the (future) time it was given; make them due now.
    await server.database.db.updateTable('outbox').set({ next_attempt_at: new Date().toISOString() }).where('kind', '=', 'sla_warning').execute();
    await server.outbox.drain();
    const warning = await fake.waitFor((calls) =>
      calls.find((c) => c.kind === 'send' && c.conversationId === `${TRIAGE};messageid=${posted.resultId}` && String(c.body?.text).includes(fresh.ticket.reference)),
    );
    expect(warning.body.text).toMatch(/no first response/);
  });

  it('retries a triage post through the outbox when the connector fails with 500, and posts it once', async () => {
    fake.failNext({ kind: 'send', conversationId: TRIAGE }, { status: 500, headers: { 'retry-after': '0' } });
    const { ticket: failing } = await escalate('Urgent: the trust board meets on Friday about this partnership.');
    await server.outbox.drain();
    const delivered = await fake.waitFor((calls) => calls.find((c) => c.kind === 'send' && c.conversationId === TRIAGE && c.status === 201 && cardText(cardOf(c.body)).includes(failing.reference)));
    await server.outbox.drain();
    await sleep(300);
    const attempts = fake.calls.filter((c) => c.kind === 'send' && c.conversationId === TRIAGE && cardText(cardOf(c.body)).includes(failing.reference));
    expect(attempts.map((c) => c.status)).toEqual([500, 201]);
    const item = await server.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('ticket_id', '=', failing.id)
      .where('platform', '=', 'teams')
      .where('kind', '=', 'ticket_created')
      .executeTakeFirstOrThrow();
    expect(item).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(server.logLines.some((l) => l.includes('outbox item will be retried') && l.includes('HTTP 500'))).toBe(true);
    expect(await new ChannelRefs(server.database.db).get(failing.id, 'teams')).toMatchObject({ activityId: delivered.resultId });
  });
});

describe('malformed requests', () => {
  it('answers 400 for malformed JSON and for JSON that is not an activity, and keeps serving', async () => {
    const broken = await post('{"type": "message", "text": "hi"');
    expect(broken.status).toBe(400);
    expect(broken.json.error).toMatch(/not valid JSON/);

    const notActivity = await post({ type: 'message', text: 'hello' });
    expect(notActivity.status).toBe(400);
    expect(notActivity.json.error).toMatch(/serviceUrl|conversation|from/);

    const badUrl = await post(activityFrom('message_personal', fake, (a) => (a.serviceUrl = 'javascript:alert(1)')));
    expect(badUrl.status).toBe(400);
    expect(badUrl.json.error).toMatch(/serviceUrl/);

    const array = await post('[1,2,3]');
    expect(array.status).toBe(400);

    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    // And real activities are still answered.
    await askAndWait('message_personal', (a) => (a.text = 'What is the DSPT?'));
  });

  it('refuses bodies over the size limit (413) and anything but POST (405)', async () => {
    const big = activityFrom('message_personal', fake, (a) => (a.text = 'x'.repeat(300 * 1024)));
    expect((await post(big)).status).toBe(413);
    const get = await fetch(`${server.url}/api/messages`);
    expect(get.status).toBe(405);
  });
});
