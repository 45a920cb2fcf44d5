// Retrieval at scale with synthetic data: random unit vectors of the local encoder's dimension
// (the encoder itself is too slow to embed 100k chunks here) and synthetic chunk text for BM25.
// Measures hybrid retrieval latency excluding query embedding, HNSW recall@10 against exact search,
// and index build time.
import type { Embedder } from '../src/embeddings/embedder.js';
import { LexicalIndex, queryTerms } from '../src/retrieval/lexical-index.js';
import { VectorIndex, DEFAULT_HNSW } from '../src/retrieval/vector-index.js';
import { percentile, seededRandom, formatMs } from './stats.js';

const DIM = 512;
const VOCAB = 20_000;
const STOP_WORDS = 100;

export interface ScaleResult {
  shape: VectorShape;
  chunks: number;
  buildSeconds: number;
  p50: number;
  p95: number;
  denseP95: number;
  lexicalP95: number;
  recallAt10: number;
  rssMiB: number;
}

export type VectorShape = 'uniform' | 'clustered';

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
}

/**
 * `uniform`: directions uniform on the sphere, the worst case for any approximate index (every
 * point is nearly equidistant). `clustered`: points around 1,000 topic centres with Gaussian
 * spread, closer to how sentence embeddings of a real corpus lie.
 */
function vectorSource(rand: () => number, shape: VectorShape): () => number[] {
  const centres = shape === 'clustered' ? Array.from({ length: 1000 }, () => Array.from({ length: DIM }, () => gaussian(rand))) : [];
  return () => {
    const c = centres.length ? centres[Math.floor(rand() * centres.length)]! : undefined;
    const v = new Array<number>(DIM);
    let n = 0;
    for (let i = 0; i < DIM; i++) {
      v[i] = c ? c[i]! + gaussian(rand) * 0.35 : gaussian(rand);
      n += v[i]! * v[i]!;
    }
    n = Math.sqrt(n);
    return v.map((x) => x / n);
  };
}

/** Zipf-like word choice, so some terms are common and most are rare, as in real text. */
function syntheticText(rand: () => number, words: number): string {
  const out: string[] = [];
  // Zipf ranks 1..VOCAB; the 100 most frequent are stop words, which the tokeniser drops, so they
  // are not drawn (the distribution's mass above rank 100 is kept as it is).
  const low = Math.log(STOP_WORDS) / Math.log(VOCAB);
  for (let i = 0; i < words; i++) out.push(`w${Math.floor(VOCAB ** (low + (1 - low) * rand()))}`);
  return out.join(' ');
}

function exactTopK(vectors: number[][], query: number[], k: number): number[] {
  const scores = vectors.map((v, i) => {
    let dot = 0;
    for (let d = 0; d < DIM; d++) dot += v[d]! * query[d]!;
    return [dot, i] as const;
  });
  scores.sort((a, b) => b[0] - a[0]);
  return scores.slice(0, k).map(([, i]) => i);
}

const noEmbedder: Embedder = {
  id: 'bench:precomputed',
  embedDocuments: () => Promise.reject(new Error('vectors are precomputed in this benchmark')),
  embedQuery: () => Promise.reject(new Error('vectors are precomputed in this benchmark')),
};

export async function runScale(chunks: number, shape: VectorShape = 'clustered', queries = 200, seed = 42): Promise<ScaleResult> {
  const rand = seededRandom(seed + chunks);
  const randomUnit = vectorSource(rand, shape);
  const vectors = Array.from({ length: chunks }, () => randomUnit());
  const lexical = new LexicalIndex();
  for (let i = 0; i < chunks; i++) lexical.add([{ text: syntheticText(rand, 120), weight: 1 }]);

  const started = performance.now();
  const dense = await VectorIndex.build(noEmbedder, vectors, DEFAULT_HNSW);
  const buildSeconds = (performance.now() - started) / 1000;

  const total: number[] = [];
  const denseTimes: number[] = [];
  const lexTimes: number[] = [];
  let recallHits = 0;
  for (let q = 0; q < queries; q++) {
    const qv = randomUnit();
    const qt = queryTerms(syntheticText(rand, 8));
    const t0 = performance.now();
    const lexHits = lexical.search(qt, 50);
    const t1 = performance.now();
    const denseHits = await dense.search(qv, 50);
    const t2 = performance.now();
    // Reciprocal-rank fusion as the retriever does it.
    const fused = new Map<number, number>();
    lexHits.forEach((h, r) => fused.set(h.index, (fused.get(h.index) ?? 0) + 1 / (20 + r + 1)));
    denseHits.forEach((h, r) => fused.set(h.index, (fused.get(h.index) ?? 0) + 0.4 / (20 + r + 1)));
    [...fused].sort((a, b) => b[1] - a[1]).slice(0, 5);
    const t3 = performance.now();
    lexTimes.push(t1 - t0);
    denseTimes.push(t2 - t1);
    total.push(t3 - t0);
    if (q < 50) {
      const truth = new Set(exactTopK(vectors, qv, 10));
      const got = (await dense.search(qv, 10)).map((h) => h.index);
      recallHits += got.filter((i) => truth.has(i)).length;
    }
  }
  return {
    shape,
    chunks,
    buildSeconds,
    p50: percentile(total, 50),
    p95: percentile(total, 95),
    denseP95: percentile(denseTimes, 95),
    lexicalP95: percentile(lexTimes, 95),
    recallAt10: recallHits / (Math.min(50, queries) * 10),
    rssMiB: process.memoryUsage().rss / 2 ** 20,
  };
}

export async function runRetrievalBench(sizes = [1_000, 10_000, 100_000]): Promise<{ markdown: string; results: ScaleResult[] }> {
  const results: ScaleResult[] = [];
  for (const shape of ['clustered', 'uniform'] as const) for (const n of sizes) results.push(await runScale(n, shape));
  const rows = results.map(
    (r) =>
      `| ${r.shape} | ${r.chunks.toLocaleString('en-GB')} | ${formatMs(r.p50)} | ${formatMs(r.p95)} | ${formatMs(r.lexicalP95)} | ${formatMs(r.denseP95)} | ${r.recallAt10.toFixed(3)} | ${r.buildSeconds.toFixed(1)} s | ${r.rssMiB.toFixed(0)} MiB |`,
  );
  const markdown = [
    '## Retrieval at scale (embedded mode, synthetic data)',
    '',
    `Synthetic unit vectors of dimension ${DIM} (the local encoder's), clustered around 1,000 topic centres (like real sentence embeddings) and, as a worst case, uniform on the sphere; synthetic 120-word chunks over a ${VOCAB.toLocaleString('en-GB')}-word Zipf vocabulary without its ${STOP_WORDS} stop words; ` +
      `HNSW with M=${DEFAULT_HNSW.m}, efConstruction=${DEFAULT_HNSW.efConstruction}, efSearch=${DEFAULT_HNSW.efSearch}; 200 queries per size, ` +
      'recall@10 over 50 of them against exact search. Latency is hybrid retrieval (BM25 top 50 + HNSW top 50 + rank fusion), excluding query embedding. ' +
      'Process RSS is the whole benchmark process at the end of the row (rows run in order, so it includes earlier rows). ' +
      'Target: p95 ≤ 5 ms at 100k chunks with recall@10 ≥ 0.95.',
    '',
    '| vectors | chunks | p50 | p95 | BM25 p95 | HNSW p95 | HNSW recall@10 | index build | process RSS |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
  return { markdown, results };
}
