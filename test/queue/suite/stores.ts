// Side stores, data protection and the tickets CLI.
import { describe, expect, it } from 'vitest';
import { StoreRateLimiter } from '../../../src/queue/rate-limiter.js';
import { AskEvents, ChannelRefs, Feedback, ProcessedEvents, Settings } from '../../../src/queue/side-stores.js';
import { runTicketsCommand } from '../../../src/queue/tickets-cli.js';
import { ana, lead, requester, ticketInput } from '../fixtures.js';
import { must, useQueueDb, type FactoryMaker } from './context.js';

const DAY = 24 * 3_600_000;

export function storesSuite(make: FactoryMaker): void {
  const ctx = useQueueDb(make);

  describe('processed events', () => {
    it('lets exactly one of many concurrent claims of a key through, across connections', async () => {
      const replica = await ctx.openReplica();
      const a = new ProcessedEvents(ctx.qdb.db);
      const b = new ProcessedEvents(replica.qdb.db);
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).claim('slack:Ev123:retry')));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await a.claim('slack:Ev124')).toBe(true);
      expect(await b.claim('slack:Ev124')).toBe(false);
      expect(await a.prune(new Date(Date.now() + 60_000))).toBe(2);
      expect(await a.claim('slack:Ev124')).toBe(true);
    });
  });

  describe('rate limiter', () => {
    it('allows the burst, then refuses with the wait until a token is back', async () => {
      const limiter = new StoreRateLimiter(ctx.qdb.db, ctx.clock);
      const limit = { ratePerMinute: 60, burst: 3 };
      for (let i = 0; i < 3; i++) expect(await limiter.take('user:U1', limit)).toEqual({ allowed: true, retryAfterMs: 0 });
      expect(await limiter.take('user:U1', limit)).toEqual({ allowed: false, retryAfterMs: 1000 });
      expect((await limiter.take('user:U2', limit)).allowed).toBe(true);
      ctx.clock.advance(500);
      expect(await limiter.take('user:U1', limit)).toEqual({ allowed: false, retryAfterMs: 500 });
      ctx.clock.advance(500);
      expect((await limiter.take('user:U1', limit)).allowed).toBe(true);
      ctx.clock.advance(60_000);
      const refilled = await Promise.all(Array.from({ length: 4 }, () => limiter.take('user:U1', limit)));
      expect(refilled.filter((r) => r.allowed)).toHaveLength(3);
    });

    it('is atomic per key across connections', async () => {
      const replica = await ctx.openReplica();
      const l1 = new StoreRateLimiter(ctx.qdb.db, ctx.clock);
      const l2 = new StoreRateLimiter(replica.qdb.db, ctx.clock);
      const limit = { ratePerMinute: 0.001, burst: 5 };
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? l1 : l2).take('team:T1', limit)));
      expect(results.filter((r) => r.allowed)).toHaveLength(5);
    });
  });

  describe('channel refs, settings, feedback and ask events', () => {
    it('stores and replaces values', async () => {
      const { ticket } = await ctx.service.create(ticketInput(), lead);
      const refs = new ChannelRefs(ctx.qdb.db);
      expect(await refs.get(ticket.id, 'slack')).toBeNull();
      await refs.set(ticket.id, 'slack', { channel: 'C1', ts: '1.1' });
      await refs.set(ticket.id, 'slack', { channel: 'C1', ts: '1.2' });
      await refs.set(ticket.id, 'teams', { activityId: 'a1' });
      expect(await refs.get(ticket.id, 'slack')).toEqual({ channel: 'C1', ts: '1.2' });
      expect(await refs.get(ticket.id, 'teams')).toEqual({ activityId: 'a1' });

      const settings = new Settings(ctx.qdb.db);
      expect(await settings.get('teams.triage')).toBeNull();
      await settings.set('teams.triage', { conversation: { id: '19:abc' } });
      await settings.set('teams.triage', { conversation: { id: '19:def' } });
      expect(await settings.get('teams.triage')).toEqual({ conversation: { id: '19:def' } });

      const feedback = new Feedback(ctx.qdb.db);
      await feedback.record({ platform: 'slack', userId: 'U1', route: 'answer', rating: 'helpful' });
      await feedback.record({ platform: 'slack', userId: 'U2', route: 'answer', rating: 'not_helpful', reason: 'outdated' });
      expect(await feedback.summary()).toEqual({ helpful: 1, notHelpful: 1, byRoute: { answer: { helpful: 1, notHelpful: 1 } } });

      const asks = new AskEvents(ctx.qdb.db);
      await asks.record({ route: 'answer', category: 'ig_dpia', latencyMs: 100, redactions: 0 });
      await asks.record({ route: 'escalate', category: 'commercial', latencyMs: 300, redactions: 2, platform: 'teams' });
      expect(await asks.summary()).toEqual({ total: 2, byRoute: { answer: 1, escalate: 1 }, byCategory: { ig_dpia: 1, commercial: 1 }, averageLatencyMs: 200, withRedactions: 1 });
    });
  });

  describe('data protection', () => {
    it('purges transcripts after N days and anonymises requesters after M days, both audited', async () => {
      const who = requester('slack');
      const { ticket } = await ctx.service.create(ticketInput({ requester: who }), lead);
      const t0 = ctx.clock().getTime();
      expect(await ctx.service.purge({ now: new Date(t0 + 89 * DAY), transcriptDays: 90, anonymiseDays: 730 })).toEqual({ transcriptsRemoved: 0, anonymised: 0 });
      expect(await ctx.service.purge({ now: new Date(t0 + 91 * DAY), transcriptDays: 90, anonymiseDays: 730 })).toEqual({ transcriptsRemoved: 1, anonymised: 0 });
      const purged = (await ctx.service.get(ticket.id))!;
      expect(purged.conversation).toEqual([]);
      expect(purged.requester.userId).toBe(who.userId);
      expect(await ctx.service.purge({ now: new Date(t0 + 731 * DAY), transcriptDays: 90, anonymiseDays: 730 })).toEqual({ transcriptsRemoved: 0, anonymised: 1 });
      const anon = (await ctx.service.get(ticket.id))!;
      expect(anon.requester).toEqual({ platform: 'slack', userId: `anonymised-${ticket.id}` });
      expect(JSON.stringify(anon)).not.toContain(who.userId);
      expect(JSON.stringify(anon)).not.toContain(who.email);
      const actions = (await ctx.service.audit(ticket.id)).map((a) => [a.action, a.actor.id]);
      expect(actions).toEqual([['created', lead.id], ['transcript_purged', 'system'], ['requester_anonymised', 'system']]);
      expect(await ctx.service.listForRequester('slack', who.userId)).toEqual([]);
    });

    it('erases one requester everywhere, records it, and leaves other requesters alone', async () => {
      const who = requester('teams');
      const other = requester('teams');
      const details = `Call me on my mobile, I am ${who.displayName}`;
      const { ticket } = await ctx.service.create(ticketInput({ requester: who, details }), { id: who.userId, via: 'teams' });
      const again = await ctx.service.create(ticketInput({ requester: who, details, summary: 'Needs help negotiating value share terms for a data partnership with an AI imaging company please' }), lead);
      expect(again.kind).toBe('linked_duplicate');
      must(await ctx.service.addRequesterMessage(ticket.id, `It is ${who.displayName} again`, { id: who.userId, name: who.displayName, via: 'teams' }));
      must(await ctx.service.reply(ticket.id, 'We will call you', ana));
      const keep = (await ctx.service.create(ticketInput({ requester: other }), lead)).ticket;
      await new Feedback(ctx.qdb.db).record({ platform: 'teams', userId: who.userId, route: 'answer', rating: 'helpful' });

      const result = await ctx.service.eraseRequester('teams', who.userId, lead);
      expect(result).toEqual({ tickets: 1, comments: 2, feedback: 1 });
      const erased = (await ctx.service.get(ticket.id))!;
      expect(erased.requester).toEqual({ platform: 'teams', userId: `erased-${ticket.id}` });
      expect(erased.details).toBe('');
      expect(erased.conversation).toEqual([]);
      const everything = JSON.stringify({
        tickets: await ctx.qdb.db.selectFrom('tickets').selectAll().execute(),
        comments: await ctx.qdb.db.selectFrom('ticket_comments').selectAll().execute(),
        audit: await ctx.qdb.db.selectFrom('ticket_audit').selectAll().execute(),
        outbox: await ctx.qdb.db.selectFrom('outbox').selectAll().execute(),
        feedback: await ctx.qdb.db.selectFrom('feedback').selectAll().execute(),
      });
      expect(everything).not.toContain(who.userId);
      expect(everything).not.toContain(who.displayName);
      expect(everything).toContain(other.userId);
      expect((await ctx.service.audit(ticket.id)).at(-1)).toMatchObject({ action: 'requester_erased', actor: { id: lead.id } });
      expect((await ctx.service.comments(ticket.id)).map((c) => c.text)).toContain('We will call you');
      const reply = (await ctx.service.outbox.forTicket(ticket.id)).find((o) => o.kind === 'reply')!;
      expect(reply).toMatchObject({ status: 'failed', lastError: 'requester erased' });
      expect((await ctx.service.get(keep.id))!.requester.userId).toBe(other.userId);
    });
  });

  describe('tickets CLI', () => {
    it('lists, shows, exports, purges and erases, with exit code 2 on bad arguments', async () => {
      const who = requester('slack');
      const { ticket } = await ctx.service.create(ticketInput({ requester: who }), lead);
      must(await ctx.service.addNote(ticket.id, 'check conflicts', ana));
      let output: string[] = [];
      const run = async (...args: string[]) => {
        output = [];
        return runTicketsCommand(args, { service: ctx.service, out: (s) => output.push(s), now: ctx.clock, actor: lead });
      };
      expect(await run('list')).toBe(0);
      expect(output.join('\n')).toContain('NAV-0001  new');
      expect(await run('tickets', 'list', '--status', 'closed', '--json')).toBe(0);
      expect(JSON.parse(output.join(''))).toEqual([]);
      expect(await run('show', 'NAV-0001', '--json')).toBe(0);
      const shown = JSON.parse(output.join(''));
      expect(shown.ticket.reference).toBe('NAV-0001');
      expect(shown.comments[0].text).toBe('check conflicts');
      expect(shown.audit.map((a: { action: string }) => a.action)).toEqual(['created', 'note_added']);
      expect(await run('show', 'NAV-0001')).toBe(0);
      expect(output.join('\n')).toMatch(/\[internal\].*check conflicts/);
      expect(await run('show', 'NAV-0404')).toBe(1);
      expect(await run('export')).toBe(0);
      expect(output.join('').split('\r\n')).toHaveLength(2);
      expect(await run('export', '--format', 'json')).toBe(0);
      expect(JSON.parse(output.join(''))).toHaveLength(1);
      ctx.clock.advance(100 * DAY);
      expect(await run('purge', '--transcript-days', '30')).toBe(0);
      expect(output.join('')).toBe('Removed 1 transcript(s); anonymised 0 ticket(s).');
      expect(await run('erase', '--platform', 'slack', '--user', who.userId)).toBe(0);
      expect(output.join('')).toContain('1 ticket(s)');

      for (const bad of [[], ['frobnicate'], ['list', '--status', 'open'], ['list', '--bogus'], ['show'], ['export', '--format', 'xml'], ['purge', '--transcript-days', 'soon'], ['erase', '--platform', 'fax', '--user', 'x'], ['erase', '--platform', 'slack']]) {
        expect(await run(...bad), bad.join(' ')).toBe(2);
        expect(output.join('\n')).toContain('Usage: navigator tickets');
      }
    });
  });
}
