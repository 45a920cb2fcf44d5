// Builders shared by the queue tests: ticket input shaped like what the escalation flow sends,
// support-team actors, a settable clock and a local HTTP receiver that records deliveries.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Platform } from '../../src/core/types.js';
import type { Actor, NewTicketInput } from '../../src/queue/types.js';

let seq = 0;
/** A unique requester per call, so tickets in one database never trip duplicate detection by accident. */
export function requester(platform: Platform = 'slack', userId = `U${Date.now().toString(36)}${++seq}`) {
  return { platform, userId, displayName: `Requester ${userId}`, email: `${userId.toLowerCase()}@example.nhs.uk`, conversation: { channel: 'D123', thread_ts: '1730000000.000100' } };
}

export function ticketInput(overrides: Partial<NewTicketInput> = {}): NewTicketInput {
  return {
    requester: requester(),
    orgType: 'nhs_trust',
    orgName: 'Northshire Hospitals NHS Foundation Trust',
    category: 'commercial',
    priority: 'normal',
    deadline: null,
    summary: 'Needs help negotiating value share terms for a data partnership with an AI imaging company',
    details: 'We have a draft agreement and want advice on royalties, exclusivity and IP ownership before the board meets.',
    conversation: [
      { role: 'user', text: 'How should we value our imaging data?' },
      { role: 'assistant', text: 'The five principles say the NHS should get a fair share of the benefits.' },
    ],
    citations: [],
    consentToShare: true,
    ...overrides,
  };
}

export const ana: Actor = { id: 'UANA', name: 'Ana Support', via: 'slack' };
export const ben: Actor = { id: 'UBEN', name: 'Ben Support', via: 'teams' };
export const lead: Actor = { id: 'ULEAD', name: 'Lee Lead', via: 'triage' };

export interface TestClock {
  (): Date;
  set(iso: string): void;
  advance(ms: number): void;
}

export function testClock(startIso: string): TestClock {
  let now = new Date(startIso).getTime();
  const clock = (() => new Date(now)) as TestClock;
  clock.set = (iso) => (now = new Date(iso).getTime());
  clock.advance = (ms) => (now += ms);
  return clock;
}

export interface RecordedRequest {
  method: string;
  url: string;
  idempotencyKey: string | undefined;
  body: unknown;
}

/**
 * A real HTTP endpoint on 127.0.0.1 that records every request and answers with scripted statuses
 * (then 200s). Headers per response, e.g. { 'retry-after': '30' } for a 429.
 */
export async function startReceiver(script: Array<{ status: number; headers?: Record<string, string> }> = []) {
  const requests: RecordedRequest[] = [];
  const queue = [...script];
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      idempotencyKey: req.headers['idempotency-key'] as string | undefined,
      body: text ? JSON.parse(text) : null,
    });
    const next = queue.shift() ?? { status: 200 };
    res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
    res.end(JSON.stringify({ ok: next.status < 300 }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/deliver`;
  return { url, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}
