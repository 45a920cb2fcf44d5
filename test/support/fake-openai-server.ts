// A real HTTP server on 127.0.0.1 that speaks enough of the OpenAI API (chat completions, with and
// without streaming, and embeddings) for tests, and records every request it receives.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- raw JSON as the client sent it
  raw: string;
}

export type ChatBehaviour =
  | { kind: 'reply'; content: (body: any) => string } // eslint-disable-line @typescript-eslint/no-explicit-any -- request JSON
  | { kind: 'hang' }
  | { kind: 'status'; status: number; headers?: Record<string, string> };

export class FakeOpenAIServer {
  readonly requests: RecordedRequest[] = [];
  private server?: Server;
  private chat: ChatBehaviour = { kind: 'status', status: 500 };
  private route: ChatBehaviour | undefined;
  private readonly hanging = new Set<ServerResponse>();
  embeddingDimension = 8;
  /** Delay before each chat answer starts, to simulate a slow model. */
  delayMs = 0;

  /** Every chat completion answers with this text (streamed when asked). */
  replies(content: string | ((body: any) => string)): this { // eslint-disable-line @typescript-eslint/no-explicit-any -- request JSON
    this.chat = { kind: 'reply', content: typeof content === 'string' ? () => content : content };
    return this;
  }

  /** Routing requests (JSON mode) get their own answer, so tests can script both calls. */
  routes(content: string): this {
    this.route = { kind: 'reply', content: () => content };
    return this;
  }

  hangs(): this {
    this.chat = { kind: 'hang' };
    return this;
  }

  fails(status: number, headers?: Record<string, string>): this {
    this.chat = { kind: 'status', status, headers };
    return this;
  }

  get url(): string {
    const addr = this.server?.address() as AddressInfo | null;
    if (!addr) throw new Error('FakeOpenAIServer is not started');
    return `http://127.0.0.1:${addr.port}/v1`;
  }

  chatRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/chat/completions'));
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections?.();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    let body: unknown = undefined;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      res.writeHead(400).end('{"error":{"message":"bad json"}}');
      return;
    }
    const path = req.url ?? '';
    this.requests.push({ method: req.method ?? '', path, headers: req.headers, body, raw });

    if (path.endsWith('/embeddings')) {
      const input = (body as { input: string | string[] }).input;
      const list = Array.isArray(input) ? input : [input];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          object: 'list',
          model: 'fake-embedding',
          data: list.map((text, index) => ({ object: 'embedding', index, embedding: hashVector(text, this.embeddingDimension) })),
          usage: { prompt_tokens: 1, total_tokens: 1 },
        }),
      );
      return;
    }
    if (!path.endsWith('/chat/completions')) {
      res.writeHead(404).end('{"error":{"message":"not found"}}');
      return;
    }
    const b = body as { stream?: boolean; response_format?: { type: string } };
    const behaviour = b.response_format?.type === 'json_object' && this.route ? this.route : this.chat;
    if (behaviour.kind === 'hang') {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    if (behaviour.kind === 'status') {
      res.writeHead(behaviour.status, { 'content-type': 'application/json', ...behaviour.headers });
      res.end(JSON.stringify({ error: { message: `fake failure ${behaviour.status}`, type: 'server_error' } }));
      return;
    }
    const content = behaviour.content(body);
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (b.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const pieces = content.match(/.{1,12}/gs) ?? [''];
      for (const piece of pieces) {
        res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 0, model: 'fake', choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`);
      }
      res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 0, model: 'fake', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: 'c1',
        object: 'chat.completion',
        created: 0,
        model: 'fake',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }),
    );
  }
}

/** A deterministic pseudo-embedding so the fake server's vectors are stable across calls. */
export function hashVector(text: string, dimension: number): number[] {
  const v = new Array<number>(dimension).fill(0);
  for (let i = 0; i < text.length; i++) v[(text.charCodeAt(i) * 31 + i) % dimension]! += 1;
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}
