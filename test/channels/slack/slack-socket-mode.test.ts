// Socket Mode (SLACK_APP_TOKEN, for local development without a public URL): the app opens a
// connection with apps.connections.open, acknowledges each envelope over the WebSocket, and answers
// through the Web API exactly as over HTTP. A local WebSocket server plays Slack's side.
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackApi, FAKE_BOT_USER_ID } from '../../support/fake-slack-api.js';
import type { TestServer } from '../../support/server-harness.js';
import { eventFrom } from './slack-driver.js';
import { startSlackServer } from './slack-server.js';

/** Slack's side of a Socket Mode connection: says hello, sends envelopes, records acks. */
class FakeSocketMode {
  readonly acks: string[] = [];
  private readonly server: WebSocket.Server;
  private socket: WebSocket | undefined;
  private connected: Promise<void>;

  constructor() {
    this.server = new WebSocket.Server({ host: '127.0.0.1', port: 0 });
    this.connected = new Promise((resolve) => {
      this.server.on('connection', (ws) => {
        this.socket = ws;
        ws.on('message', (data) => {
          const msg = JSON.parse(String(data)) as { envelope_id?: string };
          if (msg.envelope_id) this.acks.push(msg.envelope_id);
        });
        ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'applink-fake', approximate_connection_time: 18060 }, connection_info: { app_id: 'A0NAVIGATOR' } }));
        resolve();
      });
    });
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/link/?ticket=fake-ticket&app_id=A0NAVIGATOR`;
  }

  async waitForConnection(): Promise<void> {
    await this.connected;
  }

  sendEvent(envelopeId: string, payload: Record<string, unknown>): void {
    this.socket!.send(JSON.stringify({ envelope_id: envelopeId, payload, type: 'events_api', accepts_response_payload: false, retry_attempt: 0, retry_reason: '' }));
  }

  async close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let fake: FakeSlackApi;
let socket: FakeSocketMode;
let server: TestServer;

beforeAll(async () => {
  fake = await new FakeSlackApi().start();
  socket = new FakeSocketMode();
  await new Promise((r) => setTimeout(r, 50));
  fake.socketModeUrl = socket.url;
  server = await startSlackServer(fake, { SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: fake.appToken });
});

afterAll(async () => {
  await server?.shutdown();
  await socket?.close();
  await fake?.stop();
});

describe('Socket Mode', () => {
  it('connects with the app token, acknowledges envelopes and answers in the thread', async () => {
    await socket.waitForConnection();
    expect(fake.ok('apps.connections.open')).toHaveLength(1);

    const ev = eventFrom('app_mention', { user: 'U0SOCKET', text: `<@${FAKE_BOT_USER_ID}> What is a DPIA?` });
    socket.sendEvent('env-1', ev);
    await fake.waitForCalls(() => fake.ok('chat.postMessage', (p) => p.thread_ts === ev.event.ts), 'the answer');
    expect(socket.acks).toContain('env-1');

    // Slack redelivers an envelope that was not acknowledged in time: still one answer.
    socket.sendEvent('env-2', ev);
    await new Promise((r) => setTimeout(r, 800));
    expect(socket.acks).toContain('env-2');
    expect(fake.ok('chat.postMessage', (p) => p.thread_ts === ev.event.ts)).toHaveLength(1);
  });

  it('does not serve the HTTP endpoint when Socket Mode is on', async () => {
    const res = await fetch(`${server.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(404);
  });
});
