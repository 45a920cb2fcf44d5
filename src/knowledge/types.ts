// The contract between loading/chunking and the index and retrieval built on top of it.

export const DOCUMENT_FORMATS = ['markdown', 'text', 'html', 'pdf', 'docx'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

export interface DocumentMeta {
  /** File name without its extension; `supersedes`/`superseded_by` refer to it. */
  id: string;
  title: string;
  publisher: string;
  url: string;
  /** YYYY-MM-DD, YYYY-MM, YYYY or "undated". */
  published: string;
  kind?: string;
  audience?: string;
  /** YYYY-MM-DD: when a person last checked the document against its source. */
  reviewed?: string;
  supersedes?: string;
  supersededBy?: string;
  tags?: string[];
  sourcePath: string;
  format: DocumentFormat;
}

/** One run of text under a heading; `headingPath` is the chain of headings, outermost first. */
export interface Section {
  headingPath: string[];
  text: string;
}

export interface SourceDocument {
  meta: DocumentMeta;
  sections: Section[];
}

export interface Chunk {
  /** `${docId}#${n}`, n counting from 0 in document order. */
  id: string;
  docId: string;
  text: string;
  headingPath: string[];
  meta: DocumentMeta;
  /** sha256 hex of the text and every meta field that affects retrieval or citation. */
  contentHash: string;
  /** The document's "Questions this document answers": for retrieval only, never answer text. */
  questions?: string[];
  /**
   * When a long section was split, how many leading characters of `text` repeat the end of the
   * previous chunk (the overlap); they may start mid-sentence, so answer extraction can skip them.
   */
  overlapChars?: number;
}

export interface LoadProblem {
  path: string;
  error: string;
}

export interface LoadResult {
  documents: SourceDocument[];
  problems: LoadProblem[];
}
