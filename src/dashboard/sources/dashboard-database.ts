/**
 * The analytics database as the dashboard uses it: held only while it is used. DuckDB lets one process open a
 * file for writing and then nobody else may even read it, so a dashboard holding it for its lifetime locked
 * every `analytics`, `errors`, `alerts` and `recommend` command out (KS_ANALYTICS_BUSY). Instead, work queues
 * here (one in-process queue, so that the ingest tick and the requests never use the connection at the same
 * time: a DuckDB connection runs one statement at a time, and ingest's transaction must not take in a
 * request's); the first queued work opens the file, and it is closed as soon as the queue is empty. Work queued
 * meanwhile (a page's requests arrive together) shares that open. Another process that opens the file waits
 * for the current work (their opens retry), and the dashboard waits for theirs the same way. Pages polled
 * without pause would hand the file from one open to the next with gaps too short for anyone else's retry to
 * land in, so while another process says it waits (waiting-marker.ts) a hold is capped: opens less than yieldMs
 * apart count as one hold, and once that has lasted maxHoldMs the file is released and left free for yieldMs,
 * longer than a waiting open's longest retry step. Nobody waiting, nothing is held back.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import { type AnalyticsDatabase, openAnalyticsDatabase, reopenAnalyticsDatabase, someoneWaits } from '../../analytics/warehouse/index.js';
import type { AnalyticsPaths } from '../../analytics/events/index.js';
import { ErrorCodes, KeyscopeError } from '../../core/index.js';

/**
 * A long-running server shares the machine: DuckDB's defaults (80% of RAM, one thread per core, and an
 * allocator that keeps what a query freed) suit a batch job, not a process that stays up for days.
 *   - memory_limit bounds DuckDB's buffer pool and the spillable operators (hash aggregates, sorts);
 *   - two threads are plenty for the rollup-sized queries of the pages;
 *   - the allocator hands memory back to the system after any query that used more than 16 MB, and its
 *     background thread purges freed pages, so one wide query does not leave the server's RSS high.
 * They are given when each instance is created, so the first open's own ingest and retention run under them too.
 * bench/dashboard.bench.ts measures the result against 300 MB with 10M events.
 */
const settings: Readonly<Record<string, string>> = {
  memory_limit: '128MB',
  threads: '2',
  allocator_flush_threshold: '16MB',
  allocator_bulk_deallocation_flush_threshold: '16MB',
  allocator_background_threads: 'true',
};

/** Queued work skipped because the client that asked for it has gone: nobody is left to answer. */
/** Longest the dashboard holds the file while work keeps arriving. */
const maxHoldMs = 500;
/** How long the file is then left free: longer than a waiting open's longest retry step (200 ms). */
const yieldMs = 250;

/** How long after an open that waited in vain the work queued behind it fails at once. */
const busyFailFastMs = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ClientGoneError extends Error {
  constructor() {
    super('the client went away before its request ran');
    this.name = 'ClientGoneError';
  }
}

export interface RunOptions {
  /** Checked when the work's turn comes: true = the client has gone, skip it (rejects with ClientGoneError). */
  gone?: () => boolean;
}

export class DashboardDatabase {
  readonly paths: AnalyticsPaths;
  #open: AnalyticsDatabase | null = null;
  /** Work queued and not yet finished: the file is released when this drops to 0. */
  #queued = 0;
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;
  /**
   * Another process held the file past an open's wait: work queued in the next second fails at once with the
   * same error rather than waiting 5 s each; after that, opens are tried again.
   */
  #busy: { error: KeyscopeError; at: number } | null = null;
  /** When the current hold began (opens less than yieldMs after a release continue it), and the last release. */
  #holdStartedAt = 0;
  #releasedAt = -Infinity;
  /** Opens so far (the tests check that a burst of work shares one). */
  opens = 0;

  private constructor(paths: AnalyticsPaths) {
    this.paths = paths;
  }

  /**
   * Opens the database the full way once (checks the file, creates the schema, ingests the spools, applies
   * retention: a bad file fails the start), then releases it until the first work.
   */
  static async open(paths: AnalyticsPaths): Promise<DashboardDatabase> {
    const database = await openAnalyticsDatabase({ paths, duckdbSettings: settings });
    await database.close();
    return new DashboardDatabase(paths);
  }

  /**
   * Runs `work` after everything queued before it; its failure is its caller's alone (KS_ANALYTICS_BUSY when
   * another process held the file for longer than an open waits). A page closed or reloaded while its request
   * waited in the queue is skipped (options.gone), so a burst of refetches does not compute answers nobody reads.
   */
  run<T>(work: (connection: DuckDBConnection) => Promise<T>, options: RunOptions = {}): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the dashboard database is closed'));
    this.#queued += 1;
    const next = this.#tail
      .then(async () => {
        if (options.gone?.() === true) throw new ClientGoneError();
        if (this.#busy !== null && Date.now() - this.#busy.at < busyFailFastMs) throw this.#busy.error;
        try {
          this.#open ??= await this.#reopen();
        } catch (error) {
          if (error instanceof KeyscopeError && error.code === ErrorCodes.analyticsBusy) this.#busy = { error, at: Date.now() };
          throw error;
        }
        return work(this.#open.connection);
      })
      .finally(async () => {
        this.#queued -= 1;
        if (this.#queued === 0) {
          this.#busy = null;
          await this.#release();
        } else if (this.#open !== null && Date.now() - this.#holdStartedAt >= maxHoldMs && someoneWaits(this.paths.database)) {
          await this.#release();
        }
      });
    this.#tail = next.catch(() => {});
    return next;
  }

  async #reopen(): Promise<AnalyticsDatabase> {
    const sinceRelease = Date.now() - this.#releasedAt;
    if (sinceRelease >= yieldMs) {
      this.#holdStartedAt = Date.now();
    } else if (Date.now() - this.#holdStartedAt >= maxHoldMs && someoneWaits(this.paths.database)) {
      // A long hold: leave the file free for its turn before taking it again.
      await sleep(yieldMs - sinceRelease);
      this.#holdStartedAt = Date.now();
    }
    this.opens += 1;
    return reopenAnalyticsDatabase(this.paths, { duckdbSettings: settings });
  }

  /** Checkpoints and closes the file (nothing queued uses it); a failure is reported, not given to the work's caller. */
  async #release(): Promise<void> {
    const open = this.#open;
    this.#open = null;
    try {
      await open?.close();
      if (open) this.#releasedAt = Date.now();
    } catch (error) {
      process.stderr.write(`keyscope dashboard: closing the analytics database failed: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}\n`);
    }
  }

  /** Waits for queued work (after which the file is released). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#tail;
  }
}
