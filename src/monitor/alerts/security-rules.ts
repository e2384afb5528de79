/**
 * The built-in security rules, read from the security-scope events the recorder and the native spool
 * already write (analytics/events/types.ts):
 *   - builtin.weak-parameters: someone asked for weak parameters (allowWeak, RSA below 2048);
 *   - builtin.burst: a second in which more keys were generated than the spool's burst threshold;
 *   - builtin.repeated-failures: the same error fingerprint failing again and again within a minute.
 * Each looks back over its own `lookback` from `now` and raises one alert per algorithm (repeated failures
 * carry no algorithm, so they make one alert that names the error codes). The baseline is 0: any such event
 * in the window is worth a look.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import { QueryParameters } from '../../analytics/query/index.js';
import { formatWindow } from './durations.js';
import type { AlertRulesConfig } from './rules-schema.js';
import type { Alert, AlertSeverity } from './types.js';

interface Lookback {
  lookback: number;
  severity: AlertSeverity;
}

async function rows(connection: DuckDBConnection, type: string, lookback: number, now: Date, select: string, groupBy: string): Promise<Record<string, unknown>[]> {
  const parameters = new QueryParameters();
  const sql = `
    SELECT ${select}, count(*)::DOUBLE AS events, epoch_ms(min(time))::DOUBLE AS first_ms
      FROM events
     WHERE type = ${parameters.text(type)} AND time >= ${parameters.timestamp(new Date(now.getTime() - lookback))} AND time < ${parameters.timestamp(now)}
     GROUP BY ${groupBy}
     ORDER BY ${groupBy}`;
  return (await connection.runAndReadAll(sql, parameters.values, parameters.types)).getRowObjectsJS();
}

function window(lookback: number, now: Date): { since: string; until: string } {
  return { since: new Date(now.getTime() - lookback).toISOString(), until: now.toISOString() };
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

async function weakParameters(connection: DuckDBConnection, rule: Lookback, now: Date): Promise<Alert[]> {
  const operations = `string_agg(DISTINCT operation, ', ' ORDER BY operation) AS operations`;
  const found = await rows(connection, 'security.weak-parameters', rule.lookback, now, `algorithm, ${operations}`, 'algorithm');
  return found.map((row) => {
    const algorithm = String(row['algorithm']);
    const events = Number(row['events']);
    return {
      id: `builtin.weak-parameters:${algorithm}`,
      rule: 'builtin.weak-parameters',
      kind: 'security',
      severity: rule.severity,
      title: `weak parameters requested for ${algorithm} ${plural(events, 'time')} in the last ${formatWindow(rule.lookback)} (${String(row['operations'])})`,
      algorithm,
      since: new Date(Number(row['first_ms'])).toISOString(),
      evidence: { metric: 'weak-parameter requests', value: events, baseline: 0, window: window(rule.lookback, now), events },
    };
  });
}

async function bursts(connection: DuckDBConnection, rule: Lookback, now: Date): Promise<Alert[]> {
  const found = await rows(connection, 'security.burst', rule.lookback, now, `algorithm, max((properties->>'keysInSecond')::DOUBLE) AS peak`, 'algorithm');
  return found.map((row) => {
    const algorithm = String(row['algorithm']);
    const events = Number(row['events']);
    const peak = Number(row['peak']);
    return {
      id: `builtin.burst:${algorithm}`,
      rule: 'builtin.burst',
      kind: 'security',
      severity: rule.severity,
      title: `burst of ${algorithm} key generation: ${plural(events, 'second')} with ${peak} or more keys in the last ${formatWindow(rule.lookback)}`,
      algorithm,
      since: new Date(Number(row['first_ms'])).toISOString(),
      evidence: { metric: 'seconds over the burst threshold', value: events, baseline: 0, window: window(rule.lookback, now), events },
    };
  });
}

async function repeatedFailures(connection: DuckDBConnection, rule: Lookback, now: Date): Promise<Alert[]> {
  const found = await rows(
    connection,
    'security.repeated-failures',
    rule.lookback,
    now,
    `sum((properties->>'failures')::DOUBLE) AS failures, string_agg(DISTINCT coalesce(error_code, 'no code'), ', ' ORDER BY coalesce(error_code, 'no code')) AS codes`,
    'ALL',
  );
  const row = found[0];
  if (row === undefined || Number(row['events']) === 0) return [];
  const episodes = Number(row['events']);
  const failures = Number(row['failures']);
  return [
    {
      id: 'builtin.repeated-failures:*',
      rule: 'builtin.repeated-failures',
      kind: 'security',
      severity: rule.severity,
      title: `repeated failures: ${plural(episodes, 'episode')} (${plural(failures, 'failure')}) in the last ${formatWindow(rule.lookback)}, codes ${String(row['codes'])}`,
      algorithm: null,
      since: new Date(Number(row['first_ms'])).toISOString(),
      evidence: { metric: 'repeated-failure episodes', value: episodes, baseline: 0, window: window(rule.lookback, now), events: failures },
    },
  ];
}

/** Every built-in security alert that is enabled and firing at `now`. */
export async function evaluateSecurityRules(connection: DuckDBConnection, builtin: AlertRulesConfig['builtin'], now: Date): Promise<Alert[]> {
  const alerts: Alert[] = [];
  if (builtin.weakParameters.enabled) alerts.push(...(await weakParameters(connection, builtin.weakParameters, now)));
  if (builtin.bursts.enabled) alerts.push(...(await bursts(connection, builtin.bursts, now)));
  if (builtin.repeatedFailures.enabled) alerts.push(...(await repeatedFailures(connection, builtin.repeatedFailures, now)));
  return alerts;
}
