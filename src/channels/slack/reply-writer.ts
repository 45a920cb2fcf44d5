// Where an answer goes: a channel thread or DM (posted with the Web API, streamed while the model
// writes), or a slash command's response_url. The final message always carries the full Block Kit
// answer, whatever was shown while streaming.
import type { Logger } from '../../shared/logger.js';
import type { SlackMessage } from './answer-blocks.js';
import { markdownToMrkdwn, truncate } from './mrkdwn.js';
import { slackErrorCode, type WebClient } from './slack-api.js';

export interface Replier {
  /** Receives model tokens as they arrive; absent when this surface cannot stream. */
  onToken?: (text: string) => void;
  /** Posts (or finalises) the answer; resolves with the first message's ts when known. */
  finish(messages: SlackMessage[]): Promise<string | undefined>;
}

export interface ThreadTarget {
  channel: string;
  /** Reply in this thread; absent for a top-level reply (a DM). */
  threadTs?: string;
  userId: string;
  teamId?: string;
}

type Mode = 'stream' | 'update';

/**
 * Posts into a conversation. While a model streams, it uses chat.startStream / appendStream /
 * stopStream (Slack's streaming messages need a thread); if those are unavailable it falls back
 * to one placeholder message refreshed with chat.update. Either way at most one call a second.
 */
export class ThreadReplier implements Replier {
  readonly onToken?: (text: string) => void;
  private mode: Mode;
  private ts: string | undefined;
  private streamOpen = false;
  private pending = '';
  private shown = '';
  private lastFlush = 0;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private finished = false;
  private readonly intervalMs: number;

  constructor(
    private readonly api: WebClient,
    private readonly target: ThreadTarget,
    private readonly logger: Logger,
    options: { streaming: boolean; intervalMs?: number },
  ) {
    this.mode = target.threadTs ? 'stream' : 'update';
    this.intervalMs = options.intervalMs ?? 1000;
    if (options.streaming) this.onToken = (text) => this.token(text);
  }

  async finish(messages: SlackMessage[]): Promise<string | undefined> {
    this.finished = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.chain;
    const [first, ...rest] = messages;
    if (!first) return this.ts;
    let firstTs: string | undefined;
    if (this.ts) {
      if (this.streamOpen) {
        this.streamOpen = false;
        await this.api.chat.stopStream({ channel: this.target.channel, ts: this.ts }).catch((err: unknown) => {
          this.logger.debug('slack stream stop failed', { error: slackErrorCode(err) });
        });
      }
      await this.api.chat.update({ channel: this.target.channel, ts: this.ts, text: first.text, blocks: first.blocks });
      firstTs = this.ts;
    } else {
      firstTs = await this.post(first);
    }
    for (const m of rest) await this.post(m);
    return firstTs;
  }

  private async post(message: SlackMessage): Promise<string | undefined> {
    const res = await this.api.chat.postMessage({
      channel: this.target.channel,
      ...(this.target.threadTs ? { thread_ts: this.target.threadTs } : {}),
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      unfurl_media: false,
    });
    return res.ts;
  }

  private token(text: string): void {
    if (this.finished || !text) return;
    this.pending += text;
    if (this.timer) return;
    const wait = Math.max(0, this.lastFlush + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.chain = this.chain.then(() => this.flush());
    }, wait);
  }

  private async flush(): Promise<void> {
    if (this.finished || !this.pending) return;
    this.lastFlush = Date.now();
    const chunk = this.pending;
    this.pending = '';
    this.shown += chunk;
    if (this.mode === 'stream') {
      try {
        await this.streamChunk(chunk);
        return;
      } catch (err) {
        this.logger.debug('slack streaming unavailable; updating a message instead', { error: slackErrorCode(err) });
        this.mode = 'update';
        if (this.streamOpen && this.ts) {
          this.streamOpen = false;
          await this.api.chat.stopStream({ channel: this.target.channel, ts: this.ts }).catch(() => undefined);
        }
      }
    }
    await this.updateChunk().catch((err: unknown) => {
      this.logger.debug('slack progressive update failed', { error: slackErrorCode(err) });
    });
  }

  private async streamChunk(chunk: string): Promise<void> {
    const { channel, threadTs, userId, teamId } = this.target;
    if (!this.ts) {
      const res = await this.api.chat.startStream({
        channel,
        thread_ts: threadTs!,
        markdown_text: chunk,
        recipient_user_id: userId,
        ...(teamId ? { recipient_team_id: teamId } : {}),
      });
      if (!res.ts) throw new Error('chat.startStream returned no ts');
      this.ts = res.ts;
      this.streamOpen = true;
      return;
    }
    await this.api.chat.appendStream({ channel, ts: this.ts, markdown_text: chunk });
  }

  private async updateChunk(): Promise<void> {
    const text = truncate(markdownToMrkdwn(this.shown), 2900) + ' …';
    if (!this.ts) {
      const res = await this.api.chat.postMessage({
        channel: this.target.channel,
        ...(this.target.threadTs ? { thread_ts: this.target.threadTs } : {}),
        text,
        unfurl_links: false,
      });
      this.ts = res.ts;
      return;
    }
    await this.api.chat.update({ channel: this.target.channel, ts: this.ts, text });
  }
}

/** Answers a slash command through its response_url (ephemeral, replacing the "Searching…" note). */
export class ResponseUrlReplier implements Replier {
  constructor(private readonly respond: (message: Record<string, unknown>) => Promise<unknown>) {}

  async finish(messages: SlackMessage[]): Promise<string | undefined> {
    let first = true;
    for (const m of messages) {
      await this.respond({ response_type: 'ephemeral', replace_original: first, text: m.text, blocks: m.blocks });
      first = false;
    }
    return undefined;
  }
}
