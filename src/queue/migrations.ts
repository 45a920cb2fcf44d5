// Versioned schema migrations, kept in code so every replica and test run builds the same
// schema. Names sort in order of application; never edit a migration that has shipped, add one.
import { Migrator, sql, type CreateTableBuilder, type Kysely, type Migration } from 'kysely';
import type { Dialect } from './schema.js';

// Kysely's migration API is untyped by design: a migration runs against the schema as it was then.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see the line above
type AnyDb = Kysely<any>;

/** An auto-incrementing integer key; the two dialects spell it differently. */
function withId<T extends string>(table: CreateTableBuilder<T, never>, dialect: Dialect): CreateTableBuilder<T, 'id'> {
  return dialect === 'postgres'
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

function initialSchema(dialect: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      await withId(db.schema.createTable('tickets'), dialect)
        .addColumn('reference', 'text', (c) => c.notNull().unique())
        .addColumn('requester_platform', 'text', (c) => c.notNull())
        .addColumn('requester_user_id', 'text', (c) => c.notNull())
        .addColumn('requester_json', 'text', (c) => c.notNull())
        .addColumn('org_type', 'text', (c) => c.notNull())
        .addColumn('org_name', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('priority', 'text', (c) => c.notNull())
        .addColumn('deadline', 'text')
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('conversation_json', 'text', (c) => c.notNull())
        .addColumn('citations_json', 'text', (c) => c.notNull())
        .addColumn('consent_to_share', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('assignee_id', 'text')
        .addColumn('assignee_json', 'text')
        .addColumn('sla_due_at', 'text', (c) => c.notNull())
        .addColumn('first_response_at', 'text')
        .addColumn('sla_warned_at', 'text')
        .addColumn('linked_to', 'integer')
        .addColumn('anonymised_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('tickets_requester_idx').on('tickets').columns(['requester_platform', 'requester_user_id', 'created_at']).execute();
      await db.schema.createIndex('tickets_status_idx').on('tickets').columns(['status', 'sla_due_at']).execute();
      await db.schema.createIndex('tickets_assignee_idx').on('tickets').column('assignee_id').execute();

      await withId(db.schema.createTable('ticket_comments'), dialect)
        .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
        .addColumn('visibility', 'text', (c) => c.notNull())
        .addColumn('author_id', 'text', (c) => c.notNull())
        .addColumn('author_json', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ticket_comments_ticket_idx').on('ticket_comments').columns(['ticket_id', 'id']).execute();

      await withId(db.schema.createTable('ticket_audit'), dialect)
        .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('actor_json', 'text', (c) => c.notNull())
        .addColumn('via', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('changes_json', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ticket_audit_ticket_idx').on('ticket_audit').columns(['ticket_id', 'id']).execute();

      await withId(db.schema.createTable('outbox'), dialect)
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
        .addColumn('payload_json', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('lease_until', 'text')
        .addColumn('locked_by', 'text')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('delivered_at', 'text')
        .execute();
      await db.schema.createIndex('outbox_due_idx').on('outbox').columns(['status', 'next_attempt_at']).execute();
      await db.schema.createIndex('outbox_ticket_idx').on('outbox').columns(['ticket_id', 'platform', 'status']).execute();

      await db.schema
        .createTable('processed_events')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('processed_events_created_idx').on('processed_events').column('created_at').execute();

      await db.schema
        .createTable('channel_refs')
        .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('ref_json', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('channel_refs_pk', ['ticket_id', 'platform'])
        .execute();

      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value_json', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await withId(db.schema.createTable('feedback'), dialect)
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('route', 'text', (c) => c.notNull())
        .addColumn('rating', 'text', (c) => c.notNull().check(sql`rating in ('helpful', 'not_helpful')`))
        .addColumn('reason', 'text')
        .addColumn('answer_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await withId(db.schema.createTable('ask_events'), dialect)
        .addColumn('platform', 'text')
        .addColumn('route', 'text', (c) => c.notNull())
        .addColumn('category', 'text')
        .addColumn('latency_ms', 'integer', (c) => c.notNull())
        .addColumn('redactions', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ask_events_created_idx').on('ask_events').column('created_at').execute();

      await db.schema
        .createTable('rate_limits')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('tokens', 'double precision', (c) => c.notNull())
        .addColumn('updated_ms', 'double precision', (c) => c.notNull())
        .execute();
    },
  };
}

export function queueMigrations(dialect: Dialect): Record<string, Migration> {
  return { '0001_initial': initialSchema(dialect) };
}

/** Brings the schema up to date; Kysely's migrator takes a lock so replicas starting together are safe. */
export async function migrateToLatest(db: AnyDb, dialect: Dialect, schema?: string): Promise<string[]> {
  const migrations = queueMigrations(dialect);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
