// Sign-in, sessions and CSRF on the triage dashboard, over real HTTP against the real server.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/http/app.js';
import type { TestServer } from '../support/server-harness.js';
import { startWebOnlyServer, ticketInput, requester } from './fixtures.js';
import { TriageClient, csrfOf } from './triage-client.js';

describe('triage sign-in and sessions', () => {
  let server: TestServer;
  let ref: string;
  beforeAll(async () => {
    server = await startWebOnlyServer();
    const input = ticketInput();
    ref = (await server.tickets.create(input, requester(input))).ticket.reference;
  });
  afterAll(async () => server?.shutdown());

  test('every page needs a session: GET redirects to sign-in, POST is 401', async () => {
    const c = new TriageClient(server.url);
    for (const path of ['/triage', `/triage/tickets/${ref}`, '/triage/export.csv?category=legal']) {
      const res = await c.get(path);
      expect(res.status, path).toBe(302);
      expect(res.headers.get('location')).toBe(`/triage/sign-in?next=${encodeURIComponent(path)}`);
    }
    const post = await c.post(`/triage/tickets/${ref}/claim`, { csrf: 'x' });
    expect(post.status).toBe(401);
    expect((await server.tickets.getByReference(ref))!.assignee).toBeNull();
  });

  test('a wrong token is refused and starts no session', async () => {
    const c = new TriageClient(server.url);
    const res = await c.signIn('Mallory', 'not-the-token');
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('That token is not right.');
    expect(c.jar.get('navigator_triage')).toBeUndefined();
    expect((await c.get('/triage')).status).toBe(302);
    expect(server.logLines.join('\n')).not.toContain('not-the-token');
  });

  test('the right token signs in with an HttpOnly, SameSite=Strict cookie, then the queue shows', async () => {
    const c = new TriageClient(server.url);
    const page = await c.get('/triage/sign-in');
    const csrf = csrfOf(await page.text());
    const res = await c.post('/triage/sign-in', { csrf, name: 'Priya Shah', token: 'test-triage-token-123', next: '/triage?category=legal' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/triage?category=legal');
    const cookie = res.headers.getSetCookie().find((l) => l.startsWith('navigator_triage='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Max-Age=43200/);
    const queue = await c.get('/triage');
    expect(queue.status).toBe(200);
    const html = await queue.text();
    expect(html).toContain('Signed in as <strong>Priya Shah</strong>');
    expect(html).toContain(ref);
  });

  test('sign-in needs the form’s CSRF value and refuses off-site destinations', async () => {
    const c = new TriageClient(server.url);
    await c.get('/triage/sign-in');
    const forged = await c.post('/triage/sign-in', { csrf: 'forged', name: 'Eve', token: 'test-triage-token-123' });
    expect(forged.status).toBe(403);
    expect(c.jar.get('navigator_triage')).toBeUndefined();
    const page = await c.get('/triage/sign-in');
    const res = await c.post('/triage/sign-in', { csrf: csrfOf(await page.text()), name: 'Eve', token: 'test-triage-token-123', next: 'https://evil.example/' });
    expect(res.headers.get('location')).toBe('/triage');
  });

  test('pages carry the strict CSP, X-Frame-Options DENY and no inline script or style', async () => {
    const c = new TriageClient(server.url);
    await c.signIn('Priya Shah');
    for (const path of ['/triage', `/triage/tickets/${ref}`, '/triage/sign-in']) {
      const res = await c.get(path);
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('cache-control')).toBe('no-store');
      const html = await res.text();
      for (const tag of html.match(/<script[^>]*>/g) ?? []) expect(tag).toMatch(/src="\/assets\//);
      expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    }
    const css = await fetch(`${server.url}/assets/triage.css`);
    expect(css.status).toBe(200);
    expect((await fetch(`${server.url}/assets/triage.js`)).status).toBe(200);
  });

  test('an action without the session’s CSRF token is 403 and changes nothing', async () => {
    const alice = new TriageClient(server.url);
    await alice.signIn('Alice');
    const bob = new TriageClient(server.url);
    await bob.signIn('Bob');
    const bobsCsrf = csrfOf(await (await bob.get('/triage')).text());

    expect((await alice.post(`/triage/tickets/${ref}/claim`, {})).status).toBe(403);
    expect((await alice.post(`/triage/tickets/${ref}/claim`, { csrf: bobsCsrf })).status).toBe(403);
    const realForm = await alice.act(`/triage/tickets/${ref}`, `/triage/tickets/${ref}/claim`);
    expect(realForm.status).toBe(303); // the real form works...
    await alice.act(`/triage/tickets/${ref}`, `/triage/tickets/${ref}/unassign`);
    const csrf = csrfOf(await (await alice.get('/triage')).text());
    const offSite = await alice.post(`/triage/tickets/${ref}/claim`, { csrf }, { origin: 'https://evil.example' });
    expect(offSite.status).toBe(403); // ...but not when posted from another site
    const fetchMeta = await alice.post(`/triage/tickets/${ref}/claim`, { csrf }, { 'sec-fetch-site': 'cross-site' });
    expect(fetchMeta.status).toBe(403);
    const audit = await server.tickets.audit((await server.tickets.getByReference(ref))!.id);
    expect(audit.filter((a) => a.action === 'claimed')).toHaveLength(1);
  });

  test('a tampered cookie is not a session, and signing out ends the session', async () => {
    const c = new TriageClient(server.url);
    await c.signIn('Carol');
    const value = c.jar.get('navigator_triage')!;
    const [id, exp, name, sig] = value.split('.');
    const later = String(Number(exp) + 86_400_000);
    const forged = new TriageClient(server.url);
    forged.jar.set('navigator_triage', [id, later, name, sig].join('.'));
    expect((await forged.get('/triage')).status).toBe(302);

    const stolen = new TriageClient(server.url);
    stolen.jar.set('navigator_triage', value);
    expect((await stolen.get('/triage')).status).toBe(200);
    const out = await c.act('/triage', '/triage/sign-out');
    expect(out.status).toBe(303);
    expect(c.jar.get('navigator_triage')).toBeUndefined();
    expect((await stolen.get('/triage')).status).toBe(302);
  });
});

describe('triage token when TRIAGE_TOKEN is unset', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startWebOnlyServer({ TRIAGE_TOKEN: '' });
  });
  afterAll(async () => server?.shutdown());

  test('a random token is written to DATA_DIR/triage-token (0600); only the path is logged', async () => {
    const file = join(server.dataDir, 'triage-token');
    const token = readFileSync(file, 'utf8').trim();
    expect(token.length).toBeGreaterThanOrEqual(24);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const logs = server.logLines.join('\n');
    expect(logs).toContain(file);
    expect(logs).not.toContain(token);

    const c = new TriageClient(server.url);
    expect((await c.signIn('Dana', 'test-triage-token-123')).status).toBe(401);
    expect((await c.signIn('Dana', token)).status).toBe(303);
    expect((await c.get('/triage')).status).toBe(200);
  });
});
