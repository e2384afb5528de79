/**
 * The analytics warehouse: the database (schema, open, ingest of the spools, rollups, retention), and deleting
 * and exporting what it holds.
 */
export type { AnalyticsDatabase, OpenAnalyticsOptions } from './analytics-database.js';
export { deleteEvents, type DeleteResult, type DeleteSelection } from './delete-events.js';
export { failureCodeCondition, timestampFromMs } from './error-groups.js';
export { type EventSelection, parseScopes, parseTimeArgument } from './event-selection.js';
export { exportEvents, type ExportFormat, exportFormats, type ExportOptions, type ExportResult } from './export-events.js';
export { ingestPendingSpools } from './ingest.js';
export { inspectAnalytics, type InspectSummary } from './inspect.js';
export { openAnalyticsDatabase, type OpenedAnalyticsDatabase, reopenAnalyticsDatabase } from './open-analytics-database.js';
export { QueryParameters } from './query-parameters.js';
export { commandsRollup, eventCountsRollup, featureSessionsRollup, latencyDailyRollup, latencyHourlyRollup, type Rollup, sessionHoursRollup } from './rollups.js';
export { someoneWaits } from './waiting-marker.js';
