/**
 * The run store is shared too: while a real `keyscope dashboard` reads it for its Performance page (over and
 * over, as an open tab does), `runs import` and `runs delete` write it and `runs list` reads it, each as its own
 * process, and none is refused; the dashboard sees each change.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { PerformanceData } from '../../src/dashboard/http/api-types.js';
import { openStore } from '../../src/store/index.js';
import { tempAnalyticsPaths } from '../support/analytics-fixtures.js';
import { killCliProcesses, run, startDashboardProcess } from '../support/cli-processes.js';
import { makeRun } from '../support/store-fixtures.js';

afterEach(killCliProcesses);

const hourMs = 3_600_000;

describe('the run store while the dashboard runs', () => {
  it('lets runs import, list and delete work while the dashboard reads the store', async () => {
    const paths = tempAnalyticsPaths('keyscope-dashboard-store-');
    const now = Date.now();
    const first = makeRun({ id: '11111111-1111-4111-8111-111111111111', seed: 1, samples: 200, startedAt: new Date(now - 3 * hourMs).toISOString() });
    const second = makeRun({ id: '22222222-2222-4222-8222-222222222222', seed: 2, samples: 200, startedAt: new Date(now - 2 * hourMs).toISOString() });
    const store = await openStore(join(paths.home, 'runs.duckdb'));
    await store.saveRun(first);
    await store.close();
    const elsewhere = await openStore(join(mkdtempSync(join(tmpdir(), 'keyscope-other-store-')), 'runs.duckdb'));
    await elsewhere.saveRun(second);
    const exported = join(paths.home, 'second.json');
    await elsewhere.exportRun(second.id, exported);
    await elsewhere.close();

    const dashboard = await startDashboardProcess(paths);
    const benchRuns = async () => (await dashboard.get<PerformanceData>('/api/performance?range=24h')).benchRuns.map((r) => r.id);
    expect(await benchRuns()).toEqual([first.id]);
    let polling = true;
    const polls = (async () => {
      let answered = 0;
      while (polling) {
        await benchRuns();
        answered++;
      }
      return answered;
    })();
    try {
      for (const args of [['runs', 'import', exported], ['runs', 'list', '--json'], ['runs', 'delete', first.id], ['runs', 'list', '--json']]) {
        const result = await run(args, paths);
        expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
        expect(result.stderr).not.toMatch(/KS_/);
      }
    } finally {
      polling = false;
    }
    expect(await polls).toBeGreaterThan(0);
    const listed = JSON.parse((await run(['runs', 'list', '--json'], paths)).stdout) as { id: string }[];
    expect(listed.map((r) => r.id)).toEqual([second.id]);
    await expect.poll(benchRuns, { timeout: 10_000 }).toEqual([second.id]);
    expect((await dashboard.stop()).code).toBe(0);
    // Real processes contending for one store: about 20 s alone under the sanitizers, and CI runs two test files
    // at once; the bound is for a hang, not a speed.
  }, 180_000);
});
