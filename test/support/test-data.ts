// Test data folders: a base folder holding the built index and embedding caches, and cheap copies
// of it for each test server.
import { cpSync, existsSync, mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalEmbedder } from '../../src/embeddings/local-embedder.js';
import { EmbeddingCache } from '../../src/embeddings/embedding-cache.js';
import { prepareIndex } from '../../src/retrieval/index-builder.js';
import { EmbeddedRouter } from '../../src/routing/router.js';
import { createLogger } from '../../src/shared/logger.js';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
export const BASE_DATA_DIR = join(REPO_ROOT, '.tmp', 'test-base-data');
export const KNOWLEDGE_DIR = join(REPO_ROOT, 'knowledge');

/** Builds (or refreshes) the shared base data folder; cheap when nothing changed. */
export async function prepareBaseData(): Promise<string> {
  mkdirSync(BASE_DATA_DIR, { recursive: true });
  const embedder = new LocalEmbedder();
  const logger = createLogger({ level: 'warn' });
  await prepareIndex({ sources: [KNOWLEDGE_DIR], dataDir: BASE_DATA_DIR, embedder, logger });
  await new EmbeddedRouter(embedder, undefined, new EmbeddingCache(join(BASE_DATA_DIR, 'embeddings', 'router'), embedder.id)).warm();
  return BASE_DATA_DIR;
}

/** A fresh DATA_DIR for one test, holding a copy of the prebuilt index (no store, no tickets). */
export function freshDataDir(label = 'nav'): string {
  const dir = mkdtempSync(join(tmpdir(), `${label}-`));
  if (existsSync(join(BASE_DATA_DIR, 'index'))) {
    cpSync(join(BASE_DATA_DIR, 'index'), join(dir, 'index'), { recursive: true });
    cpSync(join(BASE_DATA_DIR, 'embeddings'), join(dir, 'embeddings'), { recursive: true });
  }
  return dir;
}
