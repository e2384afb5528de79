/**
 * One scratch PostgreSQL per vitest run (test/support/postgres-cluster.ts), started before any test file and
 * stopped after the last. Its superuser URL reaches the test files through vitest's provide/inject, which
 * serialises provided values into every worker, 'forks' pool included; test files use it through
 * test/support/postgres.ts, each in a database of its own.
 *
 * Without a usable PostgreSQL the run goes on and the PostgreSQL tests skip with the reason, unless
 * KEYSCOPE_REQUIRE_POSTGRES is set (CI), where the whole run fails instead of passing without them.
 */
import type { TestProject } from 'vitest/node';

import { postgresAvailable, startScratchCluster } from './postgres-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The scratch cluster's superuser URL; absent when there is no cluster. */
    keyscopePostgresUrl?: string;
    /** Why there is no cluster (for the skip message); absent when there is one. */
    keyscopePostgresUnavailable?: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const required = Boolean(process.env.KEYSCOPE_REQUIRE_POSTGRES);
  const availability = postgresAvailable();
  if (!availability.ok) {
    if (required) throw new Error(`KEYSCOPE_REQUIRE_POSTGRES is set, but ${availability.reason}`);
    project.provide('keyscopePostgresUnavailable', availability.reason);
    return undefined;
  }
  const started = performance.now();
  try {
    const cluster = await startScratchCluster();
    console.log(`postgres-global-setup: scratch PostgreSQL from ${availability.binDir} on 127.0.0.1:${cluster.port}, up in ${Math.round(performance.now() - started)} ms`);
    project.provide('keyscopePostgresUrl', cluster.url);
    return () => cluster.stop();
  } catch (error) {
    if (required) throw error;
    // The binaries are there but the server would not start: say so loudly, but a developer's run of
    // unrelated tests should not fail for it.
    const reason = `the scratch PostgreSQL failed to start: ${(error as Error).message}`;
    console.warn(`postgres-global-setup: ${reason}`);
    project.provide('keyscopePostgresUnavailable', reason);
    return undefined;
  }
}
