/**
 * Error groups, the write side: one row per fingerprint in `error_groups`, with how often and when it was seen,
 * in which keyscope versions, and whether someone resolved it. Ingest keeps the groups current inside its own
 * transaction (updateErrorGroups); deletion and retention recompute them (reconcileErrorGroups). The read side
 * (list, show, resolve) is query/error-groups.ts.
 *
 * A resolved group that is seen again AFTER it was resolved becomes "regressed"; an occurrence older than the
 * resolution (a late spool from before the fix) only adds to the count.
 */
import { type DuckDBConnection, type DuckDBType, type DuckDBValue, DOUBLE, INTEGER, LIST, VARCHAR, listValue } from '@duckdb/node-api';

import { isOutcomeCode, outcomeCodes } from '../../core/index.js';
import { type ErrorEvent, type EventEnvelope, fingerprintFrames } from '../events/index.js';
import { QueryParameters } from './query-parameters.js';

/** Groups per INSERT: keeps each statement's parameter list small while a big batch still takes few statements. */
const groupsPerStatement = 200;

interface BatchGroup {
  event: EventEnvelope & ErrorEvent;
  count: number;
  firstSeen: number;
  lastSeen: number;
  /** The latest occurrence's message: the group shows the newest wording. */
  message: string;
  versions: Set<string>;
}

/** Folds a batch into one entry per fingerprint, so the database sees one upsert per group, not per event. */
function aggregate(errors: readonly (EventEnvelope & ErrorEvent)[]): BatchGroup[] {
  const groups = new Map<string, BatchGroup>();
  for (const error of errors) {
    const group = groups.get(error.fingerprint);
    if (group === undefined) {
      groups.set(error.fingerprint, {
        event: error,
        count: 1,
        firstSeen: error.time,
        lastSeen: error.time,
        message: error.message,
        versions: new Set([error.keyscopeVersion]),
      });
      continue;
    }
    group.count += 1;
    group.firstSeen = Math.min(group.firstSeen, error.time);
    if (error.time >= group.lastSeen) {
      group.lastSeen = error.time;
      group.message = error.message;
    }
    group.versions.add(error.keyscopeVersion);
  }
  return [...groups.values()];
}

/** Milliseconds since the epoch (possibly fractional) to a TIMESTAMP, in SQL, from a bound DOUBLE. */
export const timestampFromMs = (placeholder: string) => `make_timestamp(CAST(round(${placeholder} * 1000) AS BIGINT))`;

/**
 * Called by ingest inside its transaction with the error events being ingested: inserts new groups (open),
 * adds to the count, first/last seen and versions of known ones, and reopens as "regressed" a resolved group
 * seen after its resolution.
 */
export async function updateErrorGroups(connection: DuckDBConnection, errors: readonly (EventEnvelope & ErrorEvent)[]): Promise<void> {
  // An older keyscope recorded outcomes (typos, refused inputs) as errors too: they make no group (errors.ts).
  const groups = aggregate(errors.filter((error) => !isOutcomeCode(error.code)));
  for (let start = 0; start < groups.length; start += groupsPerStatement) {
    const parameters = new QueryParameters();
    const bind = (value: DuckDBValue, type: DuckDBType) => parameters.bind(value, type);
    const tuples = groups.slice(start, start + groupsPerStatement).map((group) => {
      const { event } = group;
      return `(${[
        bind(event.fingerprint, VARCHAR),
        bind(event.errorType, VARCHAR),
        bind(event.code, VARCHAR),
        bind(event.openssl[0]?.reason ?? null, VARCHAR),
        bind(listValue(fingerprintFrames(event.stack)), LIST(VARCHAR)),
        bind(group.message, VARCHAR),
        bind(group.count, INTEGER),
        timestampFromMs(bind(group.firstSeen, DOUBLE)),
        timestampFromMs(bind(group.lastSeen, DOUBLE)),
        bind(listValue([...group.versions].sort()), LIST(VARCHAR)),
      ].join(', ')}, 'open', NULL, NULL)`;
    });
    // Every SET expression reads the row as it was before this statement (standard upsert semantics).
    await connection.run(
      `INSERT INTO error_groups (fingerprint, error_type, code, openssl_reason, frames, message, count, first_seen,
                                 last_seen, versions, status, resolved_at, resolved_version)
       VALUES ${tuples.join(', ')}
       ON CONFLICT (fingerprint) DO UPDATE SET
         count = error_groups.count + EXCLUDED.count,
         first_seen = least(error_groups.first_seen, EXCLUDED.first_seen),
         last_seen = greatest(error_groups.last_seen, EXCLUDED.last_seen),
         message = CASE WHEN EXCLUDED.last_seen >= error_groups.last_seen THEN EXCLUDED.message ELSE error_groups.message END,
         versions = list_sort(list_distinct(list_concat(error_groups.versions, EXCLUDED.versions))),
         status = CASE WHEN error_groups.status = 'resolved' AND EXCLUDED.last_seen > error_groups.resolved_at
                       THEN 'regressed' ELSE error_groups.status END`,
      parameters.values,
      parameters.types,
    );
  }
}

/**
 * After error events are deleted (`analytics delete`, retention): the groups of `fingerprints` are recomputed
 * from the error events that remain (count, first and last seen, versions, latest message), and a group left
 * with none is removed, so that nothing of a deleted event survives in error_groups. Statuses stay as they
 * were. Returns the number of groups removed. Use inside the transaction that deleted the events.
 */
export async function reconcileErrorGroups(connection: DuckDBConnection, fingerprints: readonly string[]): Promise<number> {
  if (fingerprints.length === 0) return 0;
  const gone = new QueryParameters();
  const removed = await connection.runAndReadAll(
    `DELETE FROM error_groups
      WHERE list_contains(${gone.bind(listValue([...fingerprints]), LIST(VARCHAR))}, fingerprint)
        AND fingerprint NOT IN (SELECT fingerprint FROM events WHERE type = 'error' AND fingerprint IS NOT NULL)`,
    gone.values,
    gone.types,
  );
  const kept = new QueryParameters();
  await connection.run(
    `UPDATE error_groups SET count = r.n, first_seen = r.first_seen, last_seen = r.last_seen, versions = r.versions, message = r.message
       FROM (SELECT fingerprint, count(*) AS n, min(time) AS first_seen, max(time) AS last_seen,
                    list_sort(list_distinct(list(keyscope_version))) AS versions,
                    coalesce(arg_max(properties->>'message', time), '') AS message
               FROM events
              WHERE type = 'error' AND list_contains(${kept.bind(listValue([...fingerprints]), LIST(VARCHAR))}, fingerprint)
              GROUP BY fingerprint) r
      WHERE error_groups.fingerprint = r.fingerprint`,
    kept.values,
    kept.types,
  );
  return Number(removed.rowsChanged);
}

/**
 * An SQL condition on `column` (an error code) that leaves out outcomes: error events an older keyscope recorded
 * for typos and refused inputs, which counts of errors must not include any more than groups do.
 */
export function failureCodeCondition(parameters: QueryParameters, column = 'error_code'): string {
  return `(${column} IS NULL OR NOT list_contains(${parameters.bind(listValue([...outcomeCodes]), LIST(VARCHAR))}, ${column}))`;
}

/**
 * Removes the groups an older keyscope made of outcomes (KS_USAGE, KS_FILE_EXISTS, ...: errors.ts
 * errorCodeKinds), so a database from before the split lists only failures. Their events stay, as the
 * usage they were. Run on every open; the table holds a few groups.
 */
export async function dropOutcomeGroups(connection: DuckDBConnection): Promise<void> {
  const parameters = new QueryParameters();
  await connection.run(
    `DELETE FROM error_groups WHERE list_contains(${parameters.bind(listValue([...outcomeCodes]), LIST(VARCHAR))}, code)`,
    parameters.values,
    parameters.types,
  );
}
