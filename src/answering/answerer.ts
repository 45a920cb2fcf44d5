// One interface for both ways of answering: lifting sentences (extractive) or asking a language model.
import type { AnswerMode, Citation, Turn } from '../core/types.js';
import type { RetrievalResult, RetrievedDocument } from '../retrieval/retriever.js';

export interface AnswerInput {
  /** The user's question, already redacted. */
  question: string;
  /** The question made stand-alone for retrieval (follow-ups carry their context). */
  standalone: string;
  history: Turn[];
  retrieval: RetrievalResult;
  /** Chunks of each retrieved document, so sentences can come from anywhere in a source. */
  documentChunks: (doc: RetrievedDocument) => RetrievedDocument['chunks'];
}

export interface AnswerDraft {
  text: string;
  citations: Citation[];
  /** `abstain` when nothing retrieved supports an answer. */
  route: 'answer' | 'abstain';
  confidence: number;
  mode: AnswerMode;
  fellBack?: boolean;
}

export interface AnswerOptions {
  onToken?: (text: string) => void;
  signal?: AbortSignal;
}

export interface Answerer {
  readonly mode: AnswerMode;
  answer(input: AnswerInput, options?: AnswerOptions): Promise<AnswerDraft>;
}

export const NOT_LEGAL_ADVICE = '_This is general information, not legal advice._';
