import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { chunkDocument, contentHash, parseQuestions } from '../../src/knowledge/chunker.js';
import { loadFile } from '../../src/knowledge/loaders/index.js';
import type { DocumentMeta, SourceDocument } from '../../src/knowledge/types.js';

const GUIDE = resolve(import.meta.dirname, '../fixtures/knowledge/loaders/data-access-guide.md');

const META: DocumentMeta = {
  id: 'value-sharing',
  title: 'Value sharing framework',
  publisher: 'NHS England',
  url: 'https://example.org/value-sharing',
  published: '2023-11-27',
  kind: 'guidance',
  audience: 'both',
  reviewed: '2026-11-01',
  sourcePath: '/kb/value-sharing.md',
  format: 'markdown',
};

// Forty distinct, numbered sentences, so any overlap or loss is visible.
const LONG = Array.from(
  { length: 40 },
  (_, i) => `Sentence ${i + 1} explains how an NHS organisation can agree a fair share of the value its data helps create.`,
).join(' ');

function doc(sections: SourceDocument['sections'], meta: Partial<DocumentMeta> = {}): SourceDocument {
  return { meta: { ...META, ...meta }, sections };
}

describe('chunkDocument', () => {
  test('one chunk per section that fits, each with its heading path, meta and id', async () => {
    const source = await loadFile(GUIDE);
    const chunks = await chunkDocument(source);
    const top = 'Getting access to NHS data for research';
    expect(chunks.map((c) => c.id)).toEqual(['data-access-guide#0', 'data-access-guide#1', 'data-access-guide#2', 'data-access-guide#3']);
    expect(chunks.map((c) => c.headingPath)).toEqual([
      [top, 'Summary'],
      [top, 'Before you apply'],
      [top, 'Before you apply', 'Lawful basis'],
      [top, 'Before you apply', 'Confidentiality'],
    ]);
    for (const chunk of chunks) {
      expect(chunk.docId).toBe('data-access-guide');
      expect(chunk.meta).toBe(source.meta);
      expect(chunk.contentHash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(chunks[0]!.text).toMatch(/^Researchers who want NHS data need a lawful basis/);
  });

  test('the questions section is parsed onto every chunk and never appears as chunk text', async () => {
    const chunks = await chunkDocument(await loadFile(GUIDE));
    const questions = [
      'What legal bases do researchers need to use NHS data?',
      'Can a company rely on legitimate interests?',
      'When is a section 251 application needed?',
    ];
    for (const chunk of chunks) {
      expect(chunk.questions).toEqual(questions);
      expect(chunk.headingPath).not.toContain('Questions this document answers');
      for (const q of questions) expect(chunk.text).not.toContain(q);
    }
  });

  test('a long section is split within maxChars, at sentence boundaries, with overlap, losing nothing', async () => {
    const chunks = await chunkDocument(doc([{ headingPath: ['Principles', 'Fair terms'], text: LONG }]), { maxChars: 500, overlap: 120 });
    expect(chunks.length).toBeGreaterThan(5);
    chunks.forEach((chunk, n) => {
      expect(chunk.id).toBe(`value-sharing#${n}`);
      expect(chunk.headingPath).toEqual(['Principles', 'Fair terms']);
      expect(chunk.text.length).toBeLessThanOrEqual(500);
      expect(chunk.text).toMatch(/^Sentence \d+ /);
      expect(chunk.text).toMatch(/create\.$/);
    });
    for (let n = 1; n < chunks.length; n += 1) {
      const previous = chunks[n - 1]!.text;
      const repeated = chunks[n]!.overlapChars ?? 0;
      expect(repeated).toBeGreaterThan(0);
      expect(repeated).toBeLessThanOrEqual(120);
      const head = chunks[n]!.text.slice(0, repeated).trim();
      expect(previous.endsWith(head)).toBe(true);
    }
    for (let i = 1; i <= 40; i += 1) expect(chunks.some((c) => c.text.includes(`Sentence ${i} `))).toBe(true);
  });

  test('a run-on section with no sentence breaks still splits within maxChars with word-aligned overlap', async () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const chunks = await chunkDocument(doc([{ headingPath: ['Long'], text: words }]), { maxChars: 300, overlap: 60 });
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(300);
      expect(chunk.text).toMatch(/^word\d+ .* word\d+$/);
    }
    expect(chunks[1]!.overlapChars).toBeGreaterThan(0);
  });

  test('paragraph breaks are preferred over sentence breaks', async () => {
    const para = (n: number) => `Paragraph ${n} sentence one is here. Paragraph ${n} sentence two follows it.`;
    const text = [1, 2, 3, 4, 5, 6].map(para).join('\n\n');
    const chunks = await chunkDocument(doc([{ headingPath: ['P'], text }]), { maxChars: 250, overlap: 40 });
    const firstOwn = chunks.map((c) => c.text.slice(c.overlapChars ?? 0).trimStart());
    for (const own of firstOwn) expect(own).toMatch(/^Paragraph \d sentence one/);
  });

  test('tiny sections merge into the next one; a tiny last section joins the one before', async () => {
    const chunks = await chunkDocument(
      doc([
        { headingPath: ['Principles'], text: 'There are five principles.' },
        { headingPath: ['Principles', 'Fair terms'], text: LONG.slice(0, 300) },
        { headingPath: ['Contact'], text: 'Email the team.' },
      ]),
    );
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.headingPath).toEqual(['Principles', 'Fair terms']);
    expect(chunks[0]!.text).toMatch(/^There are five principles\.\n\nSentence 1 /);
    expect(chunks[0]!.text).toMatch(/\n\nContact\nEmail the team\.$/);
  });

  test('empty sections produce no chunk, and a document of only questions produces none', async () => {
    expect(await chunkDocument(doc([{ headingPath: ['Empty'], text: '' }, { headingPath: ['Questions this document answers'], text: '- Why?' }]))).toEqual([]);
  });

  test('overlap larger than half of maxChars is refused', async () => {
    await expect(chunkDocument(doc([{ headingPath: [], text: LONG }]), { maxChars: 200, overlap: 150 })).rejects.toThrow(RangeError);
  });
});

describe('content hashes', () => {
  test('are identical across runs for an unchanged document', async () => {
    const a = await chunkDocument(await loadFile(GUIDE));
    const b = await chunkDocument(await loadFile(GUIDE));
    expect(b.map((c) => c.contentHash)).toEqual(a.map((c) => c.contentHash));
    expect(new Set(a.map((c) => c.contentHash)).size).toBe(a.length);
  });

  test('change when the text changes, only for the chunk that changed', async () => {
    const source = await loadFile(GUIDE);
    const before = await chunkDocument(source);
    const sections = source.sections.map((s) => ({ ...s, text: s.text.replace('public task', 'public interest task') }));
    expect(sections.map((s) => s.text)).not.toEqual(source.sections.map((s) => s.text));
    const edited = { ...source, sections };
    const after = await chunkDocument(edited);
    expect(after.map((c, i) => c.contentHash === before[i]!.contentHash)).toEqual([true, true, false, true]);
  });

  test('change when citation or retrieval metadata changes, but not when only the file moves', async () => {
    const section = { headingPath: ['A'], text: LONG.slice(0, 200) };
    const base = (await chunkDocument(doc([section])))[0]!.contentHash;
    for (const change of [{ title: 'Renamed' }, { url: 'https://example.org/moved' }, { reviewed: '2026-11-20' }, { supersededBy: 'newer' }, { published: '2024' }]) {
      expect((await chunkDocument(doc([section], change)))[0]!.contentHash).not.toBe(base);
    }
    expect((await chunkDocument(doc([section], { sourcePath: '/elsewhere/value-sharing.md' })))[0]!.contentHash).toBe(base);
    expect(contentHash(section.text, ['B'], META)).not.toBe(contentHash(section.text, ['A'], META));
  });
});

test('parseQuestions accepts -, *, + and numbered items', () => {
  expect(parseQuestions('- One?\n* Two?\n+ Three?\n4. Four?\n5) Five?\n\nSix?')).toEqual(['One?', 'Two?', 'Three?', 'Four?', 'Five?', 'Six?']);
});

test('the real knowledge base chunks within the default size', async () => {
  const { loadDocuments } = await import('../../src/knowledge/loaders/index.js');
  const { documents } = await loadDocuments([join(import.meta.dirname, '../../knowledge')]);
  expect(documents.length).toBeGreaterThan(0);
  for (const d of documents) for (const c of await chunkDocument(d)) expect(c.text.length).toBeLessThanOrEqual(1200);
});
