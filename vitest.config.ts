import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Native modules (hnswlib, better-sqlite3) and child-process servers are safer in forks.
    pool: 'forks',
    reporters: ['default'],
  },
});
