// An AskResult as Teams messages. Normally one message: the Markdown answer with [n] markers, the
// citation entity and AI label, the native feedback buttons, and a small card with "Request
// hands-on help". When the answer is too big for one Teams message (about 28 KB) it is split, and
// the sources move into the card (markers cannot point across messages), with card feedback buttons.
import type { Activity } from 'botbuilder';
import { citedNumbers } from '../../answering/citations.js';
import type { AskResult, Citation } from '../../core/types.js';
import { CATEGORIES, type Category } from '../../queue/types.js';
import { actionSet, attachment, card, clip, execute, note, plain, text, VERB, type CardElement } from './card-kit.js';
import { aiMessageEntity, MAX_CITATIONS, teamsMarkers } from './citation-entities.js';
import { encodeContext } from './escalation-context.js';

/** Teams rejects activities over about 28 KB; leave room for the envelope the SDK adds. */
export const MAX_ACTIVITY_BYTES = 26_000;
const PART_BYTES = 20_000;
const DISCLAIMER = '_This is general information, not legal advice._';

export interface RenderOptions {
  maxActivityBytes?: number;
}

export function renderAnswer(result: AskResult, options: RenderOptions = {}): Array<Partial<Activity>> {
  const body = withDisclaimer(result, teamsMarkers(result.answer));
  if (result.route === 'smalltalk') return [{ type: 'message', text: body, textFormat: 'markdown' }];

  const aiGenerated = result.route === 'answer';
  const markers = citedNumbers(body).filter((n) => n >= 1 && n <= result.citations.length);
  const nativeCitations = markers.length > 0 && result.citations.length <= MAX_CITATIONS;
  const whole: Partial<Activity> = {
    type: 'message',
    text: body,
    textFormat: 'markdown',
    entities: [aiMessageEntity({ citations: nativeCitations ? result.citations : [], aiGenerated })],
    channelData: { feedbackLoopEnabled: true },
    attachments: [attachment(actionsCard(result, { sources: nativeCitations ? [] : result.citations, cardFeedback: false }))],
  };
  const limit = options.maxActivityBytes ?? MAX_ACTIVITY_BYTES;
  if (byteLength(whole) <= limit) return [whole];

  // Too big for one message: plain parts, then the sources and actions in a card.
  const parts = splitText(body, Math.min(PART_BYTES, Math.floor(limit * 0.75)));
  const out: Array<Partial<Activity>> = parts.map((part) => ({
    type: 'message',
    text: part,
    textFormat: 'markdown',
    entities: [aiMessageEntity({ aiGenerated })],
  }));
  out.push({
    type: 'message',
    attachments: [attachment(actionsCard(result, { sources: result.citations, cardFeedback: true }))],
  });
  return out;
}

function withDisclaimer(result: AskResult, body: string): string {
  if (result.route !== 'answer' || /not legal advice/i.test(body)) return body;
  return `${body.trimEnd()}\n\n${DISCLAIMER}`;
}

function actionsCard(result: AskResult, options: { sources: Citation[]; cardFeedback: boolean }) {
  const category = CATEGORIES.includes(result.meta.suggestedCategory as Category) ? (result.meta.suggestedCategory as Category) : undefined;
  const context = encodeContext({
    question: result.meta.redactedQuestion,
    answer: result.answer,
    category,
    sources: result.citations,
  });
  const body: CardElement[] = [];
  if (options.sources.length > 0) body.push(...sourcesSection(options.sources));
  const helpTitle = result.route === 'escalate' ? 'Request hands-on help from the support team' : 'Request hands-on help';
  const actions = [execute(helpTitle, VERB.requestHelp, context, result.route === 'escalate' ? { style: 'positive' } : {})];
  if (options.cardFeedback) {
    body.push(note('Was this helpful?'));
    body.push(
      actionSet([
        execute('👍 Helpful', VERB.feedback, { rating: 'helpful', route: result.route }),
        execute('👎 Not helpful', VERB.feedback, { rating: 'not_helpful', route: result.route }),
      ]),
    );
  }
  if (body.length === 0) body.push(note('Need an expert? The support team can help with contracts, data value, IP and negotiations.'));
  return card(body, { actions });
}

export function sourcesSection(sources: Citation[]): CardElement[] {
  const lines = sources.slice(0, 8).map((c, i) => {
    const meta = [c.publisher, c.published].filter(Boolean).join(', ');
    const flag = c.status === 'superseded' ? ' (superseded)' : c.status === 'stale' ? ' (past its review date)' : '';
    return `${i + 1}. [${plain(clip(c.title, 120))}](${c.url})${meta ? ` · ${plain(meta)}` : ''}${flag}`;
  });
  return [text('Sources', { weight: 'Bolder' }), text(lines.join('\n'), { size: 'Small' })];
}

function byteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** Splits at paragraph, then line, then word boundaries so each part is at most `maxBytes`. */
export function splitText(body: string, maxBytes: number): string[] {
  const parts: string[] = [];
  let current = '';
  const push = () => {
    if (current.trim()) parts.push(current.trimEnd());
    current = '';
  };
  for (const unit of body.split(/(?<=\n)/)) {
    if (Buffer.byteLength(current + unit) <= maxBytes) {
      current += unit;
      continue;
    }
    push();
    if (Buffer.byteLength(unit) <= maxBytes) {
      current = unit;
      continue;
    }
    // One enormous line: cut it by words (or characters, for a word longer than a part).
    for (const word of unit.split(/(?<= )/)) {
      if (Buffer.byteLength(current + word) > maxBytes) push();
      let w = word;
      while (Buffer.byteLength(w) > maxBytes) {
        let cut = Math.min(w.length, maxBytes);
        while (Buffer.byteLength(w.slice(0, cut)) > maxBytes) cut = Math.floor(cut * 0.9);
        parts.push(w.slice(0, cut));
        w = w.slice(cut);
      }
      current += w;
    }
  }
  push();
  return parts;
}
