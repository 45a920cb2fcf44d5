// `npm run bench`: runs every benchmark section and writes BENCHMARKS.md.
// `npm run bench -- core retrieval` runs only the named sections (and rewrites only those).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

type Section = { name: string; run: () => Promise<{ markdown: string }> };

const SECTIONS: Section[] = [
  { name: 'core', run: async () => (await import('./core-bench.js')).runCoreBench() },
  { name: 'retrieval', run: async () => (await import('./retrieval-bench.js')).runRetrievalBench() },
  { name: 'quality', run: async () => (await import('./quality-bench.js')).runQualityBench() },
  { name: 'pii', run: async () => (await import('./pii-bench.js')).runPiiBench() },
  { name: 'tickets', run: async () => (await import('./tickets-bench.js')).runTicketBench() },
  { name: 'slack', run: async () => (await import('./slack-bench.js')).runSlackBench() },
];

const FILE = 'BENCHMARKS.md';
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !SECTIONS.some((s) => s.name === w));
if (unknown.length) {
  console.error(`unknown section(s): ${unknown.join(', ')}; choose from ${SECTIONS.map((s) => s.name).join(', ')}`);
  process.exit(2);
}

const previous = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '';
const blocks = new Map<string, string>();
for (const m of previous.matchAll(/<!-- section:(\w+) -->\n([\s\S]*?)<!-- \/section:\1 -->/g)) blocks.set(m[1]!, m[2]!);

for (const section of SECTIONS) {
  if (wanted.length && !wanted.includes(section.name)) continue;
  process.stderr.write(`bench: ${section.name}…\n`);
  const started = Date.now();
  const { markdown } = await section.run();
  blocks.set(section.name, `${markdown.trim()}\n\n_Measured ${new Date().toISOString().slice(0, 10)} in ${((Date.now() - started) / 1000).toFixed(0)} s._\n`);
}

const header = [
  '# Benchmarks',
  '',
  `Written by \`npm run bench\` on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}. ` +
    'Timings vary with machine load; rerun a single section with `npm run bench -- NAME`.',
  '',
].join('\n');
const body = SECTIONS.filter((s) => blocks.has(s.name))
  .map((s) => `<!-- section:${s.name} -->\n${blocks.get(s.name)}<!-- /section:${s.name} -->`)
  .join('\n\n');
writeFileSync(FILE, `${header}\n${body}\n`);
process.stderr.write(`bench: wrote ${FILE}\n`);
process.exit(0);
