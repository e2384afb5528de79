/**
 * Feature adoption: for each feature (a command, a command with one of its options, a public API), how many
 * sessions used it and what share of all sessions in the range that is. A session that used a feature ten
 * times counts once: adoption is about how many people-at-work reach for it, not how often. Read from the
 * hourly feature-per-session and session rollups (warehouse/rollups.ts) plus the raw events of the range's
 * partial hours; a session that used a feature in several hours is still counted once.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import { featureSessionsRollup, QueryParameters, sessionHoursRollup } from '../warehouse/index.js';
import type { QueryFilter } from './query-filter.js';
import { firstWholeHour, rollupSource } from './rollup-source.js';

export type FeatureKind = 'command' | 'option' | 'api';

export interface FeatureAdoptionRow {
  kind: FeatureKind;
  /** "keygen", "keygen --format", "generateKeyPair". */
  feature: string;
  sessions: number;
  /** sessions / all sessions in the range, 0..1. */
  share: number;
}

export interface FeatureAdoption {
  /** Sessions with at least one event in the range. */
  sessions: number;
  /** Most adopted first. */
  features: FeatureAdoptionRow[];
}

/** Honours only the time range: a feature's adoption is over every algorithm and outcome. */
export async function featureAdoption(connection: DuckDBConnection, filter: QueryFilter = {}): Promise<FeatureAdoption> {
  const parameters = new QueryParameters();
  const used = rollupSource(featureSessionsRollup, filter, parameters);
  // A session counts once per feature: in the whole hours, at its first row there (the one whose previous
  // hour with the feature is before them); in the partial hours at the edges, unless already counted.
  // The CTEs are not materialised (that copied every rollup row of the range, session ids and all), and the
  // whole-hour rows are narrowed to the edge sessions by a list filter rather than joined: DuckDB cannot
  // estimate the raw edges, and a join built its hash table on the 866k rollup rows of 180 days instead
  // (+100 MB, 0.5 s on 10M events).
  const firstWhole = firstWholeHour(filter);
  const firstInRange = firstWhole === null ? 'prev_hour IS NULL' : `(prev_hour IS NULL OR prev_hour < ${parameters.timestamp(new Date(firstWhole))})`;
  const sql = `
    WITH used AS NOT MATERIALIZED (SELECT * FROM ${used}),
    whole AS NOT MATERIALIZED (SELECT session_id, kind, feature, prev_hour FROM used WHERE NOT from_events),
    edges AS NOT MATERIALIZED (SELECT DISTINCT session_id, kind, feature FROM used WHERE from_events),
    edges_only AS (
      SELECT * FROM edges
      EXCEPT
      SELECT w.session_id, w.kind, w.feature
        FROM (SELECT * FROM whole WHERE list_contains((SELECT list(DISTINCT session_id) FROM edges), session_id)) w
        JOIN edges e USING (session_id, kind, feature)
    ),
    adopted AS (
      SELECT kind, feature, count(*) AS sessions FROM whole WHERE ${firstInRange} GROUP BY kind, feature
      UNION ALL
      SELECT kind, feature, count(*) FROM edges_only GROUP BY kind, feature
    )
    SELECT kind, feature, sum(sessions)::DOUBLE AS sessions,
           (SELECT count(DISTINCT session_id)::DOUBLE FROM ${rollupSource(sessionHoursRollup, filter, parameters)}) AS total
      FROM adopted
     GROUP BY kind, feature
     ORDER BY sessions DESC, kind, feature`;
  const rows = (await connection.runAndReadAll(sql, parameters.values, parameters.types)).getRowObjectsJS();
  const total = rows.length > 0 ? Number(rows[0]!['total']) : 0;
  return {
    sessions: total,
    features: rows.map((row) => ({
      kind: String(row['kind']) as FeatureKind,
      feature: String(row['feature']),
      sessions: Number(row['sessions']),
      share: total === 0 ? 0 : Number(row['sessions']) / total,
    })),
  };
}
