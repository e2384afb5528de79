/**
 * Inserts events given as a SQL query of wide rows (the `events` view's columns, in its order) into the star
 * of event_shapes and event_rows: for benchmarks and fixtures that generate millions of events in SQL. Ingest
 * does not use it (it appends through EventRowAppender).
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import { shapeColumns } from './schema.js';

/** `select` yields (time, scope, type, ..., properties) like the events view; inside the caller's transaction or not. */
export async function insertEventsFromQuery(connection: DuckDBConnection, select: string): Promise<void> {
  const columns = shapeColumns.join(', ');
  const matches = shapeColumns.map((name) => `s.${name} IS NOT DISTINCT FROM w.${name}`).join(' AND ');
  await connection.run(`CREATE OR REPLACE TEMP TABLE wide_events AS ${select}`);
  try {
    await connection.run(`
      CREATE OR REPLACE TEMP TABLE new_shapes AS
      SELECT (SELECT coalesce(max(shape), 0) FROM event_shapes) + row_number() OVER () AS shape, *
        FROM (SELECT DISTINCT ${columns} FROM temp.wide_events)`);
    await connection.run(`INSERT INTO event_shapes SELECT shape, ${columns} FROM temp.new_shapes`);
    await connection.run(`
      INSERT INTO event_rows (time, shape, duration_ns, cycles)
      SELECT w.time, s.shape, w.duration_ns, w.cycles
        FROM temp.wide_events w JOIN temp.new_shapes s ON ${matches}
       ORDER BY w.time`);
  } finally {
    await connection.run('DROP TABLE IF EXISTS temp.wide_events; DROP TABLE IF EXISTS temp.new_shapes;');
  }
}
