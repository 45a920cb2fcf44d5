// Answers are CPU work on the server's one event loop (embedding, retrieval and extractive
// answering run as an unbroken chain of microtasks). Many at once would starve incoming HTTP
// requests, and Slack retries any event not acknowledged within 3 seconds. So answers run through
// this FIFO queue, a few at a time, each starting only after pending I/O (new requests) is served.

export class WorkQueue {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('concurrency must be a positive integer');
  }

  /** Jobs waiting for a slot (for logs and tests). */
  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active < this.concurrency) this.active += 1;
    // When full, wait to be handed a finishing job's slot (first come, first served).
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      await new Promise<void>((resolve) => setImmediate(resolve));
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}

/**
 * One answer at a time when answering is all CPU (extractive); more when most of the time is spent
 * waiting for a language model, up to twice the model's own concurrency limit.
 */
export function answerConcurrency(llmConfigured: boolean, llmMaxConcurrency: number): number {
  return llmConfigured ? Math.max(2, llmMaxConcurrency * 2) : 1;
}
