// Wraps a real embedder and counts what it is asked to embed, so tests can assert cache behaviour.
import type { Embedder } from '../../src/embeddings/embedder.js';

export class CountingEmbedder implements Embedder {
  documentsEmbedded = 0;
  queriesEmbedded = 0;
  constructor(
    private readonly inner: Embedder,
    readonly id: string = inner.id,
  ) {}

  async embedDocuments(texts: string[]): Promise<number[][]> {
    this.documentsEmbedded += texts.length;
    return this.inner.embedDocuments(texts);
  }

  async embedQuery(text: string): Promise<number[]> {
    this.queriesEmbedded += 1;
    return this.inner.embedQuery(text);
  }
}

/** A cheap deterministic embedder with its own identity, for index-mismatch tests. */
export class HashEmbedder implements Embedder {
  readonly id: string;
  constructor(private readonly dimension = 16) {
    this.id = `test:hash-${dimension}`;
  }
  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.vector(t));
  }
  async embedQuery(text: string): Promise<number[]> {
    return this.vector(text);
  }
  private vector(text: string): number[] {
    const v = new Array<number>(this.dimension).fill(0);
    for (const w of text.toLowerCase().split(/\W+/)) if (w) v[[...w].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % this.dimension]! += 1;
    const n = Math.hypot(...v) || 1;
    return v.map((x) => x / n);
  }
}
