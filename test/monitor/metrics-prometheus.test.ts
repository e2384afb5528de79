import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type AnalyticsPaths, analyticsPathsIn } from '../../src/analytics/events/paths.js';
import type { Alert } from '../../src/monitor/alerts/types.js';
import { collectMetricsSnapshot, createPrometheusRegistry, type MetricsSnapshot } from '../../src/monitor/metrics/index.js';
import { type FixtureDatabase, type FixtureEvent, insertEvents, openFixtureDatabase } from '../support/analytics-query-fixtures.js';

const now = new Date(Date.UTC(2026, 10, 20, 12, 30));
const minute = 60_000;
const twoDaysAgo = now.getTime() - 2 * 24 * 60 * minute;

function timing(time: number, algorithm: string, durationNs: number, options: { implementation?: string | null; outcome?: 'ok' | 'error' } = {}): FixtureEvent {
  return {
    time,
    type: 'keygen.timing',
    operation: 'generateKeyPairSync',
    algorithm,
    outcome: options.outcome ?? 'ok',
    durationNs,
    properties: options.implementation === null ? { cycles: null } : { implementation: options.implementation ?? 'keyscope', cycles: null },
  };
}

function error(time: number, code: string | null): FixtureEvent {
  return { time, type: 'error', operation: 'api generateKeyPairSync', errorCode: code, fingerprint: '0123456789abcdef', properties: { message: 'failed' } };
}

const events: FixtureEvent[] = [
  // Two days ago (whole hours: read from the rollups), then the last 5 minutes (the partial hour: raw events).
  ...[0, 1, 2].map((i) => timing(twoDaysAgo + i * 61 * minute, 'ed25519', 1_000_000)),
  ...[100, 200, 300, 400].map((ns, i) => timing(now.getTime() - 4 * minute + i * 1000, 'ed25519', ns)),
  timing(now.getTime() - minute, 'ed25519', 50, { outcome: 'error' }),
  timing(now.getTime() - 2 * minute, 'rsa-2048', 60_000_000, { implementation: 'node:crypto' }),
  timing(now.getTime() - 2 * minute + 1, 'rsa-2048', 60_000_000, { implementation: 'node:crypto' }),
  // 10 minutes ago: counted, but outside the latency window.
  timing(now.getTime() - 10 * minute, 'rsa-2048', 900_000_000, { implementation: 'node:crypto' }),
  // Free text where a name belongs never becomes a label value; a missing implementation is "unknown".
  timing(now.getTime() - 3 * minute, 'My Key!', 1000),
  timing(now.getTime() - 3 * minute, 'x25519', 30_000, { implementation: null }),
  error(twoDaysAgo, 'KS_OPENSSL'),
  error(now.getTime() - minute, 'KS_OPENSSL'),
  error(now.getTime() - minute, 'KS_OPENSSL'),
  error(now.getTime() - minute, null),
  error(now.getTime() - minute, 'secret: hunter2'),
  // A typo an older keyscope recorded as an error: an outcome, not counted as one.
  error(now.getTime() - minute, 'KS_USAGE'),
  // After `now`: not in any total.
  timing(now.getTime() + minute, 'ed25519', 100),
];

function alert(rule: string, severity: Alert['severity'], algorithm: string | null): Alert {
  const window = { since: now.toISOString(), until: now.toISOString() };
  return { id: `${rule}:${algorithm ?? '*'}`, rule, kind: 'security', severity, title: 't', algorithm, since: window.since, evidence: { metric: 'm', value: 1, baseline: 0, window } };
}

const alerts = [alert('builtin.burst', 'warning', 'ed25519'), alert('builtin.burst', 'warning', 'rsa-2048'), alert('latency-p99', 'critical', null)];

let db: FixtureDatabase;
let paths: AnalyticsPaths;
beforeAll(async () => {
  db = await openFixtureDatabase();
  await insertEvents(db.connection, events);
  paths = analyticsPathsIn(mkdtempSync(join(tmpdir(), 'keyscope-metrics-')));
  // The database file is not opened: only its size (and its WAL's) is read.
  writeFileSync(paths.database, Buffer.alloc(12_288));
  writeFileSync(`${paths.database}.wal`, Buffer.alloc(100));
  mkdirSync(paths.spoolDir);
  writeFileSync(join(paths.spoolDir, 'events-4242-1763600000000-0123abcd.jsonl'), '{}\n');
  writeFileSync(join(paths.spoolDir, 'perf-4243-1763600000000-1.bin'), Buffer.alloc(64));
  writeFileSync(join(paths.spoolDir, 'notes.txt'), 'not a spool');
});
afterAll(() => db.close());

const read = () => collectMetricsSnapshot(db.connection, { paths, alerts, now });

/** The sample lines of an exposition (no comments), sorted. */
function samples(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .sort();
}

describe('metrics snapshot', () => {
  it('reads totals, recent quantiles, errors, alerts, backlog and size', async () => {
    const snapshot = await read();
    expect(snapshot).toEqual({
      takenAt: now.toISOString(),
      keysGenerated: [
        { algorithm: 'other', implementation: 'keyscope', outcome: 'ok', count: 1 },
        { algorithm: 'ed25519', implementation: 'keyscope', outcome: 'error', count: 1 },
        { algorithm: 'ed25519', implementation: 'keyscope', outcome: 'ok', count: 7 },
        { algorithm: 'rsa-2048', implementation: 'node:crypto', outcome: 'ok', count: 3 },
        { algorithm: 'x25519', implementation: 'unknown', outcome: 'ok', count: 1 },
      ],
      keygenLatency: [
        // 100..400 ns: p50 the 2nd (200, exact below 256 ns), p90 and p99 the 4th (bucket 400..401 ns).
        { algorithm: 'ed25519', count: 4, p50: 200e-9, p90: 401e-9, p99: 401e-9 },
        // 60 ms lies in the HDR bucket 59 768 832..60 030 975 ns.
        { algorithm: 'rsa-2048', count: 2, p50: 0.060030975, p90: 0.060030975, p99: 0.060030975 },
        { algorithm: 'x25519', count: 1, p50: 30_079e-9, p90: 30_079e-9, p99: 30_079e-9 },
      ],
      errors: [
        { code: 'KS_OPENSSL', count: 3 },
        { code: 'other', count: 1 },
        { code: 'none', count: 1 },
      ],
      alertsFiring: [
        { rule: 'builtin.burst', severity: 'warning', count: 2 },
        { rule: 'latency-p99', severity: 'critical', count: 1 },
      ],
      spoolBacklogFiles: 2,
      databaseBytes: 12_388,
    });
  });
});

describe('Prometheus exposition', () => {
  it('has exactly the expected samples for the fixture database', async () => {
    const registry = createPrometheusRegistry(read);
    const text = await registry.metrics();
    expect(samples(text)).toEqual(
      [
        'keyscope_keys_generated_total{algorithm="other",implementation="keyscope",outcome="ok"} 1',
        'keyscope_keys_generated_total{algorithm="ed25519",implementation="keyscope",outcome="error"} 1',
        'keyscope_keys_generated_total{algorithm="ed25519",implementation="keyscope",outcome="ok"} 7',
        'keyscope_keys_generated_total{algorithm="rsa-2048",implementation="node:crypto",outcome="ok"} 3',
        'keyscope_keys_generated_total{algorithm="x25519",implementation="unknown",outcome="ok"} 1',
        'keyscope_keygen_duration_seconds{algorithm="ed25519",quantile="0.5"} 2e-7',
        'keyscope_keygen_duration_seconds{algorithm="ed25519",quantile="0.9"} 4.01e-7',
        'keyscope_keygen_duration_seconds{algorithm="ed25519",quantile="0.99"} 4.01e-7',
        'keyscope_keygen_duration_seconds{algorithm="rsa-2048",quantile="0.5"} 0.060030975',
        'keyscope_keygen_duration_seconds{algorithm="rsa-2048",quantile="0.9"} 0.060030975',
        'keyscope_keygen_duration_seconds{algorithm="rsa-2048",quantile="0.99"} 0.060030975',
        'keyscope_keygen_duration_seconds{algorithm="x25519",quantile="0.5"} 0.000030079',
        'keyscope_keygen_duration_seconds{algorithm="x25519",quantile="0.9"} 0.000030079',
        'keyscope_keygen_duration_seconds{algorithm="x25519",quantile="0.99"} 0.000030079',
        'keyscope_errors_total{code="KS_OPENSSL"} 3',
        'keyscope_errors_total{code="other"} 1',
        'keyscope_errors_total{code="none"} 1',
        'keyscope_alerts_firing{rule="builtin.burst",severity="warning"} 2',
        'keyscope_alerts_firing{rule="latency-p99",severity="critical"} 1',
        'keyscope_spool_backlog_files 2',
        'keyscope_analytics_database_bytes 12388',
      ].sort(),
    );
    expect(text).toContain('# TYPE keyscope_keys_generated_total counter');
    expect(text).toContain('# TYPE keyscope_errors_total counter');
    expect(text).toContain('# TYPE keyscope_keygen_duration_seconds gauge');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('My Key');
    expect(registry.contentType).toContain('text/plain');
  });

  it('reads one snapshot per scrape and follows the data from scrape to scrape', async () => {
    let reads = 0;
    let spool = 2;
    const registry = createPrometheusRegistry(async () => {
      reads++;
      return { ...(await read()), spoolBacklogFiles: spool } satisfies MetricsSnapshot;
    });
    expect(samples(await registry.metrics())).toContain('keyscope_spool_backlog_files 2');
    expect(reads).toBe(1);
    spool = 0;
    const second = samples(await registry.metrics());
    expect(reads).toBe(2);
    expect(second).toContain('keyscope_spool_backlog_files 0');
    // Series that vanish from the data vanish from the exposition (reset before each set).
    const empty = createPrometheusRegistry(async () => ({ ...(await read()), alertsFiring: [] }));
    expect(samples(await empty.metrics()).filter((line) => line.startsWith('keyscope_alerts_firing'))).toEqual([]);
  });
});
