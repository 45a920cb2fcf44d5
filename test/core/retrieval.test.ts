import { beforeAll, describe, expect, it } from 'vitest';
import { LocalEmbedder } from '../../src/embeddings/local-embedder.js';
import { loadGlossary } from '../../src/retrieval/glossary.js';
import { KnowledgeIndex } from '../../src/retrieval/knowledge-index.js';
import { Retriever, type RetrievalMode } from '../../src/retrieval/retriever.js';
import { BASE_DATA_DIR } from '../support/test-data.js';
import { join } from 'node:path';

describe('hybrid retrieval over the real knowledge base', () => {
  const embedder = new LocalEmbedder();
  let index: KnowledgeIndex;
  const retriever = (mode: RetrievalMode) => new Retriever(index, embedder, loadGlossary(), undefined, mode);

  beforeAll(async () => {
    index = await KnowledgeIndex.load(join(BASE_DATA_DIR, 'index'), embedder);
  });

  // Codes and acronyms the small encoder does not know: hybrid must find every one, and for some of
  // them dense retrieval alone must miss (which one depends on the corpus wording, so the test asks
  // for at least one rather than naming it).
  const ACRONYMS: Array<[string, string[]]> = [
    ['CAG', ['hra-section-251-confidential-patient-information', 'hra-national-data-opt-out-research']],
    ['PSR', ['provider-selection-regime']],
    ['NDOO', ['national-data-opt-out', 'hra-national-data-opt-out-research']],
    ['DCB0160', ['dcb0129-dcb0160-national-review', 'nhs-digital-clinical-safety-team']],
    ['IRAS', ['hra-approval']],
    ['DSPT', ['dspt-data-security-protection-toolkit']],
    ['ESF tier C', ['nice-esf-tiers-and-scope']],
  ];

  it('finds acronyms lexically, including ones dense retrieval alone misses', async () => {
    const denseMisses: string[] = [];
    for (const [query, expected] of ACRONYMS) {
      const hybrid = await retriever('hybrid').retrieve(query);
      expect({ query, top: hybrid.documents[0]?.docId, found: expected.includes(hybrid.documents[0]?.docId ?? '') }).toMatchObject({ found: true });
      const dense = await retriever('dense').retrieve(query);
      if (!expected.includes(dense.documents[0]?.docId ?? '')) denseMisses.push(query);
    }
    expect(denseMisses.length).toBeGreaterThan(0);
  });

  it('groups chunks by document so each source is cited once', async () => {
    const result = await retriever('hybrid').retrieve('What are the five areas of the DTAC?', { k: 5 });
    const ids = result.documents.map((d) => d.docId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toBe('dtac-digital-technology-assessment-criteria');
    expect(result.documents[0]!.chunks.length).toBeGreaterThan(0);
  });

  it('expands everyday words to the terms guidance uses', async () => {
    const result = await retriever('lexical').retrieve('a company wants sole rights to our data');
    expect(result.terms.has('exclus')).toBe(true);
  });

  it('reports weak support for a question the corpus does not cover', async () => {
    const covered = await retriever('hybrid').retrieve('When is a data protection impact assessment required?');
    const uncovered = await retriever('hybrid').retrieve('best sourdough starter hydration ratio for rye bread');
    expect(covered.support.coverage).toBeGreaterThan(0.6);
    expect(uncovered.support.coverage).toBeLessThan(0.2);
  });
});
