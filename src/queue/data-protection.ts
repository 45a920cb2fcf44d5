// Retention and erasure. Transcripts go after TRANSCRIPT_RETENTION_DAYS, the requester's identity
// after TICKET_ANONYMISE_DAYS, and everything personal about one person on request. Each is
// recorded in the audit log, which itself never holds requester identity (see auditActor), so
// the trail survives without undoing the erasure.
import { sql, type Kysely } from 'kysely';
import type { Platform, RequesterRef } from '../core/types.js';
import { enqueueOutbox } from './outbox-store.js';
import type { DB } from './schema.js';
import { triageUpdates, writeAudit, type ChangeContext } from './ticket-change.js';
import { formatReference } from './ticket-rows.js';
import type { Actor } from './types.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const SYSTEM: Actor = { id: 'system', name: 'Retention policy', via: 'system' };
export const ERASED_TEXT = '[erased at the requester’s request]';

export interface PurgeOptions {
  now: Date;
  /** Conversation transcripts of tickets older than this are removed. */
  transcriptDays: number;
  /** Requester identity of tickets older than this is replaced by a placeholder. */
  anonymiseDays: number;
}

export interface PurgeResult {
  transcriptsRemoved: number;
  anonymised: number;
}

export interface EraseResult {
  tickets: number;
  comments: number;
  feedback: number;
}

/** A requester reduced to the platform: nothing that identifies or reaches the person. */
function placeholder(platform: string, tag: string, ticketId: number): RequesterRef {
  return { platform: platform as Platform, userId: `${tag}-${ticketId}` };
}

export async function purge(db: Kysely<DB>, options: PurgeOptions): Promise<PurgeResult> {
  const at = options.now.toISOString();
  const transcriptCutoff = new Date(options.now.getTime() - options.transcriptDays * DAY_MS).toISOString();
  const anonymiseCutoff = new Date(options.now.getTime() - options.anonymiseDays * DAY_MS).toISOString();

  return db.transaction().execute(async (trx) => {
    const withTranscript = await trx
      .selectFrom('tickets')
      .select(['id', 'conversation_json'])
      .where('created_at', '<', transcriptCutoff)
      .where('conversation_json', '!=', '[]')
      .execute();
    for (const t of withTranscript) {
      const turns = safeLength(t.conversation_json);
      await trx
        .updateTable('tickets')
        .set({ conversation_json: '[]', version: sql<number>`version + 1`, updated_at: at })
        .where('id', '=', t.id)
        .execute();
      await writeAudit(trx, {
        ticketId: t.id,
        actor: SYSTEM,
        action: 'transcript_purged',
        changes: { conversation: { from: `${turns} turns`, to: 'removed' }, retentionDays: options.transcriptDays },
        at,
      });
    }

    const toAnonymise = await trx
      .selectFrom('tickets')
      .select(['id', 'requester_platform', 'requester_user_id'])
      .where('created_at', '<', anonymiseCutoff)
      .where('anonymised_at', 'is', null)
      .execute();
    for (const t of toAnonymise) {
      const anon = placeholder(t.requester_platform, 'anonymised', t.id);
      await trx
        .updateTable('tickets')
        .set({
          requester_user_id: anon.userId,
          requester_json: JSON.stringify(anon),
          conversation_json: '[]',
          anonymised_at: at,
          version: sql<number>`version + 1`,
          updated_at: at,
        })
        .where('id', '=', t.id)
        .execute();
      await trx
        .updateTable('ticket_comments')
        .set({ author_id: 'requester', author_json: JSON.stringify({ id: 'requester', via: t.requester_platform }) })
        .where('ticket_id', '=', t.id)
        .where('author_id', '=', t.requester_user_id)
        .execute();
      await writeAudit(trx, {
        ticketId: t.id,
        actor: SYSTEM,
        action: 'requester_anonymised',
        changes: { requester: { from: 'identified', to: 'anonymised' }, retentionDays: options.anonymiseDays },
        at,
      });
    }
    return { transcriptsRemoved: withTranscript.length, anonymised: toAnonymise.length };
  });
}

/**
 * Removes one person's personal data: identity, own words (details, transcript, their comments),
 * pending messages to them, and their answer feedback. Ticket summaries are replaced too, since
 * they paraphrase the request. Category, dates and staff replies remain for the team's records.
 */
export async function eraseRequester(
  ctx: ChangeContext,
  platform: Platform,
  userId: string,
  actor: Actor,
): Promise<EraseResult> {
  return ctx.db.transaction().execute(async (trx) => {
    const at = ctx.now().toISOString();
    const tickets = await trx
      .selectFrom('tickets')
      .select(['id', 'version'])
      .where('requester_platform', '=', platform)
      .where('requester_user_id', '=', userId)
      .execute();
    let comments = 0;
    for (const t of tickets) {
      const erased = placeholder(platform, 'erased', t.id);
      const bumped = await trx
        .updateTable('tickets')
        .set({
          requester_user_id: erased.userId,
          requester_json: JSON.stringify(erased),
          summary: ERASED_TEXT,
          details: '',
          conversation_json: '[]',
          anonymised_at: at,
          version: sql<number>`version + 1`,
          updated_at: at,
        })
        .where('id', '=', t.id)
        .returning('version')
        .executeTakeFirstOrThrow();
      const res = await trx
        .updateTable('ticket_comments')
        .set({ author_id: 'erased', author_json: JSON.stringify({ id: 'erased', via: platform }), text: ERASED_TEXT })
        .where('ticket_id', '=', t.id)
        .where('author_id', '=', userId)
        .executeTakeFirst();
      comments += Number(res.numUpdatedRows);
      // Messages to the person are withdrawn: failed with a reason, kept for the record, emptied.
      await trx
        .updateTable('outbox')
        .set({
          payload_json: '{"erased":true}',
          status: sql<string>`case when status = 'pending' then 'failed' else status end`,
          last_error: sql<string | null>`case when status = 'pending' then 'requester erased' else last_error end`,
        })
        .where('ticket_id', '=', t.id)
        .where('kind', 'in', ['status_changed', 'reply'])
        .execute();
      const changes = { requester: { from: 'identified', to: 'erased' }, comments: Number(res.numUpdatedRows) };
      await writeAudit(trx, { ticketId: t.id, actor, action: 'requester_erased', changes, at });
      const version = Number(bumped.version);
      const ref = { id: t.id, reference: formatReference(t.id) };
      await enqueueOutbox(trx, triageUpdates(ctx, ref, version, { action: 'requester_erased', line: 'Requester data erased on request', actor, changes }), at);
    }
    // Belt and braces: the audit log should never name a requester, but if a channel passed one through, erase it.
    await trx
      .updateTable('ticket_audit')
      .set({ actor_id: 'erased', actor_json: JSON.stringify({ id: 'erased', via: platform }) })
      .where('actor_id', '=', userId)
      .where('via', '=', platform)
      .execute();
    const fb = await trx.deleteFrom('feedback').where('platform', '=', platform).where('user_id', '=', userId).executeTakeFirst();
    return { tickets: tickets.length, comments, feedback: Number(fb.numDeletedRows) };
  });
}

function safeLength(json: string): number {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.length : 0;
  } catch {
    return 0;
  }
}
