// Opens the queue database: an SQLite file (embedded default) or PostgreSQL (shared by replicas),
// runs the migrations and hands back one Kysely instance. Nothing connects at import time.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, type DatabaseConnection, type Driver } from 'kysely';
import pg from 'pg';
import { StoreError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { migrateToLatest } from './migrations.js';
import type { DB, Dialect } from './schema.js';

export type DatabaseOptions =
  | { sqlitePath: string; logger?: Logger }
  | { postgresUrl: string; schema?: string; poolSize?: number; connectTimeoutMs?: number; logger?: Logger };

export interface QueueDatabase {
  db: Kysely<DB>;
  dialect: Dialect;
  close(): Promise<void>;
}

/** The default embedded database file under DATA_DIR. */
export function defaultSqlitePath(dataDir: string): string {
  return resolve(dataDir, 'navigator.sqlite');
}

export async function openDatabase(options: DatabaseOptions): Promise<QueueDatabase> {
  return 'sqlitePath' in options ? openSqlite(options.sqlitePath) : openPostgres(options);
}

async function openSqlite(path: string): Promise<QueueDatabase> {
  const file = path === ':memory:' ? path : resolve(path);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  let raw: Database.Database;
  try {
    raw = new Database(file);
    raw.pragma('journal_mode = WAL');
    raw.pragma('busy_timeout = 5000');
    raw.pragma('foreign_keys = ON');
    raw.pragma('synchronous = NORMAL');
  } catch (err) {
    throw new StoreError(`Cannot open SQLite database at ${file}: ${(err as Error).message}`, { cause: err });
  }
  const db = new Kysely<DB>({ dialect: new FileLockedSqliteDialect(raw, file) });
  try {
    await migrateToLatest(db, 'sqlite');
  } catch (err) {
    await db.destroy();
    throw new StoreError(`Cannot migrate SQLite database at ${file}: ${(err as Error).message}`, { cause: err });
  }
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

async function openPostgres(options: {
  postgresUrl: string;
  schema?: string;
  poolSize?: number;
  connectTimeoutMs?: number;
  logger?: Logger;
}): Promise<QueueDatabase> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new StoreError(`Invalid PostgreSQL schema name "${schema}": use letters, digits and underscores`);
  }
  const where = describeUrl(options.postgresUrl);
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  const base: pg.PoolConfig = {
    connectionString: options.postgresUrl,
    connectionTimeoutMillis: connectTimeoutMs,
    max: options.poolSize ?? 10,
  };

  // One short-lived client checks reachability (failing fast, naming the host) and creates the schema,
  // because a search_path naming a missing schema makes every unqualified CREATE TABLE fail.
  const probe = new pg.Client(base);
  probe.on('error', () => undefined);
  try {
    try {
      await probe.connect();
    } catch (err) {
      throw new StoreError(`Cannot reach PostgreSQL at ${where}: ${describeError(err)}`, { cause: err });
    }
    // IF NOT EXISTS is not race-free: replicas starting together would collide on the catalogue.
    if (schema) {
      await probe.query('BEGIN');
      await probe.query(`SELECT pg_advisory_xact_lock(hashtext('navigator-create-schema'))`);
      await probe.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await probe.query('COMMIT');
    }
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw new StoreError(`Cannot create schema "${schema}" in PostgreSQL at ${where}: ${describeError(err)}`, { cause: err });
  } finally {
    await probe.end().catch(() => undefined);
  }

  // search_path is a startup option of every pooled connection, so it holds for each one from its first query.
  const pool = new pg.Pool({ ...base, ...(schema ? { options: `-c search_path="${schema}"` } : {}) });
  pool.on('error', (err) => options.logger?.warn('postgres idle client error', { error: err }));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrateToLatest(db, 'postgres', schema);
  } catch (err) {
    await db.destroy();
    throw new StoreError(`Cannot migrate PostgreSQL database at ${where}: ${describeError(err)}`, { cause: err });
  }
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/** host:port/database, never the password. */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

function describeError(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return describeError(err.errors[0]);
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return err.message ? err.message : typeof code === 'string' ? code : err.name;
  }
  return String(err);
}

// ---------------------------------------------------------------------------------------------
// SQLite: better-sqlite3 blocks the thread while it waits for a lock. Two connections to one file
// in the same process (two replicas in a test, a worker beside the web server) would therefore
// deadlock until busy_timeout: the waiter blocks the event loop the holder needs to finish. A
// process-wide mutex per file serialises them; across processes SQLite's own locking (BEGIN
// IMMEDIATE plus busy_timeout) does the same job.

class Mutex {
  #tail: Promise<void> = Promise.resolve();
  async lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const prev = this.#tail;
    this.#tail = prev.then(() => next);
    await prev;
    return release;
  }
}

const fileMutexes = new Map<string, Mutex>();
function mutexFor(file: string): Mutex {
  if (file === ':memory:') return new Mutex();
  let m = fileMutexes.get(file);
  if (!m) fileMutexes.set(file, (m = new Mutex()));
  return m;
}

class FileLockedSqliteDialect extends SqliteDialect {
  readonly #file: string;
  constructor(raw: Database.Database, file: string) {
    super({ database: raw });
    this.#file = file;
  }
  override createDriver(): Driver {
    return new FileLockedSqliteDriver(super.createDriver(), mutexFor(this.#file));
  }
}

class FileLockedSqliteDriver implements Driver {
  #releases: Array<() => void> = [];
  constructor(
    private readonly inner: Driver,
    private readonly mutex: Mutex,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.mutex.lock();
    try {
      const conn = await this.inner.acquireConnection();
      this.#releases.push(release);
      return conn;
    } catch (err) {
      release();
      throw err;
    }
  }
  // IMMEDIATE takes the write lock up front: a deferred transaction that reads and then writes
  // can fail with SQLITE_BUSY without waiting when another process wrote in between.
  async beginTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('begin immediate'));
  }
  commitTransaction(conn: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(conn);
  }
  rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(conn);
  }
  async releaseConnection(conn: DatabaseConnection): Promise<void> {
    await this.inner.releaseConnection(conn);
    this.#releases.shift()?.();
  }
  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
