// Prometheus metrics in one registry per process (not the global default), so tests can build
// several apps without clashing.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'path' | 'status'>;
  httpLatency: Histogram<'method' | 'path'>;
  answers: Counter<'route' | 'mode'>;
  answerLatency: Histogram<'route'>;
  abstentions: Counter;
  modelFallbacks: Counter;
  redactions: Counter;
  rateLimited: Counter<'channel'>;
  outbox: Gauge<'status'>;
  tickets: Counter<'event'>;
  feedback: Counter<'rating'>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'navigator_' });
  const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
  return {
    registry,
    httpRequests: new Counter({ name: 'navigator_http_requests_total', help: 'HTTP requests', labelNames: ['method', 'path', 'status'], registers: [registry] }),
    httpLatency: new Histogram({ name: 'navigator_http_request_seconds', help: 'HTTP request latency', labelNames: ['method', 'path'], buckets: seconds, registers: [registry] }),
    answers: new Counter({ name: 'navigator_answers_total', help: 'Questions answered, by route and mode', labelNames: ['route', 'mode'], registers: [registry] }),
    answerLatency: new Histogram({ name: 'navigator_answer_seconds', help: 'Time to answer a question', labelNames: ['route'], buckets: seconds, registers: [registry] }),
    abstentions: new Counter({ name: 'navigator_abstentions_total', help: 'Questions the knowledge base could not support', registers: [registry] }),
    modelFallbacks: new Counter({ name: 'navigator_model_fallbacks_total', help: 'Language-model failures answered extractively', registers: [registry] }),
    redactions: new Counter({ name: 'navigator_redactions_total', help: 'Patient-identifiable items removed from messages', registers: [registry] }),
    rateLimited: new Counter({ name: 'navigator_rate_limited_total', help: 'Requests refused by the per-user rate limit', labelNames: ['channel'], registers: [registry] }),
    outbox: new Gauge({ name: 'navigator_outbox_items', help: 'Notification outbox items by status', labelNames: ['status'], registers: [registry] }),
    tickets: new Counter({ name: 'navigator_ticket_events_total', help: 'Support-queue events', labelNames: ['event'], registers: [registry] }),
    feedback: new Counter({ name: 'navigator_feedback_total', help: 'Answer feedback', labelNames: ['rating'], registers: [registry] }),
  };
}
