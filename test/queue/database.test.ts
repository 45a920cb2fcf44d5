// Opening the queue database: SQLite file settings, PostgreSQL schemas, and failing fast with a
// clear message when PostgreSQL cannot be reached.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/shared/errors.js';
import { defaultSqlitePath, openDatabase } from '../../src/queue/database.js';
import { postgresFactory, TEST_DATABASE_URL } from './db-factories.js';

describe('[sqlite] openDatabase', () => {
  it('creates the file under the data folder in WAL mode and migrates once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'navigator-db-'));
    try {
      const path = defaultSqlitePath(join(dir, 'data'));
      expect(path).toBe(join(dir, 'data', 'navigator.sqlite'));
      const first = await openDatabase({ sqlitePath: path });
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(first.db);
      expect(mode.rows[0]!.journal_mode).toBe('wal');
      const timeout = await sql<{ timeout: number }>`pragma busy_timeout`.execute(first.db);
      expect(timeout.rows[0]!.timeout).toBe(5000);
      await first.close();
      const second = await openDatabase({ sqlitePath: path });
      const migrations = await sql<{ name: string }>`select name from kysely_migration`.execute(second.db);
      expect(migrations.rows.map((r) => r.name)).toEqual(['0001_initial']);
      expect(second.dialect).toBe('sqlite');
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('[postgres] openDatabase', () => {
  it('creates its own schema and keeps tables there', async () => {
    const factory = postgresFactory();
    try {
      const qdb = await factory.open();
      expect(qdb.dialect).toBe('postgres');
      const { schema } = factory.options() as { schema: string };
      const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = ${schema} order by table_name`.execute(qdb.db);
      expect(tables.rows.map((r) => r.table_name)).toEqual(
        expect.arrayContaining(['ask_events', 'channel_refs', 'feedback', 'kysely_migration', 'outbox', 'processed_events', 'rate_limits', 'settings', 'ticket_audit', 'ticket_comments', 'tickets']),
      );
      const path = await sql<{ search_path: string }>`show search_path`.execute(qdb.db);
      expect(path.rows[0]!.search_path).toContain(schema);
    } finally {
      await factory.destroy();
    }
  });

  it('lets several replicas open a fresh schema at the same moment', async () => {
    const factory = postgresFactory();
    try {
      const opened = await Promise.all([1, 2, 3, 4].map(() => factory.open()));
      expect(opened.map((o) => o.dialect)).toEqual(['postgres', 'postgres', 'postgres', 'postgres']);
    } finally {
      await factory.destroy();
    }
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    await expect(openDatabase({ postgresUrl: TEST_DATABASE_URL, schema: 'x"; drop schema public; --' })).rejects.toThrow(/Invalid PostgreSQL schema name/);
  });

  it('fails at once, naming the host, when nothing listens', async () => {
    const started = Date.now();
    const err = await openDatabase({ postgresUrl: 'postgres://postgres:hunter22@127.0.0.1:1/nowhere' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as Error).message).toMatch(/Cannot reach PostgreSQL at 127\.0\.0\.1:1\/nowhere/);
    expect((err as Error).message).not.toContain('hunter22');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('gives up after the connect timeout when the server never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s)); // accepts, then says nothing
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const started = Date.now();
      const err = await openDatabase({ postgresUrl: `postgres://postgres@127.0.0.1:${port}/db`, connectTimeoutMs: 1000 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect((err as Error).message).toContain(`127.0.0.1:${port}/db`);
      expect(Date.now() - started).toBeLessThan(4000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });
});
