// Which SQL dialect a Kysely instance (or transaction) speaks, for the few statements that differ:
// row locks with SKIP LOCKED and advisory locks exist only on PostgreSQL.
import { PostgresAdapter, type Kysely } from 'kysely';
import type { DB, Dialect } from './schema.js';

const cache = new WeakMap<object, Dialect>();

export function dialectOf(db: Kysely<DB>): Dialect {
  // The adapter is reachable through getExecutor(), which Kysely types publicly but marks internal;
  // it is the only handle on the dialect that transactions share with their parent.
  const adapter = db.getExecutor().adapter;
  let d = cache.get(adapter);
  if (!d) cache.set(adapter, (d = adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite'));
  return d;
}
