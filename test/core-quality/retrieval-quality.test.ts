// Retrieval behaviours behind the quality figures, on the real knowledge base: word forms meet,
// misspellings and glossary terms are understood, decisive lexical evidence survives fusion with a
// confidently wrong encoder, and words the corpus never uses are reported with their weight.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/embeddings/embedder.js';
import { LocalEmbedder } from '../../src/embeddings/local-embedder.js';
import { loadGlossary } from '../../src/retrieval/glossary.js';
import { KnowledgeIndex } from '../../src/retrieval/knowledge-index.js';
import { editDistance } from '../../src/retrieval/lexical-index.js';
import { DEFAULT_FUSION, Retriever } from '../../src/retrieval/retriever.js';
import { stem, terms } from '../../src/retrieval/text.js';
import { BASE_DATA_DIR } from '../support/test-data.js';

describe('tokenising', () => {
  it.each([
    ['paying', 'payment', 'pay'],
    ['fees', 'fee', 'fee'],
    ['hospitals', 'hospital', 'hospit'],
    ['pharmaceuticals', 'pharmaceutical', 'pharmaceutic'],
    ['licence', 'license', 'licenc'],
    ['anonymisation', 'anonymised', 'anonym'],
    ['analysis', 'analysed', 'analys'],
    ['owners', 'owned', 'own'],
    ['exclusivity', 'exclusive', 'exclus'],
  ])('%s and %s share the stem %s', (a, b, expected) => {
    expect(stem(a)).toBe(expected);
    expect(stem(b)).toBe(expected);
  });

  it('keeps words that only look like inflections', () => {
    expect(stem('speed')).toBe(stem('speeds'));
    expect(stem('less')).toBe('less');
    expect(stem('DCB0160'.toLowerCase())).toBe('dcb0160');
  });

  it('drops chat filler but keeps what the question is about', () => {
    expect(terms('what actually is s251 pls')).toEqual(['s251']);
    expect(terms('who is on the hook, basically?')).toEqual(['hook']);
  });

  it('measures edits with adjacent swaps counted once', () => {
    expect(editDistance('princip', 'principl')).toBe(1);
    expect(editDistance('goveranc', 'governanc')).toBe(1);
    expect(editDistance('stratgeic', 'strategic')).toBe(1);
    expect(editDistance('retrain', 'dpia', 2)).toBeGreaterThan(2);
  });
});

describe('retrieval over the real knowledge base', () => {
  const local = new LocalEmbedder();
  let index: KnowledgeIndex;
  const retriever = (embedder: Embedder = local, margin = DEFAULT_FUSION.decisiveLexicalMargin) =>
    new Retriever(index, embedder, loadGlossary(), { ...DEFAULT_FUSION, decisiveLexicalMargin: margin });

  beforeAll(async () => {
    index = await KnowledgeIndex.load(join(BASE_DATA_DIR, 'index'), local);
  });

  it('reads a long misspelt word as the indexed word it most likely meant', async () => {
    const result = await retriever().retrieve('caldicot principals list');
    expect(result.terms.get('principl')).toBeGreaterThan(0);
    expect(result.documents[0]?.docId).toBe('caldicott-principles');
    expect(result.support.coverage).toBeGreaterThan(0.5);
  });

  it('does not "correct" a real word the corpus happens not to use', async () => {
    const result = await retriever().retrieve('does DERM keep retraining itself on new images');
    expect(result.terms.has('retain')).toBe(false);
    expect(result.documents[0]?.docId).toBe('skin-analytics-derm-nice');
  });

  it('counts a glossary term as covered when the document uses its expansion', async () => {
    const result = await retriever().retrieve('what actually is s251');
    expect(result.documents[0]?.docId).toBe('hra-section-251-confidential-patient-information');
    expect(result.support.coverage).toBe(1);
  });

  it('keeps a decisive lexical match first even when the encoder is sure of another document', async () => {
    // An encoder that answers every question with the same vector: confidently, consistently wrong.
    const elsewhere = await local.embedQuery(index.chunks.find((c) => c.docId === 'g-cloud-buyers-guide')!.text);
    const sure: Embedder = { id: local.id, embedDocuments: async (t) => t.map(() => elsewhere), embedQuery: async () => elsewhere };
    const lexical = await new Retriever(index, local, loadGlossary(), DEFAULT_FUSION, 'lexical').retrieve('DCB0160 who signs');
    expect(lexical.documents[0]?.docId).toBe('dcb0129-dcb0160-national-review');

    const fusedOnly = await retriever(sure, Infinity).retrieve('DCB0160 who signs');
    expect(fusedOnly.documents[0]?.docId).not.toBe('dcb0129-dcb0160-national-review');
    const shipped = await retriever(sure).retrieve('DCB0160 who signs');
    expect(shipped.documents[0]?.docId).toBe('dcb0129-dcb0160-national-review');
  });

  it('reports words the corpus never uses, weighted by how much of the question they carry', async () => {
    const salary = await retriever().retrieve('What salary does a Caldicott guardian earn?');
    expect(salary.support.unknownWords?.[0]?.word).toBe('salary');
    expect(salary.support.unknownWords![0]!.weight).toBeGreaterThanOrEqual(0.1);

    const nutshell = await retriever().retrieve('value sharing framework principles in a nutshell?');
    expect(nutshell.support.unknownWords?.map((u) => u.word)).toEqual(['nutshell']);
    expect(nutshell.support.unknownWords![0]!.weight).toBeLessThan(0.1);

    const lexicalOnly = await new Retriever(index, local, loadGlossary(), DEFAULT_FUSION, 'lexical').retrieve('What salary does a Caldicott guardian earn?');
    expect(lexicalOnly.support.unknownWords).toBeUndefined();
  });
});
