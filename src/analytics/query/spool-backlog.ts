/** How many spool files wait for ingest: the backlog a monitor shows next to the database's own numbers. */
import type { AnalyticsPaths } from '../events/index.js';
import { listPendingSpools } from '../spool/index.js';

export function spoolBacklogFiles(paths: AnalyticsPaths): number {
  return listPendingSpools(paths.spoolDir).length;
}
