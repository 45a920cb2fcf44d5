// The answer queue: a few jobs at a time, first come first served, and pending I/O served first.
import { describe, expect, it } from 'vitest';
import { WorkQueue, answerConcurrency } from '../../../src/channels/slack/work-queue.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('WorkQueue', () => {
  it('runs at most `concurrency` jobs at once, in arrival order', async () => {
    const q = new WorkQueue(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const jobs = Array.from({ length: 6 }, (_, i) =>
      q.run(async () => {
        running += 1;
        peak = Math.max(peak, running);
        order.push(i);
        await tick();
        running -= 1;
        return i;
      }),
    );
    expect(q.queued).toBe(4);
    expect(await Promise.all(jobs)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(q.queued).toBe(0);
  });

  it('keeps going after a job fails', async () => {
    const q = new WorkQueue(1);
    const failed = q.run(async () => {
      throw new Error('boom');
    });
    const next = q.run(async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe('ok');
  });

  it('lets timers and I/O that are already due run before a job starts', async () => {
    const q = new WorkQueue(1);
    const seen: string[] = [];
    setImmediate(() => seen.push('io'));
    await q.run(async () => {
      seen.push('job');
    });
    expect(seen).toEqual(['io', 'job']);
  });

  it('answers one at a time without a model, several while waiting on one', () => {
    expect(answerConcurrency(false, 4)).toBe(1);
    expect(answerConcurrency(true, 4)).toBe(8);
    expect(answerConcurrency(true, 1)).toBe(2);
    expect(() => new WorkQueue(0)).toThrow();
  });
});
