// Sends Bot Framework activities to the real server the way the Bot Connector does: JSON bodies
// built from the fixtures in test/fixtures/teams (real Teams payload shapes), pointed at the fake
// connector, with fresh ids so every test is its own delivery.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../support/test-data.js';
import type { FakeBotConnector } from '../../support/fake-bot-connector.js';

export type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- activities are free-form JSON

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'teams');

export function fixture(name: string): Json {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'));
}

let counter = 0;
export function freshMessageId(): string {
  counter += 1;
  return String(Date.now() * 10 + counter);
}

/** A fixture addressed to the fake connector, with a new id and timestamp, and the given changes. */
export function activityFrom(name: string, fake: FakeBotConnector, changes: (a: Json) => void = () => undefined): Json {
  const a = fixture(name);
  a.serviceUrl = fake.url;
  a.id = a.type === 'message' ? freshMessageId() : `f:${randomUUID()}`;
  a.timestamp = new Date().toISOString();
  // A channel message starts its own thread: the conversation id names the root message.
  if (a.type === 'message' && typeof a.conversation?.id === 'string' && a.conversation.id.includes(';messageid=')) {
    a.conversation.id = `${a.conversation.id.split(';')[0]};messageid=${a.id}`;
  }
  changes(a);
  return a;
}

/** An `adaptiveCard/action` invoke for a card button, as Teams sends it (inputs merged into data). */
export function cardAction(fake: FakeBotConnector, verb: string, data: Json, changes: (a: Json) => void = () => undefined): Json {
  return activityFrom('invoke_adaptive_card_action', fake, (a) => {
    a.value.action.verb = verb;
    a.value.action.title = verb;
    a.value.action.data = { ...data, verb };
    changes(a);
  });
}

export interface Posted {
  status: number;
  text: string;
  json: Json;
  ms: number;
}

export async function postActivity(baseUrl: string, body: Json | string, headers: Record<string, string> = {}): Promise<Posted> {
  const started = performance.now();
  const res = await fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, ms: performance.now() - started };
}

/** The Adaptive Card in a posted activity (the first attachment of that type). */
export function cardOf(activity: Json): Json {
  return (activity?.attachments ?? []).find((a: Json) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

/** Every element of a card, depth first, including those inside ShowCard actions and ActionSets. */
export function cardElements(node: Json): Json[] {
  const out: Json[] = [];
  const walk = (n: Json) => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    if (typeof n.type === 'string') out.push(n);
    for (const key of ['body', 'actions', 'items', 'columns', 'card']) if (n[key]) walk(n[key]);
  };
  walk(node);
  return out;
}

export function actionsOf(card: Json): Json[] {
  return cardElements(card).filter((e) => String(e.type).startsWith('Action.'));
}

export function cardText(card: Json): string {
  return cardElements(card)
    .filter((e) => e.type === 'TextBlock')
    .map((e) => e.text)
    .concat(cardElements(card).filter((e) => e.type === 'FactSet').flatMap((e) => e.facts.map((f: Json) => `${f.title}: ${f.value}`)))
    .join('\n');
}
