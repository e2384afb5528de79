/**
 * Ingest: moves every pending spool file into the database, exactly once. Each transaction (which gathers the
 * new batches of several files, up to eventsPerTransaction) appends the events that are new since each file's
 * spool_progress row (JSONL: from the consumed byte offset to the last complete line; binary: from the consumed
 * record count to the first uncommitted record, or past torn records for a dead writer), updates the error
 * groups with the new error events, and moves spool_progress forward; a crash anywhere before COMMIT leaves
 * both as they were, so the same events are read again next time, never twice.
 *
 * After the commit, a file that is fully consumed and whose writer is gone (sealed, or its process no longer
 * exists) is deleted: the file first, then its progress row, so a crash between the two leaves a harmless
 * row rather than a file that would be read again from the start.
 */
import { unlinkSync } from 'node:fs';

import { type DuckDBConnection } from '@duckdb/node-api';

import { KeyscopeError } from '../../core/index.js';
import { inTransaction } from '../../duckdb/index.js';
import { updateErrorGroups } from './error-groups.js';
import { type AnalyticsPaths, type ErrorEvent, type EventEnvelope, type RecordedEvent, validateRecordedEvent } from '../events/index.js';
import { listPendingSpools, type PendingSpool, readAt, readSpoolSegment, sealedMarker } from '../spool/index.js';
import { keepDatabasePrivate } from '../../files/index.js';
import { EventRowAppender } from './append-events.js';
import { refreshRollups } from './rollups.js';

export interface IngestResult {
  /** Spool files that had something new. */
  files: number;
  /** Events added to the database. */
  events: number;
  /** Spool files deleted (fully consumed, writer gone). */
  deletedFiles: number;
  /** Lines that were not a valid event (a torn last line of a dead writer, or a foreign line). */
  discardedLines: number;
  /** Spool files that could not be read (a damaged performance segment); they stay where they are. */
  unreadableFiles: number;
}

/** JSONL is read in slices of this many bytes, each in its own transaction, so memory stays bounded. */
const jsonlSliceBytes = 1024 * 1024;

interface Batch {
  events: RecordedEvent[];
  /** The new spool_progress.consumed once this batch commits. */
  consumed: number;
  discardedLines: number;
  /** Whether the file holds nothing more to read after this batch (for deletion). */
  exhausted: boolean;
  /** Whether reading on now could find more (the batch stopped at its size limit). */
  more: boolean;
}

/**
 * Performance records are read this many at a time: holding a whole 4 MiB segment as event objects (65,536 of
 * them, times the segments of a backlog) made the garbage collector copy them again and again, and cost more
 * than the rest of ingest together.
 */
const perfBatchRecords = 8192;

async function consumedSoFar(connection: DuckDBConnection, name: string): Promise<number> {
  const reader = await connection.runAndReadAll('SELECT consumed FROM spool_progress WHERE spool = $1', [name]);
  const value = reader.getRowsJS()[0]?.[0];
  return value === undefined || value === null ? 0 : Number(value);
}

const newline = 0x0a;

/**
 * The complete lines after `from`./index A live writer's unfinished last line waits for its newline; a dead
 * writer's never gets one (it was killed mid-write), so it is consumed and discarded.
 */
function readJsonlBatch(spool: PendingSpool, from: number): Batch {
  const available = spool.bytes - from;
  const length = Math.min(available, jsonlSliceBytes);
  const bytes = length > 0 ? readAt(spool.path, from, length) : Buffer.alloc(0);
  const lastNewline = bytes.lastIndexOf(newline);
  const complete = lastNewline + 1;
  const events: RecordedEvent[] = [];
  let discardedLines = 0;
  for (const line of bytes.toString('utf8', 0, complete).split('\n')) {
    if (line === '' || line === sealedMarker) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      discardedLines++;
      continue;
    }
    // The recorder validated it when it wrote it; checked again because the spool is a file anyone with
    // access to the directory could have changed, and nothing unvalidated may reach the database.
    const event = validateRecordedEvent(parsed);
    if (event === null) discardedLines++;
    else events.push(event);
  }
  let consumed = from + complete;
  const rest = bytes.length - complete;
  const lastSlice = length === available;
  if (lastSlice && rest > 0 && spool.writerGone) {
    consumed += rest;
    discardedLines++;
  }
  return { events, consumed, discardedLines, exhausted: lastSlice && consumed === spool.bytes, more: !lastSlice };
}

/** The next batch, or null for a file that is not a readable spool (left in place, for inspect to show). */
function readBatch(spool: PendingSpool, from: number): Batch | null {
  try {
    return spool.kind === 'events' ? readJsonlBatch(spool, from) : readPerfBatch(spool, from);
  } catch (error) {
    if (error instanceof KeyscopeError || (error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function readPerfBatch(spool: PendingSpool, from: number): Batch {
  // A live writer's first uncommitted slot is its next record: stop there and come back. A dead writer will
  // commit nothing more, but with several threads it may have died with a slot torn before committed ones,
  // so its whole segment is read, past the torn slots.
  const dead = spool.writerGone;
  const { header, nextRecord, events } = readSpoolSegment(spool.path, from, perfBatchRecords, { skipUncommitted: dead });
  const more = nextRecord - from === perfBatchRecords && nextRecord < header.capacity;
  return { events, consumed: nextRecord, discardedLines: 0, exhausted: dead && !more, more };
}

/**
 * One ingest transaction: the batches of one or more spool files, their error groups and their progress rows,
 * committed together. DuckDB writes a transaction of at least a row group (122,880 rows) straight into the
 * database file, compressed; smaller ones go through the write-ahead log and are written again at the next
 * checkpoint, about twice the work. So small batches are gathered until the transaction is large enough.
 */
class IngestTransaction {
  readonly #connection: DuckDBConnection;
  readonly #appender: EventRowAppender;
  readonly #progress = new Map<string, number>();
  readonly #errors: (EventEnvelope & ErrorEvent)[] = [];
  /** The time range of the events added: the rollups' stale range grows by it. */
  #fromMs = Infinity;
  #toMs = -Infinity;

  private constructor(connection: DuckDBConnection, appender: EventRowAppender) {
    this.#connection = connection;
    this.#appender = appender;
  }

  static async begin(connection: DuckDBConnection): Promise<IngestTransaction> {
    await connection.run('BEGIN TRANSACTION');
    try {
      return new IngestTransaction(connection, await EventRowAppender.open(connection));
    } catch (error) {
      await connection.run('ROLLBACK').catch(() => {});
      throw error;
    }
  }

  get events(): number {
    return this.#appender.rows;
  }

  add(spool: PendingSpool, batch: Batch): void {
    this.#appender.addEvents(batch.events);
    for (const event of batch.events) {
      if (event.type === 'error') this.#errors.push(event);
      if (event.time < this.#fromMs) this.#fromMs = event.time;
      if (event.time > this.#toMs) this.#toMs = event.time;
    }
    this.#progress.set(spool.name, batch.consumed);
  }

  async commit(nowMs: number): Promise<void> {
    try {
      await this.#appender.finish();
      if (this.#errors.length > 0) await updateErrorGroups(this.#connection, this.#errors);
      if (this.#fromMs <= this.#toMs) await markRollupsStale(this.#connection, { fromMs: this.#fromMs, toMs: this.#toMs });
      for (const [name, consumed] of this.#progress) {
        await this.#connection.run(
          `INSERT INTO spool_progress (spool, consumed, updated_at) VALUES ($1, CAST($2 AS BIGINT), make_timestamp(CAST($3 AS BIGINT)))
           ON CONFLICT (spool) DO UPDATE SET consumed = excluded.consumed, updated_at = excluded.updated_at`,
          [name, consumed, Math.round(nowMs * 1000)],
        );
      }
    } catch (error) {
      await this.rollback();
      throw error;
    }
    await this.#connection.run('COMMIT');
  }

  async rollback(): Promise<void> {
    this.#appender.abort();
    // A failed statement may already have aborted the transaction: the original error is the one to report.
    await this.#connection.run('ROLLBACK').catch(() => {});
  }
}

/**
 * Rollups are refreshed once per ingest, not once per transaction (a refresh costs about 0.1 s, and a backlog
 * is many transactions). Each transaction widens a "stale range" kept in analytics_meta, in the same commit as
 * its events; the last step refreshes that range and clears it, together. A crash in between leaves the range
 * recorded, and the next ingest (every open runs one) refreshes it: the rollups can lag a crash, never drift.
 */
const staleRangeKey = 'rollups_stale_range';

async function staleRange(connection: DuckDBConnection): Promise<{ fromMs: number; toMs: number } | null> {
  const value = (await connection.runAndReadAll('SELECT value FROM analytics_meta WHERE key = $1', [staleRangeKey])).getRowsJS()[0]?.[0];
  if (typeof value !== 'string') return null;
  const [fromMs, toMs] = value.split(',').map(Number) as [number, number];
  return Number.isFinite(fromMs) && Number.isFinite(toMs) ? { fromMs, toMs } : null;
}

async function markRollupsStale(connection: DuckDBConnection, range: { fromMs: number; toMs: number }): Promise<void> {
  const known = await staleRange(connection);
  const fromMs = Math.min(range.fromMs, known?.fromMs ?? Infinity);
  const toMs = Math.max(range.toMs, known?.toMs ?? -Infinity);
  await connection.run(
    `INSERT INTO analytics_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [staleRangeKey, `${fromMs},${toMs}`],
  );
}

/** Brings the rollups up to date with everything ingested so far (including before a crash). */
async function refreshStaleRollups(connection: DuckDBConnection): Promise<void> {
  if ((await staleRange(connection)) === null) return;
  await inTransaction(connection, async () => {
    const range = await staleRange(connection);
    if (range === null) return;
    await refreshRollups(connection, range);
    await connection.run('DELETE FROM analytics_meta WHERE key = $1', [staleRangeKey]);
  });
}

/** Events gathered into one transaction before it commits (see IngestTransaction). */
export const eventsPerTransaction = 250_000;

async function forget(connection: DuckDBConnection, spool: PendingSpool): Promise<boolean> {
  try {
    unlinkSync(spool.path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return false;
  }
  await connection.run('DELETE FROM spool_progress WHERE spool = $1', [spool.name]);
  return true;
}

/** Ingests every pending spool file of `db.paths.spoolDir` into `db.connection`. */
export async function ingestPendingSpools(
  db: { connection: DuckDBConnection; paths: AnalyticsPaths },
  options: { now?: () => number } = {},
): Promise<IngestResult> {
  const now = options.now ?? Date.now;
  const { connection } = db;
  const result: IngestResult = { files: 0, events: 0, deletedFiles: 0, discardedLines: 0, unreadableFiles: 0 };
  /** Files to delete once the transaction holding their last batch has committed. */
  const finished: PendingSpool[] = [];
  let transaction: IngestTransaction | null = null;
  try {
    // The writer's state is taken before its bytes are read: a writer found gone cannot add to the file
    // later, so a partial last line seen afterwards really is torn.
    for (const spool of listPendingSpools(db.paths.spoolDir)) {
      let from = await consumedSoFar(connection, spool.name);
      let exhausted = false;
      let changed = false;
      for (;;) {
        const batch = readBatch(spool, from);
        if (batch === null) {
          result.unreadableFiles++;
          break;
        }
        const progressed = batch.consumed !== from;
        if (progressed) {
          transaction ??= await IngestTransaction.begin(connection);
          transaction.add(spool, batch);
          changed = true;
          result.events += batch.events.length;
          result.discardedLines += batch.discardedLines;
          if (transaction.events >= eventsPerTransaction) {
            await transaction.commit(now());
            transaction = null;
          }
        }
        exhausted = batch.exhausted;
        from = batch.consumed;
        if (!batch.more || exhausted || !progressed) break;
      }
      if (changed) result.files++;
      if (exhausted && spool.writerGone) finished.push(spool);
    }
    if (transaction !== null) {
      const last = transaction;
      transaction = null;
      await last.commit(now());
    }
  } catch (error) {
    await transaction?.rollback();
    throw error;
  }
  await refreshStaleRollups(connection);
  for (const spool of finished) if (await forget(connection, spool)) result.deletedFiles++;
  // A long-lived process (the dashboard) ingests between checkpoints: the log DuckDB started is narrowed here.
  if (result.events > 0) keepDatabasePrivate(db.paths.database);
  return result;
}
