// Plays Slack's side of the HTTP protocol against the server under test: signed Events API
// deliveries (JSON), slash commands and interactivity payloads (form-encoded), built from the
// fixtures in test/fixtures/slack with fresh ids so tests never collide.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../support/test-data.js';

export const SIGNING_SECRET = 'test-signing-secret';
const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'slack');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures are raw Slack JSON
export type Json = Record<string, any>;

export function fixture(name: string): Json {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Json;
}

let counter = 0;
/** A Slack-style message timestamp, unique within the test run. */
export function freshTs(): string {
  counter += 1;
  return `${Math.floor(Date.now() / 1000)}.${String(100000 + counter).padStart(6, '0')}`;
}

export function freshEventId(): string {
  counter += 1;
  return `Ev${Date.now().toString(36).toUpperCase()}${counter}`;
}

/** v0 signature: HMAC-SHA256 of `v0:<timestamp>:<body>` with the signing secret. */
export function signature(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return 'v0=' + createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
}

export interface SendOptions {
  retryNum?: number;
  retryReason?: string;
  /** Seconds since the epoch for X-Slack-Request-Timestamp; now by default. */
  timestamp?: number;
  secret?: string;
  /** Overrides the computed signature (for tampering tests). */
  signature?: string;
}

export interface SlackResponse {
  status: number;
  text: string;
  json: Json | undefined;
  ms: number;
}

export class SlackDriver {
  constructor(
    readonly baseUrl: string,
    readonly path = '/slack/events',
  ) {}

  /** An Events API delivery, exactly as Slack posts it. */
  sendEvent(payload: Json, options: SendOptions = {}): Promise<SlackResponse> {
    return this.post(JSON.stringify(payload), 'application/json', options);
  }

  /** A slash command: form fields, not a payload. */
  sendCommand(fields: Record<string, string>, options: SendOptions = {}): Promise<SlackResponse> {
    return this.post(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', options);
  }

  /** Block actions, view submissions and closures: `payload=<json>`, form-encoded. */
  sendInteraction(payload: Json, options: SendOptions = {}): Promise<SlackResponse> {
    return this.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', options);
  }

  async post(body: string, contentType: string, options: SendOptions = {}): Promise<SlackResponse> {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? signature(body, timestamp, options.secret),
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    };
    if (options.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(options.retryNum);
      headers['x-slack-retry-reason'] = options.retryReason ?? 'http_timeout';
    }
    const started = performance.now();
    const res = await fetch(this.baseUrl + this.path, { method: 'POST', headers, body });
    const text = await res.text();
    const ms = performance.now() - started;
    let json: Json | undefined;
    try {
      json = text ? (JSON.parse(text) as Json) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json, ms };
  }
}

/** An app_mention (or other event fixture) with fresh ids, text and channel overridable. */
export function eventFrom(name: string, overrides: { text?: string; channel?: string; user?: string; threadTs?: string; ts?: string; eventId?: string } = {}): Json {
  const p = fixture(name);
  const ts = overrides.ts ?? freshTs();
  p.event_id = overrides.eventId ?? freshEventId();
  p.event.ts = ts;
  if (p.event.event_ts) p.event.event_ts = ts;
  if (overrides.text !== undefined) {
    p.event.text = overrides.text;
    delete p.event.blocks;
  }
  if (overrides.channel) p.event.channel = overrides.channel;
  if (overrides.user) p.event.user = overrides.user;
  if (overrides.threadTs !== undefined) p.event.thread_ts = overrides.threadTs;
  return p;
}
