import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/isolate-analytics-home.ts'],
    // One scratch PostgreSQL per run for the server tests; its URL reaches the forks by provide/inject.
    globalSetup: ['test/support/postgres-global-setup.ts'],
    // Native measurements and RSA generation are CPU-bound: one file at a time per core keeps them honest.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
