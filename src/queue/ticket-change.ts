// The one way a ticket changes: read it, decide, then in the same transaction write the row with
// a version check, the audit entry, any comment and the outbox items. A concurrent change makes the
// version check fail; the decision is then re-made against the fresh row.
import type { Kysely, Updateable } from 'kysely';
import type { Platform } from '../core/types.js';
import { enqueueOutbox, type NewOutboxItem } from './outbox-store.js';
import type { DB, TicketsTable } from './schema.js';
import { rowToTicket, type TicketRow } from './ticket-rows.js';
import type { Actor, Ticket, WorkflowResult } from './types.js';

export interface ChangeContext {
  db: Kysely<DB>;
  now: () => Date;
  triagePlatforms: readonly Platform[];
}

export interface TicketChange {
  action: string;
  patch: Updateable<TicketsTable>;
  /** What changed, for the audit log: values only, never message text or requester identity. */
  changes: Record<string, unknown>;
  comment?: { visibility: 'internal' | 'public'; text: string; author: Actor };
  /** A message to the requester's own platform. Never built from internal notes. */
  toRequester?: { kind: 'status_changed' | 'reply'; payload: Record<string, unknown> };
  /** Short log line for the triage card, e.g. "Claimed by Ana". */
  triageLine: string;
  /** Extra condition on the UPDATE, on top of the version check. */
  onlyIfUnassigned?: boolean;
}

export type Failure = Exclude<WorkflowResult<never>, { ok: true }>;
/** `unchanged` succeeds without writing: repeating an action (a double click) is not an error. */
export type Decision = TicketChange | Failure | { unchanged: true };

const MAX_TRIES = 5;

/** Who goes in the audit log: a requester acting on their own ticket is recorded without identity. */
export function auditActor(actor: Actor, ticket: Pick<Ticket, 'requester'>): Actor {
  if (actor.id === ticket.requester.userId) return { id: 'requester', via: actor.via };
  return { id: actor.id, ...(actor.name ? { name: actor.name } : {}), via: actor.via };
}

export async function writeAudit(
  trx: Kysely<DB>,
  entry: { ticketId: number; actor: Actor; action: string; changes: Record<string, unknown>; at: string },
): Promise<void> {
  await trx
    .insertInto('ticket_audit')
    .values({
      ticket_id: entry.ticketId,
      actor_id: entry.actor.id,
      actor_json: JSON.stringify(entry.actor),
      via: entry.actor.via,
      action: entry.action,
      changes_json: JSON.stringify(entry.changes),
      at: entry.at,
    })
    .execute();
}

export async function writeComment(
  trx: Kysely<DB>,
  c: { ticketId: number; visibility: 'internal' | 'public'; author: Actor; text: string; at: string },
): Promise<void> {
  await trx
    .insertInto('ticket_comments')
    .values({
      ticket_id: c.ticketId,
      visibility: c.visibility,
      author_id: c.author.id,
      author_json: JSON.stringify(c.author),
      text: c.text,
      created_at: c.at,
    })
    .execute();
}

/** ticket_updated for every triage platform, so each triage message/card is refreshed in place. */
export function triageUpdates(
  ctx: Pick<ChangeContext, 'triagePlatforms'>,
  ticket: Pick<Ticket, 'id' | 'reference'>,
  version: number,
  update: { action: string; line: string; actor: Actor; changes: Record<string, unknown> },
): NewOutboxItem[] {
  return ctx.triagePlatforms.map((platform) => ({
    platform,
    kind: 'ticket_updated' as const,
    ticketId: ticket.id,
    version,
    payload: { reference: ticket.reference, ...update },
  }));
}

export async function applyChange(
  ctx: ChangeContext,
  id: number,
  actor: Actor,
  decide: (ticket: Ticket, row: TicketRow, at: string) => Decision,
): Promise<WorkflowResult<Ticket>> {
  for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
    const outcome = await ctx.db.transaction().execute(async (trx): Promise<WorkflowResult<Ticket> | 'stale'> => {
      const row = await trx.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return { ok: false, reason: 'not_found' };
      const ticket = rowToTicket(row);
      const at = ctx.now().toISOString();
      const decision = decide(ticket, row, at);
      if ('unchanged' in decision) return { ok: true, value: ticket };
      if ('ok' in decision) return decision;

      const version = ticket.version + 1;
      let update = trx
        .updateTable('tickets')
        .set({ ...decision.patch, version, updated_at: at })
        .where('id', '=', id)
        .where('version', '=', ticket.version);
      if (decision.onlyIfUnassigned) update = update.where('assignee_id', 'is', null);
      const res = await update.executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) return 'stale';

      const who = auditActor(actor, ticket);
      if (decision.comment) await writeComment(trx, { ticketId: id, ...decision.comment, at });

      const items = triageUpdates(ctx, ticket, version, {
        action: decision.action,
        line: decision.triageLine,
        actor: who,
        changes: decision.changes,
      });
      // Anonymised or erased requesters are not contacted again.
      if (decision.toRequester && row.anonymised_at === null) {
        items.push({
          platform: ticket.requester.platform,
          kind: decision.toRequester.kind,
          ticketId: id,
          version,
          payload: { reference: ticket.reference, ...decision.toRequester.payload },
        });
      }
      await enqueueOutbox(trx, items, at);
      await writeAudit(trx, { ticketId: id, actor: who, action: decision.action, changes: decision.changes, at });
      const fresh = await trx.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return { ok: true, value: rowToTicket(fresh) };
    });
    if (outcome !== 'stale') return outcome;
  }
  return { ok: false, reason: 'conflict', message: `Ticket ${id} kept changing underneath this action; try again.` };
}
