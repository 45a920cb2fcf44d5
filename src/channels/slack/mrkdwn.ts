// Markdown (what the core writes) to Slack mrkdwn (what Slack renders), and splitting mrkdwn to
// Slack's size limits without breaking a link, an entity or a code block.

const SECTION_LIMIT = 3000;

/** Escapes the three characters Slack treats as control characters in mrkdwn. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A link Slack renders: `<url|label>`; the label cannot contain `|` or `>`, the URL no spaces. */
export function mrkdwnLink(url: string, label: string): string {
  const safeUrl = url.replace(/[\s<>|]/g, encodeURIComponent);
  const safeLabel = escapeMrkdwn(label.replace(/\|/g, '¦').replace(/[*_~`]/g, '')).trim();
  return safeLabel ? `<${safeUrl}|${safeLabel}>` : `<${safeUrl}>`;
}

const BULLETS = ['•', '◦', '▪'];
// Private-use characters mark spans already converted, so later passes do not touch them.
const HOLD_OPEN = '\uE000';
const HOLD_CLOSE = '\uE001';
const BOLD = '\uE002';

/** Converts Markdown to mrkdwn: emphasis, links, headings, lists, quotes and code. */
export function markdownToMrkdwn(markdown: string): string {
  const out: string[] = [];
  let inFence = false;
  for (const rawLine of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const fence = /^\s*(```|~~~)/.exec(rawLine);
    if (fence) {
      // Slack ignores a language tag after the fence and would print it, so it is dropped.
      out.push('```');
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out.push(escapeMrkdwn(rawLine));
      continue;
    }
    out.push(convertLine(rawLine));
  }
  if (inFence) out.push('```');
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function convertLine(line: string): string {
  if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) return '';
  const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
  if (heading) return `*${stripEmphasis(inline(heading[1] ?? ''))}*`;
  const quote = /^\s{0,3}>\s?(.*)$/.exec(line);
  if (quote) return `>${quote[1] ? ' ' + inline(quote[1]) : ''}`;
  const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
  if (bullet) {
    const level = Math.min(BULLETS.length - 1, Math.floor((bullet[1] ?? '').replace(/\t/g, '    ').length / 2));
    return `${'    '.repeat(level)}${BULLETS[level]} ${inline(bullet[2] ?? '')}`;
  }
  const numbered = /^(\s*)(\d{1,3})[.)]\s+(.*)$/.exec(line);
  if (numbered) {
    const level = Math.floor((numbered[1] ?? '').replace(/\t/g, '    ').length / 2);
    return `${'    '.repeat(level)}${numbered[2]}. ${inline(numbered[3] ?? '')}`;
  }
  return inline(line);
}

/** Inline Markdown → mrkdwn for one line of text. */
function inline(text: string): string {
  const held: string[] = [];
  const hold = (s: string) => `${HOLD_OPEN}${held.push(s) - 1}${HOLD_CLOSE}`;

  let s = text
    // Code spans first: nothing inside them is formatting.
    .replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, (_, _ticks: string, code: string) => hold('`' + escapeMrkdwn(code.trim()) + '`'))
    // Images become links to the image; Slack would not show them inline in a section anyway.
    .replace(/!\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g, (_, alt: string, url: string) => hold(safeLink(url, alt || url)))
    .replace(/\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g, (whole: string, label: string, url: string) => {
      const link = safeLink(url, label);
      return link ? hold(link) : whole;
    })
    // Autolinks <https://…> would otherwise be escaped into visible angle brackets.
    .replace(/<((?:https?|mailto):[^\s>]+)>/g, (_, url: string) => hold(`<${url}>`));

  s = escapeMrkdwn(s)
    .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, `${BOLD}$1${BOLD}`)
    .replace(/(^|[^\w])__(?=\S)([\s\S]*?\S)__(?!\w)/g, `$1${BOLD}$2${BOLD}`)
    .replace(/(^|[^\w*])\*(?=[^\s*])([^*\n]*?[^\s*])\*(?![\w*])/g, '$1_$2_')
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '~$1~')
    .replace(new RegExp(BOLD, 'g'), '*');

  return s.replace(new RegExp(`${HOLD_OPEN}(\\d+)${HOLD_CLOSE}`, 'g'), (_, i: string) => held[Number(i)] ?? '');
}

function safeLink(url: string, label: string): string {
  // Only web and mail links: a javascript: or slack:// target must not become clickable.
  if (!/^(https?:\/\/|mailto:)/i.test(url)) return '';
  return mrkdwnLink(url, label);
}

function stripEmphasis(text: string): string {
  return text.replace(/(^|\s)[*_]+|[*_]+(?=\s|$)/g, '$1');
}

/**
 * Splits mrkdwn into pieces of at most `limit` characters, preferring paragraph, then line, then
 * word boundaries, never cutting inside `<…>` (a link or mention) or an `&…;` entity, and closing
 * and reopening a code block that spans a cut.
 */
export function splitMrkdwn(text: string, limit = SECTION_LIMIT): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  let reopenFence = false;
  while (rest.length > 0) {
    if (reopenFence) rest = '```\n' + rest;
    if (rest.length <= limit) {
      pieces.push(rest);
      break;
    }
    // Leave room to close a code block that the cut would leave open.
    const budget = limit - 4;
    let cut = lastBoundary(rest, budget);
    cut = avoidOpenTokens(rest, cut);
    let piece = rest.slice(0, cut).trimEnd();
    const openFence = (piece.match(/```/g)?.length ?? 0) % 2 === 1;
    if (openFence) piece += '\n```';
    reopenFence = openFence;
    pieces.push(piece);
    rest = rest.slice(cut).trimStart();
  }
  return pieces.filter((p) => p.replace(/```/g, '').trim().length > 0);
}

function lastBoundary(text: string, budget: number): number {
  const window = text.slice(0, budget + 1);
  const minUseful = Math.floor(budget * 0.3);
  for (const sep of ['\n\n', '\n', '. ', ' ']) {
    const at = window.lastIndexOf(sep);
    if (at >= minUseful) return at + (sep === '. ' ? 1 : 0);
  }
  return budget;
}

/** Moves a cut back so it does not fall inside `<…>` or an `&…;` entity. */
function avoidOpenTokens(text: string, cut: number): number {
  const head = text.slice(0, cut);
  const lt = head.lastIndexOf('<');
  if (lt > head.lastIndexOf('>') && lt > 0) cut = lt;
  const amp = text.slice(0, cut).lastIndexOf('&');
  if (amp >= 0 && amp > cut - 8 && !text.slice(amp, cut).includes(';') && /^&[a-z#0-9]*$/i.test(text.slice(amp, cut))) cut = amp;
  return Math.max(1, cut);
}

/** Cuts text to `max` characters on a word boundary, with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return (space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd() + '…';
}

/** Slack message text (as users type it) to plain text for the core: mentions, links, entities. */
export function slackTextToPlain(text: string, botUserId?: string): string {
  return text
    .replace(/<@([A-Z0-9]+)(?:\|[^>]*)?>/g, (_, id: string) => (id === botUserId ? '' : '@someone'))
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<!(?:here|channel|everyone)[^>]*>/g, '')
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/g, (_, name?: string) => name ?? '@team')
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<((?:https?|mailto):[^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .trim();
}
