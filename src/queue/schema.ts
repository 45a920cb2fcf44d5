// Row shapes of the queue database, as Kysely sees them. Timestamps are ISO-8601 UTC strings
// (TEXT in both dialects) so that comparisons and ordering are the same query everywhere;
// JSON values are TEXT and parsed by the row mappers, never by SQL.
import type { Generated } from 'kysely';

export interface TicketsTable {
  id: Generated<number>;
  reference: string;
  requester_platform: string;
  requester_user_id: string;
  requester_json: string;
  org_type: string;
  org_name: string;
  category: string;
  priority: string;
  deadline: string | null;
  summary: string;
  details: string;
  conversation_json: string;
  citations_json: string;
  consent_to_share: number;
  status: string;
  assignee_id: string | null;
  assignee_json: string | null;
  sla_due_at: string;
  first_response_at: string | null;
  sla_warned_at: string | null;
  linked_to: number | null;
  anonymised_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface TicketCommentsTable {
  id: Generated<number>;
  ticket_id: number;
  visibility: string;
  author_id: string;
  author_json: string;
  text: string;
  created_at: string;
}

export interface TicketAuditTable {
  id: Generated<number>;
  ticket_id: number;
  actor_id: string;
  actor_json: string;
  via: string;
  action: string;
  changes_json: string;
  at: string;
}

export interface OutboxTable {
  id: Generated<number>;
  platform: string;
  kind: string;
  ticket_id: number;
  payload_json: string;
  idempotency_key: string;
  attempts: number;
  status: string;
  next_attempt_at: string;
  lease_until: string | null;
  locked_by: string | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

export interface ProcessedEventsTable {
  key: string;
  created_at: string;
}

export interface ChannelRefsTable {
  ticket_id: number;
  platform: string;
  ref_json: string;
  updated_at: string;
}

export interface SettingsTable {
  key: string;
  value_json: string;
  updated_at: string;
}

export interface FeedbackTable {
  id: Generated<number>;
  platform: string;
  user_id: string;
  route: string;
  rating: string;
  reason: string | null;
  answer_id: string | null;
  created_at: string;
}

export interface AskEventsTable {
  id: Generated<number>;
  platform: string | null;
  route: string;
  category: string | null;
  latency_ms: number;
  redactions: number;
  created_at: string;
}

export interface RateLimitsTable {
  key: string;
  tokens: number;
  /** Epoch milliseconds of the last refill: a number, because the bucket does arithmetic on it. */
  updated_ms: number;
}

export interface DB {
  tickets: TicketsTable;
  ticket_comments: TicketCommentsTable;
  ticket_audit: TicketAuditTable;
  outbox: OutboxTable;
  processed_events: ProcessedEventsTable;
  channel_refs: ChannelRefsTable;
  settings: SettingsTable;
  feedback: FeedbackTable;
  ask_events: AskEventsTable;
  rate_limits: RateLimitsTable;
}

export type Dialect = 'sqlite' | 'postgres';
