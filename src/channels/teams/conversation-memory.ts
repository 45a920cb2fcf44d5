// Short-lived memory of recent turns per Teams conversation (for follow-up questions) and of which
// route produced each answer message (for the native feedback buttons, whose invoke carries only
// the message id). Bot APIs cannot read chat history back, so this is kept here: in process,
// bounded, expiring, and holding only redacted text. On another replica a follow-up is answered
// as a fresh question and feedback falls back to the route 'answer'; nothing else depends on it.
import type { Citation, Route, Turn } from '../../core/types.js';
import type { Category } from '../../queue/types.js';

export interface ConversationState {
  turns: Turn[];
  category?: Category;
  citations: Citation[];
}

interface Entry<T> {
  value: T;
  expiresAt: number;
}

class ExpiringMap<T> {
  private readonly map = new Map<string, Entry<T>>();
  constructor(
    private readonly limit: number,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  get(key: string): T | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.map.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: T): void {
    this.map.delete(key);
    this.map.set(key, { value, expiresAt: this.now() + this.ttlMs });
    // Maps iterate in insertion order, so the first key is the least recently written.
    while (this.map.size > this.limit) this.map.delete(this.map.keys().next().value as string);
  }
}

export interface ConversationMemoryOptions {
  maxConversations?: number;
  maxTurns?: number;
  ttlMs?: number;
  now?: () => number;
}

export class ConversationMemory {
  private readonly conversations: ExpiringMap<ConversationState>;
  private readonly routes: ExpiringMap<Route>;
  private readonly maxTurns: number;

  constructor(options: ConversationMemoryOptions = {}) {
    const now = options.now ?? Date.now;
    this.conversations = new ExpiringMap(options.maxConversations ?? 2000, options.ttlMs ?? 30 * 60_000, now);
    this.routes = new ExpiringMap(20_000, 7 * 24 * 60 * 60_000, now);
    this.maxTurns = options.maxTurns ?? 6;
  }

  get(conversationId: string): ConversationState | undefined {
    return this.conversations.get(conversationId);
  }

  history(conversationId: string): Turn[] {
    return this.get(conversationId)?.turns ?? [];
  }

  /** Records one exchange; `question` must already be redacted (AskResult.meta.redactedQuestion). */
  remember(conversationId: string, exchange: { question: string; answer: string; category?: Category; citations: Citation[] }): void {
    const turns = [...this.history(conversationId), { role: 'user' as const, text: clip(exchange.question) }, { role: 'assistant' as const, text: clip(exchange.answer) }];
    this.conversations.set(conversationId, {
      turns: turns.slice(-this.maxTurns),
      category: exchange.category,
      citations: exchange.citations.slice(0, 5),
    });
  }

  rememberRoute(activityId: string, route: Route): void {
    this.routes.set(activityId, route);
  }

  routeOf(activityId: string | undefined): Route | undefined {
    return activityId ? this.routes.get(activityId) : undefined;
  }
}

function clip(text: string): string {
  return text.length > 2000 ? `${text.slice(0, 1999)}…` : text;
}
