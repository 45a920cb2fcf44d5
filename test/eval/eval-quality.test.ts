// The acceptance gate for answer quality in embedded mode (no language model): the navigator as
// shipped, on the shared development set and on the project's own set, each separately, must meet
// the thresholds, and on the project set hybrid retrieval must be at least as good as lexical-only
// and dense-only retrieval on every metric. The figures are printed so CI output shows them.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKnowledgeStack } from '../../src/app/knowledge-stack.js';
import { loadConfig } from '../../src/config/config.js';
import { LocalEmbedder } from '../../src/embeddings/local-embedder.js';
import { loadEvalFile, runEval, type EvalReport } from '../../src/eval/evaluate.js';
import type { RetrievalMode } from '../../src/retrieval/retriever.js';
import { createLogger } from '../../src/shared/logger.js';
import { KNOWLEDGE_DIR, REPO_ROOT, freshDataDir } from '../support/test-data.js';

const METRICS = ['hitAt1', 'hitAt5', 'mrr', 'phraseRecall', 'routeAccuracy'] as const;
type Metric = (typeof METRICS)[number];

const THRESHOLDS: Record<Metric, number> = { hitAt1: 0.85, hitAt5: 0.95, mrr: 0.9, phraseRecall: 0.85, routeAccuracy: 0.95 };
const LABELS: Record<Metric, string> = { hitAt1: 'hit@1', hitAt5: 'hit@5', mrr: 'MRR', phraseRecall: 'phrase recall', routeAccuracy: 'route accuracy' };
const MODES: RetrievalMode[] = ['hybrid', 'lexical', 'dense'];

/** The shared development set lives beside the repository; CI can point elsewhere with DEV_EVAL_FILE. */
function devSetPath(): string {
  const candidates = [process.env.DEV_EVAL_FILE, resolve(REPO_ROOT, '..', 'shared', 'eval', 'dev.jsonl'), '/work/shared/eval/dev.jsonl'];
  const found = candidates.find((p): p is string => Boolean(p) && existsSync(p!));
  if (!found) throw new Error(`the development eval set was not found (tried ${candidates.filter(Boolean).join(', ')}); set DEV_EVAL_FILE`);
  return found;
}

const SETS = [
  { name: 'dev', path: devSetPath() },
  { name: 'project', path: join(REPO_ROOT, 'test', 'eval', 'project.jsonl') },
] as const;

describe('answer quality in embedded mode', () => {
  const reports = new Map<string, EvalReport>(); // `${set}/${mode}`
  const report = (set: string, mode: RetrievalMode) => reports.get(`${set}/${mode}`)!;

  beforeAll(async () => {
    const dataDir = freshDataDir('quality');
    // No model keys: the navigator answers extractively, exactly as the embedded default does.
    const config = loadConfig({ DATA_DIR: dataDir, KNOWLEDGE_DIR }, REPO_ROOT);
    expect(config.llm.provider).toBe('none');
    const embedder = new LocalEmbedder();
    const logger = createLogger({ level: 'error' });
    for (const mode of MODES) {
      const stack = await createKnowledgeStack({ config, logger, embedder, retrievalMode: mode });
      expect(stack.prepared.action).toBe('loaded'); // the index built once by the global setup
      for (const set of SETS) reports.set(`${set.name}/${mode}`, await runEval(stack.navigator, loadEvalFile(set.path)));
    }
    const rows = SETS.flatMap((set) =>
      MODES.map((mode) => {
        const r = report(set.name, mode);
        return `| ${set.name} (${r.cases}) | ${mode} | ${METRICS.map((m) => r[m].toFixed(3)).join(' | ')} |`;
      }),
    );
    console.log(
      ['Answer quality, embedded mode', `| set | retrieval | ${METRICS.map((m) => LABELS[m]).join(' | ')} |`, `|---|---|${METRICS.map(() => '---').join('|')}|`, ...rows].join('\n'),
    );
  }, 600_000);

  for (const set of SETS) {
    it(`meets every threshold on the ${set.name} set with hybrid retrieval`, () => {
      const r = report(set.name, 'hybrid');
      const below = METRICS.filter((m) => r[m] < THRESHOLDS[m]).map((m) => `${LABELS[m]} ${r[m]} < ${THRESHOLDS[m]}`);
      // Only our own set's misses are listed: the development set is for aggregate figures only.
      if (below.length > 0 && set.name === 'project') {
        console.log(`project set misses:\n${r.failures.map((f) => `  #${f.line}: ${f.failures.join('; ')}`).join('\n')}`);
      }
      expect(below).toEqual([]);
      expect(r.retrievalCases).toBeGreaterThan(0);
      expect(r.phraseCases).toBeGreaterThan(0);
    });

  }

  // Hybrid must beat each single retriever where we tune (our own set). On the development set
  // the comparison is reported, not enforced: tuning hybrid until it wins there would be tuning
  // to the development set, which we must not do (BENCHMARKS.md records where it falls short).
  const shortfalls = (name: string) => {
    const hybrid = report(name, 'hybrid');
    return (['lexical', 'dense'] as const).flatMap((mode) =>
      METRICS.filter((m) => hybrid[m] < report(name, mode)[m]).map((m) => `${LABELS[m]}: hybrid ${hybrid[m]} < ${mode} ${report(name, mode)[m]}`),
    );
  };

  it('ships a hybrid at least as good as lexical-only and dense-only on the project set', () => {
    const dev = shortfalls('dev');
    console.log(`dev set, hybrid against single retrievers: ${dev.length ? dev.join('; ') : 'at least as good on every metric'}`);
    expect(shortfalls('project')).toEqual([]);
  });
});
