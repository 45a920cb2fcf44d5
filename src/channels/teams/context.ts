// What every Teams handler receives, and small readers over an incoming activity (who, where).
import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import type { ChannelDeps } from '../channel.js';
import type { Logger } from '../../shared/logger.js';
import type { TeamsAdapter } from './bot-adapter.js';
import type { TeamsConnector } from './connector.js';
import type { ConversationMemory } from './conversation-memory.js';
import type { SupportTeam } from './support-team.js';
import type { TriageTarget } from './triage-target.js';

export interface TeamsContext {
  deps: ChannelDeps;
  logger: Logger;
  adapter: TeamsAdapter;
  connector: TeamsConnector;
  memory: ConversationMemory;
  triage: TriageTarget;
  support: SupportTeam;
  /** Gap between streaming updates; Teams allows about one a second. */
  streamIntervalMs: number;
}

export interface TeamsUser {
  /** The AAD object id when Teams sends one (it does for tenant users), else the Bot Framework id. */
  id: string;
  botId: string;
  aadObjectId?: string;
  name?: string;
}

export function userOf(activity: Partial<Activity>): TeamsUser {
  const from = activity.from ?? { id: 'unknown', name: '' };
  const aad = from.aadObjectId || undefined;
  return { id: aad ?? from.id, botId: from.id, ...(aad ? { aadObjectId: aad } : {}), ...(from.name ? { name: from.name } : {}) };
}

export function isPersonal(activity: Partial<Activity>): boolean {
  // Teams always names the type; the Bot Framework Emulator does not, and its chats are one-to-one.
  const type = activity.conversation?.conversationType;
  return type ? type === 'personal' : !activity.conversation?.isGroup;
}

/** A channel thread's conversation id is the channel id plus ";messageid=<root>". */
export function baseConversationId(id: string): string {
  return id.split(';')[0]!;
}

/**
 * Where to send later messages for this activity's conversation (the requester's chat or channel
 * thread). Without an activity id, so they are new messages, not replies to a particular one.
 */
export function conversationReference(activity: Partial<Activity>): Partial<ConversationReference> {
  const ref = TurnContext.getConversationReference(activity);
  delete ref.activityId;
  return ref;
}

export function teamIdOf(activity: Partial<Activity>): string | undefined {
  const team = (activity.channelData as { team?: { id?: unknown } } | undefined)?.team;
  return typeof team?.id === 'string' ? team.id : undefined;
}

/** Errors as log fields: the message and code, never a stack with user data in it. */
export function errorFields(err: unknown): Record<string, unknown> {
  if (err instanceof Error) {
    const e = err as Error & { statusCode?: number; code?: string };
    return { error: e.message.slice(0, 300), ...(e.statusCode ? { status: e.statusCode } : {}), ...(e.code ? { code: e.code } : {}) };
  }
  return { error: String(err).slice(0, 300) };
}
