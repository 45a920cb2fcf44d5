// Row ↔ domain mapping. Rows are checked as they are read back, so a hand-edited or half-migrated
// row fails with a message naming the column instead of surfacing as undefined later.
import type { Selectable } from 'kysely';
import { PLATFORMS, type Platform, type RequesterRef } from '../core/types.js';
import { StoreError } from '../shared/errors.js';
import type { OutboxTable, TicketAuditTable, TicketCommentsTable, TicketsTable } from './schema.js';
import {
  CATEGORIES,
  NOTIFICATION_KINDS,
  ORG_TYPES,
  PRIORITIES,
  STATUSES,
  type Actor,
  type AuditEntry,
  type OutboxItem,
  type Ticket,
  type TicketComment,
} from './types.js';

export type TicketRow = Selectable<TicketsTable>;

export function formatReference(id: number): string {
  return `NAV-${String(id).padStart(4, '0')}`;
}

/** NAV-0042, nav-42 and 42 all name ticket 42; anything else is null. */
export function parseReference(ref: string): number | null {
  const m = /^(?:nav-)?0*(\d{1,12})$/i.exec(ref.trim());
  if (!m) return null;
  const id = Number(m[1]);
  return id > 0 ? id : null;
}

function oneOf<T extends string>(allowed: readonly T[], value: string, column: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new StoreError(`Unexpected value "${value}" in column ${column}`);
}

function json<T>(text: string | null, column: string): T {
  try {
    return JSON.parse(text ?? 'null') as T;
  } catch (err) {
    throw new StoreError(`Column ${column} does not hold valid JSON`, { cause: err });
  }
}

export function rowToTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    reference: row.reference,
    requester: json<RequesterRef>(row.requester_json, 'tickets.requester_json'),
    orgType: oneOf(ORG_TYPES, row.org_type, 'tickets.org_type'),
    orgName: row.org_name,
    category: oneOf(CATEGORIES, row.category, 'tickets.category'),
    priority: oneOf(PRIORITIES, row.priority, 'tickets.priority'),
    deadline: row.deadline,
    summary: row.summary,
    details: row.details,
    conversation: json(row.conversation_json, 'tickets.conversation_json') ?? [],
    citations: json(row.citations_json, 'tickets.citations_json') ?? [],
    status: oneOf(STATUSES, row.status, 'tickets.status'),
    assignee: json<Actor | null>(row.assignee_json, 'tickets.assignee_json'),
    slaDueAt: row.sla_due_at,
    firstResponseAt: row.first_response_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: Number(row.version),
    linkedTo: row.linked_to === null ? null : Number(row.linked_to),
  };
}

export function rowToComment(row: Selectable<TicketCommentsTable>): TicketComment {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    visibility: oneOf(['internal', 'public'] as const, row.visibility, 'ticket_comments.visibility'),
    author: json<Actor>(row.author_json, 'ticket_comments.author_json'),
    text: row.text,
    createdAt: row.created_at,
  };
}

export function rowToAudit(row: Selectable<TicketAuditTable>): AuditEntry {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    actor: json<Actor>(row.actor_json, 'ticket_audit.actor_json'),
    action: row.action,
    changes: json(row.changes_json, 'ticket_audit.changes_json') ?? {},
    at: row.at,
  };
}

export function rowToOutboxItem(row: Selectable<OutboxTable>): OutboxItem {
  return {
    id: row.id,
    platform: oneOf<Platform>(PLATFORMS, row.platform, 'outbox.platform'),
    kind: oneOf(NOTIFICATION_KINDS, row.kind, 'outbox.kind'),
    ticketId: row.ticket_id,
    payload: json(row.payload_json, 'outbox.payload_json') ?? {},
    idempotencyKey: row.idempotency_key,
    attempts: Number(row.attempts),
    status: oneOf(['pending', 'delivered', 'failed'] as const, row.status, 'outbox.status'),
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
  };
}

const CSV_COLUMNS: Array<[string, (t: Ticket) => string | number | null]> = [
  ['reference', (t) => t.reference],
  ['status', (t) => t.status],
  ['category', (t) => t.category],
  ['priority', (t) => t.priority],
  ['org_type', (t) => t.orgType],
  ['org_name', (t) => t.orgName],
  ['requester_platform', (t) => t.requester.platform],
  ['assignee', (t) => t.assignee?.name ?? t.assignee?.id ?? null],
  ['deadline', (t) => t.deadline],
  ['sla_due_at', (t) => t.slaDueAt],
  ['first_response_at', (t) => t.firstResponseAt],
  ['created_at', (t) => t.createdAt],
  ['updated_at', (t) => t.updatedAt],
  ['summary', (t) => t.summary],
];

/**
 * RFC 4180 CSV. Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR) get a
 * leading apostrophe, because exports are opened in Excel and summaries quote user text.
 */
export function ticketsToCsv(tickets: Ticket[]): string {
  const cell = (v: string | number | null): string => {
    let s = v === null ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [CSV_COLUMNS.map(([name]) => name).join(',')];
  for (const t of tickets) lines.push(CSV_COLUMNS.map(([, get]) => cell(get(t))).join(','));
  return lines.join('\r\n') + '\r\n';
}
