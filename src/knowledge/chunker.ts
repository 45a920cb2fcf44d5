// Sections become retrieval chunks: one per section when it fits, otherwise split at paragraph,
// then sentence, then word boundaries, with a sentence-aligned overlap between neighbours.
import { createHash } from 'node:crypto';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import type { Chunk, DocumentMeta, Section, SourceDocument } from './types.js';

export interface ChunkOptions {
  /** Longest chunk text, in characters (default 1200). */
  maxChars?: number;
  /** Characters of the previous chunk repeated at the start of the next when a section is split (default 150). */
  overlap?: number;
  /** Sections shorter than this merge into the next one (default 80). */
  minSectionChars?: number;
}

const QUESTIONS_HEADING = /^questions this document answers:?$/i;

// Bump when chunking changes in a way that should invalidate every stored embedding.
const HASH_VERSION = 1;

export function isQuestionsSection(section: Section): boolean {
  const last = section.headingPath[section.headingPath.length - 1];
  return last !== undefined && QUESTIONS_HEADING.test(last.trim());
}

/** One question per list item (`-`, `*`, `+`, `1.`) or per line. */
export function parseQuestions(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '').trim())
    .filter((line) => line !== '');
}

// Keeps each separator at the end of the piece before it, so sentences keep their full stop
// and the pieces concatenate back to the original text.
class BoundaryFirstSplitter extends RecursiveCharacterTextSplitter {
  protected override splitOnSeparator(text: string, separator: string): string[] {
    if (separator === '') return Array.from(text);
    const escaped = separator.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return text.split(new RegExp(`(?<=${escaped})`)).filter((s) => s !== '');
  }
}

const SEPARATORS = ['\n\n', '\n', '. ', '? ', '! ', '; ', ': ', ', ', ' ', ''];

export async function chunkDocument(doc: SourceDocument, options: ChunkOptions = {}): Promise<Chunk[]> {
  const maxChars = options.maxChars ?? 1200;
  const overlap = options.overlap ?? 150;
  if (!(maxChars > 0) || overlap < 0 || overlap * 2 > maxChars) {
    throw new RangeError(`chunk overlap (${overlap}) must be at most half of maxChars (${maxChars})`);
  }
  const questions = doc.sections.filter(isQuestionsSection).flatMap((s) => parseQuestions(s.text));
  const sections = mergeTinySections(
    doc.sections.filter((s) => !isQuestionsSection(s) && s.text.trim() !== ''),
    options.minSectionChars ?? 80,
  );
  const splitter = new BoundaryFirstSplitter({ chunkSize: maxChars - overlap, chunkOverlap: 0, separators: SEPARATORS });

  const chunks: Chunk[] = [];
  for (const section of sections) {
    const pieces =
      section.text.length <= maxChars
        ? [{ text: section.text, repeated: 0 }]
        : withOverlap(section.text, await splitter.splitText(section.text), overlap);
    for (const { text, repeated } of pieces) {
      const n = chunks.length;
      chunks.push({
        id: `${doc.meta.id}#${n}`,
        docId: doc.meta.id,
        text,
        headingPath: [...section.headingPath],
        meta: doc.meta,
        contentHash: contentHash(text, section.headingPath, doc.meta, questions),
        ...(repeated > 0 ? { overlapChars: repeated } : {}),
        ...(questions.length > 0 ? { questions } : {}),
      });
    }
  }
  return chunks;
}

export async function chunkDocuments(docs: SourceDocument[], options: ChunkOptions = {}): Promise<Chunk[]> {
  const all: Chunk[] = [];
  for (const doc of docs) all.push(...(await chunkDocument(doc, options)));
  return all;
}

/**
 * A short section joins the one after it (or, when last, the one before it) so no chunk is a
 * lone line. When it is not the next section's parent its heading goes into the text, so the
 * words keep their context.
 */
function mergeTinySections(sections: Section[], minChars: number): Section[] {
  const out: Section[] = [];
  let pending: Section | undefined;
  for (const section of sections) {
    const current = pending ? joinSections(pending, section) : { ...section };
    pending = undefined;
    if (current.text.length < minChars) pending = current;
    else out.push(current);
  }
  if (pending) {
    const previous = out.pop();
    out.push(previous ? { headingPath: previous.headingPath, text: `${previous.text}\n\n${labelled(pending)}` } : pending);
  }
  return out;
}

function joinSections(tiny: Section, next: Section): Section {
  const isParent = tiny.headingPath.every((h, i) => next.headingPath[i] === h);
  return { headingPath: next.headingPath, text: `${isParent ? tiny.text : labelled(tiny)}\n\n${next.text}` };
}

function labelled(section: Section): string {
  const heading = section.headingPath[section.headingPath.length - 1];
  return heading ? `${heading}\n${section.text}` : section.text;
}

/**
 * Prefixes each piece after the first with the end of the piece before it, starting at a
 * sentence boundary when one falls inside the window, else at a word boundary. Pieces are at
 * most `maxChars - overlap` long, so the result stays within `maxChars`.
 */
function withOverlap(source: string, pieces: string[], overlap: number): { text: string; repeated: number }[] {
  const out: { text: string; repeated: number }[] = [];
  let cursor = 0;
  pieces.forEach((piece, i) => {
    const at = source.indexOf(piece, cursor);
    const previous = pieces[i - 1];
    if (i === 0 || previous === undefined || at < 0 || overlap === 0) {
      out.push({ text: piece, repeated: 0 });
    } else {
      const between = source.slice(cursor, at);
      const gap = between.includes('\n\n') ? '\n\n' : between.includes('\n') ? '\n' : ' ';
      const tail = overlapTail(previous, overlap - gap.length);
      out.push(tail ? { text: `${tail}${gap}${piece}`, repeated: tail.length + gap.length } : { text: piece, repeated: 0 });
    }
    if (at >= 0) cursor = at + piece.length;
  });
  return out;
}

function overlapTail(text: string, size: number): string {
  if (size <= 0) return '';
  const window = text.slice(-size);
  if (window.length === text.length) return text;
  const sentence = /[.!?]["'\u2019)\]]*\s+(?=\S)|\n+(?=\S)/.exec(window);
  if (sentence && window.length - (sentence.index + sentence[0].length) >= 20) {
    return window.slice(sentence.index + sentence[0].length);
  }
  const space = window.search(/\s\S/);
  return space >= 0 ? window.slice(space + 1) : '';
}

/** Fields that change what is retrieved or how it is cited; a change to any re-embeds the chunk. */
export function contentHash(text: string, headingPath: string[], meta: DocumentMeta, questions: string[] = []): string {
  const material = [
    HASH_VERSION,
    meta.id,
    text,
    headingPath,
    questions,
    meta.title,
    meta.publisher,
    meta.url,
    meta.published,
    meta.kind ?? null,
    meta.audience ?? null,
    meta.reviewed ?? null,
    meta.supersedes ?? null,
    meta.supersededBy ?? null,
    meta.tags ?? [],
  ];
  return createHash('sha256').update(JSON.stringify(material)).digest('hex');
}
