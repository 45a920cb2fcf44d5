// Crash safety: a replica killed with SIGKILL after committing a ticket (before or during delivery)
// loses nothing, and its notification reaches a real HTTP receiver exactly once.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { OutboxWorker } from '../../../src/queue/outbox.js';
import { TicketService } from '../../../src/queue/ticket-service.js';
import { createMemoryLogger } from '../../../src/shared/logger.js';
import type { DbFactory } from '../db-factories.js';
import { startReceiver } from '../fixtures.js';
import { httpHandler } from './outbox.js';
import type { FactoryMaker } from './context.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs the child until it has printed `waitFor`, then SIGKILLs it (or lets it kill itself). */
function runDoomedChild(factory: DbFactory, mode: 'after-commit' | 'mid-delivery'): Promise<{ lines: string[]; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/run-ts.js', 'test/queue/fixtures/worker-child.ts', JSON.stringify(factory.options()), mode], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      lines.push(...chunk.split('\n').filter(Boolean));
      if (mode === 'mid-delivery' && lines.some((l) => l.startsWith('delivering'))) child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child exited with ${code}: ${stderr}`));
      else resolve({ lines, signal });
    });
  });
}

export function crashSuite(make: FactoryMaker): void {
  let factory: DbFactory;
  beforeEach(() => {
    factory = make();
  });
  afterEach(async () => {
    await factory.destroy();
  });

  for (const mode of ['after-commit', 'mid-delivery'] as const) {
    it(`delivers exactly once after a replica is SIGKILLed ${mode === 'after-commit' ? 'right after commit' : 'during delivery'}`, async () => {
      const qdb = await factory.open(); // migrates before the child starts
      const receiver = await startReceiver();
      try {
        const child = await runDoomedChild(factory, mode);
        expect(child.signal).toBe('SIGKILL');
        const id = Number(child.lines.find((l) => l.startsWith('created'))!.split(' ')[1]);
        const service = new TicketService({ db: qdb.db, slaWorkingDays: 2, triagePlatforms: ['slack'] });
        const [item] = await service.outbox.forTicket(id);
        expect(item).toMatchObject({ status: 'pending', kind: 'ticket_created', attempts: mode === 'after-commit' ? 0 : 1 });
        if (mode === 'mid-delivery') expect(child.lines).toContain(`delivering ${item!.idempotencyKey}`);

        // The dead child's 10-minute lease blocks delivery until it runs out.
        const later = () => new Date(Date.now() + (mode === 'mid-delivery' ? 601_000 : 0));
        const survivor = new OutboxWorker({ db: qdb.db, service, handlers: { slack: httpHandler(receiver.url) }, clock: later, logger: createMemoryLogger() });
        if (mode === 'mid-delivery') {
          const early = new OutboxWorker({ db: qdb.db, service, handlers: { slack: httpHandler(receiver.url) }, logger: createMemoryLogger() });
          expect((await early.drain()).delivered).toBe(0);
        }
        expect(await survivor.drain()).toEqual({ delivered: 1, retried: 0, failed: 0 });

        // A restarted worker on a fresh connection finds nothing more to send.
        const restartedDb = await factory.open();
        const restarted = new OutboxWorker({
          db: restartedDb.db,
          service: new TicketService({ db: restartedDb.db, slaWorkingDays: 2, triagePlatforms: ['slack'] }),
          handlers: { slack: httpHandler(receiver.url) },
          clock: () => new Date(Date.now() + 3_600_000),
          logger: createMemoryLogger(),
        });
        expect((await restarted.drain()).delivered).toBe(0);

        expect(receiver.requests).toHaveLength(1);
        expect(receiver.requests[0]).toMatchObject({ method: 'POST', idempotencyKey: `ticket_created:${id}:1:slack`, body: { kind: 'ticket_created' } });
        expect((await service.outbox.forTicket(id))[0]).toMatchObject({ status: 'delivered' });
      } finally {
        await receiver.close();
      }
    });
  }
}
