// POST/GET /api/escalations and the prefill, against the real server and store.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestServer } from '../support/server-harness.js';
import { newSession, startWebOnlyServer } from './fixtures.js';

const valid = {
  orgType: 'nhs_trust',
  orgName: 'Leeds Teaching Hospitals',
  category: 'legal',
  priority: 'high',
  summary: 'Review our data sharing agreement with a startup',
  consent: false,
};

function post(server: TestServer, path: string, body: unknown, session?: string) {
  return fetch(`${server.url}/api${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(session ? { 'x-navigator-session': session } : {}) },
    body: JSON.stringify(body),
  });
}
const list = (server: TestServer, session: string) => fetch(`${server.url}/api/escalations`, { headers: { 'x-navigator-session': session } });

describe('web escalation API', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startWebOnlyServer();
  });
  afterAll(async () => server?.shutdown());

  test('prefill suggests a category and a short redacted summary', async () => {
    const res = await post(server, '/escalations/prefill', {
      question: 'Can someone review the contract clauses? Patient NHS number 943 476 5919',
      history: [{ role: 'user', text: 'We are a trust working with a startup' }, { role: 'assistant', text: 'Here is some guidance.' }],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { category: string; summary: string };
    expect(body.category).toBe('legal');
    expect(body.summary).toContain('We are a trust working with a startup');
    expect(body.summary).toContain('review the contract clauses');
    expect(body.summary).toContain('[NHS number]');
    expect(body.summary).not.toContain('943 476 5919');
  });

  test('400 with a message per field', async () => {
    const session = newSession();
    const res = await post(server, '/escalations', { orgType: 'hospital', orgName: ' ', category: 'legal', priority: 'asap', summary: '', deadline: '31/12/2026' }, session);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; fields: Record<string, string> };
    expect(body.error).toBe('Please correct the highlighted fields.');
    expect(body.fields).toMatchObject({
      orgType: 'Choose your type of organisation.',
      orgName: 'Give the name of your organisation.',
      priority: 'Choose how urgent this is.',
      summary: 'Give a short summary of what you need.',
      deadline: 'Give the deadline as a date, e.g. 2026-12-31.',
      consent: 'Say whether the conversation may be shared.',
    });
    expect(body.fields.category).toBeUndefined();

    const badLink = await post(server, '/escalations', { ...valid, citations: [{ title: 'x', url: 'javascript:alert(1)', publisher: '', published: '', snippet: '' }] }, session);
    expect(badLink.status).toBe(400);
    expect(((await badLink.json()) as { fields: Record<string, string> }).fields['citations.0.url']).toBe('citation links must be http(s) URLs');

    const noSession = await post(server, '/escalations', valid);
    expect(noSession.status).toBe(400);
    expect(((await noSession.json()) as { error: string }).error).toMatch(/x-navigator-session/);
    expect(await server.tickets.count()).toBe(0);
  });

  test('201: every free-text field is redacted; the conversation is kept only with consent', async () => {
    const session = newSession();
    const conversation = [
      { role: 'user', text: 'My patient, DOB 14/03/1962, email jo.bloggs@example.com, needs this' },
      { role: 'assistant', text: 'I cannot help with patient records.' },
    ];
    const citations = [{ title: 'Data Protection Impact Assessments', url: 'https://ico.org.uk/dpia', publisher: 'ICO', published: '2023-01-01', snippet: 'A DPIA is…' }];
    const withConsent = await post(server, '/escalations', {
      ...valid,
      summary: 'Summary mentioning 943 476 5919',
      details: 'Call me on 07700 900123',
      orgName: 'Trust, contact jo.bloggs@example.com',
      consent: true,
      deadline: '2026-12-31',
      conversation,
      citations,
    }, session);
    expect(withConsent.status).toBe(201);
    const created = (await withConsent.json()) as { reference: string; status: string; linked: boolean };
    expect(created).toMatchObject({ reference: expect.stringMatching(/^NAV-\d{4}$/), status: 'new', linked: false });
    const t = (await server.tickets.getByReference(created.reference))!;
    const stored = JSON.stringify(t);
    for (const pii of ['943 476 5919', '07700 900123', 'jo.bloggs@example.com', '14/03/1962']) expect(stored).not.toContain(pii);
    expect(t.summary).toContain('[NHS number]');
    expect(t.conversation).toHaveLength(2);
    expect(t.citations[0]!.url).toBe('https://ico.org.uk/dpia');
    expect(t.deadline).toBe('2026-12-31');
    expect(t.requester).toEqual({ platform: 'web', userId: session, conversation: { sessionId: session } });

    const other = newSession();
    const without = await post(server, '/escalations', { ...valid, summary: 'Valuing our imaging data for a licence', category: 'commercial', consent: false, conversation }, other);
    expect(without.status).toBe(201);
    const t2 = (await server.tickets.getByReference(((await without.json()) as { reference: string }).reference))!;
    expect(t2.conversation).toEqual([]);

    const again = await post(server, '/escalations', { ...valid, summary: 'Valuing our imaging data for a licence', category: 'commercial' }, other);
    expect(again.status).toBe(201);
    expect(await again.json()).toMatchObject({ reference: t2.reference, linked: true });
  });

  test('GET lists only this session’s tickets, with public replies and never internal notes', async () => {
    const session = newSession();
    const res = await post(server, '/escalations', { ...valid, summary: 'IP ownership of a jointly developed model', category: 'ip' }, session);
    const { reference } = (await res.json()) as { reference: string };
    const t = (await server.tickets.getByReference(reference))!;
    const staff = { id: 'web:Alice', name: 'Alice', via: 'triage' };
    await server.tickets.addNote(t.id, 'INTERNAL: requester seems to be a competitor', staff);
    await server.tickets.reply(t.id, 'Happy to help: can you share the collaboration agreement?', staff);
    await server.tickets.addRequesterMessage(t.id, 'Sure, attaching it', { id: session, via: 'web' });
    expect((await server.tickets.claim(t.id, staff)).ok).toBe(true);
    expect((await server.tickets.changeStatus(t.id, 'waiting_on_requester', staff)).ok).toBe(true);

    const mine = (await (await list(server, session)).json()) as Array<{ reference: string; status: string; summary: string; replies: Array<{ text: string; at: string }> }>;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ reference, status: 'waiting_on_requester', summary: 'IP ownership of a jointly developed model' });
    expect(mine[0]!.replies.map((r) => r.text)).toEqual(['Happy to help: can you share the collaboration agreement?']);
    expect(JSON.stringify(mine)).not.toContain('INTERNAL');
    expect(JSON.stringify(mine)).not.toContain('competitor');

    expect(await (await list(server, newSession())).json()).toEqual([]);

    // The web channel acknowledges its notifications: the chat reads them from the store.
    await server.outbox.drain();
    expect((await server.outbox.stats()).pendingByPlatform.web).toBeUndefined();
    expect((await server.outbox.listFailed()).filter((i) => i.platform === 'web')).toEqual([]);
    expect((await fetch(`${server.url}/api/escalations`)).status).toBe(400);
  });
});

describe('web escalation when the store is down', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startWebOnlyServer();
  });
  afterAll(async () => server?.shutdown().catch(() => undefined));

  test('503 with a plain message and never a success', async () => {
    await server.outbox.stop();
    await server.database.close();
    const res = await post(server, '/escalations', valid, newSession());
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: 'Your request could not be saved. Please try again.' });
    expect((await list(server, newSession())).status).toBe(503);
  });
});
