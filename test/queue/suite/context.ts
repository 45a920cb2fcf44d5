// Per-test database context: a fresh database for each test, a settable clock and a service
// announcing to Slack and Teams triage. Tests that need a second replica call ctx.openReplica().
import { afterEach, beforeEach } from 'vitest';
import type { QueueDatabase } from '../../../src/queue/database.js';
import { TicketService } from '../../../src/queue/ticket-service.js';
import type { Platform } from '../../../src/core/types.js';
import type { DbFactory } from '../db-factories.js';
import { testClock, type TestClock } from '../fixtures.js';

export type FactoryMaker = () => DbFactory;

export interface QueueContext {
  factory: DbFactory;
  qdb: QueueDatabase;
  clock: TestClock;
  service: TicketService;
  /** Another independently opened database (own connection or pool) with its own service. */
  openReplica(): Promise<{ qdb: QueueDatabase; service: TicketService }>;
}

export const TRIAGE: Platform[] = ['slack', 'teams'];
/** A Wednesday, well clear of weekends unless a test moves it. */
export const START = '2026-11-04T10:00:00.000Z';

export function useQueueDb(make: FactoryMaker): QueueContext {
  const ctx = {} as QueueContext;
  beforeEach(async () => {
    ctx.factory = make();
    ctx.clock = testClock(START);
    ctx.qdb = await ctx.factory.open();
    ctx.service = new TicketService({ db: ctx.qdb.db, clock: ctx.clock, slaWorkingDays: 2, triagePlatforms: TRIAGE });
    ctx.openReplica = async () => {
      const qdb = await ctx.factory.open();
      return { qdb, service: new TicketService({ db: qdb.db, clock: ctx.clock, slaWorkingDays: 2, triagePlatforms: TRIAGE }) };
    };
  });
  afterEach(async () => {
    await ctx.factory.destroy();
  });
  return ctx;
}

export function must<T>(r: { ok: true; value: T } | { ok: false; reason: string }): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r.value;
}
