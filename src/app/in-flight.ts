// Counts work that outlives its HTTP request (answers sent after an ack), so shutdown can wait for it.

export class InFlight {
  private readonly pending = new Set<Promise<unknown>>();

  get size(): number {
    return this.pending.size;
  }

  track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const done = () => this.pending.delete(work);
    work.then(done, done);
    return work;
  }

  /** Resolves when everything in flight has finished, or after `timeoutMs`, whichever is first. */
  async settle(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending.size > 0 && Date.now() < deadline) {
      const remaining = deadline - Date.now();
      await Promise.race([Promise.allSettled([...this.pending]), new Promise((r) => setTimeout(r, remaining))]);
    }
    return this.pending.size === 0;
  }
}
