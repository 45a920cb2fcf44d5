// Turning retrieved documents into citations, with provenance: publisher, date, and a mark when
// a source is superseded or past its review date.
import type { Citation } from '../core/types.js';
import { documentStatus } from '../knowledge/document-status.js';
import type { RetrievedDocument } from '../retrieval/retriever.js';

const SNIPPET_CHARS = 240;

export function toCitation(doc: RetrievedDocument, snippetSource?: string, now = new Date()): Citation {
  const best = doc.chunks[0];
  const raw = (snippetSource ?? best?.chunk.text ?? '').replace(/\s+/g, ' ').trim();
  const snippet = raw.length > SNIPPET_CHARS ? `${raw.slice(0, SNIPPET_CHARS - 1).replace(/\s+\S*$/, '')}…` : raw;
  const section = best?.chunk.headingPath.filter((h) => h !== doc.meta.title).join(' › ');
  return {
    title: doc.meta.title,
    url: doc.meta.url,
    publisher: doc.meta.publisher,
    published: doc.meta.published,
    snippet,
    ...(section ? { section } : {}),
    status: documentStatus(doc.meta, now),
  };
}

/** Markers such as [2] or [1, 3] in a model's answer. */
export function citedNumbers(text: string): number[] {
  const out = new Set<number>();
  for (const m of text.matchAll(/\[(\d+(?:\s*,\s*\d+)*)\]/g)) {
    for (const n of m[1]!.split(',')) out.add(Number(n.trim()));
  }
  return [...out];
}
