// Read side of the queue: the triage dashboard's list and filters, a requester's own tickets, and
// a ticket's comments and audit trail. The same SQL runs on SQLite and PostgreSQL.
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Platform } from '../core/types.js';
import type { DB } from './schema.js';
import { parseReference, rowToAudit, rowToComment, rowToTicket } from './ticket-rows.js';
import { OPEN_STATUSES } from './transitions.js';
import type { AuditEntry, Category, OrgType, Priority, Ticket, TicketComment, TicketStatus } from './types.js';

export const TICKET_SORTS = ['newest', 'oldest', 'updated', 'sla_due', 'priority'] as const;
export type TicketSort = (typeof TICKET_SORTS)[number];

export interface TicketFilter {
  status?: TicketStatus | TicketStatus[];
  category?: Category;
  priority?: Priority;
  /** An actor id; `null` lists unassigned tickets. */
  assigneeId?: string | null;
  orgType?: OrgType;
  /** true: open, past SLA due and never answered; false: everything else. */
  slaBreached?: boolean;
  /** Case-insensitive match on reference, summary, details and organisation name. */
  search?: string;
  /** Default `newest`. */
  sort?: TicketSort;
  /** Default 100, at most 1000. */
  limit?: number;
  offset?: number;
}

type TicketsEb = ExpressionBuilder<DB, 'tickets'>;

function conditions(eb: TicketsEb, filter: TicketFilter, nowIso: string): Expression<SqlBool> {
  const all: Expression<SqlBool>[] = [];
  if (filter.status !== undefined) {
    const statuses = Array.isArray(filter.status) ? filter.status : [filter.status];
    all.push(statuses.length === 0 ? sql<SqlBool>`1 = 0` : eb('status', 'in', statuses));
  }
  if (filter.category) all.push(eb('category', '=', filter.category));
  if (filter.priority) all.push(eb('priority', '=', filter.priority));
  if (filter.orgType) all.push(eb('org_type', '=', filter.orgType));
  if (filter.assigneeId === null) all.push(eb('assignee_id', 'is', null));
  else if (filter.assigneeId !== undefined) all.push(eb('assignee_id', '=', filter.assigneeId));
  if (filter.slaBreached !== undefined) {
    const breached = eb.and([
      eb('first_response_at', 'is', null),
      eb('status', 'in', [...OPEN_STATUSES]),
      eb('sla_due_at', '<', nowIso),
    ]);
    all.push(filter.slaBreached ? breached : eb.not(breached));
  }
  const search = filter.search?.trim();
  if (search) {
    const pattern = `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const like = (col: 'summary' | 'details' | 'org_name' | 'reference') =>
      sql<SqlBool>`lower(${sql.ref(col)}) like ${pattern} escape '\\'`;
    const anyOf: Expression<SqlBool>[] = [like('reference'), like('summary'), like('details'), like('org_name')];
    const id = parseReference(search);
    if (id !== null) anyOf.push(eb('id', '=', id));
    all.push(eb.or(anyOf));
  }
  return eb.and(all);
}

const PRIORITY_RANK = sql<number>`case priority when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end`;

export class TicketQueries {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => Date,
  ) {}

  async get(id: number): Promise<Ticket | null> {
    const row = await this.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? rowToTicket(row) : null;
  }

  /** Accepts NAV-0042, nav-42 or 42. */
  async getByReference(reference: string): Promise<Ticket | null> {
    const id = parseReference(reference);
    return id === null ? null : this.get(id);
  }

  async list(filter: TicketFilter = {}): Promise<Ticket[]> {
    const nowIso = this.now().toISOString();
    let q = this.db.selectFrom('tickets').selectAll().where((eb) => conditions(eb, filter, nowIso));
    switch (filter.sort ?? 'newest') {
      case 'oldest':
        q = q.orderBy('id', 'asc');
        break;
      case 'updated':
        q = q.orderBy('updated_at', 'desc').orderBy('id', 'desc');
        break;
      case 'sla_due':
        q = q.orderBy('sla_due_at', 'asc').orderBy('id', 'asc');
        break;
      case 'priority':
        q = q.orderBy(PRIORITY_RANK).orderBy('sla_due_at', 'asc').orderBy('id', 'asc');
        break;
      default:
        q = q.orderBy('id', 'desc');
    }
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
    const rows = await q.limit(limit).offset(Math.max(filter.offset ?? 0, 0)).execute();
    return rows.map(rowToTicket);
  }

  /** How many tickets match, ignoring sort, limit and offset: for pagination and dashboard counters. */
  async count(filter: TicketFilter = {}): Promise<number> {
    const nowIso = this.now().toISOString();
    const row = await this.db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where((eb) => conditions(eb, filter, nowIso))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** A requester's own tickets, newest first ("my requests" in Slack/Teams). */
  async listForRequester(platform: Platform, userId: string): Promise<Ticket[]> {
    const rows = await this.db
      .selectFrom('tickets')
      .selectAll()
      .where('requester_platform', '=', platform)
      .where('requester_user_id', '=', userId)
      .orderBy('id', 'desc')
      .execute();
    return rows.map(rowToTicket);
  }

  /** Public replies and requester messages; internal notes only when asked for (support team views). */
  async comments(ticketId: number, options: { includeInternal?: boolean } = {}): Promise<TicketComment[]> {
    let q = this.db.selectFrom('ticket_comments').selectAll().where('ticket_id', '=', ticketId);
    if (!options.includeInternal) q = q.where('visibility', '=', 'public');
    const rows = await q.orderBy('id').execute();
    return rows.map(rowToComment);
  }

  async audit(ticketId: number): Promise<AuditEntry[]> {
    const rows = await this.db.selectFrom('ticket_audit').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute();
    return rows.map(rowToAudit);
  }
}
