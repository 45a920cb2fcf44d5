// Loads the corpus and makes sure the index on disk matches it: built on first run, loaded on
// later runs, rebuilt (re-embedding only what changed) when the corpus or the embedder changes.
import { join } from 'node:path';
import type { Embedder } from '../embeddings/embedder.js';
import { EmbeddingCache } from '../embeddings/embedding-cache.js';
import { chunkDocument } from '../knowledge/chunker.js';
import { loadDocuments } from '../knowledge/loaders/index.js';
import type { Chunk, LoadProblem } from '../knowledge/types.js';
import type { Logger } from '../shared/logger.js';
import { KnowledgeIndex, INDEX_FORMAT, type BuildStats } from './knowledge-index.js';
import type { HnswParams } from './vector-index.js';

export interface PrepareIndexOptions {
  sources: string[];
  dataDir: string;
  embedder: Embedder;
  logger: Logger;
  /** Rebuild even when the corpus and embedder are unchanged. */
  force?: boolean;
  hnsw?: HnswParams;
}

export interface PreparedIndex {
  index: KnowledgeIndex;
  action: 'loaded' | 'built' | 'rebuilt';
  reason: string;
  documents: number;
  problems: LoadProblem[];
  stats?: BuildStats;
}

export function indexDir(dataDir: string): string {
  return join(dataDir, 'index');
}

export async function loadChunks(sources: string[]): Promise<{ chunks: Chunk[]; documents: number; problems: LoadProblem[] }> {
  const { documents, problems } = await loadDocuments(sources);
  const chunks = (await Promise.all(documents.map((d) => chunkDocument(d)))).flat();
  return { chunks, documents: documents.length, problems };
}

export async function prepareIndex(options: PrepareIndexOptions): Promise<PreparedIndex> {
  const { embedder, logger } = options;
  const dir = indexDir(options.dataDir);
  const { chunks, documents, problems } = await loadChunks(options.sources);
  for (const p of problems) logger.warn('knowledge file skipped', { path: p.path, error: p.error });

  const manifest = KnowledgeIndex.readManifest(dir);
  const corpusHash = KnowledgeIndex.corpusHash(chunks);
  let reason: string;
  if (!manifest) reason = 'no index yet';
  else if (manifest.format !== INDEX_FORMAT) reason = `index format ${manifest.format} is not the current ${INDEX_FORMAT}`;
  else if (manifest.embedderId !== embedder.id) reason = `index was built by embedder ${manifest.embedderId}, configured embedder is ${embedder.id}`;
  else if (manifest.corpusHash !== corpusHash) reason = 'knowledge base changed';
  else if (options.force) reason = 'rebuild requested';
  else {
    try {
      const index = await KnowledgeIndex.load(dir, embedder);
      return { index, action: 'loaded', reason: 'index matches corpus and embedder', documents, problems };
    } catch (err) {
      reason = `index could not be read (${err instanceof Error ? err.message : String(err)})`;
    }
  }

  const action = manifest ? 'rebuilt' : 'built';
  if (manifest) logger.warn('rebuilding the search index', { reason });
  else logger.info('building the search index', { reason, chunks: chunks.length });
  const cache = new EmbeddingCache(join(options.dataDir, 'embeddings'), embedder.id);
  const { index, stats } = await KnowledgeIndex.build(chunks, embedder, cache, options.hnsw);
  if (manifest && manifest.embedderId === embedder.id && index.manifest.dimension !== manifest.dimension) {
    logger.warn('embedding dimension changed', { from: manifest.dimension, to: index.manifest.dimension });
  }
  await index.save(dir);
  logger.info('search index ready', { ...stats, documents });
  return { index, action, reason, documents, problems, stats };
}
