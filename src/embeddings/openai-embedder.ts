// OpenAI, Azure OpenAI or any OpenAI-compatible server, through the official SDK.
import OpenAI, { AzureOpenAI } from 'openai';
import { ProviderError } from '../shared/errors.js';
import type { Embedder } from './embedder.js';

export interface OpenAIEmbedderOptions {
  client: OpenAI;
  model: string;
  /** Distinguishes providers in the index's record of who built it. */
  provider: 'openai' | 'azure';
  batchSize?: number;
}

export class OpenAIEmbedder implements Embedder {
  readonly id: string;
  constructor(private readonly options: OpenAIEmbedderOptions) {
    this.id = `${options.provider}:${options.model}`;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const batch = this.options.batchSize ?? 128;
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += batch) {
      const input = texts.slice(i, i + batch);
      try {
        const res = await this.options.client.embeddings.create({ model: this.options.model, input });
        const sorted = [...res.data].sort((a, b) => a.index - b.index);
        if (sorted.length !== input.length) throw new Error(`expected ${input.length} embeddings, got ${sorted.length}`);
        out.push(...sorted.map((d) => d.embedding));
      } catch (err) {
        throw toProviderError('embeddings', err);
      }
    }
    return out;
  }

  async embedQuery(text: string): Promise<number[]> {
    const [v] = await this.embedDocuments([text]);
    return v!;
  }
}

export function toProviderError(what: string, err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  if (err instanceof OpenAI.APIError) {
    const status = err.status;
    const retryAfter = Number(err.headers?.get?.('retry-after'));
    return new ProviderError(`${what} request failed (${status ?? 'no status'}): ${err.message}`, {
      cause: err,
      status,
      isRetryable: status === undefined || status === 429 || status >= 500,
      retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined,
    });
  }
  return new ProviderError(`${what} request failed: ${err instanceof Error ? err.message : String(err)}`, {
    cause: err,
    isRetryable: true,
  });
}

export function createOpenAIClient(
  settings:
    | { provider: 'openai'; apiKey: string; baseUrl?: string }
    | { provider: 'azure'; apiKey: string; endpoint: string; apiVersion: string; deployment: string },
  timeoutMs: number,
): OpenAI {
  if (settings.provider === 'azure') {
    return new AzureOpenAI({
      apiKey: settings.apiKey,
      endpoint: settings.endpoint,
      apiVersion: settings.apiVersion,
      deployment: settings.deployment,
      timeout: timeoutMs,
      maxRetries: 1,
    });
  }
  return new OpenAI({ apiKey: settings.apiKey, baseURL: settings.baseUrl, timeout: timeoutMs, maxRetries: 1 });
}
