// The queue behaviour suite against SQLite (a temp file per test).
import { describe } from 'vitest';
import { sqliteFactory } from './db-factories.js';
import { crashSuite } from './suite/crash.js';
import { outboxSuite } from './suite/outbox.js';
import { storesSuite } from './suite/stores.js';
import { workflowSuite } from './suite/workflow.js';

describe('[sqlite] support queue', () => {
  describe('workflow', () => workflowSuite(sqliteFactory));
  describe('outbox', () => outboxSuite(sqliteFactory));
  describe('stores', () => storesSuite(sqliteFactory));
  describe('crash safety', () => crashSuite(sqliteFactory));
});
