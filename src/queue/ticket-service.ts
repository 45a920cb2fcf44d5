// The support queue's use cases. Channels (Slack, Teams, web, CLI) and the triage dashboard call
// these; each action is one transaction that updates the ticket, appends to the audit log and
// writes its notifications to the outbox, so nothing is announced that did not happen.
//
// Expected outcomes (not found, invalid transition, already claimed) come back as WorkflowResult
// values; exceptions mean bad input (InputError) or an unavailable store (StoreError).
import type { Kysely } from 'kysely';
import type { Platform } from '../core/types.js';
import { InputError } from '../shared/errors.js';
import { eraseRequester, purge, type EraseResult, type PurgeOptions, type PurgeResult } from './data-protection.js';
import { enqueueOutbox, OutboxStore } from './outbox-store.js';
import type { DB } from './schema.js';
import { isSlaBreached } from './sla.js';
import { applyChange, writeAudit, type ChangeContext, type Decision } from './ticket-change.js';
import { createTicket } from './ticket-create.js';
import { TicketQueries, type TicketFilter } from './ticket-queries.js';
import { ticketsToCsv, type TicketRow } from './ticket-rows.js';
import { canTransition, OPEN_STATUSES, REOPENABLE, requesterStatusMessage, transitionMessage } from './transitions.js';
import {
  CATEGORIES,
  PRIORITIES,
  STATUSES,
  STATUS_LABELS,
  type Actor,
  type AuditEntry,
  type Category,
  type CreateResult,
  type NewTicketInput,
  type Priority,
  type Ticket,
  type TicketComment,
  type TicketStatus,
  type WorkflowResult,
} from './types.js';

export interface TicketServiceOptions {
  db: Kysely<DB>;
  clock?: () => Date;
  /** First response due this many working days (Mon–Fri, UTC) after creation. */
  slaWorkingDays: number;
  /** Where new tickets and updates are announced to the support team, e.g. ['slack', 'teams']. */
  triagePlatforms: Platform[];
}

const nameOf = (a: Actor) => a.name ?? a.id;

export class TicketService {
  readonly db: Kysely<DB>;
  readonly outbox: OutboxStore;
  readonly triagePlatforms: readonly Platform[];
  private readonly clock: () => Date;
  private readonly slaWorkingDays: number;
  private readonly queries: TicketQueries;
  private readonly ctx: ChangeContext;

  constructor(options: TicketServiceOptions) {
    this.db = options.db;
    this.clock = options.clock ?? (() => new Date());
    this.slaWorkingDays = options.slaWorkingDays;
    this.triagePlatforms = [...new Set(options.triagePlatforms)];
    this.queries = new TicketQueries(this.db, this.clock);
    this.outbox = new OutboxStore(this.db, this.clock);
    this.ctx = { db: this.db, now: this.clock, triagePlatforms: this.triagePlatforms };
  }

  /**
   * Creates a ticket (status `new`, SLA due in N working days, one `ticket_created` per triage
   * platform), or, when the same requester sent a similar request in the last 24 hours that is
   * not closed, adds the new text to that ticket as a public comment and returns `linked_duplicate`.
   * Throws InputError when the input is invalid.
   */
  create(input: NewTicketInput, actor: Actor): Promise<CreateResult> {
    return createTicket({ ...this.ctx, slaWorkingDays: this.slaWorkingDays }, input, actor);
  }

  /**
   * Takes an unassigned ticket. Exactly one of several simultaneous claims wins (a conditional
   * UPDATE on assignee and version); the others get `already_claimed` with the winner. Claiming a
   * `new` or `triaged` ticket moves it to `in_progress` and tells the requester. Claiming one's own
   * ticket again succeeds without change; resolved and closed tickets must be reopened first.
   */
  claim(id: number, actor: Actor): Promise<WorkflowResult<Ticket>> {
    return this.change(id, actor, (t) => {
      if (t.assignee) return t.assignee.id === actor.id ? { unchanged: true } : { ok: false, reason: 'already_claimed', by: t.assignee };
      if (REOPENABLE.includes(t.status)) return { ok: false, reason: 'invalid_transition', message: `${t.reference} is ${t.status}: reopen it before claiming.` };
      const to: TicketStatus = t.status === 'new' || t.status === 'triaged' ? 'in_progress' : t.status;
      const assignee = { id: actor.id, ...(actor.name ? { name: actor.name } : {}), via: actor.via };
      return {
        action: 'claimed',
        patch: { assignee_id: actor.id, assignee_json: JSON.stringify(assignee), status: to },
        changes: { assignee: { from: null, to: nameOf(actor) }, ...(to !== t.status ? { status: { from: t.status, to } } : {}) },
        ...(to !== t.status ? { toRequester: statusNotice(t, to) } : {}),
        triageLine: `Claimed by ${nameOf(actor)}`,
        onlyIfUnassigned: true,
      };
    });
  }

  /** Gives the ticket to `assignee` (replacing any assignee). A `new` ticket becomes `triaged`. */
  assign(id: number, assignee: Actor, actor: Actor): Promise<WorkflowResult<Ticket>> {
    return this.change(id, actor, (t) => {
      if (t.assignee?.id === assignee.id) return { unchanged: true };
      if (t.status === 'closed') return { ok: false, reason: 'invalid_transition', message: `${t.reference} is closed: reopen it before assigning.` };
      const to: TicketStatus = t.status === 'new' ? 'triaged' : t.status;
      return {
        action: 'assigned',
        patch: { assignee_id: assignee.id, assignee_json: JSON.stringify(assignee), status: to },
        changes: { assignee: { from: t.assignee ? nameOf(t.assignee) : null, to: nameOf(assignee) }, ...(to !== t.status ? { status: { from: t.status, to } } : {}) },
        ...(to !== t.status ? { toRequester: statusNotice(t, to) } : {}),
        triageLine: `Assigned to ${nameOf(assignee)} by ${nameOf(actor)}`,
      };
    });
  }

  /** Releases the ticket so someone else can claim it; the status stays. */
  unassign(id: number, actor: Actor): Promise<WorkflowResult<Ticket>> {
    return this.change(id, actor, (t) =>
      !t.assignee
        ? { unchanged: true }
        : { action: 'unassigned', patch: { assignee_id: null, assignee_json: null }, changes: { assignee: { from: nameOf(t.assignee), to: null } }, triageLine: `Unassigned by ${nameOf(actor)}` },
    );
  }

  async setCategory(id: number, category: Category, actor: Actor): Promise<WorkflowResult<Ticket>> {
    if (!CATEGORIES.includes(category)) throw new InputError(`category must be one of ${CATEGORIES.join(', ')}`);
    return this.change(id, actor, (t) =>
      t.category === category
        ? { unchanged: true }
        : { action: 'category_changed', patch: { category }, changes: { category: { from: t.category, to: category } }, triageLine: `Category set to ${category} by ${nameOf(actor)}` },
    );
  }

  /** Sets the priority and, when `deadline` is given, the deadline (null clears it). */
  async setPriority(id: number, priority: Priority, actor: Actor, deadline?: string | null): Promise<WorkflowResult<Ticket>> {
    if (!PRIORITIES.includes(priority)) throw new InputError(`priority must be one of ${PRIORITIES.join(', ')}`);
    if (deadline && Number.isNaN(Date.parse(deadline))) throw new InputError('deadline must be an ISO date such as 2026-12-31');
    return this.change(id, actor, (t) => {
      const newDeadline = deadline === undefined ? t.deadline : deadline;
      if (t.priority === priority && t.deadline === newDeadline) return { unchanged: true };
      const changes: Record<string, unknown> = {};
      if (t.priority !== priority) changes.priority = { from: t.priority, to: priority };
      if (t.deadline !== newDeadline) changes.deadline = { from: t.deadline, to: newDeadline };
      return { action: 'priority_changed', patch: { priority, deadline: newDeadline }, changes, triageLine: `Priority ${priority} set by ${nameOf(actor)}` };
    });
  }

  /** A public reply, relayed to the requester's own conversation; it counts as the first response. */
  async reply(id: number, text: string, actor: Actor): Promise<WorkflowResult<Ticket>> {
    const body = requireText(text);
    return this.change(id, actor, (t, _row, at) => {
      if (t.status === 'closed') return { ok: false, reason: 'invalid_transition', message: `${t.reference} is closed: reopen it before replying.` };
      return {
        action: 'replied',
        patch: { first_response_at: t.firstResponseAt ?? at },
        changes: { visibility: 'public', ...(t.firstResponseAt ? {} : { firstResponseAt: { from: null, to: at } }) },
        comment: { visibility: 'public', text: body, author: actor },
        toRequester: { kind: 'reply', payload: { text: body, author: { name: actor.name ?? 'Support team' } } },
        triageLine: `Reply sent to the requester by ${nameOf(actor)}`,
      };
    });
  }

  /** An internal note for the support team. Its text is never sent to the requester nor put in any notification. */
  async addNote(id: number, text: string, actor: Actor): Promise<WorkflowResult<Ticket>> {
    const body = requireText(text);
    return this.change(id, actor, () => ({
      action: 'note_added',
      patch: {},
      changes: { visibility: 'internal' },
      comment: { visibility: 'internal', text: body, author: actor },
      triageLine: `Internal note added by ${nameOf(actor)}`,
    }));
  }

  /**
   * A message from the requester in their ticket's conversation (e.g. a reply in the Slack thread).
   * `actor.id` must be the requester's user id. Waiting-on-requester and resolved tickets go back to
   * `in_progress`. The requester is not notified of their own message.
   */
  async addRequesterMessage(id: number, text: string, actor: Actor): Promise<WorkflowResult<Ticket>> {
    const body = requireText(text);
    return this.change(id, actor, (t) => {
      if (actor.id !== t.requester.userId) return { ok: false, reason: 'forbidden', message: `Only the requester can add messages to ${t.reference} this way.` };
      const to: TicketStatus = t.status === 'waiting_on_requester' || t.status === 'resolved' ? 'in_progress' : t.status;
      return {
        action: 'requester_message',
        patch: { status: to },
        changes: to !== t.status ? { status: { from: t.status, to } } : {},
        comment: { visibility: 'public', text: body, author: actor },
        triageLine: to !== t.status ? `The requester replied; status ${STATUS_LABELS[to]}` : 'The requester replied',
      };
    });
  }

  /** Moves along the lifecycle (see TRANSITIONS in transitions.ts); anything else is `invalid_transition`. */
  async changeStatus(id: number, to: TicketStatus, actor: Actor): Promise<WorkflowResult<Ticket>> {
    if (!STATUSES.includes(to)) throw new InputError(`status must be one of ${STATUSES.join(', ')}`);
    return this.change(id, actor, (t) => {
      if (!canTransition(t.status, to)) return { ok: false, reason: 'invalid_transition', message: transitionMessage(t.reference, t.status, to) };
      return {
        action: 'status_changed',
        patch: { status: to },
        changes: { status: { from: t.status, to } },
        toRequester: statusNotice(t, to),
        triageLine: `${STATUS_LABELS[t.status]} → ${STATUS_LABELS[to]} by ${nameOf(actor)}`,
      };
    });
  }

  /** Resolved or closed → in_progress, audited as `reopened`. */
  reopen(id: number, actor: Actor): Promise<WorkflowResult<Ticket>> {
    return this.change(id, actor, (t) => {
      if (!REOPENABLE.includes(t.status)) {
        return { ok: false, reason: 'invalid_transition', message: `${t.reference} cannot be reopened from ${t.status}: only resolved or closed tickets can.` };
      }
      return {
        action: 'reopened',
        patch: { status: 'in_progress' },
        changes: { status: { from: t.status, to: 'in_progress' } },
        toRequester: statusNotice(t, 'in_progress'),
        triageLine: `Reopened by ${nameOf(actor)}`,
      };
    });
  }

  /** Records a first response made outside `reply` (e.g. a call); no-op when one is recorded. */
  markFirstResponse(id: number, actor: Actor): Promise<WorkflowResult<Ticket>> {
    return this.change(id, actor, (t, _row, at) =>
      t.firstResponseAt
        ? { unchanged: true }
        : { action: 'first_response', patch: { first_response_at: at }, changes: { firstResponseAt: { from: null, to: at } }, triageLine: `First response recorded by ${nameOf(actor)}` },
    );
  }

  /**
   * Writes one `sla_warning` per triage platform for each open ticket past its due time with no
   * first response, once per ticket (a conditional update of sla_warned_at, safe across replicas).
   * Returns how many tickets were warned about.
   */
  async checkSla(now: Date = this.clock()): Promise<number> {
    const at = now.toISOString();
    const due = await this.db
      .selectFrom('tickets')
      .select(['id', 'reference', 'sla_due_at'])
      .where('first_response_at', 'is', null)
      .where('sla_warned_at', 'is', null)
      .where('status', 'in', [...OPEN_STATUSES])
      .where('sla_due_at', '<', at)
      .orderBy('id')
      .execute();
    let warned = 0;
    for (const t of due) {
      const done = await this.db.transaction().execute(async (trx) => {
        const res = await trx.updateTable('tickets').set({ sla_warned_at: at }).where('id', '=', t.id).where('sla_warned_at', 'is', null).executeTakeFirst();
        if (Number(res.numUpdatedRows) === 0) return false;
        await writeAudit(trx, { ticketId: t.id, actor: { id: 'system', via: 'system' }, action: 'sla_warning', changes: { slaDueAt: t.sla_due_at }, at });
        // Version 0 in the key: an SLA warning is once per ticket, whatever its version.
        const items = this.triagePlatforms.map((p) => ({ platform: p, kind: 'sla_warning' as const, ticketId: t.id, version: 0, payload: { reference: t.reference, slaDueAt: t.sla_due_at } }));
        await enqueueOutbox(trx, items, at);
        return true;
      });
      if (done) warned += 1;
    }
    return warned;
  }

  slaBreached(ticket: Ticket, now: Date = this.clock()): boolean {
    return isSlaBreached(ticket, now);
  }

  get(id: number): Promise<Ticket | null> {
    return this.queries.get(id);
  }
  getByReference(reference: string): Promise<Ticket | null> {
    return this.queries.getByReference(reference);
  }
  list(filter: TicketFilter = {}): Promise<Ticket[]> {
    return this.queries.list(filter);
  }
  count(filter: TicketFilter = {}): Promise<number> {
    return this.queries.count(filter);
  }
  listForRequester(platform: Platform, userId: string): Promise<Ticket[]> {
    return this.queries.listForRequester(platform, userId);
  }
  comments(id: number, options: { includeInternal?: boolean } = {}): Promise<TicketComment[]> {
    return this.queries.comments(id, options);
  }
  audit(id: number): Promise<AuditEntry[]> {
    return this.queries.audit(id);
  }
  toCsv(tickets: Ticket[]): string {
    return ticketsToCsv(tickets);
  }

  /** Retention: removes old transcripts and anonymises old requesters; each step audited. */
  purge(options: PurgeOptions): Promise<PurgeResult> {
    return purge(this.db, options);
  }

  /** Erasure on request: removes one requester's personal data from tickets, comments and feedback. */
  eraseRequester(platform: Platform, userId: string, actor: Actor): Promise<EraseResult> {
    return eraseRequester(this.ctx, platform, userId, actor);
  }

  private change(id: number, actor: Actor, decide: (t: Ticket, row: TicketRow, at: string) => Decision): Promise<WorkflowResult<Ticket>> {
    return applyChange(this.ctx, id, actor, decide);
  }
}

function statusNotice(t: Ticket, to: TicketStatus): { kind: 'status_changed'; payload: Record<string, unknown> } {
  return {
    kind: 'status_changed',
    payload: { from: t.status, to, fromLabel: STATUS_LABELS[t.status], toLabel: STATUS_LABELS[to], message: requesterStatusMessage(t.reference, to) },
  };
}

function requireText(text: string): string {
  const body = typeof text === 'string' ? text.trim() : '';
  if (!body) throw new InputError('text must not be empty');
  return body;
}
