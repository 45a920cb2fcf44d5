// Small builders for Adaptive Cards as Teams renders them (schema 1.5, Universal Actions). Cards are
// plain JSON; these keep the repeated shapes in one place and the card modules readable.
import type { Attachment } from 'botbuilder';

export type CardElement = Record<string, unknown>;
export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard'; body: CardElement[] };

export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** Every Action.Execute we emit carries one of these verbs; anything else is a stale or foreign card. */
export const VERB = {
  ask: 'ask',
  requestHelp: 'requestHelp',
  submitEscalation: 'submitEscalation',
  feedback: 'feedback',
  help: 'help',
  myRequests: 'myRequests',
  requesterReply: 'requester.reply',
  claim: 'ticket.claim',
  assign: 'ticket.assign',
  priority: 'ticket.priority',
  status: 'ticket.status',
  reply: 'ticket.reply',
  note: 'ticket.note',
  resolve: 'ticket.resolve',
  reopen: 'ticket.reopen',
  refresh: 'ticket.refresh',
} as const;
export type Verb = (typeof VERB)[keyof typeof VERB];

export function card(body: CardElement[], extra: Record<string, unknown> = {}): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...extra,
    // Teams draws cards at message width only when asked.
    msteams: { width: 'Full' },
  };
}

export function attachment(content: AdaptiveCard): Attachment {
  return { contentType: CARD_CONTENT_TYPE, content };
}

export function text(value: string, options: Record<string, unknown> = {}): CardElement {
  return { type: 'TextBlock', text: value, wrap: true, ...options };
}

export function heading(value: string, size: 'Medium' | 'Large' = 'Medium'): CardElement {
  return text(value, { weight: 'Bolder', size, style: 'heading' });
}

export function note(value: string, color: 'Default' | 'Attention' | 'Good' | 'Warning' = 'Default'): CardElement {
  return text(value, { size: 'Small', isSubtle: color === 'Default', color });
}

export function facts(pairs: Array<[string, string | null | undefined]>): CardElement {
  return { type: 'FactSet', facts: pairs.filter(([, v]) => v).map(([title, value]) => ({ title, value: value as string })) };
}

export function execute(title: string, verb: Verb, data: Record<string, unknown> = {}, options: Record<string, unknown> = {}): CardElement {
  return { type: 'Action.Execute', title, verb, data: { ...data, verb }, ...options };
}

export function showCard(title: string, inner: CardElement[], submit: CardElement): CardElement {
  return { type: 'Action.ShowCard', title, card: { type: 'AdaptiveCard', body: inner, actions: [submit] } };
}

export function actionSet(actions: CardElement[]): CardElement {
  return { type: 'ActionSet', actions };
}

export function choices(options: Array<[value: string, title: string]>): Array<{ title: string; value: string }> {
  return options.map(([value, title]) => ({ title, value }));
}

/** Card text is Markdown: text someone typed must not turn into a link that hides where it points. */
export function plain(value: string): string {
  return value.replace(/\]\(/g, '] (');
}

export function clip(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1).trimEnd()}…` : value;
}
