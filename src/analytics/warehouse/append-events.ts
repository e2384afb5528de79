/**
 * Appends events inside the caller's transaction, fast enough for ingest's millions of native records. Each
 * distinct combination of an event's strings (its "shape": schema.ts) is appended to `event_shapes` once per
 * append; every event becomes a row of four numbers, written through typed vectors (one native call per column
 * per 2048 rows) into a staging table of doubles, which one INSERT ... SELECT moves into `event_rows`, converting
 * inside DuckDB. Doubles because a TIMESTAMP or BIGINT vector takes an object or a BigInt per value from JS,
 * and allocating three of those per event cost more than everything else.
 */
import { type DuckDBAppender, type DuckDBConnection, DuckDBDataChunk, DOUBLE, INTEGER } from '@duckdb/node-api';

import type { RecordedEvent } from '../events/index.js';
import { type EventRow, emptyEventRow, eventRow } from './event-rows.js';
import { shapeColumns } from './schema.js';

/** DuckDB's STANDARD_VECTOR_SIZE: the most rows one data chunk holds. */
const chunkRows = 2048;

type Shape = readonly (string | null)[];

/** Fills `shape` (a scratch array, reused for every row) with the row's strings, in shapeColumns order. */
function shapeOf(row: EventRow, shape: (string | null)[]): Shape {
  shape[0] = row.scope;
  shape[1] = row.type;
  shape[2] = row.installId;
  shape[3] = row.sessionId;
  shape[4] = row.keyscopeVersion;
  shape[5] = row.operation;
  shape[6] = row.algorithm;
  shape[7] = row.outcome;
  shape[8] = row.errorCode;
  shape[9] = row.fingerprint;
  shape[10] = row.properties;
  return shape;
}

/**
 * Shape ids by the shape's strings, one map level per column. The native records' strings are the same
 * string objects row after row (the segment header's ids, the reader's cached algorithm names, event-rows'
 * cached properties), whose hashes V8 keeps: eleven lookups cost far less than building and hashing a joined
 * key per row.
 */
class ShapeIds {
  readonly #root = new Map<string | null, unknown>();
  #next: number;

  constructor(first: number) {
    this.#next = first;
  }

  /** The shape's id; negative when the shape is new (to be appended to event_shapes). */
  idOf(shape: Shape): number {
    let level = this.#root;
    for (let i = 0; i < shape.length - 1; i++) {
      let next = level.get(shape[i]!) as Map<string | null, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(shape[i]!, next);
      }
      level = next;
    }
    const last = shape[shape.length - 1]!;
    const known = level.get(last) as number | undefined;
    if (known !== undefined) return known;
    const id = this.#next++;
    level.set(last, id);
    return -id;
  }
}

const rowTypes = [DOUBLE, INTEGER, DOUBLE, DOUBLE];

const createStaging = `CREATE TEMP TABLE IF NOT EXISTS ingest_staging (time_ms DOUBLE, shape INTEGER, duration_ns DOUBLE, cycles DOUBLE)`;

const moveStagedRows = `
INSERT INTO event_rows (time, shape, duration_ns, cycles)
SELECT make_timestamp(CAST(round(time_ms * 1000) AS BIGINT)), shape, CAST(duration_ns AS BIGINT), CAST(cycles AS BIGINT)
  FROM temp.ingest_staging;
DELETE FROM temp.ingest_staging;
`;

function appendShape(appender: DuckDBAppender, id: number, shape: Shape): void {
  appender.appendInteger(id);
  for (const value of shape) {
    if (value === null) appender.appendNull();
    else appender.appendVarchar(value);
  }
  appender.endRow();
}

/**
 * Streams rows into event_rows and their new shapes into event_shapes as they come (so ingest never holds more
 * than one spool batch in memory). Use inside the caller's transaction; finish() flushes.
 */
export class EventRowAppender {
  readonly #connection: DuckDBConnection;
  readonly #shapes: DuckDBAppender;
  readonly #rowsAppender: DuckDBAppender;
  readonly #ids: ShapeIds;
  #chunk: DuckDBDataChunk | undefined;
  #rows = 0;
  #open = true;

  private constructor(connection: DuckDBConnection, shapes: DuckDBAppender, rows: DuckDBAppender, firstShape: number) {
    this.#connection = connection;
    this.#shapes = shapes;
    this.#rowsAppender = rows;
    this.#ids = new ShapeIds(firstShape);
  }

  static async open(connection: DuckDBConnection): Promise<EventRowAppender> {
    const next = (await connection.runAndReadAll('SELECT coalesce(max(shape), 0) + 1 FROM event_shapes')).getRowsJS()[0]![0];
    await connection.run(createStaging);
    const shapes = await connection.createAppender('event_shapes');
    const rows = await connection.createAppender('ingest_staging', 'main', 'temp');
    return new EventRowAppender(connection, shapes, rows, Number(next));
  }

  /** Rows added so far. */
  get rows(): number {
    return this.#rows;
  }

  /** Adds recorded events, mapped to rows through one scratch row and shape. */
  addEvents(events: readonly RecordedEvent[]): void {
    const row = emptyEventRow();
    this.#addEach(events.length, (i) => eventRow(events[i]!, row));
  }

  add(rows: readonly EventRow[]): void {
    this.#addEach(rows.length, (i) => rows[i]!);
  }

  #addEach(total: number, rowAt: (index: number) => EventRow): void {
    const shape: (string | null)[] = new Array<string | null>(shapeColumns.length).fill(null);
    for (let from = 0; from < total; from += chunkRows) {
      const count = Math.min(chunkRows, total - from);
      if (!this.#chunk || this.#chunk.rowCount !== count) this.#chunk = DuckDBDataChunk.create(rowTypes, count);
      const chunk = this.#chunk;
      const [time, shapeColumn, duration, cycles] = rowTypes.map((_, i) => chunk.getColumnVector(i));
      for (let i = 0; i < count; i++) {
        const row = rowAt(from + i);
        let id = this.#ids.idOf(shapeOf(row, shape));
        if (id < 0) {
          id = -id;
          appendShape(this.#shapes, id, shape);
        }
        time!.setItem(i, row.timeMs);
        shapeColumn!.setItem(i, id);
        duration!.setItem(i, row.durationNs);
        cycles!.setItem(i, row.cycles);
      }
      for (const vector of [time, shapeColumn, duration, cycles]) vector!.flush();
      this.#rowsAppender.appendDataChunk(chunk);
    }
    this.#rows += total;
  }

  /** Moves every added row into the tables; returns how many. */
  async finish(): Promise<number> {
    this.#close(true);
    try {
      if (this.#rows > 0) await this.#connection.run(moveStagedRows);
    } catch (error) {
      // After a failed insert the transaction is aborted and rolls the staging rows back anyway.
      await this.#connection.run('DELETE FROM temp.ingest_staging').catch(() => {});
      throw error;
    }
    return this.#rows;
  }

  /** Gives up (the caller rolls the transaction back). */
  abort(): void {
    try {
      this.#close(false);
    } catch {
      // Closing may flush and fail the same way the work did; the rollback undoes it all.
    }
  }

  #close(flush: boolean): void {
    if (!this.#open) return;
    this.#open = false;
    try {
      if (flush) {
        // Shapes first: a row never refers to a shape that is not there.
        this.#shapes.flushSync();
        this.#rowsAppender.flushSync();
      }
    } finally {
      this.#shapes.closeSync();
      this.#rowsAppender.closeSync();
    }
  }
}

/** Appends `rows` to `events` (inside the caller's transaction). */
export async function appendEventRows(connection: DuckDBConnection, rows: readonly EventRow[]): Promise<void> {
  if (rows.length === 0) return;
  const appender = await EventRowAppender.open(connection);
  try {
    appender.add(rows);
  } catch (error) {
    appender.abort();
    throw error;
  }
  await appender.finish();
}
