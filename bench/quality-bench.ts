// Answer quality in embedded mode (no language model): the navigator as shipped, on the shared
// development set and the project's own set, with hybrid, lexical-only and dense-only retrieval
// side by side; then retrieval alone (the five documents the retriever returns, before answering
// and abstention), and how the navigator treats in-domain questions the knowledge base cannot answer.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKnowledgeStack } from '../src/app/knowledge-stack.js';
import { loadConfig } from '../src/config/config.js';
import { standaloneQuestion } from '../src/core/follow-up.js';
import { LocalEmbedder } from '../src/embeddings/local-embedder.js';
import { loadEvalFile, normaliseUrl, runEval, type EvalCase, type EvalReport } from '../src/eval/evaluate.js';
import type { RetrievalMode, Retriever } from '../src/retrieval/retriever.js';
import { createLogger } from '../src/shared/logger.js';

const ROOT = resolve(fileURLToPath(new URL('../', import.meta.url)));
const MODES: RetrievalMode[] = ['hybrid', 'lexical', 'dense'];
const MODE_LABELS: Record<RetrievalMode, string> = { hybrid: 'hybrid (shipped)', lexical: 'lexical only', dense: 'dense only' };
const METRICS = [
  ['hitAt1', 'hit@1'],
  ['hitAt5', 'hit@5'],
  ['mrr', 'MRR'],
  ['phraseRecall', 'phrase recall'],
  ['routeAccuracy', 'route accuracy'],
] as const;

interface RetrievalOnly {
  hitAt1: number;
  hitAt5: number;
  mrr: number;
}

function devSetPath(): string | undefined {
  return [process.env.DEV_EVAL_FILE, resolve(ROOT, '..', 'shared', 'eval', 'dev.jsonl'), '/work/shared/eval/dev.jsonl'].find(
    (p): p is string => Boolean(p) && existsSync(p!),
  );
}

/** The retriever's own ranking, asked the way the navigator asks it (follow-ups carry their thread). */
async function retrievalOnly(retriever: Retriever, cases: EvalCase[], mode: RetrievalMode): Promise<RetrievalOnly> {
  let hit1 = 0;
  let hit5 = 0;
  let rr = 0;
  let n = 0;
  for (const c of cases) {
    if (c.expect_sources.length === 0) continue;
    n++;
    const s = await standaloneQuestion(c.q, c.history ?? []);
    const result = await retriever.retrieve(s.question, { k: 5, context: s.context, mode });
    const expected = new Set(c.expect_sources.map(normaliseUrl));
    const at = result.documents.findIndex((d) => expected.has(normaliseUrl(d.meta.url)));
    if (at === 0) hit1++;
    if (at >= 0) {
      hit5++;
      rr += 1 / (at + 1);
    }
  }
  const ratio = (x: number) => (n === 0 ? 1 : Math.round((x / n) * 1000) / 1000);
  return { hitAt1: ratio(hit1), hitAt5: ratio(hit5), mrr: ratio(rr) };
}

export async function runQualityBench(): Promise<{ markdown: string }> {
  const dev = devSetPath();
  const sets = [
    ...(dev ? [{ name: 'Development set', file: '../shared/eval/dev.jsonl', cases: loadEvalFile(dev) }] : []),
    { name: 'Project set', file: 'test/eval/project.jsonl', cases: loadEvalFile(join(ROOT, 'test', 'eval', 'project.jsonl')) },
  ];
  const probes = JSON.parse(readFileSync(join(ROOT, 'test', 'core-quality', 'unanswerable-probes.json'), 'utf8')) as string[];

  const dataDir = mkdtempSync(join(tmpdir(), 'nav-quality-'));
  const embedder = new LocalEmbedder();
  const logger = createLogger({ level: 'warn' });
  const config = loadConfig({ DATA_DIR: dataDir, KNOWLEDGE_DIR: join(ROOT, 'knowledge') }, ROOT);
  const reports = new Map<string, EvalReport>();
  const retrieval = new Map<string, RetrievalOnly>();
  const probeRoutes = new Map<RetrievalMode, Map<string, number>>();
  try {
    for (const mode of MODES) {
      const stack = await createKnowledgeStack({ config, logger, embedder, retrievalMode: mode });
      for (const set of sets) {
        reports.set(`${set.name}/${mode}`, await runEval(stack.navigator, set.cases));
        retrieval.set(`${set.name}/${mode}`, await retrievalOnly(stack.retriever, set.cases, mode));
      }
      const routes = new Map<string, number>();
      for (const q of probes) {
        const { route } = await stack.navigator.ask({ question: q });
        routes.set(route, (routes.get(route) ?? 0) + 1);
      }
      probeRoutes.set(mode, routes);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }

  const lines = [
    '## Answer quality (embedded mode)',
    '',
    'The navigator as shipped with no language model (extractive answers, local encoder), scored by `navigator eval` ' +
      '(`--mode hybrid|lexical|dense`). hit@k and MRR: an expected source among the first k citations; phrase recall: ' +
      'an expected phrase in the answer; route accuracy: answer, escalate, out of scope, small talk or abstain as labelled. ' +
      'Targets, each set separately: hit@1 ≥ 0.85, hit@5 ≥ 0.95, MRR ≥ 0.90, phrase recall ≥ 0.85, route accuracy ≥ 0.95, ' +
      'with hybrid at least as good as either retriever alone on every metric.',
    '',
  ];
  for (const set of sets) {
    const r0 = reports.get(`${set.name}/hybrid`)!;
    lines.push(
      `### ${set.name} (\`${set.file}\`: ${r0.cases} cases, ${r0.retrievalCases} with expected sources, ${r0.phraseCases} with expected phrases)`,
      '',
      `| metric | ${MODES.map((m) => MODE_LABELS[m]).join(' | ')} |`,
      `|---|${MODES.map(() => '---:').join('|')}|`,
      ...METRICS.map(([key, label]) => `| ${label} | ${MODES.map((m) => reports.get(`${set.name}/${m}`)![key].toFixed(3)).join(' | ')} |`),
      '',
    );
  }
  lines.push(
    '### Retrieval alone',
    '',
    'The five documents the retriever returns, before answer composition and abstention. The abstention policy uses ' +
      'dense similarity only when there is a dense side, so lexical-only retrieval is not penalised for lacking an encoder.',
    '',
    `| set | ${MODES.flatMap((m) => ['hit@1', 'hit@5', 'MRR'].map((x) => `${x} ${m}`)).join(' | ')} |`,
    `|---|${MODES.flatMap(() => ['---:', '---:', '---:']).join('|')}|`,
    ...sets.map(
      (set) =>
        `| ${set.name} | ${MODES.flatMap((m) => {
          const r = retrieval.get(`${set.name}/${m}`)!;
          return [r.hitAt1, r.hitAt5, r.mrr].map((x) => x.toFixed(3));
        }).join(' | ')} |`,
    ),
    '',
    '### Questions the knowledge base cannot answer',
    '',
    `${probes.length} in-domain questions with no answer in the corpus (\`test/core-quality/unanswerable-probes.json\`: salaries, ` +
      'Palantir, VAT, blockchain…). Ideally each abstains rather than answering from a loosely related source.',
    '',
    '| retrieval | abstain or out of scope | answered |',
    '|---|---:|---:|',
    ...MODES.map((m) => {
      const routes = probeRoutes.get(m)!;
      const declined = (routes.get('abstain') ?? 0) + (routes.get('out_of_scope') ?? 0);
      return `| ${MODE_LABELS[m]} | ${declined} | ${routes.get('answer') ?? 0} |`;
    }),
  );
  if (!dev) lines.push('', '_The development set was not found (set DEV_EVAL_FILE); only the project set was measured._');
  return { markdown: lines.join('\n') };
}
