// A real HTTP server on 127.0.0.1 that plays the Slack Web API (POST /api/<method>, form or JSON
// bodies, bearer token) and Slack's response_url endpoints, recording every call. Answers have the
// fields real Slack returns; failures (HTTP 500, 429 with Retry-After, ok:false errors) can be
// scripted per method. Unknown methods answer ok:false unknown_method, as Slack does.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_TEAM_ID = 'T0TEAM';
export const FAKE_BOT_USER_ID = 'U0BOT';
export const FAKE_BOT_ID = 'B0BOT';

export interface SlackCall {
  /** Web API method (chat.postMessage) or `response_url` for a command/action response. */
  method: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- params as Slack would parse them (JSON fields decoded)
  params: Record<string, any>;
  /** The HTTP status the fake answered with. */
  status: number;
  /** Whether the call succeeded (HTTP 200 and ok:true). */
  ok: boolean;
  /** The JSON the fake answered with (absent for HTTP failures). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw Slack response
  response?: Record<string, any>;
  path: string;
  at: number;
}

type Failure = { status: 500 | 502 | 503 } | { status: 429; retryAfter: number } | { error: string };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw Slack params
type Matcher = (params: Record<string, any>) => boolean;
interface ScriptedFailure {
  failure: Failure;
  where: Matcher;
}

export interface StoredMessage {
  ts: string;
  user?: string;
  bot_id?: string;
  text: string;
  thread_ts?: string;
  subtype?: string;
}

export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  readonly token: string;
  private server?: Server;
  private readonly failures = new Map<string, ScriptedFailure[]>();
  private readonly members = new Map<string, string[]>();
  private readonly groups = new Map<string, string[]>();
  private readonly threads = new Map<string, StoredMessage[]>();
  private readonly users = new Map<string, { name: string; real_name: string }>();
  private tsCounter = 0;
  /** Methods answered ok:false unknown_method, to model a workspace without a newer API. */
  readonly unavailable = new Set<string>();
  /** Artificial latency for every Web API call, for timing tests. */
  latencyMs = 0;
  /** The app-level token (Socket Mode) and the WebSocket URL apps.connections.open hands out. */
  readonly appToken: string;
  socketModeUrl: string | undefined;

  constructor(options: { token?: string; appToken?: string } = {}) {
    this.token = options.token ?? 'xoxb-test';
    this.appToken = options.appToken ?? 'xapp-1-A0NAVIGATOR-test';
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections?.();
  }

  get url(): string {
    const addr = this.server?.address() as AddressInfo | null;
    if (!addr) throw new Error('FakeSlackApi is not started');
    return `http://127.0.0.1:${addr.port}`;
  }

  /** SLACK_API_URL for the server under test. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** A response_url the server under test can post to; calls are recorded as `response_url`. */
  responseUrl(id = 'T0TEAM/1/abc'): string {
    return `${this.url}/commands/${id}`;
  }

  /**
   * The next `times` calls of `method` (those matching `where`, e.g. to one channel) fail this way:
   * HTTP 500, 429 with Retry-After, or ok:false with an error code.
   */
  failNext(method: string, failure: Failure, times = 1, where: Matcher = () => true): this {
    const list = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push({ failure, where });
    this.failures.set(method, list);
    return this;
  }

  setChannelMembers(channel: string, members: string[]): this {
    this.members.set(channel, members);
    return this;
  }

  setUsergroupUsers(group: string, users: string[]): this {
    this.groups.set(group, users);
    return this;
  }

  setUser(id: string, name: string, realName = name): this {
    this.users.set(id, { name, real_name: realName });
    return this;
  }

  /** Adds a message to a thread that conversations.replies will return (the parent's ts is the thread's). */
  addToThread(channel: string, threadTs: string, message: StoredMessage): this {
    const list = this.threads.get(`${channel}:${threadTs}`) ?? [];
    list.push({ ...message, thread_ts: threadTs });
    list.sort((a, b) => Number(a.ts) - Number(b.ts));
    this.threads.set(`${channel}:${threadTs}`, list);
    return this;
  }

  /** Successful calls of one method, optionally filtered. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- params are raw Slack params
  ok(method: string, where: (params: Record<string, any>) => boolean = () => true): SlackCall[] {
    return this.calls.filter((c) => c.method === method && c.ok && where(c.params));
  }

  /** All calls (successful or not) of one method. */
  of(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  clear(): void {
    this.calls.length = 0;
  }

  /** Resolves once `check` passes, polling the recorded calls; throws with the calls on timeout. */
  async waitFor<T>(check: () => T | undefined | false, timeoutMs = 20_000, label = 'condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = check();
      if (v) return v;
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${label}; calls: ${this.calls.map((c) => `${c.method}(${c.status})`).join(', ')}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Resolves with the selected calls once there is at least `count` of them. */
  async waitForCalls(select: () => SlackCall[], label: string, count = 1, timeoutMs = 20_000): Promise<SlackCall[]> {
    return this.waitFor(() => {
      const calls = select();
      return calls.length >= count ? calls : undefined;
    }, timeoutMs, label);
  }

  nextTs(): string {
    this.tsCounter += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.tsCounter).padStart(6, '0')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path.startsWith('/commands/')) {
      let params: Record<string, unknown> = {};
      try {
        params = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        params = { raw };
      }
      this.calls.push({ method: 'response_url', params, status: 200, ok: true, path, at: Date.now() });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    const m = /^\/api\/([\w.]+)$/.exec(path);
    if (!m || req.method !== 'POST') {
      res.writeHead(404).end('not found');
      return;
    }
    const method = m[1]!;
    const params = parseParams(raw, req.headers['content-type'] ?? '');
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));

    const record = (status: number, ok: boolean, response?: Record<string, unknown>) => this.calls.push({ method, params, status, ok, path, at: Date.now(), ...(response ? { response } : {}) });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
    };

    const token = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '') || (params.token as string | undefined);
    // apps.connections.open takes the app-level token; every other method the bot token.
    if (token !== (method === 'apps.connections.open' ? this.appToken : this.token)) {
      record(200, false);
      send(200, { ok: false, error: 'invalid_auth' });
      return;
    }
    const scripted = this.failures.get(method) ?? [];
    const index = scripted.findIndex((f) => f.where(params));
    const failure = index >= 0 ? scripted.splice(index, 1)[0]!.failure : undefined;
    if (failure) {
      if ('error' in failure) {
        record(200, false, { ok: false, error: failure.error });
        send(200, { ok: false, error: failure.error });
      } else if (failure.status === 429) {
        record(429, false);
        send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfter) });
      } else {
        record(failure.status, false);
        res.writeHead(failure.status, { 'content-type': 'text/html' }).end('<html><body>Internal Server Error</body></html>');
      }
      return;
    }
    if (this.unavailable.has(method)) {
      record(200, false);
      send(200, { ok: false, error: 'unknown_method' });
      return;
    }
    const body = this.answer(method, params);
    record(200, body.ok === true, body);
    send(200, body);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw Slack params
  private answer(method: string, p: Record<string, any>): Record<string, unknown> {
    const channel = typeof p.channel === 'string' ? p.channel : undefined;
    switch (method) {
      case 'apps.connections.open':
        if (!this.socketModeUrl) return { ok: false, error: 'not_allowed_token_type' };
        return { ok: true, url: this.socketModeUrl };
      case 'auth.test':
        return { ok: true, url: 'https://nhs-partners.slack.com/', team: 'NHS Partners', user: 'navigator', team_id: FAKE_TEAM_ID, user_id: FAKE_BOT_USER_ID, bot_id: FAKE_BOT_ID, is_enterprise_install: false };
      case 'chat.postMessage': {
        if (!channel) return { ok: false, error: 'channel_not_found' };
        // Posting to a user id opens the app's DM with them, as Slack does.
        const target = channel.startsWith('U') ? `D${channel.slice(1)}` : channel;
        const ts = this.nextTs();
        const message = { type: 'message', user: FAKE_BOT_USER_ID, bot_id: FAKE_BOT_ID, text: p.text ?? '', ts, ...(p.thread_ts ? { thread_ts: p.thread_ts } : {}), ...(p.blocks ? { blocks: p.blocks } : {}) };
        if (p.thread_ts) this.addToThread(target, p.thread_ts, { ts, user: FAKE_BOT_USER_ID, bot_id: FAKE_BOT_ID, text: p.text ?? '' });
        return { ok: true, channel: target, ts, message };
      }
      case 'chat.update':
        if (!channel || !p.ts) return { ok: false, error: 'cant_update_message' };
        return { ok: true, channel, ts: p.ts, text: p.text ?? '', message: { text: p.text ?? '', ...(p.blocks ? { blocks: p.blocks } : {}) } };
      case 'chat.postEphemeral':
        if (!channel || !p.user) return { ok: false, error: 'user_not_in_channel' };
        return { ok: true, message_ts: this.nextTs() };
      case 'chat.startStream':
        if (!channel || !p.thread_ts) return { ok: false, error: 'invalid_arguments' };
        return { ok: true, channel, ts: this.nextTs() };
      case 'chat.appendStream':
        return { ok: true, channel, ts: p.ts };
      case 'chat.stopStream':
        return { ok: true, channel, ts: p.ts, message: { text: p.markdown_text ?? '' } };
      case 'views.open':
      case 'views.push':
      case 'views.update': {
        if (method === 'views.open' && !p.trigger_id) return { ok: false, error: 'invalid_trigger_id' };
        const view = typeof p.view === 'object' && p.view ? p.view : {};
        return { ok: true, view: { id: `V${this.nextTs().replace('.', '')}`, team_id: FAKE_TEAM_ID, state: { values: {} }, hash: 'h', ...view } };
      }
      case 'conversations.replies': {
        const list = this.threads.get(`${channel}:${p.ts}`) ?? [];
        return { ok: true, messages: list.map((mm) => ({ type: 'message', ...mm })), has_more: false, response_metadata: { next_cursor: '' } };
      }
      case 'conversations.members':
        return { ok: true, members: this.members.get(channel ?? '') ?? [], response_metadata: { next_cursor: '' } };
      case 'usergroups.users.list':
        return { ok: true, users: this.groups.get(p.usergroup) ?? [] };
      case 'users.info': {
        const u = this.users.get(p.user);
        if (!u) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: { id: p.user, team_id: FAKE_TEAM_ID, name: u.name, real_name: u.real_name, profile: { display_name: u.name, real_name: u.real_name } } };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(p.users ?? 'X').slice(1)}` } };
      case 'assistant.threads.setStatus':
      case 'assistant.threads.setSuggestedPrompts':
      case 'assistant.threads.setTitle':
        if (!p.channel_id || !p.thread_ts) return { ok: false, error: 'invalid_arguments' };
        return { ok: true };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

/** Form bodies (what @slack/web-api sends) or JSON; JSON-looking form fields are decoded. */
function parseParams(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    if (/^[[{]/.test(v)) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        // a plain string that happens to start with a bracket
      }
    }
    out[k] = v;
  }
  return out;
}
