/** The analytics database as its users see it: how it is opened, and the open handle. */
import type { DuckDBConnection } from '@duckdb/node-api';

import type { AnalyticsPaths } from '../events/index.js';

/** How the analytics database is opened (CLI analytics/errors commands, queries, the dashboard). */
export interface OpenAnalyticsOptions {
  paths?: AnalyticsPaths;
  /** Events older than this are removed on open. Default 180 (KEYSCOPE_ANALYTICS_RETENTION_DAYS overrides). */
  retentionDays?: number;
  /** Ingest pending spools on open (default true). */
  ingest?: boolean;
  /** How long to wait for another process that holds the database (default 5000 ms), then KS_ANALYTICS_BUSY. */
  busyWaitMs?: number;
  /** Told once, with who holds the database ("keyscope dashboard (pid 4242)"), when the open has to wait. */
  onWait?: (holder: string) => void;
  /** Clock for tests. */
  now?: () => number;
  /**
   * DuckDB settings for the writable instance, applied when it is created, so they already hold during the
   * open's own ingest and retention (a long-running server bounds its memory this way).
   */
  duckdbSettings?: Readonly<Record<string, string>>;
}

/** An open analytics database: one DuckDB connection, held by this process until close(). */
export interface AnalyticsDatabase {
  readonly connection: DuckDBConnection;
  readonly paths: AnalyticsPaths;
  /** Checkpoints and closes; the file is then free for another process. */
  close(): Promise<void>;
}
