// The persisted search index: the chunk table, a BM25 index and an HNSW index over the same
// chunks, plus a manifest recording which embedder built it so a mismatch forces a rebuild.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Embedder } from '../embeddings/embedder.js';
import { EmbeddingCache, embedWithCache, contentHash } from '../embeddings/embedding-cache.js';
import type { Chunk } from '../knowledge/types.js';
import { LexicalIndex, type SerializedLexicalIndex } from './lexical-index.js';
import { VectorIndex, DEFAULT_HNSW, type HnswParams } from './vector-index.js';

// Bump when tokenising, stemming or the stored layout changes: the lexical index must be rebuilt.
export const INDEX_FORMAT = 6;

export interface IndexManifest {
  format: number;
  embedderId: string;
  dimension: number;
  chunks: number;
  vectors: number;
  corpusHash: string;
  builtAt: string;
}

/** One dense vector: a chunk's text, or one of its document's "questions this answers". */
interface VectorEntry {
  chunk: number;
  kind: 'chunk' | 'question';
}

export interface BuildStats {
  chunks: number;
  vectors: number;
  embeddingsComputed: number;
  ms: number;
}

export class KnowledgeIndex {
  private constructor(
    readonly chunks: Chunk[],
    readonly lexical: LexicalIndex,
    readonly vectors: VectorIndex,
    private readonly entries: VectorEntry[],
    readonly manifest: IndexManifest,
  ) {}

  static corpusHash(chunks: Chunk[]): string {
    return contentHash(`${INDEX_FORMAT}\n` + chunks.map((c) => c.contentHash + ':' + (c.questions ?? []).join('|')).join('\n'));
  }

  static async build(
    chunks: Chunk[],
    embedder: Embedder,
    cache: EmbeddingCache,
    params: HnswParams = DEFAULT_HNSW,
  ): Promise<{ index: KnowledgeIndex; stats: BuildStats }> {
    const started = Date.now();
    if (chunks.length === 0) throw new Error('the knowledge base has no chunks to index');
    const lexical = new LexicalIndex();
    const entries: VectorEntry[] = [];
    const texts: string[] = [];
    const seenQuestions = new Set<string>();
    chunks.forEach((c, i) => {
      lexical.add([
        { text: c.meta.title, weight: 2 },
        { text: c.headingPath.join(' '), weight: 1.5 },
        { text: (c.questions ?? []).join(' '), weight: 0.5 },
        { text: c.text, weight: 1 },
      ]);
      entries.push({ chunk: i, kind: 'chunk' });
      texts.push(denseText(c));
      // Each question is embedded once per document, pointing at the document's first chunk.
      for (const q of c.questions ?? []) {
        const key = `${c.docId}\n${q}`;
        if (seenQuestions.has(key)) continue;
        seenQuestions.add(key);
        entries.push({ chunk: i, kind: 'question' });
        texts.push(q);
      }
    });
    const { vectors, computed } = await embedWithCache(embedder, cache, texts);
    cache.retain(new Set(texts.map(contentHash)));
    cache.save();
    const vectorIndex = await VectorIndex.build(embedder, vectors, params);
    const manifest: IndexManifest = {
      format: INDEX_FORMAT,
      embedderId: embedder.id,
      dimension: vectorIndex.dimension,
      chunks: chunks.length,
      vectors: vectors.length,
      corpusHash: KnowledgeIndex.corpusHash(chunks),
      builtAt: new Date().toISOString(),
    };
    const index = new KnowledgeIndex(chunks, lexical, vectorIndex, entries, manifest);
    return {
      index,
      stats: { chunks: chunks.length, vectors: vectors.length, embeddingsComputed: computed, ms: Date.now() - started },
    };
  }

  /** Writes into a fresh folder and swaps it in, so a reader never sees half an index. */
  async save(dir: string): Promise<void> {
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(join(tmp, 'hnsw'), { recursive: true });
    await this.vectors.save(join(tmp, 'hnsw'));
    writeFileSync(join(tmp, 'chunks.json'), JSON.stringify({ chunks: this.chunks, entries: this.entries }));
    writeFileSync(join(tmp, 'lexical.json'), JSON.stringify(this.lexical.toJSON()));
    writeFileSync(join(tmp, 'manifest.json'), JSON.stringify(this.manifest, null, 2));
    const old = `${dir}.old-${process.pid}`;
    if (existsSync(dir)) renameSync(dir, old);
    renameSync(tmp, dir);
    rmSync(old, { recursive: true, force: true });
  }

  static readManifest(dir: string): IndexManifest | undefined {
    const file = join(dir, 'manifest.json');
    if (!existsSync(file)) return undefined;
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as IndexManifest;
    } catch {
      return undefined;
    }
  }

  static async load(dir: string, embedder: Embedder): Promise<KnowledgeIndex> {
    const manifest = KnowledgeIndex.readManifest(dir);
    if (!manifest) throw new Error(`no index at ${dir}`);
    const { chunks, entries } = JSON.parse(readFileSync(join(dir, 'chunks.json'), 'utf8')) as {
      chunks: Chunk[];
      entries: VectorEntry[];
    };
    const lexical = LexicalIndex.fromJSON(JSON.parse(readFileSync(join(dir, 'lexical.json'), 'utf8')) as SerializedLexicalIndex);
    const vectors = await VectorIndex.load(embedder, join(dir, 'hnsw'));
    return new KnowledgeIndex(chunks, lexical, vectors, entries, manifest);
  }

  /** Dense hits mapped back to chunks: the best similarity per chunk. */
  async denseSearch(vector: number[], k: number): Promise<Array<{ chunk: number; similarity: number; via: 'chunk' | 'question' }>> {
    const hits = await this.vectors.search(vector, k);
    const best = new Map<number, { chunk: number; similarity: number; via: 'chunk' | 'question' }>();
    for (const h of hits) {
      const entry = this.entries[h.index];
      if (!entry) continue;
      const prev = best.get(entry.chunk);
      if (!prev || h.similarity > prev.similarity) best.set(entry.chunk, { chunk: entry.chunk, similarity: h.similarity, via: entry.kind });
    }
    return [...best.values()].sort((a, b) => b.similarity - a.similarity);
  }
}

/** What the dense encoder sees for a chunk: where it sits, then what it says. */
export function denseText(c: Chunk): string {
  const heading = c.headingPath.filter((h) => h !== c.meta.title).join(' › ');
  return `${c.meta.title}${heading ? ` — ${heading}` : ''}. ${c.text}`;
}
