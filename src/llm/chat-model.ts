// The language-model port: a list of messages in, text out, optionally streamed.
import type OpenAI from 'openai';
import { toProviderError } from '../embeddings/openai-embedder.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface CompleteOptions {
  temperature?: number;
  maxTokens?: number;
  /** Ask the model for a JSON object (structured output). */
  json?: boolean;
  onToken?: (text: string) => void;
  signal?: AbortSignal;
}

export interface ChatModel {
  readonly id: string;
  complete(messages: ChatMessage[], options?: CompleteOptions): Promise<string>;
}

export class OpenAIChatModel implements ChatModel {
  readonly id: string;
  constructor(
    private readonly client: OpenAI,
    private readonly model: string,
  ) {
    this.id = `openai:${model}`;
  }

  async complete(messages: ChatMessage[], options: CompleteOptions = {}): Promise<string> {
    const base = {
      model: this.model,
      messages,
      temperature: options.temperature,
      max_tokens: options.maxTokens,
      ...(options.json ? { response_format: { type: 'json_object' as const } } : {}),
    };
    try {
      if (options.onToken) {
        const stream = await this.client.chat.completions.create({ ...base, stream: true }, { signal: options.signal });
        let text = '';
        for await (const part of stream) {
          const delta = part.choices[0]?.delta?.content ?? '';
          if (delta) {
            text += delta;
            options.onToken(delta);
          }
        }
        return text;
      }
      const res = await this.client.chat.completions.create(base, { signal: options.signal });
      const content = res.choices[0]?.message?.content;
      if (typeof content !== 'string') throw new Error('the model returned no message content');
      return content;
    } catch (err) {
      throw toProviderError('chat completion', err);
    }
  }
}

/** Caps concurrent model calls; callers beyond the cap wait their turn instead of piling on. */
export class ConcurrencyLimitedChatModel implements ChatModel {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(
    private readonly inner: ChatModel,
    private readonly limit: number,
  ) {}

  get id(): string {
    return this.inner.id;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async complete(messages: ChatMessage[], options?: CompleteOptions): Promise<string> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await this.inner.complete(messages, options);
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
