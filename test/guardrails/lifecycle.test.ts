// Failure handling that needs a real process: graceful shutdown mid-answer, and a store that
// cannot be reached at start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { FakeOpenAIServer } from '../support/fake-openai-server.js';
import { spawnServer } from '../support/server-harness.js';
import { freshDataDir, KNOWLEDGE_DIR, REPO_ROOT } from '../support/test-data.js';

describe('process lifecycle', () => {
  const model = new FakeOpenAIServer();
  beforeAll(() => model.start());
  afterAll(() => model.stop());

  it('finishes an in-flight answer on SIGTERM and exits 0', async () => {
    model.replies('Boards are responsible for making sure data deals have fair terms [1].').routes('{"route":"answer","category":"commercial"}');
    model.delayMs = 1500;
    const server = await spawnServer({ OPENAI_BASE_URL: model.url, LLM_TIMEOUT_MS: '10000' });
    try {
      const pending = fetch(`${server.url}/api/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question: 'Who is responsible for fair terms in a data deal?' }),
      });
      await new Promise((r) => setTimeout(r, 400));
      server.proc.kill('SIGTERM');
      const res = await pending;
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.route).toBe('answer');
      expect(body.answer).toContain('fair terms');
      expect(await server.exited).toBe(0);
      expect(server.output()).toContain('shut down cleanly');
    } finally {
      model.delayMs = 0;
      await server.stop('SIGKILL');
    }
  });

  it('refuses new requests while draining', async () => {
    model.replies('Slow answer [1].').routes('{"route":"answer","category":"other"}');
    model.delayMs = 1500;
    const server = await spawnServer({ OPENAI_BASE_URL: model.url, LLM_TIMEOUT_MS: '10000' });
    try {
      const first = fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: 'What is the DSPT?' }) });
      await new Promise((r) => setTimeout(r, 300));
      server.proc.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      const late = await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: 'What is a DPIA?' }) }).then(
        (r) => r.status,
        () => 'refused',
      );
      expect([503, 'refused']).toContain(late);
      expect((await first).status).toBe(200);
      expect(await server.exited).toBe(0);
    } finally {
      model.delayMs = 0;
      await server.stop('SIGKILL');
    }
  });

  it('stops with a clear message and a non-zero exit when the store is unreachable at start', async () => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'navigator.js'), 'serve'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: freshDataDir(), KNOWLEDGE_DIR, PORT: '0', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(out).toMatch(/127\.0\.0\.1/);
    expect(out).toMatch(/could not|cannot|unreachable|refused/i);
  });
});
