// Reading what someone typed to the bot: the @mention and Teams' HTML taken out, then the
// commands from the app manifest (ask, request help, my requests, help) and the triage set-up phrase.
import { TurnContext, type Activity } from 'botbuilder';

export type Command =
  | { kind: 'help' }
  | { kind: 'myRequests' }
  | { kind: 'requestHelp'; details: string }
  | { kind: 'setTriage' }
  | { kind: 'ask'; question: string };

/** The message text with every @mention of the bot removed, tags stripped and entities decoded. */
export function messageText(activity: Partial<Activity>): string {
  let text = activity.text ?? '';
  if (activity.recipient?.id && text) {
    const copy = { ...activity, text } as Activity;
    // Teams can mention the bot more than once ("@Navigator … @Navigator"); remove them all.
    for (let i = 0; i < 5; i++) {
      const before = copy.text;
      TurnContext.removeRecipientMention(copy);
      if (copy.text === before) break;
    }
    text = copy.text ?? '';
  }
  return decodeEntities(text.replace(/<at>[^<]*<\/at>/gi, ' ').replace(/<br\s*\/?>/gi, '\n').replace(/<\/p>\s*<p>/gi, '\n').replace(/<[^>]+>/g, ''))
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}

function decodeEntities(text: string): string {
  return text
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

export function parseCommand(text: string): Command {
  const trimmed = text.trim().replace(/^\//, '');
  const bare = trimmed.toLowerCase().replace(/[.!?\s]+$/, '');
  if (bare === 'help' || bare === '?' || bare === 'commands' || bare === 'menu') return { kind: 'help' };
  if (/^(my (requests?|tickets?)|requests)$/.test(bare)) return { kind: 'myRequests' };
  if (/^use this (channel|chat) for triage\b/.test(bare)) return { kind: 'setTriage' };
  const help = /^(request (hands-on )?help|hands-on help|escalate)\b[:,]?\s*/i.exec(trimmed);
  if (help) return { kind: 'requestHelp', details: trimmed.slice(help[0].length).trim() };
  const ask = /^ask\b[:,]?\s*/i.exec(trimmed);
  if (ask) return { kind: 'ask', question: trimmed.slice(ask[0].length).trim() };
  return { kind: 'ask', question: trimmed };
}
