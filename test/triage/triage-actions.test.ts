// The dashboard's queue, filters, CSV export, ticket actions and figures, through real HTTP forms.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Feedback } from '../../src/queue/index.js';
import type { TestServer } from '../support/server-harness.js';
import { requester, startWebOnlyServer, ticketInput } from './fixtures.js';
import { TriageClient } from './triage-client.js';

describe('triage queue and ticket actions', () => {
  let server: TestServer;
  let alice: TriageClient;
  let bob: TriageClient;
  const refs = { legal: '', ip: '', ig: '' };

  beforeAll(async () => {
    server = await startWebOnlyServer();
    const make = async (key: keyof typeof refs, over: Parameters<typeof ticketInput>[0]) => {
      const input = ticketInput(over);
      refs[key] = (await server.tickets.create(input, requester(input))).ticket.reference;
    };
    await make('legal', { category: 'legal', summary: 'Contract review, "urgent", for the trust\nsecond line' });
    await make('ip', { category: 'ip', priority: 'high', orgType: 'startup_sme', orgName: 'Acme AI Ltd', summary: '=HYPERLINK("http://evil.example") who owns the model' });
    await make('ig', { category: 'ig_dpia', priority: 'urgent', summary: 'DPIA for a federated analytics pilot' });
    alice = new TriageClient(server.url);
    await alice.signIn('Alice Jones');
    bob = new TriageClient(server.url);
    await bob.signIn('Bob Smith');
  });
  afterAll(async () => server?.shutdown());

  const page = async (c: TriageClient, path: string) => {
    const res = await c.get(path);
    expect(res.status, path).toBe(200);
    return res.text();
  };
  const flashOf = (html: string) => /<div class="flash (ok|error)"[^>]*>([^<]*)<\/div>/.exec(html)?.slice(1, 3);

  test('filters narrow the table; search matches summaries and organisations', async () => {
    const all = await page(alice, '/triage');
    for (const ref of Object.values(refs)) expect(all).toContain(`data-reference="${ref}"`);
    const ip = await page(alice, '/triage?category=ip');
    expect(ip).toContain(`data-reference="${refs.ip}"`);
    expect(ip).not.toContain(`data-reference="${refs.legal}"`);
    const urgent = await page(alice, '/triage?priority=urgent&org=nhs_trust');
    expect(urgent).toContain(`data-reference="${refs.ig}"`);
    expect(urgent).not.toContain(`data-reference="${refs.ip}"`);
    const search = await page(alice, '/triage?q=acme');
    expect(search).toContain(`data-reference="${refs.ip}"`);
    expect(search).not.toContain(`data-reference="${refs.ig}"`);
    const breached = await page(alice, '/triage?sla=breached');
    expect(breached).toContain('No tickets match these filters.');
    expect(await page(alice, '/triage?status=bogus&sort=nope')).toContain('<option value="open" selected>');
  });

  test('CSV export holds exactly the filtered tickets, RFC 4180-quoted and formula-safe', async () => {
    const res = await alice.get('/triage/export.csv?category=ip');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="tickets-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toBe('reference,status,category,priority,org_type,org_name,requester_platform,assignee,deadline,sla_due_at,first_response_at,created_at,updated_at,summary');
    expect(lines.filter(Boolean)).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^${refs.ip},new,ip,high,startup_sme,Acme AI Ltd,web,`));
    expect(lines[1]!.endsWith(`,"'=HYPERLINK(""http://evil.example"") who owns the model"`)).toBe(true);

    const legal = await (await alice.get('/triage/export.csv?category=legal')).text();
    expect(legal).toContain('"Contract review, ""urgent"", for the trust\nsecond line"');
    expect(legal).not.toContain(refs.ip);
  });

  test('claim, then a second claim by someone else is a message, not an error', async () => {
    const path = `/triage/tickets/${refs.legal}`;
    const claimed = await alice.act(path, `${path}/claim`);
    expect(claimed.status).toBe(303);
    expect(claimed.headers.get('location')).toBe(path);
    expect(flashOf(await page(alice, path))).toEqual(['ok', `You claimed ${refs.legal}.`]);

    const csrf = /name="csrf" value="([^"]+)"/.exec(await page(bob, path))![1]!;
    const again = await bob.post(`${path}/claim`, { csrf });
    expect(again.status).toBe(303);
    expect(flashOf(await page(bob, path))).toEqual(['error', 'Already claimed by Alice Jones.']);
    // A flash is shown once.
    expect(flashOf(await page(bob, path))).toBeUndefined();
    const t = await server.tickets.getByReference(refs.legal);
    expect(t!.assignee).toEqual({ id: 'web:Alice Jones', name: 'Alice Jones', via: 'triage' });
    expect(t!.status).toBe('in_progress');
  });

  test('only valid next statuses are offered, and an invalid one posted anyway is explained', async () => {
    const path = `/triage/tickets/${refs.ig}`;
    const html = await page(alice, path);
    const statusForm = /action-status[\s\S]*?<\/form>/.exec(html)![0];
    expect(statusForm).toContain('value="triaged"');
    expect(statusForm).toContain('value="in_progress"');
    expect(statusForm).not.toContain('value="closed"');
    expect(statusForm).not.toContain('value="waiting_on_requester"');
    await alice.act(path, `${path}/status`, { status: 'closed' });
    expect(flashOf(await page(alice, path))![0]).toBe('error');
    expect((await server.tickets.getByReference(refs.ig))!.status).toBe('new');
  });

  test('reply, note, category, priority, assign, resolve and reopen go through the service and the audit log', async () => {
    const path = `/triage/tickets/${refs.ip}`;
    await alice.act(path, `${path}/reply`, { text: 'We can help. Could you send the draft heads of terms?' });
    await alice.act(path, `${path}/note`, { text: 'Looks like a background IP question; patient 943 476 5919 mentioned on the call' });
    await alice.act(path, `${path}/category`, { category: 'commercial' });
    await alice.act(path, `${path}/priority`, { priority: 'urgent', deadline: '2026-12-31' });
    await alice.act(path, `${path}/assign`, { name: 'Bob Smith' });
    await alice.act(path, `${path}/resolve`);
    let html = await page(alice, path);
    expect(flashOf(html)).toEqual(['ok', `${refs.ip} is resolved.`]);
    expect(html).toMatch(/class="comment public"[\s\S]*?Reply to requester[\s\S]*?We can help\./);
    expect(html).toMatch(/class="comment internal"[\s\S]*?Internal note[\s\S]*?\[NHS number\] mentioned/);
    expect(html).not.toContain('943 476 5919');
    expect(html).toContain('action-reopen');
    expect(html).not.toContain('action-resolve');

    const t = (await server.tickets.getByReference(refs.ip))!;
    expect(t).toMatchObject({ category: 'commercial', priority: 'urgent', deadline: '2026-12-31', status: 'resolved', assignee: { id: 'web:Bob Smith' } });
    const actions = (await server.tickets.audit(t.id)).map((a) => a.action);
    expect(actions).toEqual(['created', 'replied', 'note_added', 'category_changed', 'priority_changed', 'assigned', 'status_changed']);
    expect((await server.tickets.audit(t.id)).at(-1)!.actor).toEqual({ id: 'web:Alice Jones', name: 'Alice Jones', via: 'triage' });

    await alice.act(path, `${path}/reopen`);
    html = await page(alice, path);
    expect(flashOf(html)).toEqual(['ok', `${refs.ip} is reopened.`]);
    expect((await server.tickets.getByReference(refs.ip))!.status).toBe('in_progress');
  });

  test('empty replies and unknown tickets or actions are messages or 404s, never 500s', async () => {
    const path = `/triage/tickets/${refs.ig}`;
    await alice.act(path, `${path}/reply`, { text: '   ' });
    expect(flashOf(await page(alice, path))).toEqual(['error', 'Write something first: the text was empty.']);
    expect((await alice.get('/triage/tickets/NAV-9999')).status).toBe(404);
    expect((await alice.act(path, `${path}/delete`)).status).toBe(404);
  });

  test('the figures panel counts questions, abstentions, feedback and the outbox, and failed items can be retried', async () => {
    const routes: string[] = [];
    for (const question of ['What is a DPIA?', 'Which rocket fuel gives the best specific impulse for a lunar lander?']) {
      const res = await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question }) });
      expect(res.status).toBe(200);
      routes.push(((await res.json()) as { route: string }).route);
    }
    const feedback = new Feedback(server.database.db);
    await feedback.record({ platform: 'web', userId: 'u1', route: 'answer', rating: 'helpful' });
    await feedback.record({ platform: 'web', userId: 'u2', route: 'answer', rating: 'not_helpful' });
    await feedback.record({ platform: 'web', userId: 'u3', route: 'answer', rating: 'helpful' });
    // Teams announcements fail for good, so they land in the failed list.
    server.outbox.registerHandler('teams', async () => ({ ok: false, retryable: false, error: 'HTTP 403: bot not in conversation' }));
    await server.outbox.drain();
    const stats = await server.outbox.stats();
    expect(stats.failed).toBeGreaterThan(0);

    let html = '';
    await expect.poll(async () => {
      html = await page(alice, '/triage');
      return /<dt>Questions asked<\/dt><dd>(\d+)<\/dd>/.exec(html)?.[1];
    }).toBe('2');
    expect(html).toContain('<dt>Feedback: helpful</dt><dd>2</dd>');
    expect(html).toContain('<dt>Feedback: not helpful</dt><dd>1</dd>');
    expect(html).toContain(`<dt>Outbox failed</dt><dd>${stats.failed}</dd>`);
    expect(html).toContain('HTTP 403: bot not in conversation');
    expect(html).toContain(`<dt>Abstentions</dt><dd>${routes.filter((r) => r === 'abstain').length}</dd>`);
    for (const route of new Set(routes)) {
      expect(html).toContain(`<li>${route.replace('_', ' ')}: ${routes.filter((r) => r === route).length}</li>`);
    }

    const retryAction = /action="(\/triage\/outbox\/\d+\/retry)"/.exec(html)![1]!;
    const res = await alice.act('/triage', retryAction);
    expect(res.status).toBe(303);
    expect(flashOf(await page(alice, '/triage'))![0]).toBe('ok');
    expect((await server.outbox.stats()).failed).toBe(stats.failed - 1);
  });
});
