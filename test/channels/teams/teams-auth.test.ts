// With MICROSOFT_APP_ID set, Bot Framework authentication is on: requests without a valid bearer
// token are refused with 401 before anything is read or stored, and the bot's own calls to the
// connector carry a token from the OAuth client-credentials endpoint (TEAMS_OAUTH_URL, here the fake).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Settings } from '../../../src/queue/index.js';
import { FakeBotConnector } from '../../support/fake-bot-connector.js';
import { startTestServer, type TestServer } from '../../support/server-harness.js';
import { activityFrom, cardOf, cardText, postActivity } from './teams-driver.js';

const APP_ID = '3f8e2a1b-6c4d-4e9f-8a7b-1c2d3e4f5a6b';
const APP_PASSWORD = 'test-client-secret-not-real-42';
const TRIAGE = '19:authtriage1a2b3c4d5e6f@thread.tacv2';

let fake: FakeBotConnector;
let server: TestServer;

beforeAll(async () => {
  fake = await new FakeBotConnector().start();
  server = await startTestServer({
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: APP_PASSWORD,
    MICROSOFT_APP_TYPE: 'MultiTenant',
    TEAMS_OAUTH_URL: fake.tokenUrl,
    TEAMS_SUPPORT_USERS: 'aad-support-1',
  });
});

afterAll(async () => {
  await server?.shutdown();
  await fake?.stop();
});

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
/** Shaped like a Bot Framework token, but from a stranger and unsigned. */
const forgedJwt = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'made-up' })}.${b64({ iss: 'https://login.example.org/', aud: APP_ID, serviceurl: 'https://smba.trafficmanager.net/uk/', exp: Math.floor(Date.now() / 1000) + 600 })}.c2lnbmF0dXJl`;

describe('Bot Framework authentication (MICROSOFT_APP_ID set)', () => {
  it('refuses a message with no token, a garbage token or a forged token with 401, and processes nothing', async () => {
    const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer not-a-jwt' }, { authorization: `Bearer ${forgedJwt}` }, { authorization: 'Basic dXNlcjpwYXNz' }];
    const ids: string[] = [];
    for (const headers of attempts) {
      const activity = activityFrom('message_personal', fake);
      ids.push(activity.id);
      const res = await postActivity(server.url, activity, headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.json.error).toMatch(/token/i);
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.calls.filter((c) => c.kind !== 'token')).toHaveLength(0);
    const seen = await server.database.db.selectFrom('processed_events').select('key').where('key', 'in', ids.map((id) => `teams:${id}`)).execute();
    expect(seen).toHaveLength(0);
  });

  it('refuses an unauthenticated feedback invoke: 401 and nothing stored', async () => {
    const before = await server.database.db.selectFrom('feedback').selectAll().execute();
    const res = await postActivity(server.url, activityFrom('invoke_feedback_submit_action', fake));
    expect(res.status).toBe(401);
    const after = await server.database.db.selectFrom('feedback').selectAll().execute();
    expect(after).toHaveLength(before.length);
  });

  it('still answers malformed JSON with 400 (nothing to authenticate)', async () => {
    const res = await postActivity(server.url, '{"type":');
    expect(res.status).toBe(400);
  });

  it('does not warn that authentication is off', () => {
    expect(server.logLines.some((l) => l.includes('authentication is OFF'))).toBe(false);
  });

  it('signs its own connector calls with a client-credentials token, fetched once and reused', async () => {
    await new Settings(server.database.db).set('teams:triage', {
      channelId: 'msteams',
      serviceUrl: fake.url,
      conversation: { id: TRIAGE, conversationType: 'channel', isGroup: true, name: '', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' },
      bot: { id: `28:${APP_ID}`, name: 'Partnership Navigator' },
      source: 'command',
    });
    const references: string[] = [];
    for (const orgName of ['Northshire ICB', 'Southdale ICB']) {
      const { ticket } = await server.tickets.create(
        {
          requester: { platform: 'web', userId: `web-${randomUUID()}` },
          orgType: 'icb',
          orgName,
          category: 'ig_dpia',
          priority: 'normal',
          summary: `Help with a DPIA for ${orgName}`,
          conversation: [],
          citations: [],
          consentToShare: false,
        },
        { id: 'web', via: 'web' },
      );
      references.push(ticket.reference);
    }
    await server.outbox.drain();
    const posts = await fake.waitFor((calls) => {
      const found = calls.filter((c) => c.kind === 'send' && c.conversationId === TRIAGE && c.status === 201);
      return found.length === 2 ? found : undefined;
    });
    expect(posts.map((p) => cardText(cardOf(p.body)).match(/NAV-\d+/)?.[0]).sort()).toEqual(references.sort());

    const tokenCalls = fake.calls.filter((c) => c.kind === 'token');
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]!.body).toMatchObject({ grant_type: 'client_credentials', client_id: APP_ID, client_secret: APP_PASSWORD, scope: 'https://api.botframework.com/.default' });
    for (const p of posts) expect(p.headers.authorization).toMatch(/^Bearer fake-access-token-\d+$/);
  });
});
