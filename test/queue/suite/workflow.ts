// Ticket workflow behaviour: lifecycle, claims, duplicates, SLA, audit, notes and reads.
import { describe, expect, it } from 'vitest';
import type { TicketService } from '../../../src/queue/ticket-service.js';
import { STATUSES, type Ticket, type TicketStatus } from '../../../src/queue/types.js';
import { ana, ben, lead, requester, ticketInput } from '../fixtures.js';
import { must, useQueueDb, type FactoryMaker } from './context.js';

/** The lifecycle as the product describes it, written out independently of TRANSITIONS. */
const VALID = new Set([
  'new>triaged', 'new>in_progress', 'new>resolved',
  'triaged>in_progress', 'triaged>waiting_on_requester', 'triaged>resolved',
  'in_progress>waiting_on_requester', 'in_progress>resolved',
  'waiting_on_requester>in_progress', 'waiting_on_requester>resolved',
  'resolved>closed',
]);
const PATH_TO: Record<TicketStatus, TicketStatus[]> = {
  new: [],
  triaged: ['triaged'],
  in_progress: ['in_progress'],
  waiting_on_requester: ['in_progress', 'waiting_on_requester'],
  resolved: ['resolved'],
  closed: ['resolved', 'closed'],
};

async function ticketIn(service: TicketService, status: TicketStatus): Promise<Ticket> {
  const created = await service.create(ticketInput(), ana);
  let t = created.ticket;
  for (const step of PATH_TO[status]) t = must(await service.changeStatus(t.id, step, lead));
  expect(t.status).toBe(status);
  return t;
}

export function workflowSuite(make: FactoryMaker): void {
  const ctx = useQueueDb(make);

  describe('creation', () => {
    it('creates NAV-0001 as new with SLA, audit and one ticket_created per triage platform, in one go', async () => {
      const input = ticketInput();
      const r = await ctx.service.create(input, { id: input.requester.userId, name: 'Req', via: 'slack' });
      expect(r.kind).toBe('created');
      const t = r.ticket;
      expect(t.reference).toBe('NAV-0001');
      expect(t).toMatchObject({ status: 'new', version: 1, assignee: null, firstResponseAt: null, linkedTo: null, orgName: input.orgName });
      expect(t.slaDueAt).toBe('2026-11-06T10:00:00.000Z'); // Wednesday + 2 working days
      expect(t.conversation).toHaveLength(2);
      const second = await ctx.service.create(ticketInput({ summary: 'Completely different: DPIA template for remote monitoring' }), ana);
      expect(second.ticket.reference).toBe('NAV-0002');

      const outbox = await ctx.service.outbox.forTicket(t.id);
      expect(outbox.map((o) => [o.kind, o.platform, o.idempotencyKey])).toEqual([
        ['ticket_created', 'slack', `ticket_created:${t.id}:1:slack`],
        ['ticket_created', 'teams', `ticket_created:${t.id}:1:teams`],
      ]);
      const audit = await ctx.service.audit(t.id);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ action: 'created', actor: { id: 'requester', via: 'slack' } });
      expect(JSON.stringify(audit)).not.toContain(input.requester.userId);
    });

    it('does not keep the transcript when the requester did not consent', async () => {
      const r = await ctx.service.create(ticketInput({ consentToShare: false }), ana);
      expect(r.ticket.conversation).toEqual([]);
    });

    it('rejects invalid input with a message naming the field', async () => {
      await expect(ctx.service.create(ticketInput({ summary: '  ' }), ana)).rejects.toThrow(/summary is required/);
      await expect(ctx.service.create(ticketInput({ category: 'nonsense' as never }), ana)).rejects.toThrow(/category must be one of/);
    });
  });

  describe('lifecycle', () => {
    it('allows exactly the documented transitions and names from and to when refusing', async () => {
      for (const from of STATUSES) {
        for (const to of STATUSES) {
          const t = await ticketIn(ctx.service, from);
          const r = await ctx.service.changeStatus(t.id, to, lead);
          const key = `${from}>${to}`;
          if (VALID.has(key)) {
            expect(r.ok, key).toBe(true);
            const after = must(r);
            expect(after.status).toBe(to);
            expect(after.version).toBe(t.version + 1);
            const last = (await ctx.service.audit(t.id)).at(-1)!;
            expect(last).toMatchObject({ action: 'status_changed', changes: { status: { from, to } }, actor: { id: lead.id } });
            const items = (await ctx.service.outbox.forTicket(t.id)).filter((o) => o.idempotencyKey.split(':')[2] === String(after.version));
            expect(items.map((o) => `${o.kind}/${o.platform}`).sort()).toEqual(['status_changed/slack', 'ticket_updated/slack', 'ticket_updated/teams']);
            expect(items.find((o) => o.kind === 'status_changed')!.payload).toMatchObject({ reference: t.reference, from, to });
          } else {
            expect(r, key).toMatchObject({ ok: false, reason: 'invalid_transition' });
            const message = (r as { message: string }).message;
            expect(message).toContain(from);
            expect(message).toContain(to);
            const unchanged = (await ctx.service.get(t.id))!;
            expect(unchanged.version).toBe(t.version);
          }
        }
      }
    });

    it('reopens only resolved and closed tickets, to in_progress', async () => {
      for (const from of STATUSES) {
        const t = await ticketIn(ctx.service, from);
        const r = await ctx.service.reopen(t.id, ben);
        if (from === 'resolved' || from === 'closed') {
          expect(must(r).status).toBe('in_progress');
          expect((await ctx.service.audit(t.id)).at(-1)).toMatchObject({ action: 'reopened', changes: { status: { from, to: 'in_progress' } } });
        } else {
          expect(r).toMatchObject({ ok: false, reason: 'invalid_transition' });
          expect((r as { message: string }).message).toContain(from);
        }
      }
    });

    it('returns not_found for a missing ticket', async () => {
      expect(await ctx.service.changeStatus(999, 'triaged', lead)).toEqual({ ok: false, reason: 'not_found' });
      expect(await ctx.service.claim(999, ana)).toEqual({ ok: false, reason: 'not_found' });
    });
  });

  describe('claiming', () => {
    it('lets exactly one of two simultaneous claims from separate connections win, and tells the loser who', async () => {
      const replica = await ctx.openReplica();
      for (let i = 0; i < 5; i++) {
        const { ticket } = await ctx.service.create(ticketInput(), lead);
        const [a, b] = await Promise.all([ctx.service.claim(ticket.id, ana), replica.service.claim(ticket.id, ben)]);
        const winners = [a, b].filter((r) => r.ok);
        expect(winners).toHaveLength(1);
        const winner = must(winners[0]!);
        const loser = a.ok ? b : a;
        expect(loser).toMatchObject({ ok: false, reason: 'already_claimed', by: { id: winner.assignee!.id } });
        expect(winner.status).toBe('in_progress');
        const audit = await ctx.service.audit(ticket.id);
        expect(audit.filter((e) => e.action === 'claimed')).toHaveLength(1);
      }
    });

    it('moves a new ticket to in_progress, notifies the requester, and is idempotent for the same person', async () => {
      const { ticket } = await ctx.service.create(ticketInput(), lead);
      const claimed = must(await ctx.service.claim(ticket.id, ana));
      expect(claimed).toMatchObject({ status: 'in_progress', assignee: { id: ana.id, name: ana.name }, version: 2 });
      const again = must(await ctx.service.claim(ticket.id, ana));
      expect(again.version).toBe(2);
      const kinds = (await ctx.service.outbox.forTicket(ticket.id)).map((o) => o.kind);
      expect(kinds.filter((k) => k === 'status_changed')).toHaveLength(1);
      const closed = await ticketIn(ctx.service, 'closed');
      expect(await ctx.service.claim(closed.id, ana)).toMatchObject({ ok: false, reason: 'invalid_transition' });
    });
  });

  describe('audit and notes', () => {
    it('records who, via what and what changed for every action', async () => {
      const { ticket } = await ctx.service.create(ticketInput(), lead);
      const id = ticket.id;
      must(await ctx.service.assign(id, ana, lead));
      must(await ctx.service.setCategory(id, 'legal', lead));
      must(await ctx.service.setPriority(id, 'urgent', lead, '2026-12-01'));
      must(await ctx.service.addNote(id, 'Internal: check the conflict register first', ana));
      must(await ctx.service.reply(id, 'We can help: could you send the draft agreement?', ana));
      must(await ctx.service.markFirstResponse(id, ana));
      must(await ctx.service.changeStatus(id, 'waiting_on_requester', ana));
      must(await ctx.service.addRequesterMessage(id, 'Draft attached in the thread', { id: ticket.requester.userId, via: 'slack' }));
      must(await ctx.service.unassign(id, lead));
      must(await ctx.service.claim(id, ben));
      must(await ctx.service.changeStatus(id, 'resolved', ben));
      must(await ctx.service.changeStatus(id, 'closed', ben));
      must(await ctx.service.reopen(id, lead));

      const audit = await ctx.service.audit(id);
      expect(audit.map((a) => a.action)).toEqual([
        'created', 'assigned', 'category_changed', 'priority_changed', 'note_added', 'replied',
        'status_changed', 'requester_message', 'unassigned', 'claimed', 'status_changed', 'status_changed', 'reopened',
      ]);
      expect(audit[1]).toMatchObject({ actor: { id: lead.id, via: 'triage' }, changes: { assignee: { from: null, to: ana.name }, status: { from: 'new', to: 'triaged' } } });
      expect(audit[2]!.changes).toEqual({ category: { from: 'commercial', to: 'legal' } });
      expect(audit[3]!.changes).toEqual({ priority: { from: 'normal', to: 'urgent' }, deadline: { from: null, to: '2026-12-01' } });
      expect(audit[5]!.changes).toMatchObject({ firstResponseAt: { from: null } });
      expect(audit[7]).toMatchObject({ actor: { id: 'requester' }, changes: { status: { from: 'waiting_on_requester', to: 'in_progress' } } });
      for (const a of audit) expect(a.at).toMatch(/^\d{4}-\d\d-\d\dT/);
      const final = (await ctx.service.get(id))!;
      expect(final.version).toBe(audit.length);
    });

    it('never puts internal notes into any outbox payload or the requester view', async () => {
      const { ticket } = await ctx.service.create(ticketInput(), lead);
      const secret = 'INTERNAL-ONLY: the vendor has a poor record on data sharing';
      must(await ctx.service.addNote(ticket.id, secret, ana));
      must(await ctx.service.reply(ticket.id, 'Thanks, we are looking at this now.', ana));
      must(await ctx.service.changeStatus(ticket.id, 'in_progress', ana));
      const items = await ctx.service.outbox.forTicket(ticket.id);
      expect(items.length).toBeGreaterThan(4);
      for (const item of items) expect(JSON.stringify(item.payload)).not.toContain('INTERNAL-ONLY');
      const toRequester = items.filter((o) => o.kind === 'reply' || o.kind === 'status_changed');
      expect(toRequester.map((o) => o.platform)).toEqual(['slack', 'slack']);
      expect(toRequester[0]!.payload).toMatchObject({ text: 'Thanks, we are looking at this now.', reference: ticket.reference });
      expect((await ctx.service.comments(ticket.id)).map((c) => c.visibility)).toEqual(['public']);
      expect((await ctx.service.comments(ticket.id, { includeInternal: true })).map((c) => c.text)).toContain(secret);
    });

    it('counts a reply as the first response and refuses replies on closed tickets', async () => {
      const { ticket } = await ctx.service.create(ticketInput(), lead);
      ctx.clock.advance(3_600_000);
      const replied = must(await ctx.service.reply(ticket.id, 'Hello', ana));
      expect(replied.firstResponseAt).toBe(ctx.clock().toISOString());
      const closed = await ticketIn(ctx.service, 'closed');
      expect(await ctx.service.reply(closed.id, 'late', ana)).toMatchObject({ ok: false, reason: 'invalid_transition' });
      await expect(ctx.service.reply(ticket.id, '   ', ana)).rejects.toThrow(/empty/);
    });
  });

  describe('duplicate detection', () => {
    it('links a similar request from the same requester within 24 hours instead of creating a ticket', async () => {
      const who = requester('teams');
      const first = await ctx.service.create(ticketInput({ requester: who }), lead);
      ctx.clock.advance(2 * 3_600_000);
      const repeat = ticketInput({
        requester: who,
        summary: 'Need help negotiating the value share terms for our data partnership with an AI imaging company',
      });
      const r = await ctx.service.create(repeat, lead);
      expect(r.kind).toBe('linked_duplicate');
      expect(r.ticket.id).toBe(first.ticket.id);
      expect(await ctx.service.count()).toBe(1);
      const comments = await ctx.service.comments(first.ticket.id);
      expect(comments).toHaveLength(1);
      expect(comments[0]!.text).toContain('value share terms');
      expect((await ctx.service.audit(first.ticket.id)).map((a) => a.action)).toEqual(['created', 'duplicate_linked']);
      const updates = (await ctx.service.outbox.forTicket(first.ticket.id)).filter((o) => o.kind === 'ticket_updated');
      expect(updates.map((o) => o.platform).sort()).toEqual(['slack', 'teams']);
    });

    it('creates a new ticket for another requester, after 24 hours, for different text, or when the first was closed', async () => {
      const who = requester('slack');
      const first = await ctx.service.create(ticketInput({ requester: who }), lead);
      expect((await ctx.service.create(ticketInput(), lead)).kind).toBe('created'); // another requester, same text
      const different = ticketInput({ requester: who, category: 'ig_dpia', summary: 'Is a DPIA needed for remote patient monitoring?', details: 'Pilot on a ward.' });
      expect((await ctx.service.create(different, lead)).kind).toBe('created');
      ctx.clock.advance(25 * 3_600_000);
      const later = await ctx.service.create(ticketInput({ requester: who }), lead);
      expect(later.kind).toBe('created');
      must(await ctx.service.changeStatus(later.ticket.id, 'resolved', lead));
      must(await ctx.service.changeStatus(later.ticket.id, 'closed', lead));
      const afterClose = await ctx.service.create(ticketInput({ requester: who }), lead);
      expect(afterClose.kind).toBe('created');
      expect(afterClose.ticket.linkedTo).toBe(later.ticket.id);
      expect(first.ticket.id).not.toBe(later.ticket.id);
    });
  });

  describe('SLA', () => {
    it('puts first response due across the weekend: Friday 16:00 + 2 working days is Tuesday 16:00', async () => {
      ctx.clock.set('2026-11-06T16:00:00.000Z'); // Friday
      const { ticket } = await ctx.service.create(ticketInput(), lead);
      expect(ticket.slaDueAt).toBe('2026-11-10T16:00:00.000Z');
      ctx.clock.set('2026-11-10T16:00:01.000Z');
      expect(ctx.service.slaBreached(ticket)).toBe(true);
      expect((await ctx.service.list({ slaBreached: true })).map((t) => t.id)).toEqual([ticket.id]);
      must(await ctx.service.reply(ticket.id, 'On it', ana));
      expect(await ctx.service.list({ slaBreached: true })).toEqual([]);
    });
  });

  describe('reads', () => {
    it('filters, searches, sorts, pages, finds by reference and exports CSV', async () => {
      const a = (await ctx.service.create(ticketInput({ priority: 'low', orgName: 'Acme Health Ltd', orgType: 'startup_sme' }), lead)).ticket;
      const b = (await ctx.service.create(ticketInput({ priority: 'urgent', category: 'ip', summary: 'Who owns IP in a co-developed algorithm?', orgName: '=HYPERLINK("http://x")' }), lead)).ticket;
      const mine = requester('web');
      const c = (await ctx.service.create(ticketInput({ requester: mine, category: 'legal', summary: 'Contract review, 50% share' }), lead)).ticket;
      must(await ctx.service.claim(b.id, ana));
      expect((await ctx.service.list({ status: 'new' })).map((t) => t.id)).toEqual([c.id, a.id]);
      expect((await ctx.service.list({ assigneeId: ana.id })).map((t) => t.id)).toEqual([b.id]);
      expect((await ctx.service.list({ assigneeId: null })).map((t) => t.id)).toEqual([c.id, a.id]);
      expect((await ctx.service.list({ orgType: 'startup_sme' })).map((t) => t.id)).toEqual([a.id]);
      expect((await ctx.service.list({ category: 'ip', priority: 'urgent' })).map((t) => t.id)).toEqual([b.id]);
      expect((await ctx.service.list({ search: 'acme' })).map((t) => t.id)).toEqual([a.id]);
      expect((await ctx.service.list({ search: '50%' })).map((t) => t.id)).toEqual([c.id]);
      expect((await ctx.service.list({ search: b.reference.toLowerCase() })).map((t) => t.id)).toEqual([b.id]);
      expect((await ctx.service.list({ sort: 'priority' })).map((t) => t.id)).toEqual([b.id, c.id, a.id]);
      expect((await ctx.service.list({ sort: 'oldest', limit: 1, offset: 1 })).map((t) => t.id)).toEqual([b.id]);
      expect(await ctx.service.count({ status: ['new', 'in_progress'] })).toBe(3);
      expect((await ctx.service.listForRequester('web', mine.userId)).map((t) => t.id)).toEqual([c.id]);
      expect((await ctx.service.getByReference('nav-2'))?.id).toBe(b.id);
      expect(await ctx.service.getByReference('NAV-9999')).toBeNull();

      const csv = ctx.service.toCsv(await ctx.service.list({ sort: 'oldest' }));
      const lines = csv.trimEnd().split('\r\n');
      expect(lines[0]).toBe('reference,status,category,priority,org_type,org_name,requester_platform,assignee,deadline,sla_due_at,first_response_at,created_at,updated_at,summary');
      expect(lines).toHaveLength(4);
      expect(lines[2]).toContain('Ana Support');
      expect(lines[2]).toContain(`"'=HYPERLINK(""http://x"")"`);
      expect(lines[3]).toContain('"Contract review, 50% share"');
      expect(csv).not.toContain(mine.userId);
    });
  });
}
