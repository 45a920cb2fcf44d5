// The one request and response shape every channel speaks. Channel adapters translate
// platform events into an AskRequest and render an AskResult; nothing here knows Slack or Teams.

export const ROUTES = ['answer', 'abstain', 'escalate', 'out_of_scope', 'smalltalk'] as const;
export type Route = (typeof ROUTES)[number];

export const PLATFORMS = ['slack', 'teams', 'web', 'cli'] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface Turn {
  role: 'user' | 'assistant';
  text: string;
}

/** Where a request came from, so replies and escalations can find their way back. */
export interface RequesterRef {
  platform: Platform;
  userId: string;
  displayName?: string;
  email?: string;
  /** Platform-specific address of the conversation (Slack channel + thread, Teams conversation reference, web session). */
  conversation?: Record<string, unknown>;
}

export interface AskRequest {
  question: string;
  history?: Turn[];
  requester?: RequesterRef;
}

export type CitationStatus = 'current' | 'superseded' | 'stale';

export interface Citation {
  title: string;
  url: string;
  publisher: string;
  published: string;
  snippet: string;
  /** Heading path inside the document, e.g. "Principles › Fair terms". */
  section?: string;
  /** Marked when the document is superseded or past its review date. */
  status?: CitationStatus;
}

export type AnswerMode = 'extractive' | 'llm';

export interface AskResult {
  answer: string;
  route: Route;
  confidence: number;
  citations: Citation[];
  /** How many patient-identifiable items were removed from the user's text before processing. */
  redactions: number;
  /** Internal detail for channels and logs; never part of the public JSON contract. */
  meta: AskMeta;
}

export interface AskMeta {
  mode: AnswerMode;
  /** The user's question after redaction: the only form of it that may be stored or escalated. */
  redactedQuestion: string;
  /** Stand-alone question used for retrieval (follow-ups rewritten with the history). */
  standaloneQuestion: string;
  /** Kinds of identifiers removed (e.g. "NHS number"), for the one-time notice. */
  redactedKinds: string[];
  /** A suggested ticket category when the route is `escalate` or the user asks for help. */
  suggestedCategory?: string;
  latencyMs: number;
  fellBack?: boolean;
}

/** The JSON object of `navigator ask --json` and `POST /api/ask`: exactly these five fields. */
export interface AskJson {
  answer: string;
  route: Route;
  confidence: number;
  citations: Citation[];
  redactions: number;
}

export function toAskJson(result: AskResult): AskJson {
  return {
    answer: result.answer,
    route: result.route,
    confidence: result.confidence,
    citations: result.citations.map((c) => ({
      title: c.title,
      url: c.url,
      publisher: c.publisher,
      published: c.published,
      snippet: c.snippet,
      ...(c.section ? { section: c.section } : {}),
      ...(c.status && c.status !== 'current' ? { status: c.status } : {}),
    })),
    redactions: result.redactions,
  };
}

export interface AskOptions {
  /** Receives answer text as it is produced, when the answerer can stream. */
  onToken?: (text: string) => void;
  /** Receives progress such as "Searching guidance…" for channels that show a status. */
  onStatus?: (status: string) => void;
  signal?: AbortSignal;
}

/** The core use case every channel calls. */
export interface Navigator {
  ask(request: AskRequest, options?: AskOptions): Promise<AskResult>;
}
