// The support queue: store, workflow service, outbox and side stores. Import from here.
export * from './types.js';
export { openDatabase, defaultSqlitePath, type DatabaseOptions, type QueueDatabase } from './database.js';
export type { DB, Dialect } from './schema.js';
export { TicketService, type TicketServiceOptions } from './ticket-service.js';
export { TICKET_SORTS, type TicketFilter, type TicketSort } from './ticket-queries.js';
export { TRANSITIONS, OPEN_STATUSES, canTransition, requesterStatusMessage } from './transitions.js';
export { addWorkingDays, isSlaBreached } from './sla.js';
export { formatReference, parseReference, ticketsToCsv } from './ticket-rows.js';
export { OutboxWorker, outcomeFromHttp, parseRetryAfter, type OutboxWorkerOptions, type DrainResult } from './outbox.js';
export { OutboxStore, idempotencyKey, type OutboxStats } from './outbox-store.js';
export { ProcessedEvents, ChannelRefs, Settings, Feedback, AskEvents, type FeedbackInput, type AskEventInput, type AskSummary } from './side-stores.js';
export { StoreRateLimiter, type RateLimit, type RateDecision } from './rate-limiter.js';
export type { PurgeOptions, PurgeResult, EraseResult } from './data-protection.js';
export { runTicketsCommand, TICKETS_USAGE, type TicketsCliDeps } from './tickets-cli.js';
