/**
 * Removes events from the star (schema.ts): their rows, then every shape no row refers to any more, so that
 * no string of a deleted event (an error message, a session id) stays behind in event_shapes.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

/** Deletes the events matching `condition` (over the `events` view's columns); returns how many. */
export async function removeEvents(connection: DuckDBConnection, condition: string): Promise<number> {
  const removed = await connection.runAndReadAll(
    `DELETE FROM event_rows USING event_shapes WHERE event_shapes.shape = event_rows.shape AND (${condition})`,
  );
  if (removed.rowsChanged > 0) {
    await connection.run('DELETE FROM event_shapes WHERE NOT EXISTS (SELECT 1 FROM event_rows WHERE event_rows.shape = event_shapes.shape)');
  }
  return Number(removed.rowsChanged);
}

/** The fingerprints of the error events matching `condition` (to reconcile their groups after a delete). */
export async function errorFingerprintsWhere(connection: DuckDBConnection, condition: string): Promise<string[]> {
  const rows = (
    await connection.runAndReadAll(`SELECT DISTINCT fingerprint FROM events WHERE type = 'error' AND fingerprint IS NOT NULL AND (${condition})`)
  ).getRowsJS();
  return rows.map((row) => String(row[0]));
}
