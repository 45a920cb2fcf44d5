// Outbox behaviour: written with the change or not at all, delivered through real HTTP with
// retries and Retry-After, failures kept, one delivery per item across workers, SLA warnings.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../src/shared/logger.js';
import { OutboxWorker, outcomeFromHttp } from '../../../src/queue/outbox.js';
import type { TicketService } from '../../../src/queue/ticket-service.js';
import type { DeliveryHandler, OutboxItem, Ticket } from '../../../src/queue/types.js';
import { ana, lead, requester, startReceiver, ticketInput } from '../fixtures.js';
import { must, useQueueDb, type FactoryMaker, type QueueContext } from './context.js';

/** A handler that POSTs the item to a URL, carrying the idempotency key as a header. */
export function httpHandler(url: string): DeliveryHandler {
  return async (item: OutboxItem, ticket: Ticket) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': item.idempotencyKey },
      body: JSON.stringify({ kind: item.kind, reference: ticket.reference, payload: item.payload }),
    });
    return outcomeFromHttp(res.status, res.headers.get('retry-after'), await res.text());
  };
}

function worker(ctx: QueueContext, handlers: ConstructorParameters<typeof OutboxWorker>[0]['handlers'], extra: Partial<ConstructorParameters<typeof OutboxWorker>[0]> = {}) {
  return new OutboxWorker({ db: ctx.qdb.db, service: ctx.service, handlers, clock: ctx.clock, logger: createMemoryLogger(), random: () => 0.5, ...extra });
}

async function failAuditOn(ctx: QueueContext, action: string): Promise<void> {
  const db = ctx.qdb.db;
  if (ctx.qdb.dialect === 'sqlite') {
    await sql.raw(`create trigger fail_audit before insert on ticket_audit when new.action = '${action}' begin select raise(abort, 'audit store broken'); end`).execute(db);
  } else {
    await sql.raw(`create or replace function fail_audit() returns trigger language plpgsql as $$ begin if new.action = '${action}' then raise exception 'audit store broken'; end if; return new; end $$`).execute(db);
    await sql.raw('create trigger fail_audit before insert on ticket_audit for each row execute function fail_audit()').execute(db);
  }
}

async function slackOnly(ctx: QueueContext): Promise<TicketService> {
  const { TicketService } = await import('../../../src/queue/ticket-service.js');
  return new TicketService({ db: ctx.qdb.db, clock: ctx.clock, slaWorkingDays: 2, triagePlatforms: ['slack'] });
}

export function outboxSuite(make: FactoryMaker): void {
  const ctx = useQueueDb(make);

  describe('transactional writes', () => {
    it('leaves no outbox item (nor ticket) when the change fails after writing it', async () => {
      const { ticket } = await ctx.service.create(ticketInput(), lead);
      const before = await ctx.service.outbox.forTicket(ticket.id);
      await failAuditOn(ctx, 'claimed');
      await expect(ctx.service.claim(ticket.id, ana)).rejects.toThrow(/audit store broken/);
      expect(await ctx.service.outbox.forTicket(ticket.id)).toEqual(before);
      expect((await ctx.service.get(ticket.id))).toMatchObject({ assignee: null, status: 'new', version: 1 });

      await sql.raw(ctx.qdb.dialect === 'sqlite' ? 'drop trigger fail_audit' : 'drop trigger fail_audit on ticket_audit').execute(ctx.qdb.db);
      await failAuditOn(ctx, 'created');
      await expect(ctx.service.create(ticketInput(), lead)).rejects.toThrow(/audit store broken/);
      expect(await ctx.service.count()).toBe(1);
      expect((await ctx.service.outbox.stats()).pending).toBe(before.length);
    });
  });

  describe('worker', () => {
    it('retries a 500 with backoff, then delivers exactly once with the idempotency key', async () => {
      const receiver = await startReceiver([{ status: 500 }]);
      try {
        const service = await slackOnly(ctx);
        const { ticket } = await service.create(ticketInput(), lead);
        const w = worker(ctx, { slack: httpHandler(receiver.url) }, { baseDelayMs: 1000 });
        expect(await w.drain()).toEqual({ delivered: 0, retried: 1, failed: 0 });
        const [item] = await service.outbox.forTicket(ticket.id);
        expect(item).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringContaining('HTTP 500') });
        // Equal jitter with random 0.5: 1000 × 2^0 × 0.75.
        expect(Date.parse(item!.nextAttemptAt) - ctx.clock().getTime()).toBe(750);
        expect(await w.drain()).toEqual({ delivered: 0, retried: 0, failed: 0 });
        ctx.clock.advance(750);
        expect(await w.drain()).toEqual({ delivered: 1, retried: 0, failed: 0 });
        expect(await w.drain()).toEqual({ delivered: 0, retried: 0, failed: 0 });
        expect(receiver.requests.map((r) => r.idempotencyKey)).toEqual([`ticket_created:${ticket.id}:1:slack`, `ticket_created:${ticket.id}:1:slack`]);
        expect((await service.outbox.forTicket(ticket.id))[0]).toMatchObject({ status: 'delivered', attempts: 2 });
      } finally {
        await receiver.close();
      }
    });

    it('waits exactly the Retry-After of a 429 before trying again', async () => {
      const receiver = await startReceiver([{ status: 429, headers: { 'retry-after': '30' } }]);
      try {
        const service = await slackOnly(ctx);
        await service.create(ticketInput(), lead);
        const w = worker(ctx, { slack: httpHandler(receiver.url) });
        expect((await w.drain()).retried).toBe(1);
        ctx.clock.advance(29_999);
        expect((await w.drain()).delivered).toBe(0);
        expect(receiver.requests).toHaveLength(1);
        ctx.clock.advance(1);
        expect((await w.drain()).delivered).toBe(1);
        expect(receiver.requests).toHaveLength(2);
        expect(await w.stats()).toMatchObject({ pending: 0, delivered: 1, failed: 0 });
      } finally {
        await receiver.close();
      }
    });

    it('keeps failed items with their error, lists them, and delivers them after retry()', async () => {
      const receiver = await startReceiver([{ status: 400 }, { status: 503 }, { status: 503 }]);
      try {
        const service = await slackOnly(ctx);
        const first = (await service.create(ticketInput(), lead)).ticket;
        const w = worker(ctx, { slack: httpHandler(receiver.url) }, { maxAttempts: 2, baseDelayMs: 10 });
        expect(await w.drain()).toEqual({ delivered: 0, retried: 0, failed: 1 }); // 400 is final
        const second = (await service.create(ticketInput(), lead)).ticket;
        expect((await w.drain()).retried).toBe(1); // 503, attempt 1 of 2
        ctx.clock.advance(60_000);
        expect((await w.drain()).failed).toBe(1); // 503 again: out of attempts
        const failed = await w.listFailed();
        expect(failed.map((f) => [f.ticketId, f.lastError?.slice(0, 8)])).toEqual([[second.id, 'HTTP 503'], [first.id, 'HTTP 400']]);
        expect(await w.stats()).toMatchObject({ failed: 2, pending: 0 });
        expect(await w.retry(failed[0]!.id)).toBe(true);
        expect(await w.retry(failed[0]!.id)).toBe(false);
        expect(await w.drain()).toEqual({ delivered: 1, retried: 0, failed: 0 });
        expect(await w.stats()).toMatchObject({ failed: 1, delivered: 1 });
      } finally {
        await receiver.close();
      }
    });

    it('counts a throwing handler as a retryable failure', async () => {
      const service = await slackOnly(ctx);
      await service.create(ticketInput(), lead);
      let calls = 0;
      const w = worker(ctx, {
        slack: async () => {
          calls += 1;
          if (calls === 1) throw new Error('socket hang up');
          return { ok: true };
        },
      });
      expect(await w.drain()).toEqual({ delivered: 0, retried: 1, failed: 0 });
      expect((await w.listFailed()).length).toBe(0);
      ctx.clock.advance(60_000);
      expect((await w.drain()).delivered).toBe(1);
    });

    it('leaves items for a platform without a handler pending and reports them; web replies need no handler', async () => {
      const web = requester('web');
      const { ticket } = await ctx.service.create(ticketInput({ requester: web }), lead);
      must(await ctx.service.reply(ticket.id, 'Here is our answer', ana));
      const seen: string[] = [];
      const w = worker(ctx, { slack: async (item) => (seen.push(item.idempotencyKey), { ok: true }) });
      const result = await w.drain();
      expect(result.delivered).toBe(3); // slack created, slack updated, web reply
      expect(seen).toEqual([`ticket_created:${ticket.id}:1:slack`, `ticket_updated:${ticket.id}:2:slack`]);
      const stats = await w.stats();
      expect(stats).toMatchObject({ pending: 2, pendingByPlatform: { teams: 2 }, unhandledPlatforms: ['teams'] });
      w.registerHandler('teams', async () => ({ ok: true }));
      expect((await w.drain()).delivered).toBe(2);
    });

    it('never lets two workers on separate connections deliver the same item', async () => {
      const service = await slackOnly(ctx);
      for (let i = 0; i < 30; i++) await service.create(ticketInput(), lead);
      const replica = await ctx.openReplica();
      const delivered: string[] = [];
      const slow: DeliveryHandler = async (item) => {
        delivered.push(item.idempotencyKey);
        await new Promise((r) => setTimeout(r, 2));
        return { ok: true };
      };
      const w1 = worker(ctx, { slack: slow }, { batchSize: 4 });
      const w2 = new OutboxWorker({ db: replica.qdb.db, service: replica.service, handlers: { slack: slow }, clock: ctx.clock, logger: createMemoryLogger(), batchSize: 4 });
      const [r1, r2] = await Promise.all([w1.drain(), w2.drain()]);
      expect(r1.delivered + r2.delivered).toBe(30);
      expect(new Set(delivered).size).toBe(30);
      expect(delivered).toHaveLength(30);
      expect(await w1.stats()).toMatchObject({ pending: 0, delivered: 30 });
    });

    it('runs on its own with start() and stops cleanly', async () => {
      const service = await slackOnly(ctx);
      await service.create(ticketInput(), lead);
      const got: string[] = [];
      const w = new OutboxWorker({ db: ctx.qdb.db, service, handlers: { slack: async (i) => (got.push(i.kind), { ok: true }) }, clock: ctx.clock, logger: createMemoryLogger(), pollMs: 10 });
      w.start();
      for (let i = 0; i < 100 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      await w.stop();
      expect(got).toEqual(['ticket_created']);
    });
  });

  describe('SLA warnings', () => {
    it('writes one sla_warning per triage platform for each overdue unanswered ticket, once', async () => {
      const late = (await ctx.service.create(ticketInput(), lead)).ticket;
      const answered = (await ctx.service.create(ticketInput(), lead)).ticket;
      must(await ctx.service.reply(answered.id, 'Answered', ana));
      const resolved = (await ctx.service.create(ticketInput(), lead)).ticket;
      must(await ctx.service.changeStatus(resolved.id, 'resolved', ana));
      expect(await ctx.service.checkSla(new Date(late.slaDueAt))).toBe(0);
      const after = new Date(Date.parse(late.slaDueAt) + 1000);
      expect(await ctx.service.checkSla(after)).toBe(1);
      expect(await ctx.service.checkSla(after)).toBe(0);
      const warnings = (await ctx.service.outbox.forTicket(late.id)).filter((o) => o.kind === 'sla_warning');
      expect(warnings.map((o) => o.platform).sort()).toEqual(['slack', 'teams']);
      expect((await ctx.service.audit(late.id)).at(-1)).toMatchObject({ action: 'sla_warning', actor: { id: 'system' } });
      for (const t of [answered, resolved]) expect((await ctx.service.outbox.forTicket(t.id)).some((o) => o.kind === 'sla_warning')).toBe(false);
    });
  });
}
