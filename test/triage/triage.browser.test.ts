// The triage dashboard in a real browser: sign in, filter, open, claim, reply, resolve; and a
// hostile summary shown as text.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import type { TestServer } from '../support/server-harness.js';
import { requester, startWebOnlyServer, ticketInput } from './fixtures.js';
import { TRIAGE_TOKEN } from './triage-client.js';

describe('triage dashboard in a browser', () => {
  let server: TestServer;
  let browser: TestBrowser;
  const refs: Record<string, string> = {};
  const XSS = '<script>alert(1)</script>';

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebOnlyServer(), launchBrowser()]);
    for (const [key, over] of Object.entries({
      legal: { category: 'legal' as const, summary: 'Review of a data sharing agreement' },
      ip: { category: 'ip' as const, orgType: 'startup_sme' as const, orgName: 'Acme AI Ltd', summary: 'Who owns a model trained on trust data?' },
      xss: { category: 'other' as const, summary: `Hostile ${XSS} summary`, orgName: '<img src=x onerror=alert(2)>' },
    })) {
      const input = ticketInput(over);
      refs[key] = (await server.tickets.create(input, requester(input))).ticket.reference;
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.shutdown();
  });

  test('sign in, filter by category, open a ticket, claim, reply and resolve', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/triage`);
    expect(page.url()).toContain('/triage/sign-in');
    await page.getByLabel('Your name').fill('Alice Jones');
    await page.getByLabel('Triage token').fill(TRIAGE_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Support queue' }).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(3);

    await page.getByLabel('Category').selectOption('ip');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/category=ip/);
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-reference')).toBe(refs.ip);

    await page.getByRole('link', { name: refs.ip! }).click();
    await page.getByRole('heading', { name: /Who owns a model/ }).waitFor();
    await page.getByRole('button', { name: 'Claim' }).click();
    await expect.poll(() => page.locator('.flash').innerText()).toBe(`You claimed ${refs.ip}.`);

    await page.getByLabel(/Reply to requester/).fill('Thanks: please send us the draft collaboration agreement.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await expect.poll(() => page.locator('.flash').innerText()).toBe('Reply sent to the requester.');
    expect(await page.locator('li.comment.public').innerText()).toContain('please send us the draft collaboration agreement');

    await page.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => page.locator('.flash').innerText()).toBe(`${refs.ip} is resolved.`);
    expect(await page.locator('.fields .pill').innerText()).toBe('Resolved');
    expect(await page.getByRole('button', { name: 'Reopen' }).count()).toBe(1);

    const t = (await server.tickets.getByReference(refs.ip!))!;
    expect(t.status).toBe('resolved');
    expect(t.assignee?.name).toBe('Alice Jones');
    expect(page.consoleErrors).toEqual([]);
    expect(page.errors).toEqual([]);
    await page.close();
  });

  test('a summary holding a script tag is shown as text and never runs', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/triage/tickets/${refs.xss}`);
    if (page.url().includes('/sign-in')) {
      await page.getByLabel('Your name').fill('Alice Jones');
      await page.getByLabel('Triage token').fill(TRIAGE_TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(new RegExp(`/triage/tickets/${refs.xss}$`));
    }
    const heading = page.locator('article.ticket h1');
    expect(await heading.innerText()).toContain(`Hostile ${XSS} summary`);
    expect(await page.getByText('<img src=x onerror=alert(2)>', { exact: false }).count()).toBeGreaterThan(0);
    const scripts = await page.evaluate(() => Array.from(document.scripts, (s) => s.getAttribute("src")));
    expect(scripts).toEqual(['/assets/triage.js']);
    expect(await page.locator('img').count()).toBe(0);

    await page.goto(`${server.url}/triage?category=other`);
    expect(await page.locator(`tr[data-reference="${refs.xss}"] td.summary`).innerText()).toContain(XSS);
    expect(await page.evaluate(() => document.scripts.length)).toBe(1);
    expect(page.dialogs).toEqual([]);
    expect(page.errors).toEqual([]);
    await page.close();
  });
});
