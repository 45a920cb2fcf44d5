// The two databases the queue suite runs against. Each factory owns one fresh database (a temp
// SQLite file or a new PostgreSQL schema); open() may be called several times to get independent
// connections/pools to it, as separate replicas would have.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type DatabaseOptions, type QueueDatabase } from '../../src/queue/database.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface DbFactory {
  readonly name: 'sqlite' | 'postgres';
  /** Options another process can pass to openDatabase to reach the same database. */
  options(): DatabaseOptions;
  open(): Promise<QueueDatabase>;
  /** Closes everything opened and removes the database. */
  destroy(): Promise<void>;
}

export function sqliteFactory(): DbFactory {
  const dir = mkdtempSync(join(tmpdir(), 'navigator-queue-'));
  const opened: QueueDatabase[] = [];
  const options = { sqlitePath: join(dir, 'navigator.sqlite') };
  return {
    name: 'sqlite',
    options: () => options,
    async open() {
      const db = await openDatabase(options);
      opened.push(db);
      return db;
    },
    async destroy() {
      await Promise.all(opened.map((d) => d.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function postgresFactory(url = TEST_DATABASE_URL): DbFactory {
  const schema = `queue_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const opened: QueueDatabase[] = [];
  const options = { postgresUrl: url, schema, poolSize: 6 };
  return {
    name: 'postgres',
    options: () => options,
    async open() {
      const db = await openDatabase(options);
      opened.push(db);
      return db;
    },
    async destroy() {
      await Promise.all(opened.map((d) => d.close()));
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
