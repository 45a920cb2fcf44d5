// The store fails while an escalation is being saved: the requester is told it could not be
// saved and to try again, and nothing claims a ticket was created.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../../support/fake-slack-api.js';
import type { TestServer } from '../../support/server-harness.js';
import { SlackDriver, fixture } from './slack-driver.js';
import { startSlackServer } from './slack-server.js';

describe('Slack escalation when the store fails', () => {
  const fake = new FakeSlackApi();
  let server: TestServer;
  beforeAll(async () => {
    await fake.start();
    server = await startSlackServer(fake);
  });
  afterAll(async () => {
    await server?.shutdown().catch(() => undefined);
    await fake.stop();
  });

  it('never sends a false confirmation', async () => {
    await server.database.close();
    const submission = fixture('view_submission_escalation');
    const res = await new SlackDriver(server.url).sendInteraction(submission);
    // The modal stays open with an honest error instead of a confirmation.
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ response_action: 'errors' });
    expect(JSON.stringify(res.json)).toMatch(/couldn’t save your request just now\. Please try again/);
    await new Promise((r) => setTimeout(r, 500));
    const confirmations = fake.calls.filter((c) => /NAV-\d+/.test(JSON.stringify(c.params)));
    expect(confirmations).toEqual([]);
  });
});
