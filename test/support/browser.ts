// Launches Debian's Chromium through playwright-core for the browser tests. A missing browser is
// a failure with the fix in the message, never a skip: these tests guard the web chat and the
// triage dashboard, and silently not running them would hide a broken page.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type RecordingPage = Page & { dialogs: string[]; errors: string[]; consoleErrors: string[] };

export interface TestBrowser {
  context: BrowserContext;
  /** A new page that records dialogs, page errors and console errors (CSP refusals among them). */
  newPage(): Promise<RecordingPage>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}, so the browser tests cannot run. ` +
        'Install it with: apt-get update && apt-get install -y chromium',
    );
  }
  // A fresh profile per launch: no cookies, storage or cache carried between tests.
  const userDataDir = mkdtempSync(join(tmpdir(), 'nav-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    timeout: 60_000,
  });
  context.setDefaultTimeout(20_000);
  return {
    context,
    async newPage() {
      const page = (await context.newPage()) as RecordingPage;
      page.dialogs = [];
      page.errors = [];
      page.consoleErrors = [];
      page.on('console', (m) => {
        if (m.type() === 'error') page.consoleErrors.push(m.text());
      });
      page.on('dialog', (d) => {
        page.dialogs.push(d.message());
        void d.dismiss();
      });
      page.on('pageerror', (e) => page.errors.push(e.message));
      return page;
    },
    async close() {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
