// The queue behaviour suite against PostgreSQL (TEST_DATABASE_URL or the local default), each
// test in its own fresh schema, dropped afterwards.
import { describe } from 'vitest';
import { postgresFactory } from './db-factories.js';
import { crashSuite } from './suite/crash.js';
import { outboxSuite } from './suite/outbox.js';
import { storesSuite } from './suite/stores.js';
import { workflowSuite } from './suite/workflow.js';

describe('[postgres] support queue', () => {
  describe('workflow', () => workflowSuite(() => postgresFactory()));
  describe('outbox', () => outboxSuite(() => postgresFactory()));
  describe('stores', () => storesSuite(() => postgresFactory()));
  describe('crash safety', () => crashSuite(() => postgresFactory()));
});
