import { appendFileSync, copyFileSync, mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalEmbedder } from '../../src/embeddings/local-embedder.js';
import { prepareIndex } from '../../src/retrieval/index-builder.js';
import { createMemoryLogger } from '../../src/shared/logger.js';
import { CountingEmbedder, HashEmbedder } from '../support/counting-embedder.js';
import { KNOWLEDGE_DIR } from '../support/test-data.js';

const DOCS = ['dpia-when-required.md', 'dspt-data-security-protection-toolkit.md', 'caldicott-principles.md'];

describe('index build, embedding cache and embedder mismatch', () => {
  const local = new LocalEmbedder();
  let corpus: string;
  let dataDir: string;

  beforeAll(() => {
    const root = mkdtempSync(join(tmpdir(), 'nav-cache-'));
    corpus = join(root, 'knowledge');
    dataDir = join(root, 'data');
    mkdirSync(corpus);
    for (const d of DOCS) copyFileSync(join(KNOWLEDGE_DIR, d), join(corpus, d));
  });

  it('builds on first run, then embeds nothing for an unchanged corpus', async () => {
    const first = new CountingEmbedder(local);
    const built = await prepareIndex({ sources: [corpus], dataDir, embedder: first, logger: createMemoryLogger() });
    expect(built.action).toBe('built');
    expect(built.documents).toBe(3);
    expect(first.documentsEmbedded).toBe(built.index.manifest.vectors);
    expect(first.documentsEmbedded).toBeGreaterThan(built.index.chunks.length); // chunks plus each document's questions

    const second = new CountingEmbedder(local);
    const loaded = await prepareIndex({ sources: [corpus], dataDir, embedder: second, logger: createMemoryLogger() });
    expect(loaded.action).toBe('loaded');
    expect(second.documentsEmbedded).toBe(0);

    const forced = new CountingEmbedder(local);
    const rebuilt = await prepareIndex({ sources: [corpus], dataDir, embedder: forced, logger: createMemoryLogger(), force: true });
    expect(rebuilt.action).toBe('rebuilt');
    expect(forced.documentsEmbedded).toBe(0); // every vector came from the content-hash cache
  });

  it('re-embeds only the chunks of a document that changed', async () => {
    const before = await prepareIndex({ sources: [corpus], dataDir, embedder: new CountingEmbedder(local), logger: createMemoryLogger() });
    const dsptChunks = before.index.chunks.filter((c) => c.docId === 'dspt-data-security-protection-toolkit');
    appendFileSync(join(corpus, 'dspt-data-security-protection-toolkit.md'), '\nThe toolkit also has a help desk for organisations that are stuck on a question.\n');

    const counting = new CountingEmbedder(local);
    const after = await prepareIndex({ sources: [corpus], dataDir, embedder: counting, logger: createMemoryLogger() });
    expect(after.action).toBe('rebuilt');
    expect(after.reason).toBe('knowledge base changed');
    expect(counting.documentsEmbedded).toBeGreaterThan(0);
    // Only the edited document's chunk texts can be new; the other documents' vectors are reused.
    expect(counting.documentsEmbedded).toBeLessThanOrEqual(dsptChunks.length + 1);
    expect(after.stats?.embeddingsComputed).toBe(counting.documentsEmbedded);
  });

  it('rebuilds with a clear message when the index was built by another embedder', async () => {
    const logger = createMemoryLogger();
    const other = new HashEmbedder(16);
    const result = await prepareIndex({ sources: [corpus], dataDir, embedder: other, logger });
    expect(result.action).toBe('rebuilt');
    expect(result.reason).toMatch(/built by embedder local:universal-sentence-encoder-512, configured embedder is test:hash-16/);
    expect(result.index.manifest).toMatchObject({ embedderId: 'test:hash-16', dimension: 16 });
    expect(logger.lines.some((l) => l.includes('rebuilding the search index') && l.includes('test:hash-16'))).toBe(true);

    // And back: the original embedder's index is rebuilt from its cache, never queried with 16-d vectors.
    const back = new CountingEmbedder(local);
    const restored = await prepareIndex({ sources: [corpus], dataDir, embedder: back, logger: createMemoryLogger() });
    expect(restored.action).toBe('rebuilt');
    expect(restored.index.manifest.dimension).toBe(512);
    expect(back.documentsEmbedded).toBe(0);
  });
});
