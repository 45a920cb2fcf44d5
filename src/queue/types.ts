// The support queue's vocabulary, shared by the store, the workflow service, the outbox and
// every channel that renders or acts on tickets.
import type { Citation, Platform, RequesterRef, Turn } from '../core/types.js';

export const ORG_TYPES = [
  'nhs_trust',
  'icb',
  'primary_care',
  'startup_sme',
  'large_company',
  'academia',
  'charity',
  'other',
] as const;
export type OrgType = (typeof ORG_TYPES)[number];

export const ORG_TYPE_LABELS: Record<OrgType, string> = {
  nhs_trust: 'NHS trust',
  icb: 'Integrated care board (ICB)',
  primary_care: 'Primary care',
  startup_sme: 'Startup / SME',
  large_company: 'Large company',
  academia: 'Academia',
  charity: 'Charity',
  other: 'Other',
};

export const CATEGORIES = [
  'commercial',
  'legal',
  'ip',
  'ig_dpia',
  'regulation',
  'clinical_safety',
  'public_engagement',
  'funding_procurement',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_LABELS: Record<Category, string> = {
  commercial: 'Commercial terms and value',
  legal: 'Legal and contracts',
  ip: 'Intellectual property',
  ig_dpia: 'Information governance and DPIA',
  regulation: 'Regulation and assurance',
  clinical_safety: 'Clinical safety',
  public_engagement: 'Public engagement and transparency',
  funding_procurement: 'Funding and procurement',
  other: 'Other',
};

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const STATUSES = ['new', 'triaged', 'in_progress', 'waiting_on_requester', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof STATUSES)[number];

export const STATUS_LABELS: Record<TicketStatus, string> = {
  new: 'New',
  triaged: 'Triaged',
  in_progress: 'In progress',
  waiting_on_requester: 'Waiting on requester',
  resolved: 'Resolved',
  closed: 'Closed',
};

/** Who did something, and through which surface: recorded in the audit log. */
export interface Actor {
  id: string;
  name?: string;
  /** 'slack' | 'teams' | 'web' | 'triage' | 'cli' | 'system' */
  via: string;
}

export interface NewTicketInput {
  requester: RequesterRef;
  orgType: OrgType;
  orgName: string;
  category: Category;
  priority: Priority;
  deadline?: string | null; // ISO date the requester gave
  summary: string; // bot-written, already redacted
  details?: string; // requester's own words from the form, already redacted
  conversation: Turn[]; // redacted, and empty when the requester did not consent to share it
  citations: Citation[];
  consentToShare: boolean;
}

/** What every escalation form (Slack modal, Teams card, web form) collects, after validation. */
export interface EscalationSubmission {
  summary: string;
  details: string;
  category: Category;
  orgType: OrgType;
  orgName: string;
  priority: Priority;
  deadline: string | null;
  consentToShare: boolean;
}

export interface Ticket {
  id: number;
  reference: string; // NAV-0042
  requester: RequesterRef;
  orgType: OrgType;
  orgName: string;
  category: Category;
  priority: Priority;
  deadline: string | null;
  summary: string;
  details: string;
  conversation: Turn[];
  citations: Citation[];
  status: TicketStatus;
  assignee: Actor | null;
  slaDueAt: string; // ISO instant
  firstResponseAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  linkedTo: number | null; // duplicate detection links, never duplicates
}

export interface TicketComment {
  id: number;
  ticketId: number;
  visibility: 'internal' | 'public';
  author: Actor;
  text: string;
  createdAt: string;
}

export interface AuditEntry {
  id: number;
  ticketId: number;
  actor: Actor;
  action: string;
  changes: Record<string, { from: unknown; to: unknown }> | Record<string, unknown>;
  at: string;
}

/** The outcomes of a workflow action that are expected, not exceptional. */
export type WorkflowResult<T> =
  | { ok: true; value: T }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'invalid_transition'; message: string }
  | { ok: false; reason: 'already_claimed'; by: Actor }
  | { ok: false; reason: 'conflict'; message: string }
  | { ok: false; reason: 'forbidden'; message: string };

export type CreateResult =
  | { kind: 'created'; ticket: Ticket }
  | { kind: 'linked_duplicate'; ticket: Ticket; existing: Ticket };

export const NOTIFICATION_KINDS = [
  'ticket_created', // to each triage channel
  'ticket_updated', // refresh the triage message/card in place, with a short log line
  'status_changed', // to the requester
  'reply', // public reply to the requester
  'sla_warning', // to triage
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface OutboxItem {
  id: number;
  platform: Platform; // which channel's handler delivers it
  kind: NotificationKind;
  ticketId: number;
  payload: Record<string, unknown>;
  idempotencyKey: string;
  attempts: number;
  status: 'pending' | 'delivered' | 'failed';
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
}

/** What a channel's delivery handler tells the outbox worker. */
export type DeliveryOutcome =
  | { ok: true }
  | { ok: false; retryable: boolean; error: string; retryAfterMs?: number };

export type DeliveryHandler = (item: OutboxItem, ticket: Ticket) => Promise<DeliveryOutcome>;
