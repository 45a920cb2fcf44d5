// Embeddings cached by content hash, per embedder, so re-ingesting an unchanged corpus embeds
// nothing and an edited document re-embeds only its own chunks.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Embedder } from './embedder.js';

export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A file-backed map from text hash to vector for one embedder. */
export class EmbeddingCache {
  private readonly entries = new Map<string, number[]>();
  private dirty = false;
  private readonly file: string;

  constructor(dir: string, embedderId: string) {
    this.file = join(dir, `${embedderId.replace(/[^a-zA-Z0-9._-]+/g, '_')}.json`);
    if (existsSync(this.file)) {
      try {
        const data = JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, number[]>;
        for (const [k, v] of Object.entries(data)) if (Array.isArray(v)) this.entries.set(k, v);
      } catch {
        // A corrupt cache only costs a re-embed; it must never stop ingestion.
        this.entries.clear();
      }
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get(hash: string): number[] | undefined {
    return this.entries.get(hash);
  }

  set(hash: string, vector: number[]): void {
    this.entries.set(hash, vector);
    this.dirty = true;
  }

  /** Keeps only the given hashes, so the cache does not grow with every edit. */
  retain(hashes: Set<string>): void {
    for (const k of [...this.entries.keys()]) {
      if (!hashes.has(k)) {
        this.entries.delete(k);
        this.dirty = true;
      }
    }
  }

  save(): void {
    if (!this.dirty) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.entries)));
    renameSync(tmp, this.file);
    this.dirty = false;
  }
}

/** Embeds what the cache lacks, in one batch, and returns vectors in input order. */
export async function embedWithCache(
  embedder: Embedder,
  cache: EmbeddingCache,
  texts: string[],
): Promise<{ vectors: number[][]; computed: number }> {
  const hashes = texts.map(contentHash);
  const missing: number[] = [];
  hashes.forEach((h, i) => {
    if (!cache.get(h)) missing.push(i);
  });
  if (missing.length > 0) {
    const fresh = await embedder.embedDocuments(missing.map((i) => texts[i]!));
    missing.forEach((i, j) => cache.set(hashes[i]!, fresh[j]!));
  }
  return { vectors: hashes.map((h) => cache.get(h)!), computed: missing.length };
}
