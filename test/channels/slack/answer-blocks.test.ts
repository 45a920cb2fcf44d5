// Rendering AskResults as Block Kit within Slack's limits.
import { describe, expect, it } from 'vitest';
import { formatPublished, LIMITS, renderAnswer, type Block } from '../../../src/channels/slack/answer-blocks.js';
import { decodeEscalationContext, encodeEscalationContext } from '../../../src/channels/slack/escalation-context.js';
import type { AskResult, Citation } from '../../../src/core/types.js';

const citation = (i: number, extra: Partial<Citation> = {}): Citation => ({
  title: `Guidance document ${i}`,
  url: `https://www.example.org/guidance/${i}`,
  publisher: 'NHS England',
  published: '2023-07-12',
  snippet: 'snippet',
  ...extra,
});

function result(answer: string, extra: Partial<AskResult> = {}): AskResult {
  return {
    answer,
    route: 'answer',
    confidence: 0.8,
    citations: [citation(1)],
    redactions: 0,
    meta: { mode: 'extractive', redactedQuestion: 'What are the rules?', standaloneQuestion: 'What are the rules?', redactedKinds: [], suggestedCategory: 'legal', latencyMs: 5 },
    ...extra,
  };
}

const escalation = { channel: 'C1', threadTs: '1.2', category: 'legal' as const, question: 'What are the rules?' };
const opts = { answerId: 'a1', escalation };
const types = (blocks: Block[]) => blocks.map((b) => b.type);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- reading nested block fields
const textOf = (b: Block) => String((b as any).text?.text ?? '');

describe('renderAnswer', () => {
  it('renders the answer, sources, the disclaimer once, the help button and feedback', () => {
    const [m, ...rest] = renderAnswer(result('Fair terms apply [1].\n\n- **Value** is shared [1]\n\n_This is general information, not legal advice._'), opts);
    expect(rest).toHaveLength(0);
    expect(types(m!.blocks)).toEqual(['section', 'section', 'context', 'actions', 'context_actions']);
    expect(textOf(m!.blocks[0]!)).toBe('Fair terms apply [1].\n\n• *Value* is shared [1]');
    expect(textOf(m!.blocks[1]!)).toBe('*Sources*\n1. *<https://www.example.org/guidance/1|Guidance document 1>* — NHS England, 12 Jul 2023');
    expect(JSON.stringify(m!.blocks).match(/not legal advice/g)).toHaveLength(1);
    expect(m!.text).toBe('Fair terms apply [1].\n\n• Value is shared [1]');
  });

  it('marks superseded and out-of-date sources', () => {
    const [m] = renderAnswer(result('Text [1][2].', { citations: [citation(1, { status: 'superseded' }), citation(2, { status: 'stale', published: 'undated' })] }), opts);
    const sources = textOf(m!.blocks[1]!);
    expect(sources).toContain('superseded');
    expect(sources).toContain('2. *<https://www.example.org/guidance/2|Guidance document 2>* — NHS England · _may be out of date_');
  });

  it('offers the form first, prominently, when the route is escalate', () => {
    const [m] = renderAnswer(result('This sounds like a request for hands-on help.', { route: 'escalate', citations: [] }), opts);
    expect(types(m!.blocks)).toEqual(['section', 'actions', 'context_actions']);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- block fields
    const button = (m!.blocks[1] as any).elements[0];
    expect(button).toMatchObject({ action_id: 'request_help', style: 'primary' });
    expect(decodeEscalationContext(button.value)).toEqual(escalation);
  });

  it('gives abstentions the hands-on button too, without sources or disclaimer', () => {
    const [m] = renderAnswer(result('I couldn’t find guidance on that.', { route: 'abstain', citations: [] }), opts);
    expect(types(m!.blocks)).toEqual(['section', 'actions', 'context_actions']);
  });

  it('splits answers over 3,000 characters into several sections', () => {
    const long = Array.from({ length: 50 }, (_, i) => `Paragraph ${i}: ${'the NHS shares value fairly '.repeat(4)}[1].`).join('\n\n');
    expect(long.length).toBeGreaterThan(6000);
    const messages = renderAnswer(result(long), opts);
    const sections = messages.flatMap((m) => m.blocks).filter((b) => b.type === 'section' && !textOf(b).startsWith('*Sources*'));
    expect(sections.length).toBeGreaterThanOrEqual(3);
    for (const s of sections) expect(textOf(s).length).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(sections.map(textOf).join('\n\n')).toBe(long);
  });

  it('spreads very long answers over several messages of at most 50 blocks and 40,000 characters, buttons last', () => {
    const huge = Array.from({ length: 400 }, (_, i) => `Paragraph ${i}: ${'guidance text '.repeat(40)}[1].`).join('\n\n');
    const messages = renderAnswer(result(huge), opts);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expect(m.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
      expect(JSON.stringify(m.blocks).length).toBeLessThanOrEqual(LIMITS.messageText);
      expect(m.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
    }
    expect(types(messages.at(-1)!.blocks).slice(-2)).toEqual(['actions', 'context_actions']);
    for (const m of messages.slice(0, -1)) expect(types(m.blocks)).not.toContain('actions');
  });
});

describe('escalation context in the button value', () => {
  it('fits in Slack’s 2,000-character value even for long questions with characters JSON escapes', () => {
    const value = encodeEscalationContext({ ...escalation, question: '"quoted" \\ text\n'.repeat(400) });
    expect(value.length).toBeLessThanOrEqual(2000);
    expect(decodeEscalationContext(value).question?.startsWith('"quoted"')).toBe(true);
  });

  it('reads tampered or old values as an empty context', () => {
    expect(decodeEscalationContext('not json')).toEqual({});
    expect(decodeEscalationContext(JSON.stringify({ cat: 'made_up' }))).toEqual({});
  });
});

describe('formatPublished', () => {
  it('formats ISO dates and keeps years and unknowns readable', () => {
    expect(formatPublished('2019-07-15')).toBe('15 Jul 2019');
    expect(formatPublished('2023-07')).toBe('Jul 2023');
    expect(formatPublished('2019')).toBe('2019');
    expect(formatPublished('undated')).toBe('');
  });
});
