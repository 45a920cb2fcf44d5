// Test tickets and a test server with only the web channel (Slack and Teams are other suites' business).
import { randomBytes } from 'node:crypto';
import type { NewTicketInput } from '../../src/queue/index.js';
import { createWebChannel } from '../../src/triage/web-channel.js';
import { startTestServer, type TestServer } from '../support/server-harness.js';

export function startWebOnlyServer(env: Record<string, string | undefined> = {}): Promise<TestServer> {
  return startTestServer(env, { channels: [async (deps) => createWebChannel(deps)] });
}

export const newSession = () => `sess${randomBytes(8).toString('hex')}`;

/** A ticket input from a fresh requester each time, so duplicate detection never links them. */
export function ticketInput(over: Partial<NewTicketInput> = {}): NewTicketInput {
  const userId = newSession();
  return {
    requester: { platform: 'web', userId, conversation: { sessionId: userId } },
    orgType: 'nhs_trust',
    orgName: 'Leeds Teaching Hospitals',
    category: 'legal',
    priority: 'normal',
    summary: 'Review of a data sharing agreement with a startup',
    details: '',
    conversation: [],
    citations: [],
    consentToShare: false,
    ...over,
  };
}

export const requester = (input: NewTicketInput) => ({ id: input.requester.userId, via: 'web' });
