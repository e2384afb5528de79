/**
 * `analytics delete`: removes all events, the events of some scopes, or those of a time range, and reports
 * what went per scope. Pending spools are ingested first (otherwise events recorded before the delete would
 * reappear at the next ingest). The database file is then rewritten (compact-database.ts), because DuckDB
 * keeps deleted rows' bytes in the file until the space is reused, and "deleted" must mean gone.
 *
 * Deleting everything, or anything of the errors scope, also removes the error groups left without events.
 */
import { ErrorCodes, KeyscopeError } from '../../core/index.js';
import { inTransaction } from '../../duckdb/index.js';
import { reconcileErrorGroups } from './error-groups.js';
import type { AnalyticsDatabase } from './analytics-database.js';
import type { Scope } from '../events/index.js';
import { compactDatabase } from './compact-database.js';
import { type EventSelection, selectionCondition, selectsEverything } from './event-selection.js';
import { ingestPendingSpools } from './ingest.js';
import { errorFingerprintsWhere, removeEvents } from './remove-events.js';
import { clearRollups, refreshRollups } from './rollups.js';

export interface DeleteSelection extends EventSelection {
  /** Everything: required (instead of scopes or a range) so that nothing is deleted by an empty selector. */
  all?: boolean;
}

export interface DeleteResult {
  removed: Partial<Record<Scope, number>>;
  total: number;
  errorGroupsRemoved: number;
}

/**
 * Deletes the selected events and rewrites the file. `db` is CLOSED when this returns (its handle points at
 * the replaced file); open the database again to go on.
 */
export async function deleteEvents(db: AnalyticsDatabase, selection: DeleteSelection): Promise<DeleteResult> {
  const all = selection.all === true;
  const { connection } = db;
  try {
    if (all && !selectsEverything(selection)) {
      throw new KeyscopeError(ErrorCodes.usage, 'analytics delete: --all cannot be combined with --scope, --since or --until');
    }
    if (!all && selectsEverything(selection)) {
      throw new KeyscopeError(ErrorCodes.usage, 'analytics delete: say what to delete: --all, --scope SCOPE..., or --since/--until');
    }
    await ingestPendingSpools(db);
    const condition = selectionCondition(selection);
    const result = await inTransaction(connection, async () => {
      const counts = (await connection.runAndReadAll(`SELECT scope, count(*) FROM events WHERE ${condition} GROUP BY scope ORDER BY scope`)).getRowsJS();
      const removed: Partial<Record<Scope, number>> = {};
      let total = 0;
      for (const [scope, count] of counts) {
        removed[scope as Scope] = Number(count);
        total += Number(count);
      }
      const span = (await connection.runAndReadAll(`SELECT epoch_ms(min(time))::DOUBLE, epoch_ms(max(time))::DOUBLE FROM events WHERE ${condition}`)).getRowsJS()[0]!;
      const fingerprints = await errorFingerprintsWhere(connection, condition);
      await removeEvents(connection, condition);
      if (all) await clearRollups(connection);
      else if (span[0] !== null && span[1] !== null) await refreshRollups(connection, { fromMs: Number(span[0]), toMs: Number(span[1]) });
      // The groups of the deleted errors are recomputed from the errors left (or removed with the last one).
      const errorGroupsRemoved = all
        ? Number((await connection.runAndReadAll('DELETE FROM error_groups')).rowsChanged)
        : await reconcileErrorGroups(connection, fingerprints);
      return { removed, total, errorGroupsRemoved };
    });
    await compactDatabase(connection, db.paths.database);
    return result;
  } finally {
    await db.close().catch(() => {});
  }
}
