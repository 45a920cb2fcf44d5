// The real corpus: ingest throughput with the local encoder (cold: no embedding cache), and
// end-to-end POST /api/ask latency in extractive mode through the real HTTP server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/config.js';
import { startServer } from '../src/app/server.js';
import { LocalEmbedder } from '../src/embeddings/local-embedder.js';
import { prepareIndex } from '../src/retrieval/index-builder.js';
import { createLogger } from '../src/shared/logger.js';
import { loadEvalFile } from '../src/eval/evaluate.js';
import { formatMs, percentile, PeakRss } from './stats.js';

const ROOT = resolve(fileURLToPath(new URL('../', import.meta.url)));

export async function runCoreBench(): Promise<{ markdown: string }> {
  const peak = new PeakRss();
  const dataDir = mkdtempSync(join(tmpdir(), 'nav-bench-'));
  const logger = createLogger({ level: 'warn' });
  try {
    const started = performance.now();
    const prepared = await prepareIndex({ sources: [join(ROOT, 'knowledge')], dataDir, embedder: new LocalEmbedder(), logger });
    const ingestSeconds = (performance.now() - started) / 1000;
    const vectors = prepared.index.manifest.vectors;

    const config = loadConfig({ DATA_DIR: dataDir, KNOWLEDGE_DIR: join(ROOT, 'knowledge'), PORT: '0', HOST: '127.0.0.1', RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_BURST: '100000', TRIAGE_TOKEN: 'bench-token-0000' }, ROOT);
    const server = await startServer(config, { logger });
    const questions = loadEvalFile(join(ROOT, 'test', 'eval', 'project.jsonl')).map((c) => c.q);
    const latencies: number[] = [];
    try {
      for (let round = 0; round < 2; round++) {
        for (const q of questions) {
          const t0 = performance.now();
          const res = await fetch(`${server.url}/api/ask`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ question: q }),
          });
          await res.json();
          if (!res.ok) throw new Error(`/api/ask answered ${res.status}`);
          if (round > 0) latencies.push(performance.now() - t0); // the first round warms caches
        }
      }
    } finally {
      await server.shutdown();
    }
    const rss = peak.stop();
    return {
      markdown: [
        '## Ingest and end-to-end answers (real corpus, embedded mode)',
        '',
        `- Ingest, cold (no embedding cache): ${prepared.documents} documents → ${prepared.index.chunks.length} chunks and ${vectors} vectors (chunks plus each document's questions) in ${ingestSeconds.toFixed(1)} s: **${(prepared.index.chunks.length / ingestSeconds).toFixed(1)} chunks/s**, ${(vectors / ingestSeconds).toFixed(1)} vectors/s with the local encoder.`,
        `- \`POST /api/ask\` over HTTP, extractive mode, ${latencies.length} questions (the project eval set, after one warm-up round): p50 **${formatMs(percentile(latencies, 50))}**, p95 **${formatMs(percentile(latencies, 95))}**, max ${formatMs(Math.max(...latencies))}. Target p95 ≤ 150 ms.`,
        `- Peak resident memory of the benchmark process (model, index, server): **${(rss / 1024 / 1024).toFixed(0)} MiB**.`,
      ].join('\n'),
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
