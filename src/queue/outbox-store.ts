// The outbox table: notifications written in the same transaction as the change that causes
// them, then delivered by OutboxWorker. Rows are never deleted: a failed item stays visible with
// its last error until someone retries it.
import { sql, type Kysely } from 'kysely';
import type { Platform } from '../core/types.js';
import { dialectOf } from './dialect.js';
import type { DB } from './schema.js';
import { rowToOutboxItem } from './ticket-rows.js';
import type { NotificationKind, OutboxItem } from './types.js';

export interface NewOutboxItem {
  platform: Platform;
  kind: NotificationKind;
  ticketId: number;
  /** The ticket version the change produced: with kind and platform it makes the idempotency key. */
  version: number;
  payload: Record<string, unknown>;
}

/** One notification per change per platform; the receiver can de-duplicate on it too. */
export function idempotencyKey(kind: NotificationKind, ticketId: number, version: number, platform: Platform): string {
  return `${kind}:${ticketId}:${version}:${platform}`;
}

/** Call inside the transaction of the change. Writing the same key twice is a no-op. */
export async function enqueueOutbox(trx: Kysely<DB>, items: NewOutboxItem[], nowIso: string): Promise<void> {
  if (items.length === 0) return;
  await trx
    .insertInto('outbox')
    .values(
      items.map((i) => ({
        platform: i.platform,
        kind: i.kind,
        ticket_id: i.ticketId,
        payload_json: JSON.stringify(i.payload),
        idempotency_key: idempotencyKey(i.kind, i.ticketId, i.version, i.platform),
        attempts: 0,
        status: 'pending',
        next_attempt_at: nowIso,
        created_at: nowIso,
      })),
    )
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
}

export interface OutboxStats {
  pending: number;
  failed: number;
  delivered: number;
  /** Pending items per platform: a platform with a count and no handler is not being delivered. */
  pendingByPlatform: Partial<Record<Platform, number>>;
}

/** Leased items as the worker sees them: the row plus who holds it. */
export interface LeasedItem extends OutboxItem {
  lockedBy: string;
}

export class OutboxStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async stats(): Promise<OutboxStats> {
    const rows = await this.db
      .selectFrom('outbox')
      .select(['status', 'platform', (eb) => eb.fn.countAll<string | number>().as('n')])
      .groupBy(['status', 'platform'])
      .execute();
    const stats: OutboxStats = { pending: 0, failed: 0, delivered: 0, pendingByPlatform: {} };
    for (const r of rows) {
      const n = Number(r.n);
      if (r.status === 'pending' || r.status === 'failed' || r.status === 'delivered') stats[r.status] += n;
      if (r.status === 'pending') {
        const p = r.platform as Platform;
        stats.pendingByPlatform[p] = (stats.pendingByPlatform[p] ?? 0) + n;
      }
    }
    return stats;
  }

  async listFailed(limit = 100): Promise<OutboxItem[]> {
    const rows = await this.db.selectFrom('outbox').selectAll().where('status', '=', 'failed').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(rowToOutboxItem);
  }

  async forTicket(ticketId: number): Promise<OutboxItem[]> {
    const rows = await this.db.selectFrom('outbox').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute();
    return rows.map(rowToOutboxItem);
  }

  /** Puts a failed item back in the queue, due now, with a fresh attempt budget. False if it was not failed. */
  async retry(id: number): Promise<boolean> {
    const res = await this.db
      .updateTable('outbox')
      .set({ status: 'pending', attempts: 0, next_attempt_at: this.clock().toISOString(), lease_until: null, locked_by: null })
      .where('id', '=', id)
      .where('status', '=', 'failed')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /**
   * Leases up to `limit` due items for `workerId`. An item is due when pending, its next attempt
   * has come and no live lease covers it; only the oldest pending item of each ticket and platform
   * is offered, so a triage card is created before it is updated and replies arrive in order.
   * PostgreSQL skips rows another worker is leasing right now; SQLite has one writer at a time.
   * The attempt is counted at lease time, so an item that crashes its worker still runs out of attempts.
   */
  async lease(options: { workerId: string; platforms: Platform[]; limit: number; leaseMs: number }): Promise<LeasedItem[]> {
    if (options.platforms.length === 0) return [];
    const now = this.clock();
    const nowIso = now.toISOString();
    let due = this.db
      .selectFrom('outbox as o')
      .select('o.id')
      .where('o.status', '=', 'pending')
      .where('o.next_attempt_at', '<=', nowIso)
      .where((eb) => eb.or([eb('o.lease_until', 'is', null), eb('o.lease_until', '<', nowIso)]))
      .where('o.platform', 'in', options.platforms)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('outbox as e')
              .select('e.id')
              .whereRef('e.ticket_id', '=', 'o.ticket_id')
              .whereRef('e.platform', '=', 'o.platform')
              .where('e.status', '=', 'pending')
              .whereRef('e.id', '<', 'o.id'),
          ),
        ),
      )
      .orderBy('o.id')
      .limit(options.limit);
    if (dialectOf(this.db) === 'postgres') due = due.forUpdate().skipLocked();
    const rows = await this.db
      .updateTable('outbox')
      .set({
        lease_until: new Date(now.getTime() + options.leaseMs).toISOString(),
        locked_by: options.workerId,
        attempts: sql<number>`attempts + 1`,
      })
      .where('id', 'in', due)
      .returningAll()
      .execute();
    return rows.sort((a, b) => a.id - b.id).map((r) => ({ ...rowToOutboxItem(r), lockedBy: options.workerId }));
  }

  /** The finishers only act while the caller still holds the lease; false means it was lost. */
  async markDelivered(item: LeasedItem): Promise<boolean> {
    const nowIso = this.clock().toISOString();
    return this.finish(item, { status: 'delivered', delivered_at: nowIso, last_error: null });
  }

  async markRetry(item: LeasedItem, nextAttemptAt: Date, error: string): Promise<boolean> {
    return this.finish(item, { status: 'pending', next_attempt_at: nextAttemptAt.toISOString(), last_error: error });
  }

  async markFailed(item: LeasedItem, error: string): Promise<boolean> {
    return this.finish(item, { status: 'failed', last_error: error });
  }

  private async finish(
    item: LeasedItem,
    set: { status: string; delivered_at?: string; next_attempt_at?: string; last_error: string | null },
  ): Promise<boolean> {
    const res = await this.db
      .updateTable('outbox')
      .set({ ...set, lease_until: null, locked_by: null })
      .where('id', '=', item.id)
      .where('locked_by', '=', item.lockedBy)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }
}
