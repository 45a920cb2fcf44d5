// The `navigator` command line. Output meant for machines (--json) goes to stdout; logs go to stderr.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, secretValues, type Config } from '../config/config.js';
import { toAskJson } from '../core/types.js';
import { createEmbedder, createKnowledgeStack, knowledgeSources } from '../app/knowledge-stack.js';
import { formatReport, loadEvalFile, runEval } from '../eval/evaluate.js';
import { prepareIndex } from '../retrieval/index-builder.js';
import type { RetrievalMode } from '../retrieval/retriever.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { redactPii } from '../guard/index.js';

const USAGE = `Usage: navigator <command> [options]

Commands:
  serve                         start the server (web chat, API, Slack, Teams, triage)
  ingest [paths…] [--force]     build or refresh the search index (default: the knowledge folder)
  ask "question" [--json]       ask one question
  eval FILE.jsonl [--json] [--mode hybrid|lexical|dense]
                                score the assistant on an eval file
  knowledge check [DIR]         validate the knowledge base (front matter, duplicates, staleness)
  tickets <list|show|export|purge|erase> …
                                work with the support queue (see: navigator tickets help)
Configuration comes from environment variables; see README.md.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE + '\n');
    return command ? 0 : 2;
  }
  let config: Readonly<Config>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  // Commands other than serve keep stderr quiet unless LOG_LEVEL asks otherwise.
  const level = process.env.LOG_LEVEL ? config.logLevel : command === 'serve' ? 'info' : 'warn';
  const logger = createLogger({ level, secrets: secretValues(config), scrub: (line) => redactPii(line).text });

  switch (command) {
    case 'serve': {
      const { startServer } = await import('../app/server.js');
      await startServer(config, { logger, handleSignals: true });
      return -1; // keeps running until a signal stops it
    }
    case 'ingest':
      return ingest(rest, config, logger);
    case 'ask':
      return ask(rest, config, logger);
    case 'eval':
      return evaluate(rest, config, logger);
    case 'knowledge':
      return knowledge(rest, config);
    case 'tickets': {
      const { runTicketsCli } = await import('../app/tickets-cli.js');
      return runTicketsCli(rest, config, logger);
    }
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}\n`);
      return 2;
  }
}

async function ingest(args: string[], config: Readonly<Config>, logger: Logger): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { force: { type: 'boolean' }, json: { type: 'boolean' } }, allowPositionals: true });
  const prepared = await prepareIndex({
    sources: positionals.length ? positionals : knowledgeSources(config),
    dataDir: config.dataDir,
    embedder: createEmbedder(config),
    logger,
    force: values.force,
  });
  const summary = {
    action: prepared.action,
    reason: prepared.reason,
    documents: prepared.documents,
    chunks: prepared.index.chunks.length,
    vectors: prepared.index.manifest.vectors,
    embeddingsComputed: prepared.stats?.embeddingsComputed ?? 0,
    embedder: prepared.index.manifest.embedderId,
    skipped: prepared.problems,
  };
  if (values.json) process.stdout.write(JSON.stringify(summary) + '\n');
  else {
    process.stdout.write(
      `${summary.action} index: ${summary.documents} documents, ${summary.chunks} chunks, ${summary.embeddingsComputed} embeddings computed (${summary.reason})\n`,
    );
    for (const p of prepared.problems) process.stdout.write(`skipped ${p.path}: ${p.error}\n`);
  }
  return 0;
}

async function ask(args: string[], config: Readonly<Config>, logger: Logger): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true });
  const question = positionals.join(' ').trim();
  if (!question) {
    process.stderr.write('navigator ask: give a question, e.g. navigator ask "What is a DPIA?"\n');
    return 2;
  }
  if (question.length > config.limits.maxQuestionChars) {
    process.stderr.write(`navigator ask: the question is longer than ${config.limits.maxQuestionChars} characters\n`);
    return 2;
  }
  const stack = await createKnowledgeStack({ config, logger });
  const result = await stack.navigator.ask({ question, requester: { platform: 'cli', userId: process.env.USER ?? 'cli' } });
  if (values.json) {
    process.stdout.write(JSON.stringify(toAskJson(result)) + '\n');
  } else {
    process.stdout.write(`${result.answer}\n`);
    if (result.citations.length) {
      process.stdout.write('\nSources:\n');
      result.citations.forEach((c, i) =>
        process.stdout.write(`  [${i + 1}] ${c.title} — ${c.publisher}, ${c.published}${c.status && c.status !== 'current' ? ` (${c.status})` : ''}\n      ${c.url}\n`),
      );
    }
    process.stdout.write(`\n(route: ${result.route}, confidence ${result.confidence})\n`);
  }
  return 0;
}

async function evaluate(args: string[], config: Readonly<Config>, logger: Logger): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean' }, mode: { type: 'string' } },
    allowPositionals: true,
  });
  const file = positionals[0];
  if (!file) {
    process.stderr.write('navigator eval: give an eval file, e.g. navigator eval test/eval/project.jsonl\n');
    return 2;
  }
  const mode = (values.mode ?? 'hybrid') as RetrievalMode;
  if (!['hybrid', 'lexical', 'dense'].includes(mode)) {
    process.stderr.write('navigator eval: --mode must be hybrid, lexical or dense\n');
    return 2;
  }
  const cases = loadEvalFile(file);
  const stack = await createKnowledgeStack({ config, logger, retrievalMode: mode });
  const report = await runEval(stack.navigator, cases);
  if (values.json) {
    const { outcomes: _outcomes, ...rest } = report;
    process.stdout.write(JSON.stringify({ file, mode, ...rest }) + '\n');
  } else process.stdout.write(formatReport(report, `${file} [${mode}]`) + '\n');
  return 0;
}

async function knowledge(args: string[], config: Readonly<Config>): Promise<number> {
  const [sub, dir] = args;
  if (sub !== 'check') {
    process.stderr.write('Usage: navigator knowledge check [DIR]\n');
    return 2;
  }
  const { checkKnowledge, formatCheckReport } = await import('../knowledge/knowledge-check.js');
  const result = await checkKnowledge(dir ?? knowledgeSources(config)[0]!);
  process.stdout.write(formatCheckReport(result) + '\n');
  return result.errors.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`navigator: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
