// A real HTTP server on 127.0.0.1 that plays the Bot Connector service Teams bots call back to
// (the activity's serviceUrl): send, reply, update, members and create-conversation, plus an
// OAuth client-credentials token endpoint. Every call is recorded; failures can be scripted.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ConnectorCallKind = 'send' | 'reply' | 'update' | 'delete' | 'members' | 'member' | 'createConversation' | 'token' | 'other';

export interface ConnectorCall {
  kind: ConnectorCallKind;
  method: string;
  path: string;
  conversationId?: string;
  /** The activity replied to (reply) or updated (update). */
  activityId?: string;
  headers: IncomingMessage['headers'];
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- raw JSON (or form fields) as the bot sent it
  /** The status this fake answered with. */
  status: number;
  /** The id this fake gave a new activity (send/reply). */
  resultId?: string;
}

export interface ChannelAccount {
  id: string;
  name?: string;
  aadObjectId?: string;
  userPrincipalName?: string;
}

interface ScriptedFailure {
  match: (call: Pick<ConnectorCall, 'kind' | 'method' | 'conversationId'>) => boolean;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  remaining: number;
}

export class FakeBotConnector {
  readonly calls: ConnectorCall[] = [];
  private server?: Server;
  private readonly members = new Map<string, ChannelAccount[]>();
  private readonly failures: ScriptedFailure[] = [];
  private counter = 0;
  private readonly base = Date.now();
  /** Largest page GET …/pagedmembers returns, whatever pageSize the bot asks for (to exercise paging). */
  maxPageSize = 500;

  /** The serviceUrl to put in activities: like Teams' own, with a path and a trailing slash. */
  get url(): string {
    return `${this.origin}/teams/`;
  }

  get origin(): string {
    const addr = this.server?.address() as AddressInfo | null;
    if (!addr) throw new Error('FakeBotConnector is not started');
    return `http://127.0.0.1:${addr.port}`;
  }

  /** The token endpoint, for TEAMS_OAUTH_URL. */
  get tokenUrl(): string {
    return `${this.origin}/botframework.com/oauth2/v2.0/token`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections?.();
  }

  /** Who GET …/conversations/{id}/members returns for that conversation (team or channel id). */
  setMembers(conversationId: string, members: ChannelAccount[]): this {
    this.members.set(conversationId, members);
    return this;
  }

  /** The next `times` calls matching answer with this status instead (e.g. 500, or 429 with Retry-After). */
  failNext(
    match: Partial<Pick<ConnectorCall, 'kind' | 'method' | 'conversationId'>>,
    response: { status: number; headers?: Record<string, string>; body?: unknown },
    times = 1,
  ): this {
    this.failures.push({
      match: (c) =>
        (match.kind === undefined || match.kind === c.kind) &&
        (match.method === undefined || match.method === c.method) &&
        (match.conversationId === undefined || match.conversationId === c.conversationId),
      ...response,
      remaining: times,
    });
    return this;
  }

  /** Activities the bot posted (send or reply) that succeeded, optionally in one conversation. */
  posted(conversationId?: string): ConnectorCall[] {
    return this.calls.filter(
      (c) => (c.kind === 'send' || c.kind === 'reply') && c.status < 300 && (conversationId === undefined || c.conversationId === conversationId),
    );
  }

  /** Posted activities of type message (not typing indicators). */
  messages(conversationId?: string): ConnectorCall[] {
    return this.posted(conversationId).filter((c) => c.body?.type === 'message');
  }

  updates(conversationId?: string): ConnectorCall[] {
    return this.calls.filter((c) => c.kind === 'update' && c.status < 300 && (conversationId === undefined || c.conversationId === conversationId));
  }

  /** Polls the recorded calls until `find` returns something, or fails with what was seen. */
  async waitFor<T>(find: (calls: ConnectorCall[]) => T | undefined | null | false, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find(this.calls);
      if (found) return found;
      if (Date.now() > deadline) {
        const seen = this.calls.map((c) => `${c.method} ${c.path} → ${c.status}${c.body?.type ? ` (${c.body.type})` : ''}`).join('\n  ');
        throw new Error(`FakeBotConnector: nothing matched within ${timeoutMs} ms; calls seen:\n  ${seen || '(none)'}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  private nextId(): string {
    this.counter += 1;
    // Teams message ids are millisecond timestamps.
    return String(this.base + this.counter);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0]!;
    const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
    const contentType = String(req.headers['content-type'] ?? '');
    let body: unknown;
    try {
      body = !raw ? undefined : contentType.includes('application/x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(raw)) : JSON.parse(raw);
    } catch {
      this.answer(res, { kind: 'other', method, path, headers: req.headers, body: raw, status: 400 }, { error: { code: 'BadSyntax', message: 'bad json' } });
      return;
    }
    const call: ConnectorCall = { kind: 'other', method, path, headers: req.headers, body, status: 200 };

    if (method === 'POST' && path.endsWith('/oauth2/v2.0/token')) {
      call.kind = 'token';
      if (this.scripted(call, res)) return;
      this.answer(res, call, { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: `fake-access-token-${this.nextId()}` });
      return;
    }

    // Everything else lives under /v3/, after whatever path the serviceUrl had.
    const v3 = path.indexOf('/v3/');
    const parts = (v3 >= 0 ? path.slice(v3 + 4) : '').split('/').map((p) => decodeURIComponent(p));
    if (parts[0] !== 'conversations') {
      call.status = 404;
      this.answer(res, call, { error: { code: 'NotFound', message: `no route ${method} ${path}` } });
      return;
    }
    const [, conversationId, sub, third] = parts;
    if (conversationId) call.conversationId = conversationId;

    if (method === 'POST' && parts.length === 1) {
      call.kind = 'createConversation';
      if (this.scripted(call, res)) return;
      const id = `a:1${this.nextId()}`;
      const activity = (body as { activity?: unknown } | undefined)?.activity;
      this.answer(res, call, { id, ...(activity ? { activityId: this.nextId() } : {}) }, 201);
    } else if (method === 'POST' && sub === 'activities' && conversationId) {
      call.kind = third ? 'reply' : 'send';
      if (third) call.activityId = third;
      if (this.scripted(call, res)) return;
      call.resultId = this.nextId();
      this.answer(res, call, { id: call.resultId }, 201);
    } else if (method === 'PUT' && sub === 'activities' && conversationId && third) {
      call.kind = 'update';
      call.activityId = third;
      if (this.scripted(call, res)) return;
      this.answer(res, call, { id: third });
    } else if (method === 'DELETE' && sub === 'activities' && conversationId && third) {
      call.kind = 'delete';
      call.activityId = third;
      if (this.scripted(call, res)) return;
      this.answer(res, call, undefined);
    } else if (method === 'GET' && (sub === 'members' || sub === 'pagedmembers') && conversationId) {
      call.kind = third ? 'member' : 'members';
      if (this.scripted(call, res)) return;
      const members = this.members.get(conversationId) ?? [];
      if (third) {
        const m = members.find((x) => x.id === third || x.aadObjectId === third);
        if (!m) {
          call.status = 404;
          this.answer(res, call, { error: { code: 'MemberNotFoundInConversation', message: 'The member is not in the conversation.' } });
        } else this.answer(res, call, m);
      } else if (sub === 'pagedmembers') {
        const size = Math.min(this.maxPageSize, Number(query.get('pageSize') ?? 200) || 200);
        const start = Number(query.get('continuationToken') ?? 0) || 0;
        const next = start + size < members.length ? String(start + size) : undefined;
        this.answer(res, call, { members: members.slice(start, start + size), ...(next ? { continuationToken: next } : {}) });
      } else this.answer(res, call, members);
    } else {
      call.status = 404;
      this.answer(res, call, { error: { code: 'NotFound', message: `no route ${method} ${path}` } });
    }
  }

  private scripted(call: ConnectorCall, res: ServerResponse): boolean {
    const f = this.failures.find((x) => x.remaining > 0 && x.match(call));
    if (!f) return false;
    f.remaining -= 1;
    call.status = f.status;
    this.answer(res, call, f.body ?? { error: { code: 'ServiceError', message: `scripted failure ${f.status}` } }, f.status, f.headers);
    return true;
  }

  private answer(res: ServerResponse, call: ConnectorCall, payload: unknown, status = call.status, headers: Record<string, string> = {}): void {
    call.status = status;
    this.calls.push(call);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(payload === undefined ? '' : JSON.stringify(payload));
  }
}
