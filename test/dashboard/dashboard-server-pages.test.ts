/**
 * The page-data endpoints answer with the known numbers of the fixture home (worked out in
 * support/dashboard-fixtures.ts), filters change them, resolving an error group writes its status, and bad
 * queries are refused with a stable code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type {
  ApiError,
  ErrorDetailData,
  ErrorsData,
  FilterOptionsData,
  OverviewData,
  PerformanceData,
  SystemData,
  UsageData,
} from '../../src/dashboard/http/api-types.js';
import { fixtureEvents, fixtureFingerprint, fixtureHome, fixtureRange, fixtureTime, hostileMessage, startTestDashboard, type TestDashboard, withRange } from '../support/dashboard-fixtures.js';

let dashboard: TestDashboard;

beforeAll(async () => {
  dashboard = await startTestDashboard(await fixtureHome());
});

afterAll(async () => {
  await dashboard?.close();
});

describe('GET /api/overview', () => {
  it('answers the range, totals, previous range, series and top algorithms', async () => {
    const overview = await dashboard.json<OverviewData>(withRange('/api/overview'));
    expect(overview.range).toEqual({ since: fixtureTime(0), until: fixtureTime(1440), bucket: 'hour' });
    expect(overview.totals).toEqual({ keys: 4, errors: 2, successRate: 0.75, p50Ns: 150, p99Ns: 250, sessions: 2, openErrorGroups: 1, activeAlerts: 0 });
    expect(overview.previous).toEqual({ keys: 1, errors: 0, successRate: null, p50Ns: null });
    expect(overview.keysOverTime).toEqual([{ t: fixtureTime(0), value: 4 }]);
    expect(overview.errorsOverTime).toEqual([
      { t: fixtureTime(0), value: 1 },
      { t: fixtureTime(60), value: 1 },
    ]);
    // The failed generate call (00:05) made no key.
    expect(overview.topAlgorithms).toEqual([
      { algorithm: 'ed25519', keys: 3, share: 0.75 },
      { algorithm: 'rsa-2048', keys: 1, share: 0.25 },
    ]);
  });

  it('narrows every number to a filter', async () => {
    const rsa = await dashboard.json<OverviewData>(withRange('/api/overview', { algorithm: 'rsa-2048' }));
    expect(rsa.totals).toMatchObject({ keys: 1, errors: 0, successRate: 1, p50Ns: 250, p99Ns: 250 });
    expect(rsa.topAlgorithms).toEqual([{ algorithm: 'rsa-2048', keys: 1, share: 1 }]);
    const failed = await dashboard.json<OverviewData>(withRange('/api/overview', { outcome: 'error' }));
    // Failures only: the timings of the failed call, and no keys (a failed request makes none).
    expect(failed.totals).toMatchObject({ keys: 0, p50Ns: 150, p99Ns: 150 });
    expect(failed.keysOverTime).toEqual([]);
    expect(failed.topAlgorithms).toEqual([]);
  });

  it('says per panel which filters its numbers honour', async () => {
    const overview = await dashboard.json<OverviewData>(withRange('/api/overview'));
    expect(Object.keys(overview.appliedFilters).sort()).toEqual(['alerts', 'algorithms', 'errors', 'keys', 'kpis', 'recommendations']);
    // Keys are successful generate api.calls; errors are all outcome=error and have no implementation.
    expect(overview.appliedFilters['keys']).toEqual(['algorithm', 'operation', 'outcome']);
    expect(overview.appliedFilters['errors']).toEqual(['algorithm', 'operation']);
    expect(overview.appliedFilters['alerts']).toEqual([]);
    const performance = await dashboard.json<PerformanceData>(withRange('/api/performance'));
    expect(Object.keys(performance.appliedFilters).sort()).toEqual(['bench-history', 'comparison', 'latency', 'success']);
    expect(performance.appliedFilters['latency']).toEqual(['algorithm', 'implementation', 'operation', 'outcome']);
    expect(performance.appliedFilters['success']).toEqual(['algorithm', 'implementation', 'operation']);
    const errors = await dashboard.json<ErrorsData>(withRange('/api/errors'));
    expect(errors.appliedFilters).toEqual({ resolution: [], 'over-time': ['algorithm', 'operation'], groups: ['algorithm', 'operation'] });
    const usage = await dashboard.json<UsageData>(withRange('/api/usage'));
    expect(usage.appliedFilters).toEqual({ algorithms: ['algorithm', 'operation', 'outcome'], features: [], sessions: [], flows: ['outcome'] });
  });

  it('uses minute buckets for short ranges and day buckets for long ones', async () => {
    const short = await dashboard.json<OverviewData>(`/api/overview?range=${fixtureTime(0)}..${fixtureTime(60)}`);
    expect(short.range.bucket).toBe('minute');
    expect(short.keysOverTime.map((point) => point.t)).toEqual([3, 4, 6, 7].map(fixtureTime));
    const long = await dashboard.json<OverviewData>(`/api/overview?range=${fixtureTime(-44640)}..${fixtureTime(1440)}`);
    expect(long.range.bucket).toBe('day');
    expect(long.keysOverTime).toEqual([
      { t: fixtureTime(-1440), value: 1 },
      { t: fixtureTime(0), value: 4 },
    ]);
  });
});

describe('GET /api/performance', () => {
  it('answers latency per algorithm and implementation, and the success rate from timings', async () => {
    const performance = await dashboard.json<PerformanceData>(withRange('/api/performance'));
    expect(performance.latency).toEqual([
      { algorithm: 'ed25519', implementation: 'keyscope', points: [{ t: fixtureTime(0), count: 3, p50: 150, p90: 200, p99: 200, max: 200 }] },
      { algorithm: 'rsa-2048', implementation: 'node', points: [{ t: fixtureTime(0), count: 1, p50: 250, p90: 250, p99: 250, max: 250 }] },
    ]);
    expect(performance.successRate.overall).toEqual({ ok: 3, error: 1, rate: 0.75 });
    expect(performance.successRate.byAlgorithm).toEqual([
      { algorithm: 'ed25519', ok: 2, error: 1, rate: 2 / 3 },
      { algorithm: 'rsa-2048', ok: 1, error: 0, rate: 1 },
    ]);
    expect(performance.successRate.overTime).toHaveLength(2);
    // No run store at the given path: no bench data, and no error either.
    expect(performance.benchRuns).toEqual([]);
    expect(performance.comparison).toBeNull();
  });

  it('honours the implementation filter in latency and success rate', async () => {
    const node = await dashboard.json<PerformanceData>(withRange('/api/performance', { implementation: 'node' }));
    expect(node.latency.map((series) => [series.algorithm, series.implementation])).toEqual([['rsa-2048', 'node']]);
    expect(node.successRate.overall).toEqual({ ok: 1, error: 0, rate: 1 });
    const keyscope = await dashboard.json<PerformanceData>(withRange('/api/performance', { implementation: 'keyscope' }));
    expect(keyscope.successRate.overall).toEqual({ ok: 2, error: 1, rate: 2 / 3 });
  });
});

describe('GET /api/errors and the error group endpoints', () => {
  it('lists the group with its counts and the errors over time', async () => {
    const errors = await dashboard.json<ErrorsData>(withRange('/api/errors'));
    expect(errors.groups).toEqual([
      expect.objectContaining({ fingerprint: fixtureFingerprint, code: 'KS_OPENSSL', message: hostileMessage, count: 2, countInRange: 2, status: 'open' }),
    ]);
    expect(errors.overTime.map((point) => point.value)).toEqual([1, 1]);
    expect(errors.resolution).toEqual({ groups: 1, open: 1, resolved: 0, regressed: 0, rate: 0 });
    // A filter the group never occurred under hides it.
    const rsa = await dashboard.json<ErrorsData>(withRange('/api/errors', { algorithm: 'rsa-2048' }));
    expect(rsa.groups).toEqual([]);
  });

  it('shows one group with its occurrences, and 404s an unknown one', async () => {
    const detail = await dashboard.json<ErrorDetailData>(`/api/errors/${fixtureFingerprint}`);
    expect(detail).toMatchObject({ fingerprint: fixtureFingerprint, status: 'open', count: 2, latestStack: ['at generate (dist/core/keygen.js:10:3)'] });
    expect(detail.occurrences.map((o) => o.time)).toEqual([fixtureTime(70), fixtureTime(10)]);
    const missing = await dashboard.get('/api/errors/ffffffffffffffff');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ApiError).error.code).toBe('KS_ERROR_GROUP_NOT_FOUND');
  });

  it('resolves a group (POST) and the errors page shows it resolved', async () => {
    const response = await dashboard.get(`/api/errors/${fixtureFingerprint}/resolve`, { method: 'POST' });
    expect(response.status).toBe(200);
    const detail = (await response.json()) as ErrorDetailData;
    expect(detail.status).toBe('resolved');
    expect(detail.resolvedAt).not.toBeNull();
    const errors = await dashboard.json<ErrorsData>(withRange('/api/errors'));
    expect(errors.groups[0]!.status).toBe('resolved');
    expect(errors.resolution).toMatchObject({ open: 0, resolved: 1, rate: 1 });
    const overview = await dashboard.json<OverviewData>(withRange('/api/overview'));
    expect(overview.totals.openErrorGroups).toBe(0);
  });
});

describe('GET /api/usage', () => {
  it('answers algorithm share, feature adoption, sessions and flows', async () => {
    const usage = await dashboard.json<UsageData>(withRange('/api/usage'));
    expect(usage.algorithmShare).toEqual({
      total: 4,
      algorithms: [
        { algorithm: 'ed25519', keys: 3, share: 0.75 },
        { algorithm: 'rsa-2048', keys: 1, share: 0.25 },
      ],
    });
    expect(usage.featureAdoption.sessions).toBe(2);
    expect(usage.featureAdoption.features).toEqual(
      expect.arrayContaining([
        { kind: 'command', feature: 'keygen', sessions: 1, share: 0.5 },
        { kind: 'option', feature: 'keygen --format', sessions: 1, share: 0.5 },
        { kind: 'api', feature: 'generateKeyPairSync', sessions: 1, share: 0.5 },
      ]),
    );
    expect(usage.sessions.count).toBe(2);
    expect(usage.sessions.overTime).toEqual([{ t: fixtureTime(0), value: 2 }]);
    expect(usage.flows).toEqual(
      expect.arrayContaining([
        { from: '(start)', to: 'keygen', count: 1 },
        { from: 'keygen', to: 'bench', count: 1 },
        { from: 'bench', to: '(end)', count: 1 },
      ]),
    );
    expect(usage.flows).toHaveLength(3);
  });
});

describe('GET /api/system and /api/filters', () => {
  it('reports the database and the versions', async () => {
    const system = await dashboard.json<SystemData>('/api/system');
    expect(system.database).toMatchObject({
      path: dashboard.paths.database,
      events: fixtureEvents.length,
      oldestEvent: fixtureTime(-720),
      newestEvent: fixtureTime(70),
    });
    expect(system.database.bytes).toBeGreaterThan(0);
    expect(system.spool).toEqual({ files: 0, bytes: 0, waitingForWriter: 0 });
    expect(system.versions.node).toBe(process.version);
    expect(system.versions.duckdb).toMatch(/^v\d/);
    expect(system.counters.find((counter) => counter.name === 'task-clock')).toMatchObject({ available: true });
  });

  it('offers the values of the range in the filter menus', async () => {
    const filters = await dashboard.json<FilterOptionsData>(withRange('/api/filters'));
    expect(filters).toEqual({
      algorithms: ['ed25519', 'rsa-2048'],
      implementations: ['keyscope', 'node'],
      // The errors' "api generateKeyPairSync" is the same operation as the calls' "generateKeyPairSync".
      operations: [
        { name: 'bench', kind: 'command' },
        { name: 'generateKeyPairSync', kind: 'api' },
        { name: 'keygen', kind: 'command' },
      ],
    });
    // One entry finds all of the operation's events: its calls and its errors ("api generateKeyPairSync").
    const errors = await dashboard.json<ErrorsData>(withRange('/api/errors', { operation: 'generateKeyPairSync' }));
    expect(errors.groups.map((group) => [group.fingerprint, group.countInRange])).toEqual([[fixtureFingerprint, 2]]);
    const overview = await dashboard.json<OverviewData>(withRange('/api/overview', { operation: 'generateKeyPairSync' }));
    expect(overview.totals).toMatchObject({ keys: 4, errors: 2 });
    const command = await dashboard.json<ErrorsData>(withRange('/api/errors', { operation: 'keygen' }));
    expect(command.groups).toEqual([]);
    const empty = await dashboard.json<FilterOptionsData>('/api/filters?range=2020-01-01T00:00:00Z..2020-01-02T00:00:00Z');
    expect(empty).toEqual({ algorithms: [], implementations: [], operations: [] });
  });
});

describe('bad queries', () => {
  it.each([
    ['/api/overview?range=2d', 'range'],
    [`/api/overview?range=${fixtureTime(1440)}..${fixtureTime(0)}`, 'range'],
    ['/api/overview?range=yesterday..today', 'range'],
    ['/api/performance?outcome=maybe', 'outcome'],
    ['/api/usage?algorithm=%27%3B%20DROP%20TABLE%20events%3B', 'algorithm'],
    ['/api/usage?algorithm=%3Cscript%3E', 'no < >'],
    ['/api/overview?operation=a%3Eb', 'operation'],
    ['/api/errors?colour=red', 'colour'],
    [`/api/overview?range=${encodeURIComponent(fixtureRange)}&algorithm=`, 'algorithm'],
  ])('%s is a 400 KS_DASHBOARD_INVALID_QUERY naming %s', async (path, named) => {
    const response = await dashboard.get(path);
    expect(response.status).toBe(400);
    const body = (await response.json()) as ApiError;
    expect(body.error.code).toBe('KS_DASHBOARD_INVALID_QUERY');
    expect(body.error.message).toContain(named);
  });

  it('answers unknown paths with a 404 ApiError', async () => {
    const response = await dashboard.get('/api/nothing');
    expect(response.status).toBe(404);
    expect(((await response.json()) as ApiError).error.code).toBe('KS_DASHBOARD_NOT_FOUND');
  });
});

describe('GET /metrics', () => {
  it('answers the Prometheus exposition of the stored events', async () => {
    const response = await dashboard.get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = await response.text();
    expect(body).toMatch(/^keyscope_keys_generated_total\{.*algorithm="rsa-2048".*\} 1$/m);
    expect(body).toMatch(/^keyscope_analytics_database_bytes \d+$/m);
    expect(body).toContain('# TYPE keyscope_errors_total counter');
  });
});
