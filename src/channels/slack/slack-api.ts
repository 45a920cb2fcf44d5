// The Slack Web API clients, built from configuration (never at import time), and the mapping of
// their failures to what the outbox understands. Every call goes to SLACK_API_URL when it is set.
import { webApi } from '@slack/bolt';
import type { Config } from '../../config/config.js';
import { outcomeFromHttp } from '../../queue/outbox.js';
import type { DeliveryOutcome } from '../../queue/types.js';
import type { Logger } from '../../shared/logger.js';
import { boltLogger } from './bolt-logger.js';

export type WebClient = webApi.WebClient;
export type WebClientOptions = webApi.WebClientOptions;

export interface SlackClients {
  /** For answers and interactions: retries briefly and waits out rate limits. */
  interactive: WebClient;
  /** For outbox deliveries: fails fast so the outbox decides when to retry. */
  delivery: WebClient;
  /** Options Bolt uses for the clients it builds per request. */
  options: WebClientOptions;
}

/** Slack's Web API base URL; the client appends the method name, so it must end with a slash. */
export function slackApiUrl(config: Readonly<Config>): string | undefined {
  const url = config.slack.apiUrl;
  if (!url) return undefined;
  return url.endsWith('/') ? url : `${url}/`;
}

export function createSlackClients(config: Readonly<Config>, logger: Logger): SlackClients {
  const token = config.slack.botToken;
  const base: WebClientOptions = {
    logger: boltLogger(logger.child({ component: 'slack-web-api' })),
    timeout: 10_000,
    ...(slackApiUrl(config) ? { slackApiUrl: slackApiUrl(config) } : {}),
  };
  const options: WebClientOptions = { ...base, retryConfig: { retries: 2, factor: 2, minTimeout: 300, maxTimeout: 2000 } };
  return {
    options,
    interactive: new webApi.WebClient(token, options),
    delivery: new webApi.WebClient(token, { ...base, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true }),
  };
}

/** Errors Slack reports with HTTP 200 and ok:false that are worth trying again later. */
const TRANSIENT_PLATFORM_ERRORS = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

/** Maps a Web API failure to a DeliveryOutcome: 429 and 5xx and network errors are retryable. */
export function outcomeFromSlackError(err: unknown): DeliveryOutcome {
  const e = err as {
    code?: string;
    message?: string;
    retryAfter?: number;
    statusCode?: number;
    headers?: Record<string, string>;
    body?: unknown;
    data?: { error?: string };
  };
  const message = e?.message ?? String(err);
  switch (e?.code) {
    case 'slack_webapi_rate_limited_error':
      return { ok: false, retryable: true, error: `rate limited: ${message}`, retryAfterMs: Math.max(0, (e.retryAfter ?? 1) * 1000) };
    case 'slack_webapi_http_error':
      return outcomeFromHttp(e.statusCode ?? 500, e.headers?.['retry-after'], typeof e.body === 'string' ? e.body : '');
    case 'slack_webapi_request_error':
      return { ok: false, retryable: true, error: `request failed: ${message}` };
    case 'slack_webapi_platform_error': {
      const code = e.data?.error ?? 'unknown_error';
      return { ok: false, retryable: TRANSIENT_PLATFORM_ERRORS.has(code), error: `slack error: ${code}` };
    }
    default:
      // Not from the client (a bug or an unexpected throw): retrying is the safe default.
      return { ok: false, retryable: true, error: message };
  }
}

/** The error code Slack returned, for logs and user-facing choices (never the request body). */
export function slackErrorCode(err: unknown): string {
  const e = err as { code?: string; data?: { error?: string }; statusCode?: number };
  return e?.data?.error ?? (e?.statusCode ? `http_${e.statusCode}` : e?.code ?? 'unknown');
}
