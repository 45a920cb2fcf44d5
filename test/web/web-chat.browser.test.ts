// The web chat in a real browser (Debian Chromium via playwright-core) against the real server.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import type { TestServer } from '../support/server-harness.js';
import { startWebOnlyServer } from '../triage/fixtures.js';

describe('web chat in a browser', () => {
  let server: TestServer;
  let browser: TestBrowser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebOnlyServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.shutdown();
  });

  test('a question typed and sent with Enter gets an answer with a cited source link', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    const box = page.getByLabel('Your question');
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    await box.fill('What is a DPIA?');
    await box.press('Enter');

    const answer = page.locator('li.turn.assistant').first();
    await answer.waitFor();
    await expect.poll(() => answer.locator('.text').innerText()).toMatch(/impact assessment|DPIA/i);
    const links = answer.locator('section.sources a.citation');
    expect(await links.count()).toBeGreaterThan(0);
    const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    for (const href of hrefs) expect(href).toMatch(/^https?:\/\//);
    // Every answer offers the route to a person.
    expect(await answer.getByRole('button', { name: 'Request hands-on help' }).count()).toBe(1);
    expect(page.errors).toEqual([]);
    await page.close();
  });

  test('the hands-on help button is prominent exactly when the answer escalates or abstains', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    const questions = [
      'Can someone help us negotiate the contract and value our data for a partnership with a startup?',
      'What is the best recipe for sourdough bread?',
      'What is the national data opt-out?',
    ];
    for (const [i, q] of questions.entries()) {
      await page.getByLabel('Your question').fill(q);
      await page.getByLabel('Your question').press('Enter');
      await page.locator('li.turn.assistant').nth(i).waitFor();
    }
    const seen: string[] = [];
    for (const turn of await page.locator('li.turn.assistant').all()) {
      const route = (await turn.locator('.route').getAttribute('data-route'))!;
      seen.push(route);
      const button = turn.getByRole('button', { name: 'Request hands-on help' });
      const prominent = (await button.getAttribute('class'))!.includes('prominent');
      expect(prominent, route).toBe(route === 'escalate' || route === 'abstain');
      expect(await turn.locator('.help-lead').count()).toBe(prominent ? 1 : 0);
    }
    // The first question is a request for hands-on help, so at least one answer must be prominent.
    expect(seen[0]).toBe('escalate');
    // Keyboard: the button is reachable and opens the form, Escape closes it and focus returns.
    const button = page.locator('li.turn.assistant').first().getByRole('button', { name: 'Request hands-on help' });
    await button.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Request hands-on help' }).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(await button.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.close();
  });
});
