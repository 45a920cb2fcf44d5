// Markdown → Slack mrkdwn, and splitting mrkdwn to Slack's limits.
import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, markdownToMrkdwn, mrkdwnLink, slackTextToPlain, splitMrkdwn, truncate } from '../../../src/channels/slack/mrkdwn.js';

describe('markdownToMrkdwn', () => {
  it('converts bold, italics and strikethrough', () => {
    expect(markdownToMrkdwn('A **bold** and __also bold__ word')).toBe('A *bold* and *also bold* word');
    expect(markdownToMrkdwn('An *italic* and _italic_ word')).toBe('An _italic_ and _italic_ word');
    expect(markdownToMrkdwn('~~gone~~')).toBe('~gone~');
    expect(markdownToMrkdwn('**bold with *italic* inside**')).toBe('*bold with _italic_ inside*');
  });

  it('leaves arithmetic, snake_case and lone asterisks alone', () => {
    expect(markdownToMrkdwn('2 * 3 * 4 and snake_case_name')).toBe('2 * 3 * 4 and snake_case_name');
  });

  it('turns links into <url|text> and escapes &, < and > everywhere else', () => {
    expect(markdownToMrkdwn('See [DHSC guidance](https://www.gov.uk/x?a=1&b=2) now')).toBe('See <https://www.gov.uk/x?a=1&b=2|DHSC guidance> now');
    expect(markdownToMrkdwn('R&D <script> > 5')).toBe('R&amp;D &lt;script&gt; &gt; 5');
    expect(markdownToMrkdwn('[a | b > c](https://example.org/p)')).toBe('<https://example.org/p|a ¦ b &gt; c>');
    expect(markdownToMrkdwn('<https://example.org/auto>')).toBe('<https://example.org/auto>');
  });

  it('does not make unsafe links clickable', () => {
    expect(markdownToMrkdwn('[click](javascript:alert(1))')).not.toContain('<javascript');
  });

  it('keeps citation markers and brackets that are not links', () => {
    expect(markdownToMrkdwn('Fair terms apply [1][2].')).toBe('Fair terms apply [1][2].');
  });

  it('renders bullet and numbered lists, with nesting', () => {
    const md = ['- first', '* second', '+ third', '  - nested', '    - deeper', '1. one', '2) two'].join('\n');
    expect(markdownToMrkdwn(md).split('\n')).toEqual(['• first', '• second', '• third', '    ◦ nested', '        ▪ deeper', '1. one', '2. two']);
  });

  it('renders headings as bold lines and keeps quotes', () => {
    expect(markdownToMrkdwn('## Fair **terms**\n> quoted *text*')).toBe('*Fair terms*\n> quoted _text_');
  });

  it('keeps code verbatim (escaped) and drops the language tag of a fence', () => {
    expect(markdownToMrkdwn('Use `a < b` here')).toBe('Use `a &lt; b` here');
    expect(markdownToMrkdwn('```ts\nconst x = **y**;\n```')).toBe('```\nconst x = **y**;\n```');
    expect(markdownToMrkdwn('```\nunclosed')).toBe('```\nunclosed\n```');
  });

  it('drops horizontal rules and collapses blank runs', () => {
    expect(markdownToMrkdwn('a\n\n---\n\n\nb')).toBe('a\n\nb');
  });
});

describe('splitMrkdwn', () => {
  it('keeps short text whole', () => {
    expect(splitMrkdwn('hello')).toEqual(['hello']);
  });

  it('splits long text at paragraph boundaries, every piece within the limit, nothing lost', () => {
    const paragraphs = Array.from({ length: 60 }, (_, i) => `Paragraph ${i} ${'word '.repeat(20).trim()}.`);
    const text = paragraphs.join('\n\n');
    const pieces = splitMrkdwn(text, 3000);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(3000);
    expect(pieces.join('\n\n').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
    for (const p of pieces) expect(p.startsWith('Paragraph')).toBe(true);
  });

  it('never cuts inside a link or an entity', () => {
    const text = Array.from({ length: 200 }, (_, i) => `<https://example.org/${i}|link ${i}> &amp;`).join(' ');
    const pieces = splitMrkdwn(text, 500);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(500);
      expect((p.match(/</g) ?? []).length).toBe((p.match(/>/g) ?? []).length);
      expect(p).not.toMatch(/&[a-z]*$/);
      expect(p).not.toMatch(/^[a-z]*;/);
    }
  });

  it('closes and reopens a code block that spans a cut', () => {
    const text = '```\n' + Array.from({ length: 100 }, (_, i) => `line ${i} of code`).join('\n') + '\n```';
    const pieces = splitMrkdwn(text, 400);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(400);
      expect((p.match(/```/g) ?? []).length % 2).toBe(0);
    }
  });

  it('hard-cuts a single enormous word', () => {
    const pieces = splitMrkdwn('x'.repeat(7000), 3000);
    expect(pieces.map((p) => p.length).every((n) => n <= 3000)).toBe(true);
    expect(pieces.join('')).toHaveLength(7000);
  });
});

describe('helpers', () => {
  it('escapes and links', () => {
    expect(escapeMrkdwn('a&b<c>d')).toBe('a&amp;b&lt;c&gt;d');
    expect(mrkdwnLink('https://example.org/a b', '*Title*')).toBe('<https://example.org/a%20b|Title>');
  });

  it('truncates on a word boundary', () => {
    expect(truncate('alpha beta gamma delta', 18)).toBe('alpha beta gamma…');
    expect(truncate('x'.repeat(20), 10)).toBe('x'.repeat(9) + '…');
    expect(truncate('short', 12)).toBe('short');
  });

  it('turns what Slack sends into plain text for the core', () => {
    expect(slackTextToPlain('<@U0BOT> what is <https://example.org|this> &amp; <#C1|general>?', 'U0BOT')).toBe('what is this (https://example.org) & #general?');
    expect(slackTextToPlain('ask <@U0OTHER> about &lt;DPIA&gt;', 'U0BOT')).toBe('ask @someone about <DPIA>');
  });
});
