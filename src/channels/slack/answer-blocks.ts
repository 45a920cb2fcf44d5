// Renders the core's AskResult as Block Kit: the answer in mrkdwn, its sources, the "not legal
// advice" line, the hands-on help button and feedback, split to Slack's limits (3,000 characters
// a section, 50 blocks and 40,000 characters a message).
import type { types } from '@slack/bolt';
import type { AskResult, Citation, Route } from '../../core/types.js';
import { encodeEscalationContext, type EscalationContext } from './escalation-context.js';
import { ACTION } from './ids.js';
import { markdownToMrkdwn, mrkdwnLink, splitMrkdwn, truncate } from './mrkdwn.js';

export type Block = types.KnownBlock;

export interface SlackMessage {
  /** Notification and accessibility fallback; Slack shows the blocks. */
  text: string;
  blocks: Block[];
}

export const LIMITS = { sectionText: 3000, blocksPerMessage: 50, messageText: 40_000, fallbackText: 3000 } as const;

export const DISCLAIMER = 'General information from published guidance, not legal advice.';
const DISCLAIMER_LINE = /^\s*_?\s*this is general information,? not legal advice\.?\s*_?\s*$/i;

export interface AnswerRenderOptions {
  /** Ties feedback to this answer without storing its text. */
  answerId: string;
  escalation: EscalationContext;
}

/** One or more messages; everything after the answer text goes in the last one. */
export function renderAnswer(result: AskResult, options: AnswerRenderOptions): SlackMessage[] {
  const body = answerBody(result.answer);
  const bodyBlocks = splitMrkdwn(body, LIMITS.sectionText).map(section);
  const helpButton = requestHelpButton(options.escalation, result.route === 'escalate' || result.route === 'abstain');

  const tail: Block[] = [];
  if (result.route === 'escalate') {
    // Hands-on requests get the form offered straight after the text, before any reading list.
    tail.push({ type: 'actions', block_id: 'escalate', elements: [helpButton] });
  }
  if (result.citations.length > 0) tail.push(...sourcesBlocks(result.citations));
  if (result.route === 'answer' || (result.route === 'escalate' && result.citations.length > 0)) {
    tail.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `:information_source: ${DISCLAIMER}` }] });
  }
  if (result.route !== 'escalate') tail.push({ type: 'actions', block_id: 'help', elements: [helpButton] });
  if (result.route !== 'smalltalk') tail.push(feedbackBlock(result.route, options.answerId));

  const fallback = truncate(plainFallback(body), LIMITS.fallbackText);
  return packMessages([...bodyBlocks], tail, fallback);
}

/** A plain mrkdwn message (errors, confirmations, rate-limit notices). */
export function textMessage(markdown: string): SlackMessage {
  const mrkdwn = markdownToMrkdwn(markdown);
  return { text: truncate(plainFallback(mrkdwn), LIMITS.fallbackText), blocks: splitMrkdwn(mrkdwn).slice(0, LIMITS.blocksPerMessage).map(section) };
}

/** A message from text already in mrkdwn (e.g. with Slack date or mention tokens). */
export function mrkdwnMessage(mrkdwn: string): SlackMessage {
  return { text: truncate(plainFallback(mrkdwn), LIMITS.fallbackText), blocks: splitMrkdwn(mrkdwn).slice(0, LIMITS.blocksPerMessage).map(section) };
}

export function section(text: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/** The answer in mrkdwn, without the core's closing disclaimer (the context line says it once). */
export function answerBody(markdown: string): string {
  const lines = markdown.trimEnd().split('\n');
  while (lines.length > 0 && (lines[lines.length - 1] ?? '').trim() === '') lines.pop();
  if (lines.length > 1 && DISCLAIMER_LINE.test(lines[lines.length - 1] ?? '')) lines.pop();
  return markdownToMrkdwn(lines.join('\n'));
}

export function requestHelpButton(ctx: EscalationContext, primary: boolean): types.Button {
  return {
    type: 'button',
    action_id: ACTION.requestHelp,
    text: { type: 'plain_text', text: 'Request hands-on help', emoji: true },
    value: encodeEscalationContext(ctx),
    ...(primary ? { style: 'primary' as const } : {}),
  };
}

function feedbackBlock(route: Route, answerId: string): Block {
  return {
    type: 'context_actions',
    elements: [
      {
        type: 'feedback_buttons',
        action_id: ACTION.feedback,
        positive_button: { text: { type: 'plain_text', text: 'Helpful' }, accessibility_label: 'This answer was helpful', value: `helpful|${route}|${answerId}` },
        negative_button: { text: { type: 'plain_text', text: 'Not helpful' }, accessibility_label: 'This answer was not helpful', value: `not_helpful|${route}|${answerId}` },
      },
    ],
  };
}

/** "[1] Title (linked) — Publisher, 24 Jul 2023 · superseded", numbered as the answer cites them. */
export function sourcesBlocks(citations: Citation[]): Block[] {
  const lines = citations.map((c, i) => `${i + 1}. ${citationLine(c)}`);
  const text = `*Sources*\n${lines.join('\n')}`;
  return splitMrkdwn(text, LIMITS.sectionText).map(section);
}

export function citationLine(c: Citation): string {
  const title = c.url ? mrkdwnLink(c.url, truncate(c.title, 200)) : truncate(c.title, 200);
  const meta = [c.publisher, formatPublished(c.published)].filter(Boolean).join(', ');
  const status = c.status === 'superseded' ? ' · :warning: _superseded_' : c.status === 'stale' ? ' · _may be out of date_' : '';
  return `*${title}*${meta ? ` — ${meta.replace(/[<>&]/g, '')}` : ''}${status}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function formatPublished(published: string | undefined): string {
  if (!published || /^undated$/i.test(published)) return '';
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(published);
  if (!m) return published;
  const month = MONTHS[Number(m[2]) - 1];
  if (!month) return published;
  return m[3] ? `${Number(m[3])} ${month} ${m[1]}` : `${month} ${m[1]}`;
}

/** Mrkdwn to readable plain text for notifications and screen readers. */
export function plainFallback(mrkdwn: string): string {
  return mrkdwn
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, '$2')
    .replace(/<((?:https?|mailto):[^>]+)>/g, '$1')
    .replace(/```/g, '')
    .replace(/(^|\s)[*_~]+(?=\S)|(?<=\S)[*_~]+(?=\s|$|[.,;:!?)])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}

/**
 * Packs blocks into messages of at most 50 blocks and 40,000 characters. The tail (sources,
 * buttons, feedback) stays together in the last message, after all of the answer.
 */
export function packMessages(body: Block[], tail: Block[], fallback: string): SlackMessage[] {
  const messages: Block[][] = [];
  let current: Block[] = [];
  let chars = 0;
  const push = (block: Block) => {
    const size = blockChars(block);
    if (current.length > 0 && (current.length + 1 > LIMITS.blocksPerMessage || chars + size > LIMITS.messageText)) {
      messages.push(current);
      current = [];
      chars = 0;
    }
    current.push(block);
    chars += size;
  };
  for (const block of body) push(block);
  const tailChars = tail.reduce((n, b) => n + blockChars(b), 0);
  if (current.length + tail.length > LIMITS.blocksPerMessage || chars + tailChars > LIMITS.messageText) {
    if (current.length > 0) messages.push(current);
    current = [];
    chars = 0;
  }
  for (const block of tail) push(block);
  if (current.length > 0) messages.push(current);
  return messages.map((blocks, i) => ({
    text: i === 0 ? fallback || 'Partnership Navigator' : `(continued, part ${i + 1} of ${messages.length})`,
    blocks,
  }));
}

function blockChars(block: Block): number {
  return JSON.stringify(block).length;
}
