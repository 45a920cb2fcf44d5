// The queue view's filters, read from the query string. The same parsed filters drive the table,
// the pagination links and the CSV export, so an export holds exactly what the table showed.
import {
  CATEGORIES,
  OPEN_STATUSES,
  ORG_TYPES,
  PRIORITIES,
  STATUSES,
  TICKET_SORTS,
  type TicketFilter,
  type TicketSort,
} from '../queue/index.js';

export const PAGE_SIZE = 50;
/** The most rows one CSV export holds (the store's own ceiling). */
export const EXPORT_LIMIT = 1000;

/** The filters as the form shows them; '' means "any". */
export interface QueueQuery {
  status: string; // 'open' (default), 'all' or one status
  category: string;
  priority: string;
  assignee: string; // '', 'none', 'me' or an actor id
  org: string;
  sla: string; // '', 'breached', 'ok'
  sort: TicketSort;
  q: string;
  page: number;
}

const pick = (value: unknown, allowed: readonly string[], fallback = ''): string =>
  typeof value === 'string' && allowed.includes(value) ? value : fallback;

const text = (value: unknown, max: number): string => (typeof value === 'string' ? value.trim().slice(0, max) : '');

export function parseQueueQuery(raw: Record<string, unknown>): QueueQuery {
  const page = Number.parseInt(text(raw.page, 6), 10);
  return {
    status: pick(raw.status, ['open', 'all', ...STATUSES], 'open'),
    category: pick(raw.category, CATEGORIES),
    priority: pick(raw.priority, PRIORITIES),
    assignee: text(raw.assignee, 120),
    org: pick(raw.org, ORG_TYPES),
    sla: pick(raw.sla, ['breached', 'ok']),
    sort: pick(raw.sort, TICKET_SORTS, 'newest') as TicketSort,
    q: text(raw.q, 200),
    page: Number.isFinite(page) && page > 1 ? page : 1,
  };
}

/** The store filter for a query; `meId` stands in for assignee=me. */
export function toTicketFilter(q: QueueQuery, meId: string): TicketFilter {
  const filter: TicketFilter = { sort: q.sort };
  if (q.status === 'open') filter.status = [...OPEN_STATUSES];
  else if (q.status !== 'all') filter.status = q.status as TicketFilter['status'];
  if (q.category) filter.category = q.category as TicketFilter['category'];
  if (q.priority) filter.priority = q.priority as TicketFilter['priority'];
  if (q.org) filter.orgType = q.org as TicketFilter['orgType'];
  if (q.assignee === 'none') filter.assigneeId = null;
  else if (q.assignee === 'me') filter.assigneeId = meId;
  else if (q.assignee) filter.assigneeId = q.assignee;
  if (q.sla) filter.slaBreached = q.sla === 'breached';
  if (q.q) filter.search = q.q;
  return filter;
}

/** The query string for these filters (without defaults), optionally overriding some. */
export function queueSearch(q: QueueQuery, override: Partial<QueueQuery> = {}): string {
  const merged = { ...q, ...override };
  const params = new URLSearchParams();
  for (const key of ['status', 'category', 'priority', 'assignee', 'org', 'sla', 'sort', 'q'] as const) {
    const value = String(merged[key]);
    if (value && !(key === 'sort' && value === 'newest')) params.set(key, value);
  }
  if (merged.page > 1) params.set('page', String(merged.page));
  const s = params.toString();
  return s ? `?${s}` : '';
}
