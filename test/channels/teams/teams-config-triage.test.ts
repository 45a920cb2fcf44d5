// A triage channel fixed by configuration (TEAMS_TRIAGE_CONVERSATION_ID): new tickets go there as
// soon as the bot has learnt the tenant's Bot Connector address, and the chat command cannot move it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Settings } from '../../../src/queue/index.js';
import { FakeBotConnector } from '../../support/fake-bot-connector.js';
import { startTestServer, type TestServer } from '../../support/server-harness.js';
import { activityFrom, cardOf, cardText, postActivity } from './teams-driver.js';

const CONFIGURED = '19:configuredtriage0a1b2c3d@thread.tacv2';

let fake: FakeBotConnector;
let server: TestServer;

beforeAll(async () => {
  fake = await new FakeBotConnector().start();
  server = await startTestServer({ TEAMS_TRIAGE_CONVERSATION_ID: CONFIGURED, TEAMS_SUPPORT_USERS: 'aad-support-1' });
});

afterAll(async () => {
  await server?.shutdown();
  await fake?.stop();
});

describe('a configured triage channel', () => {
  it('cannot be moved with "use this channel for triage"', async () => {
    const activity = activityFrom('message_set_triage', fake);
    await postActivity(server.url, activity);
    const reply = await fake.waitFor((calls) => calls.find((c) => c.activityId === activity.id && c.body?.type === 'message'));
    expect(reply.body.text).toContain('TEAMS_TRIAGE_CONVERSATION_ID');
    const stored = await new Settings(server.database.db).get<{ conversation: { id: string } }>('teams:triage');
    expect(stored?.conversation.id ?? null).not.toBe(activity.conversation.id.split(';')[0]);
  });

  it('receives new tickets at the Bot Connector address the bot has seen', async () => {
    const { ticket } = await server.tickets.create(
      {
        requester: { platform: 'web', userId: 'web-config-1' },
        orgType: 'charity',
        orgName: 'Health Data Trust',
        category: 'public_engagement',
        priority: 'low',
        summary: 'How should we tell patients about a data partnership?',
        conversation: [],
        citations: [],
        consentToShare: false,
      },
      { id: 'web-config-1', via: 'web' },
    );
    await server.outbox.drain();
    const posted = await fake.waitFor((calls) => calls.find((c) => c.kind === 'send' && c.conversationId === CONFIGURED && c.status === 201));
    expect(cardText(cardOf(posted.body))).toContain(ticket.reference);
  });
});
