// The Teams adapter's pure parts: message size limits, citation entities, command parsing,
// form validation, connector failures as outbox outcomes, and the streaming sequence.
import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { checkActivity } from '../../../src/channels/teams/activity-schema.js';
import { MAX_ACTIVITY_BYTES, renderAnswer, splitText } from '../../../src/channels/teams/answer-render.js';
import { aiMessageEntity, clientCitation, teamsMarkers } from '../../../src/channels/teams/citation-entities.js';
import { messageText, parseCommand } from '../../../src/channels/teams/commands.js';
import { ConnectorHttpError } from '../../../src/channels/teams/connector-rest.js';
import { outcomeFromConnectorError } from '../../../src/channels/teams/connector.js';
import { decodeContext } from '../../../src/channels/teams/escalation-context.js';
import { parseSubmission } from '../../../src/channels/teams/escalation-form.js';
import { TeamsStream } from '../../../src/channels/teams/streaming.js';
import type { AskResult, Citation } from '../../../src/core/types.js';
import { ProviderError } from '../../../src/shared/errors.js';
import { actionsOf, cardOf, cardText, fixture } from './teams-driver.js';

const citation = (n: number): Citation => ({
  title: `Guidance document number ${n} with a long and descriptive title that goes on and on for more than eighty characters`,
  url: `https://www.gov.uk/guidance/doc-${n}`,
  publisher: 'Department of Health and Social Care',
  published: '2023-07-12',
  snippet: 'A snippet of the guidance that explains what an organisation must do before it shares data, and why. '.repeat(3),
});

function result(answer: string, citations: Citation[] = [citation(1), citation(2)]): AskResult {
  return {
    answer,
    route: 'answer',
    confidence: 0.8,
    citations,
    redactions: 0,
    meta: { mode: 'extractive', redactedQuestion: 'What must we do?', standaloneQuestion: 'What must we do?', redactedKinds: [], suggestedCategory: 'ig_dpia', latencyMs: 5 },
  };
}

describe('answers as Teams messages', () => {
  it('renders one message with citations, the AI label, the feedback loop and the hands-on card', () => {
    const [message, ...rest] = renderAnswer(result('Do a DPIA first [1, 2].\n\n- Tell patients [2].'));
    expect(rest).toHaveLength(0);
    expect(message!.text).toContain('[1][2]');
    expect(message!.text).toContain('not legal advice');
    expect(message!.channelData).toEqual({ feedbackLoopEnabled: true });
    const entity = message!.entities![0] as unknown as { additionalType: string[]; citation: unknown[] };
    expect(entity.additionalType).toEqual(['AIGeneratedContent']);
    expect(entity.citation).toHaveLength(2);
    expect(actionsOf(cardOf(message)).map((a) => a.verb)).toEqual(['requestHelp']);
  });

  it('splits an answer too big for one Teams message, moving the sources and feedback into a card', () => {
    const paragraph = 'This paragraph explains one part of the guidance in detail, with its reasoning and caveats [1]. '.repeat(20);
    const answer = Array.from({ length: 40 }, () => paragraph).join('\n\n');
    const messages = renderAnswer(result(answer));
    expect(messages.length).toBeGreaterThan(2);
    for (const m of messages) expect(Buffer.byteLength(JSON.stringify(m))).toBeLessThan(MAX_ACTIVITY_BYTES);
    const textParts = messages.filter((m) => m.text).map((m) => m.text!);
    expect(textParts.join('\n\n').replace(/\s+/g, ' ')).toBe(`${answer}\n\n_This is general information, not legal advice._`.replace(/\s+/g, ' '));
    for (const m of messages) expect(JSON.stringify(m.entities ?? [])).not.toContain('"citation"');
    const last = messages.at(-1)!;
    const card = cardOf(last);
    expect(cardText(card)).toContain('Sources');
    expect(cardText(card)).toContain('https://www.gov.uk/guidance/doc-1');
    expect(actionsOf(card).map((a) => a.verb).sort()).toEqual(['feedback', 'feedback', 'requestHelp']);
  });

  it('uses a sources section instead of citations when the text has no markers (escalation offers)', () => {
    const r = { ...result('This sounds like a request for hands-on help.'), route: 'escalate' as const };
    const [message] = renderAnswer(r);
    expect(JSON.stringify(message!.entities)).not.toContain('"citation"');
    expect(cardText(cardOf(message))).toContain('Sources');
    expect(actionsOf(cardOf(message))[0]).toMatchObject({ verb: 'requestHelp', style: 'positive' });
  });

  it('keeps small talk to plain text', () => {
    const messages = renderAnswer({ ...result('Hello!', []), route: 'smalltalk' });
    expect(messages).toEqual([{ type: 'message', text: 'Hello!', textFormat: 'markdown' }]);
  });

  it('splits by paragraphs, then words, never over the limit', () => {
    const parts = splitText(`${'a'.repeat(50)}\n${'word '.repeat(100)}\n${'x'.repeat(250)}`, 100);
    for (const p of parts) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(100);
    expect(parts.join('').replace(/\s/g, '')).toBe(`${'a'.repeat(50)}${'word'.repeat(100)}${'x'.repeat(250)}`);
  });

  it('clips citation fields to Teams’ limits and marks superseded sources', () => {
    const c = clientCitation({ ...citation(3), status: 'superseded' }, 3);
    expect(c.position).toBe(3);
    expect(c.appearance.name.length).toBeLessThanOrEqual(80);
    expect(c.appearance.abstract.length).toBeLessThanOrEqual(160);
    expect(c.appearance.abstract.startsWith('Department of Health and Social Care · 2023-07-12 · ')).toBe(true);
    expect(c.appearance.keywords).toEqual(['Superseded']);
    expect(clientCitation({ ...citation(4), url: 'javascript:alert(1)' }, 4).appearance.url).toBeUndefined();
    expect(aiMessageEntity({ citations: Array.from({ length: 25 }, (_, i) => citation(i)), aiGenerated: false })).not.toHaveProperty('additionalType');
    expect((aiMessageEntity({ citations: Array.from({ length: 25 }, (_, i) => citation(i)), aiGenerated: true }) as unknown as { citation: unknown[] }).citation).toHaveLength(20);
  });

  it('turns grouped markers into the single markers Teams links', () => {
    expect(teamsMarkers('See [1, 3] and [2].')).toBe('See [1][3] and [2].');
  });
});

describe('reading what was typed', () => {
  it('strips every mention of the bot and Teams’ HTML', () => {
    const a = fixture('message_channel_mention') as Partial<Activity>;
    expect(messageText(a)).toBe('do we need a DPIA before sharing patient data with a company?');
    const twice = { ...a, text: '<at>Partnership Navigator</at> hello <at>Partnership Navigator</at>', entities: [...(a.entities ?? []), a.entities![0]!] };
    expect(messageText(twice)).toBe('hello');
    expect(messageText({ ...a, text: '<p>What&nbsp;is&nbsp;a <b>DPIA</b>?</p>', entities: [] })).toBe('What is a DPIA?');
  });

  it('recognises the manifest commands and the triage phrase', () => {
    expect(parseCommand('help')).toEqual({ kind: 'help' });
    expect(parseCommand('My requests.')).toEqual({ kind: 'myRequests' });
    expect(parseCommand('request help')).toEqual({ kind: 'requestHelp', details: '' });
    expect(parseCommand('Request hands-on help: review our DSA')).toEqual({ kind: 'requestHelp', details: 'review our DSA' });
    expect(parseCommand('use this channel for triage')).toEqual({ kind: 'setTriage' });
    expect(parseCommand('ask what is DTAC?')).toEqual({ kind: 'ask', question: 'what is DTAC?' });
    expect(parseCommand('What is the opt-out?')).toEqual({ kind: 'ask', question: 'What is the opt-out?' });
  });

  it('checks only the activity fields the adapter uses', () => {
    expect(checkActivity(fixture('message_personal')).ok).toBe(true);
    expect(checkActivity({ ...fixture('message_personal'), extra: { anything: 1 } }).ok).toBe(true);
    const missing = checkActivity({ ...fixture('message_personal'), conversation: undefined });
    expect(missing).toMatchObject({ ok: false, message: expect.stringContaining('conversation') });
    expect(checkActivity('hello')).toMatchObject({ ok: false });
  });
});

describe('the escalation form', () => {
  const valid = { summary: 'Please review the IP clauses in our draft agreement.', category: 'ip', orgType: 'nhs_trust', orgName: 'Northshire Trust', priority: 'high', deadline: '', details: '', consent: 'true' };

  it('accepts a complete submission', () => {
    expect(parseSubmission(valid)).toEqual({
      ok: true,
      value: { summary: valid.summary, details: '', category: 'ip', orgType: 'nhs_trust', orgName: 'Northshire Trust', priority: 'high', deadline: null, consentToShare: true },
    });
  });

  it('names each missing or wrong field', () => {
    const parsed = parseSubmission({ ...valid, orgName: ' ', category: 'astrology', summary: 'help', deadline: '2020-01-01' }, new Date('2026-11-03'));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.errors).sort()).toEqual(['category', 'deadline', 'orgName', 'summary']);
  });

  it('reads card context defensively', () => {
    expect(decodeContext({ q: 'Who owns IP?', cat: 'ip', src: [{ title: 'x', url: 'javascript:1' }] })).toEqual({ question: 'Who owns IP?', category: 'ip' });
    expect(decodeContext('nonsense')).toEqual({ question: undefined, answer: undefined, category: undefined, sources: undefined });
  });
});

describe('connector failures as outbox outcomes', () => {
  it('retries 5xx and 429 (honouring Retry-After), gives up on 4xx, retries unreachable', () => {
    expect(outcomeFromConnectorError(new ConnectorHttpError(500, null, 'boom'))).toMatchObject({ ok: false, retryable: true });
    expect(outcomeFromConnectorError(new ConnectorHttpError(429, '7', ''))).toMatchObject({ ok: false, retryable: true, retryAfterMs: 7000 });
    expect(outcomeFromConnectorError(new ConnectorHttpError(403, null, 'forbidden'))).toMatchObject({ ok: false, retryable: false });
    expect(outcomeFromConnectorError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toMatchObject({ ok: false, retryable: true });
    expect(outcomeFromConnectorError(new ProviderError('bad reference', { isRetryable: false }))).toMatchObject({ ok: false, retryable: false });
  });
});

describe('the streaming sequence', () => {
  it('numbers updates, reuses the first id as the stream id, coalesces text and ends with the final message', async () => {
    const sent: Array<Partial<Activity>> = [];
    const stream = new TeamsStream(async (a) => {
      sent.push(a);
      return { id: `id-${sent.length}` };
    }, { intervalMs: 30 });
    await stream.informative('Searching guidance…');
    stream.append('Data ');
    stream.append('partnerships ');
    await new Promise((r) => setTimeout(r, 80));
    stream.append('need fair terms.');
    await new Promise((r) => setTimeout(r, 80));
    await stream.finish({ type: 'message', text: 'Data partnerships need fair terms [1].', channelData: { feedbackLoopEnabled: true } });

    expect(sent[0]).toMatchObject({ type: 'typing', text: 'Searching guidance…', channelData: { streamType: 'informative', streamSequence: 1 } });
    const updates = sent.slice(1, -1);
    expect(updates.map((u) => u.text)).toEqual(['Data partnerships ', 'Data partnerships need fair terms.']);
    expect(updates.map((u) => (u.channelData as { streamSequence: number }).streamSequence)).toEqual([2, 3]);
    for (const u of updates) expect(u.channelData).toMatchObject({ streamType: 'streaming', streamId: 'id-1' });
    expect(sent.at(-1)).toMatchObject({ type: 'message', channelData: { streamType: 'final', streamId: 'id-1', feedbackLoopEnabled: true } });
  });

  it('falls back to an ordinary message when an update fails', async () => {
    const sent: Array<Partial<Activity>> = [];
    const stream = new TeamsStream(async (a) => {
      sent.push(a);
      if (a.type === 'typing' && sent.length > 1) throw new ConnectorHttpError(429, null, '');
      return { id: `id-${sent.length}` };
    }, { intervalMs: 10 });
    await stream.informative('Searching…');
    stream.append('Partial');
    await new Promise((r) => setTimeout(r, 50));
    await stream.finish({ type: 'message', text: 'Whole answer.' });
    expect(sent.at(-1)).toEqual({ type: 'message', text: 'Whole answer.' });
  });
});
