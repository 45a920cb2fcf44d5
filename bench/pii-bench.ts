// Patient-data detection benchmark: precision and recall per kind on the labelled corpus,
// and throughput over the corpus repeated for about a second. bench/run.ts assembles sections.

import { fileURLToPath, pathToFileURL } from 'node:url';
import { PII_KINDS, PII_KIND_LABELS, detectPii } from '../src/guard/index.js';
import { evaluatePiiCorpus, loadPiiCorpus, type PiiCase, type PiiScore } from '../src/guard/pii-metrics.js';

const CORPUS = fileURLToPath(new URL('../test/fixtures/pii/labelled.jsonl', import.meta.url));
const TARGET_MS = 1000;

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const row = (label: string, s: PiiScore) => `| ${label} | ${pct(s.precision)} | ${pct(s.recall)} | ${s.tp} | ${s.fp} | ${s.fn} |`;

/** Strings per second, repeating the corpus until about a second has passed. */
function throughput(cases: PiiCase[]): { perSecond: number; strings: number; ms: number; chars: number } {
  for (const c of cases) detectPii(c.text, { context: c.context }); // warm the patterns up
  let strings = 0;
  let chars = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < TARGET_MS) {
    for (const c of cases) {
      detectPii(c.text, { context: c.context });
      chars += c.text.length;
    }
    strings += cases.length;
    elapsed = performance.now() - started;
  }
  return { perSecond: (strings / elapsed) * 1000, strings, ms: elapsed, chars };
}

export async function runPiiBench(corpusPath: string = CORPUS): Promise<{ markdown: string }> {
  const cases = await loadPiiCorpus(corpusPath);
  const result = evaluatePiiCorpus(cases);
  const speed = throughput(cases);
  const traps = cases.filter((c) => c.expect.length === 0).length;
  const knowledge = cases.filter((c) => c.context === 'knowledge').length;

  const lines = [
    '## Patient-data detection',
    '',
    `Labelled corpus: ${cases.length} texts (${traps} with nothing to find, ${knowledge} from guidance text), ` +
      `${result.overall.tp + result.overall.fn} labelled items. A finding counts when its kind matches and its span overlaps the label. ` +
      'The detector was developed against this corpus, so these figures are an upper bound on unseen text.',
    '',
    '| kind | precision | recall | TP | FP | FN |',
    '|---|---|---|---|---|---|',
    ...PII_KINDS.map((k) => row(PII_KIND_LABELS[k], result.byKind[k])),
    row('**overall**', result.overall),
    '',
    `Throughput: ${Math.round(speed.perSecond).toLocaleString('en-GB')} strings/s ` +
      `(${speed.strings.toLocaleString('en-GB')} strings, ${(speed.chars / 1024).toFixed(0)} KB, in ${speed.ms.toFixed(0)} ms on one core).`,
  ];
  if (result.failures.length > 0) {
    lines.push('', 'Failures:', '');
    for (const f of result.failures.slice(0, 20)) {
      const missed = f.missed.map((m) => `missed ${m.kind}`);
      const extra = f.unexpected.map((u) => `unexpected ${u.kind}`);
      // The corpus is synthetic, but the line number is enough; no text goes into the report.
      lines.push(`- line ${f.index + 1} (${f.context}): ${[...missed, ...extra].join(', ')}`);
    }
  }
  return { markdown: lines.join('\n') + '\n' };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write((await runPiiBench()).markdown);
}
