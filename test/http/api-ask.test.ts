// POST /api/ask and the operational endpoints, over real HTTP against the real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server-harness.js';

describe('POST /api/ask', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_PER_MINUTE: '600', RATE_LIMIT_BURST: '200' });
  });
  afterAll(() => server.shutdown());

  const ask = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${server.url}/api/ask`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('answers with exactly the contract fields and cites its sources', async () => {
    const res = await ask({ question: 'Can an NHS trust give a company exclusive access to its patient data?' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(Object.keys(body).sort()).toEqual(['answer', 'citations', 'confidence', 'redactions', 'route']);
    expect(body.route).toBe('answer');
    expect(body.confidence).toBeGreaterThan(0);
    expect(body.confidence).toBeLessThanOrEqual(1);
    expect(body.redactions).toBe(0);
    expect(body.answer).toMatch(/exclusiv/i);
    expect(body.answer).toMatch(/not legal advice/i);
    expect(body.citations.length).toBeGreaterThan(0);
    for (const c of body.citations) {
      expect(c).toEqual(expect.objectContaining({ title: expect.any(String), url: expect.stringMatching(/^https?:\/\//), publisher: expect.any(String), published: expect.any(String), snippet: expect.any(String) }));
    }
  });

  it('uses the history for a follow-up', async () => {
    const res = await ask({
      question: 'who has to sign it off on the supplier side?',
      history: [
        { role: 'user', text: 'What is DCB0129?' },
        { role: 'assistant', text: 'DCB0129 is the clinical risk management standard for manufacturers of health IT.' },
      ],
    });
    const body = await res.json();
    expect(body.route).toBe('answer');
    expect(body.citations.map((c: { url: string }) => c.url).join(' ')).toMatch(/dcb0129|clinical-safety/i);
  });

  it('abstains or declines instead of answering from nothing', async () => {
    const unrelated = await (await ask({ question: 'What is the best hydration ratio for a rye sourdough starter?' })).json();
    expect(['out_of_scope', 'abstain']).toContain(unrelated.route);
    expect(unrelated.citations).toEqual([]);
    const clinical = await (await ask({ question: "What's the right dose of amoxicillin for a child with an ear infection?" })).json();
    expect(clinical.route).toBe('out_of_scope');
  });

  it('routes hands-on requests and small talk', async () => {
    const help = await (await ask({ question: 'Can someone from your team review the IP clauses in our draft contract with a pharma company?' })).json();
    expect(help.route).toBe('escalate');
    const hello = await (await ask({ question: 'Hello!' })).json();
    expect(hello.route).toBe('smalltalk');
  });

  it.each([
    ['an empty question', { question: '   ' }, /must not be empty/],
    ['a missing question', { history: [] }, /question/],
    ['a question of the wrong type', { question: 42 }, /must be a string/],
    ['an over-long question', { question: 'x'.repeat(2001) }, /at most 2000 characters/],
    ['history of the wrong shape', { question: 'What is a DPIA?', history: [{ role: 'system', text: 'x' }] }, /role/],
    ['history that is not an array', { question: 'What is a DPIA?', history: 'earlier' }, /history/],
    ['a JSON array', [1, 2], /expected object|question/i],
  ])('rejects %s with a 400 and a clear message', async (_label, body, message) => {
    const res = await ask(body);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(message);
  });

  it('rejects malformed JSON with a 400, not a 500', async () => {
    const res = await ask('{"question": "What is a DPIA?"');
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/not valid JSON/);
  });

  it('rejects a body over the size limit with a 413', async () => {
    const res = await ask({ question: 'What is a DPIA?', padding: 'x'.repeat(300 * 1024) });
    expect(res.status).toBe(413);
  });

  it('rejects a body that is not JSON with a 415', async () => {
    const res = await ask('question=hi', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
  });
});

describe('health, readiness and metrics', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.shutdown());

  it('reports health and readiness', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { index: true, store: true } });
  });

  it('exposes Prometheus metrics for requests, routes and latency', async () => {
    await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: 'What is the DSPT?' }) });
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/navigator_answers_total\{route="answer",mode="extractive"\} 1/);
    expect(text).toMatch(/navigator_answer_seconds_bucket/);
    expect(text).toMatch(/navigator_http_requests_total\{method="POST",path="\/api\/ask",status="200"\}/);
    expect(text).toMatch(/navigator_abstentions_total/);
    expect(text).toMatch(/navigator_model_fallbacks_total/);
  });

  it('logs one structured line per question without the question text', async () => {
    await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: 'Tell me about the Caldicott principles please' }) });
    const line = server.logLines.map((l) => JSON.parse(l)).find((l) => l.msg === 'ask' && l.sources?.length);
    expect(line).toMatchObject({ level: 'info', route: 'answer', mode: 'extractive' });
    expect(typeof line.latencyMs).toBe('number');
    expect(server.logLines.join('\n')).not.toContain('Caldicott principles please');
  });
});

describe('per-user rate limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_PER_MINUTE: '1', RATE_LIMIT_BURST: '2' });
  });
  afterAll(() => server.shutdown());

  it('answers with a friendly message, not silence, once a user exceeds the limit', async () => {
    const send = (session: string) =>
      fetch(`${server.url}/api/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-navigator-session': session },
        body: JSON.stringify({ question: 'What is the DSPT?' }),
      });
    expect((await send('session-aaaaaaaa')).status).toBe(200);
    expect((await send('session-aaaaaaaa')).status).toBe(200);
    const limited = await send('session-aaaaaaaa');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await limited.json()).error).toMatch(/wait about \d+ seconds? and try again/);
    // Another user is unaffected.
    expect((await send('session-bbbbbbbb')).status).toBe(200);
  });
});
