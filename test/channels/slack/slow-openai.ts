// A local OpenAI-compatible server whose streamed answers arrive slowly, chunk by chunk, as a real
// model's do, so the Slack streaming path (which flushes at most once a second) can be observed.
// Routing requests (JSON mode) get a fixed route.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export class SlowOpenAI {
  private server?: Server;
  streamed = 0;

  constructor(
    private readonly answer: string,
    private readonly route: string,
    private readonly chunkChars = 300,
    private readonly delayMs = 120,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/v1`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server!.closeAllConnections();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw || '{}') as { stream?: boolean; response_format?: { type?: string } };
    const completion = (content: string) => ({
      id: 'c1',
      object: 'chat.completion',
      created: 0,
      model: 'slow',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    });
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion(body.response_format?.type === 'json_object' ? this.route : this.answer)));
      return;
    }
    this.streamed += 1;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const chunk = (delta: Record<string, unknown>, finish: string | null) =>
      `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 0, model: 'slow', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    for (let i = 0; i < this.answer.length; i += this.chunkChars) {
      res.write(chunk({ content: this.answer.slice(i, i + this.chunkChars) }, null));
      await new Promise((r) => setTimeout(r, this.delayMs));
    }
    res.write(chunk({}, 'stop'));
    res.end('data: [DONE]\n\n');
  }
}
