/**
 * The dashboard's shared resources under concurrent use: the bench run store (one open per file per process,
 * so every access goes through one mutex and a cache keyed on the file's mtime and size), the database queue
 * (work of a client that has gone is skipped), and the alert monitor (evaluatedAt/error on /api/alerts, a
 * failed webhook retried at the next evaluation, evaluations after ingest coalesced and not awaited).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import type { PerformanceData, RecommendationsData } from '../../src/dashboard/http/api-types.js';
import { alertAfterIngestMs, AlertMonitor } from '../../src/dashboard/jobs/alert-monitor.js';
import { ClientGoneError, DashboardDatabase } from '../../src/dashboard/sources/dashboard-database.js';
import { PageSources } from '../../src/dashboard/pages/page-sources.js';
import { LiveUpdates } from '../../src/dashboard/http/live-updates.js';
import { ErrorCodes, KeyscopeError } from '../../src/core/errors.js';
import { type Alert, loadAlertRules } from '../../src/monitor/alerts/index.js';
import { openStore } from '../../src/store/open-store.js';
import { tempAnalyticsPaths } from '../support/analytics-fixtures.js';
import { startTestDashboard, type TestDashboard } from '../support/dashboard-fixtures.js';
import { makeRun } from '../support/store-fixtures.js';

const minuteMs = 60_000;
const [older, newer, newest] = [randomUUID(), randomUUID(), randomUUID()];

describe('the run store behind the Performance page and the recommendations', () => {
  let dashboard: TestDashboard;
  let storePath: string;

  beforeAll(async () => {
    const paths = tempAnalyticsPaths('keyscope-dashboard-store-');
    storePath = join(paths.home, 'runs.duckdb');
    const now = Date.now();
    const store = await openStore(storePath);
    await store.saveRun(makeRun({ id: older, seed: 1, samples: 200, startedAt: new Date(now - 3 * 60 * minuteMs).toISOString() }));
    await store.saveRun(makeRun({ id: newer, seed: 2, samples: 200, startedAt: new Date(now - 60 * minuteMs).toISOString() }));
    await store.close();
    dashboard = await startTestDashboard(paths, { storePath });
  });

  afterAll(async () => {
    await dashboard?.close();
  });

  it('keeps the bench runs when /api/performance and /api/recommendations run at the same time', async () => {
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => [dashboard.json<PerformanceData>('/api/performance?range=24h'), dashboard.json<RecommendationsData>('/api/recommendations')]).flat(),
    );
    for (const answer of answers.filter((_, index) => index % 2 === 0) as PerformanceData[]) {
      expect(answer.benchRuns.map((run) => run.id)).toEqual([newer, older]);
      expect(answer.comparison).toMatchObject({ baseline: older, candidate: newer });
    }
  });

  it('answers from the cache while the store file is unchanged, and rereads it once it changes', async () => {
    const sources = await PageSources.create({
      database: await DashboardDatabase.open(tempAnalyticsPaths('keyscope-dashboard-store-cache-')),
      live: new LiveUpdates(),
      storePath,
      rulesFile: null,
      ingestStats: () => ({ lastTickAt: null, eventsLastMinute: 0 }),
    });
    try {
      const since = new Date(Date.now() - 24 * 60 * minuteMs);
      const until = new Date(Date.now() + minuteMs);
      const select = (listing: { id: string; startedAt: string }[]) =>
        listing.filter((run) => Date.parse(run.startedAt) >= since.getTime() && Date.parse(run.startedAt) < until.getTime()).map((run) => run.id);
      const first = await sources.runs.read(select);
      expect(first?.runs.map((run) => run.id)).toEqual([newer, older]);
      const opens = sources.runs.opens;
      await sources.runs.read(select);
      await sources.recommendations();
      expect(sources.runs.opens).toBe(opens);

      // The reader holds no open store between reads: a bench can save a run, and the next read sees it.
      const store = await openStore(storePath);
      await store.saveRun(makeRun({ id: newest, seed: 3, samples: 50, startedAt: new Date(Date.now() - minuteMs).toISOString() }));
      await store.close();
      const after = await sources.runs.read(select);
      expect(after?.runs.map((run) => run.id)).toEqual([newest, newer, older]);
      expect(sources.runs.opens).toBe(opens + 1);
    } finally {
      await sources.close();
      await sources.database.close();
    }
  });

  it('is no bench data when there is no store file', async () => {
    const paths = tempAnalyticsPaths('keyscope-dashboard-store-none-');
    const other = await startTestDashboard(paths);
    try {
      const performance = await other.json<PerformanceData>('/api/performance?range=24h');
      expect(performance.benchRuns).toEqual([]);
      expect(performance.comparison).toBeNull();
    } finally {
      await other.close();
    }
  });
});

describe('the database queue', () => {
  it('skips queued work whose client has gone before its turn', async () => {
    const database = await DashboardDatabase.open(tempAnalyticsPaths('keyscope-dashboard-queue-'));
    try {
      let release!: () => void;
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      const blocker = database.run(
        () =>
          new Promise<void>((resolve) => {
            release = resolve;
            started();
          }),
      );
      let gone = false;
      let ran = false;
      const skipped = database.run(
        async () => {
          ran = true;
        },
        { gone: () => gone },
      );
      const kept = database.run(async (connection) => Number((await connection.runAndReadAll('SELECT 42')).getRowsJS()[0]![0]), { gone: () => false });
      await running;
      gone = true;
      release();
      await blocker;
      await expect(skipped).rejects.toBeInstanceOf(ClientGoneError);
      expect(ran).toBe(false);
      expect(await kept).toBe(42);
    } finally {
      await database.close();
    }
  });
});

describe('the alert monitor', () => {
  it('has no evaluatedAt and reports the error until an evaluation succeeds', async () => {
    const config = await loadAlertRules(null);
    const database = await DashboardDatabase.open(tempAnalyticsPaths('keyscope-dashboard-alerts-'));
    let fail: unknown = new KeyscopeError(ErrorCodes.analyticsBusy, 'the analytics database is busy');
    const monitor = new AlertMonitor({
      config,
      run: (work) => (fail === null ? database.run(work) : Promise.reject(fail)),
      onChange: () => {},
    });
    try {
      await monitor.evaluate();
      expect(monitor.evaluatedAt).toBeNull();
      expect(monitor.error).toEqual({ code: 'KS_ANALYTICS_BUSY', message: 'the analytics database is busy' });
      fail = new Error('disk on fire\nsecond line');
      await monitor.evaluate();
      expect(monitor.error).toEqual({ code: 'KS_DASHBOARD_INTERNAL', message: 'alert evaluation failed: disk on fire' });
      fail = null;
      await monitor.evaluate();
      expect(monitor.evaluatedAt).toBeInstanceOf(Date);
      expect(monitor.error).toBeNull();
    } finally {
      await monitor.close();
      await database.close();
    }
  });

  it('shows evaluatedAt and a null error on /api/alerts after a successful evaluation', async () => {
    const dashboard = await startTestDashboard(tempAnalyticsPaths('keyscope-dashboard-alerts-api-'));
    try {
      const alerts = await dashboard.json<{ evaluatedAt: string | null; error: unknown }>('/api/alerts');
      expect(alerts.error).toBeNull();
      expect(Number.isNaN(Date.parse(alerts.evaluatedAt!))).toBe(false);
    } finally {
      await dashboard.close();
    }
  });

  it('evaluates after ingest at most once every 5 s, coalescing the requests in between', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      let evaluations = 0;
      const monitor = new AlertMonitor({
        config: await loadAlertRules(null),
        run: (() => {
          evaluations += 1;
          return Promise.resolve([]);
        }) as never,
        onChange: () => {},
      });
      monitor.evaluateSoon();
      monitor.evaluateSoon();
      monitor.evaluateSoon();
      await vi.advanceTimersByTimeAsync(0);
      expect(evaluations).toBe(1);
      monitor.evaluateSoon();
      monitor.evaluateSoon();
      await vi.advanceTimersByTimeAsync(alertAfterIngestMs - 1);
      expect(evaluations).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(evaluations).toBe(2);
      await monitor.close();
    } finally {
      vi.useRealTimers();
    }
  });

  describe('with a webhook', () => {
    let server: Server;
    const received: string[] = [];
    /** How the receiver answers the next requests: a status, or 'hang' (never). */
    const answers: (number | 'hang')[] = [];
    let url = '';

    beforeAll(async () => {
      server = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString()));
        request.on('end', () => {
          received.push(body);
          const answer = answers.shift() ?? 204;
          if (answer === 'hang') return;
          response.statusCode = answer;
          response.end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
    });

    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    const firing: Alert = {
      id: 'test.rule:rsa-2048',
      rule: 'test.rule',
      kind: 'threshold',
      severity: 'warning',
      title: 'a test alert',
      algorithm: 'rsa-2048',
      since: new Date(0).toISOString(),
      evidence: {} as Alert['evidence'],
    };

    async function monitorWith(timeout: number): Promise<AlertMonitor> {
      const config = { ...(await loadAlertRules(null)), webhook: { url, timeout } };
      return new AlertMonitor({ config, run: (() => Promise.resolve([firing])) as never, onChange: () => {} });
    }

    it('sends the alerts of a failed delivery again at the next evaluation, and not after a success', async () => {
      received.length = 0;
      answers.push(500, 204);
      const monitor = await monitorWith(5_000);
      try {
        for (let i = 0; i < 3; i += 1) {
          await monitor.evaluate();
          await monitor.webhooksSettled();
        }
      } finally {
        await monitor.close();
      }
      expect(received).toHaveLength(2);
      expect(JSON.parse(received[1]!).alerts.map((alert: Alert) => alert.id)).toEqual(['test.rule:rsa-2048']);
    });

    it("gives up on a receiver that does not answer after the rules file's timeout", async () => {
      received.length = 0;
      answers.push('hang', 204);
      const monitor = await monitorWith(200);
      try {
        await monitor.evaluate();
        // Without the rules file's 200 ms this waits for the 5 s default, past the test's own timeout.
        await monitor.webhooksSettled();
        await monitor.evaluate();
        await monitor.webhooksSettled();
      } finally {
        await monitor.close();
      }
      expect(received).toHaveLength(2);
    }, 4_000);
  });
});
