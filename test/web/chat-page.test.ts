// The web chat page as served: strict headers, and a request form whose choices are exactly the
// queue's vocabulary (the page is static HTML, so this is what keeps the two in step).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/http/app.js';
import { CATEGORIES, CATEGORY_LABELS, ORG_TYPES, ORG_TYPE_LABELS, PRIORITIES } from '../../src/queue/index.js';
import type { TestServer } from '../support/server-harness.js';
import { startWebOnlyServer } from '../triage/fixtures.js';

function optionsOf(html: string, selectId: string): Array<[string, string]> {
  const select = new RegExp(`<select id="${selectId}"[^>]*>([\\s\\S]*?)</select>`).exec(html)![1]!;
  return [...select.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map((m) => [m[1]!, m[2]!]);
}

describe('web chat page', () => {
  let server: TestServer;
  let html: string;
  let res: Response;
  beforeAll(async () => {
    server = await startWebOnlyServer();
    res = await fetch(`${server.url}/`);
    html = await res.text();
  });
  afterAll(async () => server?.shutdown());

  test('is served with the strict CSP, loads only its own scripts and has no inline code', async () => {
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect([...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1])).toEqual(['/assets/chat.js', '/assets/escalation.js']);
    expect(html).not.toMatch(/<script>|<style|\sstyle=|\son[a-z]+=/i);
    for (const asset of ['chat.js', 'escalation.js', 'chat.css']) expect((await fetch(`${server.url}/assets/${asset}`)).status).toBe(200);
  });

  test('the request form offers exactly the queue’s organisation types, categories and priorities', () => {
    expect(optionsOf(html, 'esc-orgType').slice(1)).toEqual(ORG_TYPES.map((o) => [o, ORG_TYPE_LABELS[o]]));
    expect(optionsOf(html, 'esc-category')).toEqual(CATEGORIES.map((c) => [c, CATEGORY_LABELS[c]]));
    expect(optionsOf(html, 'esc-priority').map(([v]) => v)).toEqual([...PRIORITIES]);
  });

  test('every form control has a label and an error slot it is described by', () => {
    for (const name of ['orgType', 'orgName', 'category', 'priority', 'deadline', 'summary', 'details', 'consent']) {
      expect(html, name).toContain(`<label for="esc-${name}">`);
      expect(html, name).toContain(`aria-describedby="err-${name}"`);
      expect(html, name).toContain(`id="err-${name}"`);
    }
  });

  test('the chat scripts never write HTML from data', async () => {
    for (const asset of ['chat.js', 'escalation.js']) {
      const js = await (await fetch(`${server.url}/assets/${asset}`)).text();
      expect(js, asset).not.toMatch(/\.(innerHTML|outerHTML)\s*[+]?=|insertAdjacentHTML\(|document\.write\(/);
    }
  });
});
