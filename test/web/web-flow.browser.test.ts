// The whole web journey with no Slack or Teams: ask in the chat, request hands-on help, get a
// reference; the support team replies from /triage; the reply appears back in the chat.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import type { TestServer } from '../support/server-harness.js';
import { startWebOnlyServer } from '../triage/fixtures.js';
import { TRIAGE_TOKEN } from '../triage/triage-client.js';

describe('web chat → support queue → web chat', () => {
  let server: TestServer;
  let browser: TestBrowser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebOnlyServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.shutdown();
  });

  test('escalate from the chat, reply from the dashboard, see the reply in the chat', async () => {
    const chat = await browser.newPage();
    await chat.goto(server.url);
    const question = 'Can someone help us negotiate the commercial terms for sharing our imaging data? Email me at jo.bloggs@example.com';
    await chat.getByLabel('Your question').fill(question);
    await chat.getByLabel('Your question').press('Enter');
    const answer = chat.locator('li.turn.assistant').first();
    await answer.waitFor();

    await answer.getByRole('button', { name: 'Request hands-on help' }).click();
    const dialog = chat.getByRole('dialog', { name: 'Request hands-on help' });
    await dialog.waitFor();
    await expect.poll(() => chat.evaluate(() => document.activeElement?.id)).toBe('esc-orgType');
    await expect.poll(() => dialog.getByLabel('Summary').inputValue()).toContain('negotiate the commercial terms');
    expect(await dialog.getByLabel('Summary').inputValue()).not.toContain('jo.bloggs@example.com');
    expect(await dialog.getByLabel('What is it about?').inputValue()).toBe('commercial');

    // Sent incomplete: the server's messages appear beside the fields, and focus moves to them.
    await dialog.getByRole('button', { name: 'Send request' }).click();
    const errors = dialog.locator('#escalate-errors');
    await errors.waitFor();
    expect(await errors.innerText()).toContain('Choose your type of organisation.');
    expect(await dialog.locator('#err-orgName').innerText()).toBe('Give the name of your organisation.');
    expect(await dialog.getByLabel('Organisation name').getAttribute('aria-invalid')).toBe('true');
    expect(await chat.evaluate(() => document.activeElement?.id)).toBe('escalate-errors');

    await dialog.getByLabel('Type of organisation').selectOption('nhs_trust');
    await dialog.getByLabel('Organisation name').fill('Leeds Teaching Hospitals');
    await dialog.getByLabel('How urgent?').selectOption('high');
    await dialog.getByLabel(/Share this conversation/).check();
    await dialog.getByRole('button', { name: 'Send request' }).click();

    const confirmation = chat.locator('li.turn.confirmation');
    await confirmation.waitFor();
    const reference = await confirmation.getAttribute('data-reference');
    expect(reference).toMatch(/^NAV-\d{4}$/);
    expect(await confirmation.innerText()).toContain(`Your request ${reference} has been sent to the support team`);
    expect(await dialog.isVisible()).toBe(false);

    const ticket = (await server.tickets.getByReference(reference!))!;
    expect(ticket).toMatchObject({ orgType: 'nhs_trust', orgName: 'Leeds Teaching Hospitals', category: 'commercial', priority: 'high' });
    expect(ticket.conversation.map((t) => t.role)).toEqual(['user', 'assistant']);
    expect(JSON.stringify(ticket)).not.toContain('jo.bloggs@example.com');

    // The support team, in the dashboard.
    const triage = await browser.newPage();
    await triage.goto(`${server.url}/triage`);
    await triage.getByLabel('Your name').fill('Sam Adviser');
    await triage.getByLabel('Triage token').fill(TRIAGE_TOKEN);
    await triage.getByRole('button', { name: 'Sign in' }).click();
    await triage.getByLabel('Search').fill(reference!);
    await triage.getByRole('button', { name: 'Apply' }).click();
    await triage.getByRole('link', { name: reference! }).click();
    await triage.getByRole('button', { name: 'Claim' }).click();
    await expect.poll(() => triage.locator('.flash').innerText()).toBe(`You claimed ${reference}.`);
    const reply = 'Thanks for getting in touch. An adviser will call you tomorrow about value-sharing options.';
    await triage.getByLabel(/Reply to requester/).fill(reply);
    await triage.getByRole('button', { name: 'Send reply' }).click();
    await expect.poll(() => triage.locator('.flash').innerText()).toBe('Reply sent to the requester.');

    // Back in the chat, the page's poll brings the reply and the status change.
    const replyTurn = chat.locator('li.turn.support-reply');
    await replyTurn.waitFor({ timeout: 15_000 });
    expect(await replyTurn.innerText()).toContain(reply);
    expect(await replyTurn.locator('.who').innerText()).toMatch(new RegExp(`Support team · ${reference} · Sam Adviser`, 'i'));
    await expect.poll(() => chat.locator('li.turn.status-change').allInnerTexts(), { timeout: 15_000 }).toEqual([
      expect.stringContaining(`${reference} is now In progress.`),
    ]);
    expect(await chat.locator('#my-requests-list li').innerText()).toContain(reference!);
    expect(chat.errors).toEqual([]);
    expect(triage.errors).toEqual([]);
  });
});
