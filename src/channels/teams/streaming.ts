// Teams' streaming protocol for one-to-one chats: an informative update ("Searching guidance…"),
// then typing activities carrying the text so far (streamType 'streaming'), then the final
// message (streamType 'final'). Every update after the first names the stream id Teams returned
// for the first. Teams throttles streams to about one update a second, so text is coalesced.
import type { Activity, Entity } from 'botbuilder';

export type SendActivity = (activity: Partial<Activity>) => Promise<{ id?: string } | undefined>;

export interface StreamOptions {
  /** Minimum gap between updates. Default 1000 ms (Teams' limit). */
  intervalMs?: number;
  /** Informative text is capped at 1,000 characters by Teams. */
  maxInformativeChars?: number;
}

type StreamType = 'informative' | 'streaming' | 'final';

export class TeamsStream {
  private streamId: string | undefined;
  private sequence = 0;
  private text = '';
  private sentText = '';
  private lastSentAt = 0;
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private ended = false;
  private failed: unknown;
  private readonly intervalMs: number;

  constructor(
    private readonly send: SendActivity,
    options: StreamOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 1000;
  }

  get id(): string | undefined {
    return this.streamId;
  }

  /** A progress line; only shown before any answer text has been streamed. */
  informative(status: string): Promise<void> {
    if (this.ended || this.text) return this.chain;
    const textValue = status.slice(0, 1000);
    return this.enqueue(() => this.post('typing', 'informative', textValue));
  }

  append(token: string): void {
    if (this.ended || !token) return;
    this.text += token;
    this.schedule();
  }

  /** Sends the final message (the caller's rendered answer), closing the stream. */
  async finish(final: Partial<Activity>): Promise<{ id?: string } | undefined> {
    this.ended = true;
    clearTimeout(this.timer);
    await this.chain;
    // With no update accepted there is no stream to close, and after a failed update Teams may have
    // dropped it: either way the answer goes as an ordinary message.
    if (!this.streamId || this.failed) return this.send(final);
    const wait = this.lastSentAt + this.intervalMs - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    return this.send(withStream(final, 'final', this.streamId));
  }

  private schedule(): void {
    if (this.timer || this.ended) return;
    const wait = Math.max(0, this.lastSentAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.ended || this.text === this.sentText) return;
      const snapshot = this.text;
      void this.enqueue(async () => {
        await this.post('typing', 'streaming', snapshot);
        this.sentText = snapshot;
        // More text may have arrived while this update was in flight.
        if (this.text !== this.sentText) this.schedule();
      });
    }, wait);
    this.timer.unref?.();
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(async () => {
      // After a failed update the stream is abandoned; finish() still sends the answer.
      if (this.failed) return;
      try {
        await step();
      } catch (err) {
        this.failed = err;
      }
    });
    return this.chain;
  }

  private async post(type: 'typing', streamType: StreamType, value: string): Promise<void> {
    this.sequence += 1;
    const res = await this.send({
      type,
      text: value,
      channelData: { streamType, streamSequence: this.sequence, ...(this.streamId ? { streamId: this.streamId } : {}) },
      entities: [streamInfo(streamType, this.sequence, this.streamId)],
    });
    this.lastSentAt = Date.now();
    this.streamId ??= res?.id;
  }
}

function streamInfo(streamType: StreamType, sequence: number | undefined, streamId: string | undefined): Entity {
  return { type: 'streaminfo', streamType, ...(sequence !== undefined ? { streamSequence: sequence } : {}), ...(streamId ? { streamId } : {}) };
}

function withStream(final: Partial<Activity>, streamType: 'final', streamId: string | undefined): Partial<Activity> {
  const channelData = { ...(final.channelData as Record<string, unknown> | undefined), streamType, ...(streamId ? { streamId } : {}) };
  return { ...final, channelData, entities: [...(final.entities ?? []), streamInfo(streamType, undefined, streamId)] };
}
