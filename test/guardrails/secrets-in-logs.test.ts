// A full session with every secret configured, logging at debug level: no secret value may appear
// in anything the process prints.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAIServer } from '../support/fake-openai-server.js';
import { FakeSlackApi } from '../support/fake-slack-api.js';
import { spawnServer, type ChildServer } from '../support/server-harness.js';
import { SlackDriver, eventFrom } from '../channels/slack/slack-driver.js';
import { TriageClient } from '../triage/triage-client.js';

const SECRETS = {
  SLACK_SIGNING_SECRET: 'sig-secret-4f9a2c7e1b',
  MICROSOFT_APP_PASSWORD: 'ms-app-password-8d3e6f1a',
  OPENAI_API_KEY: 'sk-test-openai-key-77aa31',
  TRIAGE_TOKEN: 'triage-token-5c2b9e0d44',
};

describe('secrets never reach the logs', () => {
  const model = new FakeOpenAIServer();
  const slack = new FakeSlackApi();
  let server: ChildServer;

  beforeAll(async () => {
    await Promise.all([model.start(), slack.start()]);
    model.routes('{"route":"answer","category":"other"}').replies('The DSPT is an annual self-assessment [1].');
    server = await spawnServer({
      ...SECRETS,
      SLACK_BOT_TOKEN: slack.token,
      SLACK_API_URL: slack.apiUrl,
      SLACK_TRIAGE_CHANNEL: 'C0TRIAGE',
      OPENAI_BASE_URL: model.url,
      MICROSOFT_APP_ID: '00000000-0000-0000-0000-00000000abcd',
      LOG_LEVEL: 'debug',
    });
  }, 180_000);
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await Promise.all([model.stop(), slack.stop()]);
  });

  it('prints none of them during a session that uses each one', async () => {
    // The model key is used on every model call.
    const ask = await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: 'What is the DSPT?' }) });
    expect(ask.status).toBe(200);
    expect(model.chatRequests().some((r) => r.headers.authorization === `Bearer ${SECRETS.OPENAI_API_KEY}`)).toBe(true);
    // The signing secret verifies a good Slack request and rejects a forged one.
    const driver = new SlackDriver(server.url);
    const mention = eventFrom('app_mention', { text: '<@U0BOT> what is the DSPT?' });
    expect((await driver.sendEvent(mention, { secret: SECRETS.SLACK_SIGNING_SECRET })).status).toBe(200);
    expect((await driver.sendEvent(eventFrom('app_mention'), { secret: 'wrong-secret' })).status).toBe(401);
    await slack.waitForCalls(() => slack.ok('chat.postMessage', (p) => p.thread_ts === mention.event.ts), 'the Slack answer');
    // Teams authentication is on: an unauthenticated activity is refused.
    const teams = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-token' }, body: JSON.stringify({
        type: 'message',
        id: 'secrets-1',
        timestamp: new Date().toISOString(),
        channelId: 'msteams',
        serviceUrl: 'http://127.0.0.1:9/',
        from: { id: '29:user', name: 'User', aadObjectId: 'aad-user' },
        conversation: { id: 'a:conv', conversationType: 'personal', tenantId: 'tenant' },
        recipient: { id: '28:bot', name: 'Navigator' },
        text: 'What is the DSPT?',
      }) });
    expect(teams.status).toBe(401);
    // The triage token signs someone in, and a wrong one is refused.
    const good = await new TriageClient(server.url).signIn('Sam Support', SECRETS.TRIAGE_TOKEN);
    expect(good.status).toBe(303);
    const bad = await new TriageClient(server.url).signIn('Mallory', 'not-the-token');
    expect(bad.status).not.toBe(303);

    server.proc.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const output = server.output();
    expect(output.split('\n').length).toBeGreaterThan(10);
    for (const [name, value] of Object.entries({ ...SECRETS, SLACK_BOT_TOKEN: slack.token })) {
      expect({ name, printed: output.includes(value) }).toEqual({ name, printed: false });
    }
  });
});
