// Creating a ticket, or recognising a repeat of one. Both paths run in one transaction with
// their audit entry and outbox items, so a request is never half-created or announced twice.
import { sql, type Kysely } from 'kysely';
import { PLATFORMS } from '../core/types.js';
import { InputError } from '../shared/errors.js';
import { dialectOf } from './dialect.js';
import { enqueueOutbox } from './outbox-store.js';
import type { DB } from './schema.js';
import { isLikelyDuplicate } from './similarity.js';
import { addWorkingDays } from './sla.js';
import { auditActor, triageUpdates, writeAudit, writeComment, type ChangeContext } from './ticket-change.js';
import { formatReference, rowToTicket, type TicketRow } from './ticket-rows.js';
import { CATEGORIES, ORG_TYPES, PRIORITIES, type Actor, type CreateResult, type NewTicketInput } from './types.js';

/** How far back a similar open request from the same person counts as a repeat. */
export const DUPLICATE_WINDOW_MS = 24 * 60 * 60 * 1000;

export function validateNewTicket(input: NewTicketInput): void {
  const problems: string[] = [];
  if (!PLATFORMS.includes(input.requester?.platform)) problems.push('requester.platform must be one of ' + PLATFORMS.join(', '));
  if (!input.requester?.userId?.trim()) problems.push('requester.userId is required');
  if (!ORG_TYPES.includes(input.orgType)) problems.push('orgType must be one of ' + ORG_TYPES.join(', '));
  if (!CATEGORIES.includes(input.category)) problems.push('category must be one of ' + CATEGORIES.join(', '));
  if (!PRIORITIES.includes(input.priority)) problems.push('priority must be one of ' + PRIORITIES.join(', '));
  if (!input.summary?.trim()) problems.push('summary is required');
  if (problems.length > 0) throw new InputError(`Invalid ticket: ${problems.join('; ')}`);
}

const requestText = (summary: string, details: string) => `${summary}\n${details}`;

export async function createTicket(
  ctx: ChangeContext & { slaWorkingDays: number },
  input: NewTicketInput,
  actor: Actor,
): Promise<CreateResult> {
  validateNewTicket(input);
  const details = input.details?.trim() ?? '';
  const text = requestText(input.summary, details);

  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    const at = now.toISOString();
    const { platform, userId } = input.requester;
    if (dialectOf(trx) === 'postgres') {
      // Serialise creations per requester, so a double submit cannot slip past duplicate detection
      // (SQLite needs nothing: BEGIN IMMEDIATE already admits one writer at a time).
      await sql`select pg_advisory_xact_lock(hashtext(${`ticket-create:${platform}:${userId}`}))`.execute(trx);
    }
    const recent = await trx
      .selectFrom('tickets')
      .selectAll()
      .where('requester_platform', '=', platform)
      .where('requester_user_id', '=', userId)
      .where('created_at', '>=', new Date(now.getTime() - DUPLICATE_WINDOW_MS).toISOString())
      .where('anonymised_at', 'is', null)
      .orderBy('id', 'desc')
      .execute();
    const similar = (r: TicketRow) => isLikelyDuplicate({ text, category: input.category }, { text: requestText(r.summary, r.details), category: r.category });

    const open = recent.find((r) => r.status !== 'closed' && similar(r));
    if (open) return linkDuplicate(ctx, trx, open, input, text, actor, at);

    // A repeat of a request closed within the window is a new ticket, linked for context.
    const closed = recent.find((r) => r.status === 'closed' && similar(r));
    const inserted = await trx
      .insertInto('tickets')
      .values({
        // Unique placeholder until the id is known; replaced before the transaction commits.
        reference: `pending-${process.pid}-${now.getTime()}-${Math.random().toString(36).slice(2)}`,
        requester_platform: platform,
        requester_user_id: userId,
        requester_json: JSON.stringify(input.requester),
        org_type: input.orgType,
        org_name: input.orgName.trim(),
        category: input.category,
        priority: input.priority,
        deadline: input.deadline ?? null,
        summary: input.summary.trim(),
        details,
        conversation_json: JSON.stringify(input.consentToShare ? input.conversation : []),
        citations_json: JSON.stringify(input.citations ?? []),
        consent_to_share: input.consentToShare ? 1 : 0,
        status: 'new',
        assignee_id: null,
        assignee_json: null,
        sla_due_at: addWorkingDays(now, ctx.slaWorkingDays).toISOString(),
        first_response_at: null,
        sla_warned_at: null,
        linked_to: closed?.id ?? null,
        anonymised_at: null,
        created_at: at,
        updated_at: at,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = inserted.id;
    const reference = formatReference(id);
    await trx.updateTable('tickets').set({ reference }).where('id', '=', id).execute();

    await enqueueOutbox(
      trx,
      ctx.triagePlatforms.map((p) => ({
        platform: p,
        kind: 'ticket_created' as const,
        ticketId: id,
        version: 1,
        payload: { reference, category: input.category, priority: input.priority, orgType: input.orgType },
      })),
      at,
    );
    const who = auditActor(actor, input);
    await writeAudit(trx, {
      ticketId: id,
      actor: who,
      action: 'created',
      changes: {
        status: 'new',
        category: input.category,
        priority: input.priority,
        orgType: input.orgType,
        consentToShare: input.consentToShare,
        ...(closed ? { linkedTo: formatReference(closed.id) } : {}),
      },
      at,
    });
    const row = await trx.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return { kind: 'created', ticket: rowToTicket(row) };
  });
}

async function linkDuplicate(
  ctx: ChangeContext,
  trx: Kysely<DB>,
  existing: TicketRow,
  input: NewTicketInput,
  text: string,
  actor: Actor,
  at: string,
): Promise<CreateResult> {
  // An unconditional increment: the requester's follow-up must be kept whatever else changed.
  const bumped = await trx
    .updateTable('tickets')
    .set({ version: sql<number>`version + 1`, updated_at: at })
    .where('id', '=', existing.id)
    .returning('version')
    .executeTakeFirstOrThrow();
  const version = Number(bumped.version);
  const author: Actor = {
    id: input.requester.userId,
    ...(input.requester.displayName ? { name: input.requester.displayName } : {}),
    via: input.requester.platform,
  };
  await writeComment(trx, { ticketId: existing.id, visibility: 'public', author, text: `Follow-up request:\n${text.trim()}`, at });
  const who = auditActor(actor, input);
  const changes = { category: input.category, priority: input.priority };
  await writeAudit(trx, { ticketId: existing.id, actor: who, action: 'duplicate_linked', changes, at });
  await enqueueOutbox(
    trx,
    triageUpdates(ctx, existing, version, { action: 'duplicate_linked', line: 'The requester asked again; their new message was added as a comment', actor: who, changes }),
    at,
  );
  const row = await trx.selectFrom('tickets').selectAll().where('id', '=', existing.id).executeTakeFirstOrThrow();
  const ticket = rowToTicket(row);
  return { kind: 'linked_duplicate', ticket, existing: ticket };
}
