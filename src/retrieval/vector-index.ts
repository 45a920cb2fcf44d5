// Dense nearest-neighbour search: hnswlib-node through LangChain's HNSWLib store. The store keeps
// only a chunk's position; chunk text and metadata live once, in the chunk table beside it.
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { Document } from '@langchain/core/documents';
import { Embeddings } from '@langchain/core/embeddings';
import hnswlib from 'hnswlib-node';
import type { Embedder } from '../embeddings/embedder.js';

export interface VectorHit {
  index: number;
  similarity: number;
}

export interface HnswParams {
  m: number;
  efConstruction: number;
  efSearch: number;
}

export const DEFAULT_HNSW: HnswParams = { m: 16, efConstruction: 200, efSearch: 128 };

/** LangChain wants its own Embeddings class; this adapter lends it ours. */
class EmbeddingsAdapter extends Embeddings {
  constructor(private readonly embedder: Embedder) {
    super({});
  }
  embedDocuments(texts: string[]): Promise<number[][]> {
    return this.embedder.embedDocuments(texts);
  }
  embedQuery(text: string): Promise<number[]> {
    return this.embedder.embedQuery(text);
  }
}

export class VectorIndex {
  private constructor(
    private readonly store: HNSWLib,
    readonly dimension: number,
  ) {}

  static async build(embedder: Embedder, vectors: number[][], params: HnswParams = DEFAULT_HNSW): Promise<VectorIndex> {
    const dimension = vectors[0]?.length ?? 0;
    if (dimension === 0) throw new Error('cannot build a vector index from no vectors');
    const index = new hnswlib.HierarchicalNSW('cosine', dimension);
    index.initIndex(vectors.length, params.m, params.efConstruction, 100);
    const store = new HNSWLib(new EmbeddingsAdapter(embedder), { space: 'cosine', numDimensions: dimension, index });
    await store.addVectors(
      vectors,
      vectors.map((_, i) => new Document({ pageContent: String(i), metadata: { i } })),
    );
    index.setEf(params.efSearch);
    return new VectorIndex(store, dimension);
  }

  static async load(embedder: Embedder, directory: string, efSearch = DEFAULT_HNSW.efSearch): Promise<VectorIndex> {
    const store = await HNSWLib.load(directory, new EmbeddingsAdapter(embedder));
    store.index.setEf(efSearch);
    return new VectorIndex(store, store.args.numDimensions ?? 0);
  }

  get size(): number {
    return this.store.index.getCurrentCount();
  }

  save(directory: string): Promise<void> {
    return this.store.save(directory);
  }

  async search(vector: number[], k: number): Promise<VectorHit[]> {
    const n = Math.min(k, this.size);
    if (n === 0) return [];
    const results = await this.store.similaritySearchVectorWithScore(vector, n);
    // hnswlib's cosine space reports distance = 1 − cosine similarity.
    return results.map(([doc, distance]) => ({ index: Number(doc.metadata.i), similarity: 1 - distance }));
  }
}
