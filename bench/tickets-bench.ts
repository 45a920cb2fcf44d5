// Support queue benchmark: ticket creation (ticket row, audit entry and two outbox items in one
// transaction, duplicate check included) with concurrent writers, on SQLite and PostgreSQL.
// Run alone with `node bin/run-ts.js bench/tickets-bench.ts`; bench/run.ts calls runTicketBench().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { openDatabase, type DatabaseOptions } from '../src/queue/database.js';
import { TicketService } from '../src/queue/ticket-service.js';
import type { NewTicketInput } from '../src/queue/types.js';

export interface TicketBenchOptions {
  tickets?: number;
  writers?: number;
  postgresUrl?: string;
}

interface Row {
  store: string;
  result: { perSecond: number; p50: number; p95: number } | { error: string };
}

function input(n: number): NewTicketInput {
  return {
    requester: { platform: 'slack', userId: `UBENCH${n}`, displayName: `Bench user ${n}` },
    orgType: 'nhs_trust',
    orgName: 'Benchmark NHS Trust',
    category: 'commercial',
    priority: 'normal',
    deadline: null,
    summary: `Request ${n}: advice on value share terms for a data partnership`,
    details: 'Draft agreement attached; board meets next month.',
    conversation: [{ role: 'user', text: 'How do we value our data?' }],
    citations: [],
    consentToShare: true,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function measure(options: DatabaseOptions, tickets: number, writers: number): Promise<Row['result']> {
  const qdb = await openDatabase(options);
  try {
    const service = new TicketService({ db: qdb.db, slaWorkingDays: 2, triagePlatforms: ['slack', 'teams'] });
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: writers }, async () => {
        for (let n = next++; n < tickets; n = next++) {
          const t0 = performance.now();
          await service.create(input(n), { id: 'bench', via: 'cli' });
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return { perSecond: tickets / seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
  } finally {
    await qdb.close();
  }
}

export async function runTicketBench(options: TicketBenchOptions = {}): Promise<{ markdown: string }> {
  const tickets = options.tickets ?? 2000;
  const writers = options.writers ?? 8;
  const rows: Row[] = [];

  const dir = mkdtempSync(join(tmpdir(), 'navigator-bench-'));
  try {
    rows.push({ store: 'SQLite (temp file, WAL)', result: await measure({ sqlitePath: join(dir, 'bench.sqlite') }, tickets, writers) });
  } catch (err) {
    rows.push({ store: 'SQLite (temp file, WAL)', result: { error: (err as Error).message } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const url = options.postgresUrl ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_${process.pid}_${Date.now().toString(36)}`;
  const host = (() => {
    try {
      const u = new URL(url);
      return `${u.hostname}:${u.port || '5432'}`;
    } catch {
      return 'PostgreSQL';
    }
  })();
  try {
    rows.push({ store: `PostgreSQL (${host})`, result: await measure({ postgresUrl: url, schema, poolSize: writers, connectTimeoutMs: 3000 }, tickets, writers) });
  } catch (err) {
    rows.push({ store: `PostgreSQL (${host})`, result: { error: `not measured: ${(err as Error).message}` } });
  } finally {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    await client
      .connect()
      .then(() => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`))
      .catch(() => undefined)
      .finally(() => client.end().catch(() => undefined));
  }

  const lines = [
    '## Support queue',
    '',
    `Ticket creation with ${writers} concurrent writers, ${tickets.toLocaleString('en-GB')} tickets per store. Each creation is one transaction: duplicate check, ticket row, reference, audit entry and one outbox item for each of two triage platforms.`,
    '',
    '| store | tickets/s | p50 latency (ms) | p95 latency (ms) |',
    '|---|---:|---:|---:|',
    ...rows.map((r) =>
      'error' in r.result
        ? `| ${r.store} | — | — | — |`
        : `| ${r.store} | ${r.result.perSecond.toFixed(0)} | ${r.result.p50.toFixed(2)} | ${r.result.p95.toFixed(2)} |`,
    ),
  ];
  const notes = rows.filter((r) => 'error' in r.result).map((r) => `- ${r.store}: ${(r.result as { error: string }).error}`);
  if (notes.length > 0) lines.push('', ...notes);
  return { markdown: lines.join('\n') + '\n' };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { markdown } = await runTicketBench();
  process.stdout.write(markdown);
}
