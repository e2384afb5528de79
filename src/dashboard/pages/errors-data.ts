/**
 * GET /api/errors: the error groups (every group, most recently seen first, with its occurrences inside the
 * range), errors over time, and how well they get resolved. GET /api/errors/:fingerprint: one group with its
 * latest stack and newest occurrences; POST .../resolve marks it resolved (one of the dashboard's two writes).
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import { errorFrequency, getErrorGroup, listErrorGroups, resolutionRate, resolveErrorGroup } from '../../analytics/query/index.js';
import { keyscopeVersion } from '../../core/index.js';
import type { AppliedFilters, ErrorDetailData, ErrorsData } from '../http/api-types.js';
import type { ResolvedQuery } from '../http/page-query.js';

/** Groups listed: the page shows the most recent; the rest are behind `keyscope errors list`. */
const maxGroups = 500;

/**
 * Errors have an algorithm and an operation, no implementation, and are all outcome=error; the resolution
 * rate is over every group ever seen (a group's status is not per range).
 */
export const errorsAppliedFilters: AppliedFilters = {
  resolution: [],
  'over-time': ['algorithm', 'operation'],
  groups: ['algorithm', 'operation'],
};

export async function errorsData(connection: DuckDBConnection, query: ResolvedQuery): Promise<ErrorsData> {
  const groups = await listErrorGroups(connection, { limit: maxGroups });
  const frequency = await errorFrequency(connection, query.filter, { bucket: query.bucket });
  const inRange = new Map(frequency.byFingerprint.map((row) => [row.fingerprint, row.errors]));
  const filtered = query.filter.algorithm !== undefined || query.filter.operation !== undefined;
  const resolution = await resolutionRate(connection, {});
  return {
    range: query.range,
    appliedFilters: errorsAppliedFilters,
    // With an algorithm or operation filter, only the groups that occurred under it in the range are shown.
    groups: groups
      .filter((group) => !filtered || inRange.has(group.fingerprint))
      .map((group) => ({
        fingerprint: group.fingerprint,
        errorType: group.errorType,
        code: group.code,
        message: group.message,
        count: group.count,
        countInRange: inRange.get(group.fingerprint) ?? 0,
        firstSeen: group.firstSeen.toISOString(),
        lastSeen: group.lastSeen.toISOString(),
        status: group.status,
        versions: group.versions,
      })),
    overTime: frequency.overTime.map((row) => ({ t: row.start.toISOString(), value: row.errors })),
    resolution: { groups: resolution.groups, open: resolution.open, resolved: resolution.resolved, regressed: resolution.regressed, rate: resolution.rate },
  };
}

export async function errorDetailData(connection: DuckDBConnection, fingerprint: string): Promise<ErrorDetailData> {
  const group = await getErrorGroup(connection, fingerprint, 20);
  return {
    fingerprint: group.fingerprint,
    errorType: group.errorType,
    code: group.code,
    message: group.message,
    opensslReason: group.opensslReason,
    status: group.status,
    count: group.count,
    firstSeen: group.firstSeen.toISOString(),
    lastSeen: group.lastSeen.toISOString(),
    versions: group.versions,
    resolvedAt: group.resolvedAt === null ? null : group.resolvedAt.toISOString(),
    latestStack: group.latestStack,
    occurrences: group.occurrences.map((occurrence) => ({
      time: occurrence.time.toISOString(),
      operation: occurrence.operation ?? '',
      algorithm: occurrence.algorithm,
      keyscopeVersion: occurrence.keyscopeVersion,
      nodeVersion: occurrence.nodeVersion ?? '',
      opensslVersion: occurrence.opensslVersion ?? '',
    })),
  };
}

export async function resolveErrorData(connection: DuckDBConnection, fingerprint: string, now?: () => number): Promise<ErrorDetailData> {
  await resolveErrorGroup(connection, fingerprint, { version: keyscopeVersion, ...(now === undefined ? {} : { now }) });
  return errorDetailData(connection, fingerprint);
}
