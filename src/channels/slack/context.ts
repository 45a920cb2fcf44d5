// What every Slack handler shares: the channel dependencies, the Web API clients, the bot's own
// identity and the support-team check. Built once in createSlackChannel.
import type { ChannelDeps } from '../channel.js';
import type { Logger } from '../../shared/logger.js';
import type { SlackClients, WebClient } from './slack-api.js';
import type { SupportTeam } from './support-team.js';
import type { WorkQueue } from './work-queue.js';

export interface BotIdentity {
  botUserId?: string;
  botId?: string;
  teamId?: string;
}

export interface SlackContext {
  deps: ChannelDeps;
  logger: Logger;
  api: WebClient;
  clients: SlackClients;
  /** The bot's own ids (auth.test), cached; empty while Slack cannot be reached. */
  identity(): Promise<BotIdentity>;
  supportTeam: SupportTeam;
  /** Whether answers may stream (a language model is configured). */
  streaming: boolean;
  /** Runs calls to the core a few at a time, so acknowledgements are never starved. */
  answers: WorkQueue;
}

/**
 * Runs work after the ack, at most once per key set across all replicas: each key is claimed in
 * the shared store, and the first key already claimed means a retry or a duplicate delivery.
 */
export function runOnce(ctx: SlackContext, keys: string[], label: string, work: () => Promise<void>): void {
  const job = (async () => {
    for (const key of keys) {
      let claimed: boolean;
      try {
        claimed = await ctx.deps.processedEvents.claim(key);
      } catch (err) {
        // Answering twice is better than never answering while the store is briefly unavailable.
        ctx.logger.warn('could not record a slack event as processed; handling it anyway', { error: err instanceof Error ? err.message : String(err) });
        claimed = true;
      }
      if (!claimed) {
        ctx.logger.debug('slack duplicate delivery ignored', { label, key });
        return;
      }
    }
    await work();
  })().catch((err: unknown) => {
    ctx.logger.error('slack handler failed', { label, error: err instanceof Error ? err : String(err) });
  });
  void ctx.deps.track(job);
}

/** Runs background work so shutdown waits for it, logging (never throwing) a failure. */
export function runInBackground(ctx: SlackContext, label: string, work: () => Promise<void>): void {
  void ctx.deps.track(
    work().catch((err: unknown) => {
      ctx.logger.error('slack background work failed', { label, error: err instanceof Error ? err : String(err) });
    }),
  );
}
