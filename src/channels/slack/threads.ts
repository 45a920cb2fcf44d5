// Threads the assistant has answered in, kept in the shared store so that any replica recognises
// a follow-up without a new @mention, and the thread history read back from Slack for the core.
import type { Citation, Turn } from '../../core/types.js';
import type { Settings } from '../../queue/index.js';
import type { Category } from '../../queue/types.js';
import { slackTextToPlain } from './mrkdwn.js';
import type { WebClient } from './slack-api.js';

export interface ThreadMemory {
  answeredAt: string;
  category?: Category;
  /** Sources of the latest answer, attached to a ticket raised from this thread. */
  citations: Citation[];
}

const key = (channel: string, threadTs: string) => `slack:thread:${channel}:${threadTs}`;

export async function rememberThread(settings: Settings, channel: string, threadTs: string, memory: Omit<ThreadMemory, 'answeredAt'>): Promise<void> {
  const citations = memory.citations.slice(0, 5).map((c) => ({ ...c, snippet: c.snippet.slice(0, 300) }));
  await settings.set(key(channel, threadTs), { answeredAt: new Date().toISOString(), category: memory.category, citations } satisfies ThreadMemory);
}

export function threadMemory(settings: Settings, channel: string, threadTs: string): Promise<ThreadMemory | null> {
  return settings.get<ThreadMemory>(key(channel, threadTs));
}

interface SlackMessageLike {
  ts?: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  text?: string;
}

/**
 * The thread as turns, oldest first, up to (not including) the message being answered. The core redacts the
 * history itself; this only reshapes it. At most `maxTurns`, the most recent ones.
 */
export async function threadHistory(
  api: WebClient,
  args: { channel: string; threadTs: string; excludeTs?: string; botUserId?: string; botId?: string; maxTurns?: number },
): Promise<Turn[]> {
  const res = await api.conversations.replies({ channel: args.channel, ts: args.threadTs, limit: 50 });
  const messages = (res.messages ?? []) as SlackMessageLike[];
  const turns: Turn[] = [];
  for (const m of messages) {
    // Only what came before the message being answered.
    if (!m.ts || (args.excludeTs && Number(m.ts) >= Number(args.excludeTs))) continue;
    if (m.subtype && m.subtype !== 'bot_message' && m.subtype !== 'file_share' && m.subtype !== 'thread_broadcast') continue;
    const fromBot = Boolean((args.botUserId && m.user === args.botUserId) || (args.botId && m.bot_id === args.botId));
    if (!fromBot && (m.bot_id || m.subtype === 'bot_message')) continue;
    const text = slackTextToPlain(m.text ?? '', args.botUserId);
    if (!text) continue;
    turns.push({ role: fromBot ? 'assistant' : 'user', text: text.slice(0, 4000) });
  }
  return turns.slice(-(args.maxTurns ?? 10));
}
