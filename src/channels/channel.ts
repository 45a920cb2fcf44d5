// What a channel adapter (Slack, Teams) receives from the composition root and gives back. The core
// and the queue know nothing of channels; a channel knows the core only through these interfaces.
import type { RequestHandler, Router } from 'express';
import type { Config } from '../config/config.js';
import type { Navigator, Platform } from '../core/types.js';
import type { RateLimiter } from '../guard/rate-limit.js';
import type { ChannelRefs, Feedback, ProcessedEvents, Settings, TicketService } from '../queue/index.js';
import type { DeliveryHandler } from '../queue/types.js';
import type { Logger } from '../shared/logger.js';
import type { Metrics } from '../shared/metrics.js';

export interface ChannelDeps {
  config: Readonly<Config>;
  logger: Logger;
  metrics: Metrics;
  navigator: Navigator;
  tickets: TicketService;
  processedEvents: ProcessedEvents;
  channelRefs: ChannelRefs;
  settings: Settings;
  feedback: Feedback;
  rateLimiter: RateLimiter;
  /** The shared patient-data guard, for escalation form fields and anything else a user typed. */
  redact: (text: string) => { text: string; redactions: number; kinds: string[] };
  /** Wraps background work (answers after an ack) so graceful shutdown waits for it. */
  track: <T>(work: Promise<T>) => Promise<T>;
}

export interface Channel {
  platform: Platform;
  /** Mounted before body parsing: the channel verifies and parses its own requests. */
  routes: Array<{ path: string; handler: RequestHandler | Router }>;
  /** Delivers outbox notifications (triage posts, replies, status changes) for this platform. */
  deliver?: DeliveryHandler;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}
