/**
 * Every dashboard page in headless Chromium over data from real runs (test/fixtures/dashboard: two quick bench
 * runs with RSA's unbounded intervals, two sessions hours apart with failed ml-kem-768 requests) and over no data
 * at all: no page or console error anywhere, and every panel shows data or says why it is empty. Over the real
 * data, the numbers and charts are checked against the fixture: the comparison's intervals and their level, keys
 * counted from successful generations only, charts with gaps for empty buckets and the selected range as x axis,
 * and one operation filter entry per operation.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { FilterOptionsData, OverviewData, PerformanceData } from '../../src/dashboard/http/api-types.js';
import { type RunningDashboard, startDashboard } from '../../src/dashboard/index.js';
import { repoRoot, tempAnalyticsPaths } from '../support/analytics-fixtures.js';
import { browserAvailability, launchChromium, type LaunchedBrowser } from '../support/browser.js';
import { realDataHome, type RealDataHome } from '../support/dashboard-real-data.js';

const browser = browserAvailability();
/** The start of the UTC hour holding `iso`, Unix seconds: where an hour-bucketed chart's axis begins. */
const hourStart = (iso: string) => Math.floor(Date.parse(iso) / 3_600_000) * 3600;
const pages = ['overview', 'performance', 'errors', 'usage', 'system'] as const;

/** The little of the DOM the page functions use (the tests compile without the DOM library). */
interface ElementLike {
  dataset: Record<string, string>;
  textContent: string | null;
  querySelector(selector: string): ElementLike | null;
  querySelectorAll(selector: string): ArrayLike<ElementLike>;
}

/**
 * Per panel of the page: "data", "empty: <what it says>", or what is wrong with it (still loading, failed, a
 * table without rows, nothing at all).
 */
function panelStates(page: Page): Promise<Record<string, string>> {
  return page.locator('.panels > section').evaluateAll((sections) => {
    const states: Record<string, string> = {};
    for (const section of sections as unknown as ElementLike[]) {
      const id = section.dataset['testid']!.replace(/^panel-/, '');
      const has = (selector: string) => section.querySelector(selector) !== null;
      const tables = Array.from(section.querySelectorAll('table'));
      let state: string;
      if (has('[data-testid=loading]')) state = 'loading';
      else if (has('[data-testid=failure]')) state = `failure: ${section.querySelector('[data-testid=failure]')!.textContent}`;
      else if (tables.some((table) => table.querySelectorAll('tbody tr').length === 0)) state = 'a table without rows';
      else if (has('.chart') && !has('.chart canvas')) state = 'a chart not drawn';
      else if (has('[data-testid=empty]')) {
        const text = section.querySelector('[data-testid=empty]')!.textContent ?? '';
        state = text.trim() === '' ? 'empty, saying nothing' : `empty: ${text}`;
      } else if (tables.length > 0 || has('canvas') || has('.kpis') || has('.facts') || has('[data-testid=alert]') || has('[data-testid=recommendation]')) state = 'data';
      else state = 'nothing';
      states[id] = state;
    }
    return states;
  });
}

/** What the page's uPlot charts hold: their x scale and series data (read from the plot the chart exposes). */
interface PlotState {
  testid: string;
  xMin: number;
  xMax: number;
  x: number[];
  series: { label: string; spanGaps: boolean; values: (number | null)[] }[];
}

function plots(page: Page, testid: string): Promise<PlotState[]> {
  return page.locator(`[data-testid=${testid}]`).evaluateAll((elements) =>
    (elements as unknown as { dataset: Record<string, string>; uplot?: { scales: { x: { min: number; max: number } }; data: (number | null)[][]; series: { label: string; spanGaps?: boolean }[] } }[])
      .filter((element) => element.uplot !== undefined)
      .map((element) => {
        const plot = element.uplot!;
        return {
          testid: element.dataset['testid']!,
          xMin: plot.scales.x.min,
          xMax: plot.scales.x.max,
          x: plot.data[0] as number[],
          series: plot.series.slice(1).map((series, i) => ({ label: series.label, spanGaps: series.spanGaps === true, values: plot.data[i + 1]! })),
        };
      }),
  );
}

/** Opens each page and collects its panel states once nothing is loading. */
async function visitEveryPage(page: Page, origin: string, query: string): Promise<Record<string, Record<string, string>>> {
  const seen: Record<string, Record<string, string>> = {};
  for (const name of pages) {
    await page.goto(`${origin}/#/${name}?${query}`, { waitUntil: 'load' });
    await page.getByTestId(`page-${name}`).waitFor({ timeout: 10_000 });
    await expect.poll(() => page.locator('[data-testid=loading], .panels > section .chart:not(:has(canvas))').count(), { timeout: 10_000 }).toBe(0);
    seen[name] = await panelStates(page);
    // A number that is not one never reaches the page as text.
    seen[name]['(page text)'] = /\b(NaN|Infinity|undefined|null)\b/.exec((await page.getByTestId(`page-${name}`).textContent()) ?? '')?.[0] ?? 'data';
  }
  return seen;
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()} ${response.url()}`);
  });
  return errors;
}

describe.skipIf(!browser.available && !browser.required)(`dashboard pages over real data (${browser.reason})`, () => {
  let launched: LaunchedBrowser;
  let page: Page;
  let dashboard: RunningDashboard;
  let real: RealDataHome;
  let errors: string[];
  const now = Date.now();

  const api = async <T>(path: string): Promise<T> => (await page.request.get(`${dashboard.origin}${path}`)).json() as Promise<T>;

  beforeAll(async () => {
    // The bundle under test is the one in this tree, not whatever an earlier build left in dist/.
    execFileSync(process.execPath, ['scripts/build-dashboard-ui.mjs'], { cwd: repoRoot, stdio: 'ignore' });
    real = await realDataHome(now);
    dashboard = await startDashboard({ port: 0, paths: real.paths, storePath: real.storePath, rulesFile: null });
    launched = await launchChromium();
    page = await launched.context.newPage();
    errors = watchErrors(page);
    await page.goto(dashboard.url, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await launched?.close();
    await dashboard?.close();
  });

  // Each try opens the page again and looks briefly: in three CI runs this first page once hung a whole minute
  // and once never showed its facts in 150 s, while every later test of the file passed in seconds. The suspect, a
  // hash change lost while the app started, is fixed in ui/app.ts but was not reproduced; the count is what this
  // test is for, so a lost navigation must not decide it.
  it('ingested every fixture event', async () => {
    const database = async () => {
      await page.goto(`${dashboard.origin}/#/system?range=24h`, { waitUntil: 'load' });
      return page.getByTestId('facts-database').textContent({ timeout: 3_000 }).catch(() => '');
    };
    await expect.poll(database, { timeout: 60_000 }).toContain(`Events${real.events.length}`);
  }, 90_000);

  it('loads every page with no error, every panel showing data or saying why it is empty', async () => {
    const seen = await visitEveryPage(page, dashboard.origin, 'range=24h');
    expect(errors).toEqual([]);
    for (const [name, panels] of Object.entries(seen)) {
      for (const [id, state] of Object.entries(panels)) expect(`${name}/${id}: ${state}`).toMatch(/: (data|empty: .+)$/);
    }
    // The real data fills the panels that have something to show.
    expect(seen['performance']).toMatchObject({ latency: 'data', success: 'data', 'bench-history': 'data', comparison: 'data' });
    // The only failed requests in the real data (ml-kem-768 on OpenSSL 3.0) are refused inputs, outcomes rather
    // than failures keyscope or OpenSSL caused (errors.ts errorCodeKinds): the error panels say there are none.
    expect(seen['errors']).toMatchObject({ 'over-time': 'empty: No errors in this range.', groups: 'empty: No data in this range.' });
    expect(seen['usage']).toMatchObject({ algorithms: 'data', features: 'data', sessions: 'data', flows: 'data' });
  });

  it("shows the comparison with each interval's own confidence level and unbounded intervals in words", async () => {
    const performance = await api<PerformanceData>('/api/performance?range=24h');
    const comparison = performance.comparison!;
    expect(comparison.baseline).toBe(real.runIds[0]);
    expect(comparison.candidate).toBe(real.runIds[1]);
    // Every row named apart: the same case with another algorithm or thread count is another row.
    expect(new Set(comparison.cases.map((row) => row.case)).size).toBe(comparison.cases.length);
    // Quick runs time RSA 3 times a side: no interval at the confidence asked.
    const open = comparison.cases.filter((row) => row.interval.high === null);
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((row) => row.case.includes('rsa-2048'))).toBe(true);

    await page.goto(`${dashboard.origin}/#/performance?range=24h`, { waitUntil: 'load' });
    const table = page.getByTestId('comparison-table');
    await table.waitFor({ timeout: 10_000 });
    // The run's 1% is shared among the cases compared (Bonferroni); RSA cases are judged per key and per
    // candidate, each at half a case's share: two interval levels side by side.
    const percent = (confidence: number) => `${Number((confidence * 100).toPrecision(4))} %`;
    const rsa = comparison.cases.find((row) => row.case.includes('rsa-2048'))!;
    const ec = comparison.cases.find((row) => row.case.includes('ec-p256'))!;
    expect(1 - ec.confidence).toBeCloseTo(2 * (1 - rsa.confidence), 12);
    expect(ec.confidence).toBeGreaterThan(0.99);
    expect(await table.locator('thead').textContent()).not.toMatch(/\d %/);
    const rows = await table.locator('tbody tr').evaluateAll((trs) =>
      (trs as unknown as ElementLike[]).map((tr) => ({
        case: tr.querySelector('td')!.textContent,
        interval: tr.querySelector('[data-testid=comparison-interval]')!.textContent!.replace(/ \(.*\)$/, ''),
        level: tr.querySelector('[data-testid=comparison-level]')?.textContent,
      })),
    );
    expect(rows).toHaveLength(comparison.cases.length);
    for (const row of rows) {
      const data = comparison.cases.find((c) => c.case === row.case)!;
      expect(row.level).toBe(`(${percent(data.confidence)})`);
      if (data.interval.high === null) {
        expect(row.interval).toMatch(data.interval.moreSamplesNeeded === null ? /^not bounded$/ : /^too few samples: [\d,]+ more needed$/);
      } else {
        expect(row.interval).toMatch(/^\d+\.\d{3}× – \d+\.\d{3}×$/);
      }
      expect(row.interval).not.toMatch(/\?|-100|null|NaN|Infinity/);
    }
  });

  it('counts keys from successful generations only, never the failed requests', async () => {
    const generated = real.events.filter((event) => event.type === 'api.call' && String(event['api']).startsWith('generateKeyPair'));
    const failed = generated.filter((event) => event['outcome'] === 'error');
    expect(failed.length).toBeGreaterThan(0);
    const keys = generated.length - failed.length;
    const overview = await api<OverviewData>('/api/overview?range=24h');
    expect(overview.totals.keys).toBe(keys);
    expect(overview.keysOverTime.reduce((sum, point) => sum + point.value, 0)).toBe(keys);
    expect(overview.topAlgorithms.map((row) => row.algorithm)).not.toContain('ml-kem-768');
    await page.goto(`${dashboard.origin}/#/overview?range=24h`, { waitUntil: 'load' });
    await expect.poll(() => page.getByTestId('kpi-keys-value').textContent(), { timeout: 10_000 }).toBe(String(keys));
    await page.goto(`${dashboard.origin}/#/usage?range=24h`, { waitUntil: 'load' });
    await page.getByTestId('algorithm-share').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid=algorithm-share] tbody td:first-child').allTextContents()).not.toContain('ml-kem-768');
  });

  it('draws no line across empty buckets, and the x axis is the selected range', async () => {
    // Absolute ranges, so that the page and this test resolve the same one.
    const day = `${new Date(now - 24 * 3_600_000).toISOString()}..${new Date(now).toISOString()}`;
    const week = `${new Date(now - 7 * 24 * 3_600_000).toISOString()}..${new Date(now).toISOString()}`;
    const overview = await api<OverviewData>(`/api/overview?range=${day}`);
    await page.goto(`${dashboard.origin}/#/overview?range=${day}`, { waitUntil: 'load' });
    await expect.poll(async () => (await plots(page, 'chart-keys')).length, { timeout: 10_000 }).toBe(1);
    const [keys] = await plots(page, 'chart-keys');
    // The axis spans the range asked for (24 h, from the start of its first hour), not just the hours with data.
    expect(keys!.xMin).toBe(hourStart(overview.range.since));
    expect(keys!.xMax).toBe(Date.parse(overview.range.until) / 1000);
    // One x per hour bucket of the range, the empty ones null, and no line bridging them.
    expect(keys!.x.length).toBeGreaterThanOrEqual(24);
    const values = keys!.series[0]!.values;
    expect(values.filter((value) => value !== null).length).toBe(overview.keysOverTime.length);
    expect(values.filter((value) => value === null).length).toBeGreaterThan(0);
    expect(keys!.series[0]!.spanGaps).toBe(false);
    // The two sessions lie hours apart: between their buckets, only nulls.
    const filled = values.flatMap((value, i) => (value === null ? [] : [i]));
    expect(filled[filled.length - 1]! - filled[0]!).toBeGreaterThanOrEqual(4);
    expect(values.slice(filled[0]! + 1, filled[filled.length - 1]!).filter((value) => value !== null)).toEqual([]);

    // A single point (the bench runs, minutes apart) does not stretch the axis over years.
    await page.goto(`${dashboard.origin}/#/performance?range=${week}`, { waitUntil: 'load' });
    await expect.poll(async () => (await plots(page, 'chart-bench')).length, { timeout: 10_000 }).toBe(1);
    const performance = await api<PerformanceData>(`/api/performance?range=${week}`);
    const [bench] = await plots(page, 'chart-bench');
    expect(bench!.xMin).toBe(hourStart(performance.range.since));
    expect(bench!.xMax).toBe(Date.parse(performance.range.until) / 1000);
    for (const chart of await plots(page, 'chart-latency')) {
      expect([chart.xMin, chart.xMax]).toEqual([hourStart(performance.range.since), Date.parse(performance.range.until) / 1000]);
      expect(chart.series.every((series) => !series.spanGaps)).toBe(true);
    }
  });

  it('offers one filter entry per operation, marked API or command, and a refused request makes no error group', async () => {
    const filters = await api<FilterOptionsData>('/api/filters?range=24h');
    const names = filters.operations.map((operation) => operation.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.some((name) => name.startsWith('api ') || name.startsWith('cli '))).toBe(false);
    expect(filters.operations).toEqual(expect.arrayContaining([{ name: 'generateKeyPairSync', kind: 'api' }, { name: 'keygen', kind: 'command' }]));

    await page.goto(`${dashboard.origin}/#/errors?range=24h`, { waitUntil: 'load' });
    // A fresh load: the menu of the previous test's range cannot pass for this one's.
    await page.reload({ waitUntil: 'load' });
    const options = page.locator('[data-testid=filter-operation] option');
    await expect
      .poll(() => options.allTextContents(), { timeout: 10_000 })
      .toEqual(['All', ...filters.operations.map((operation) => `${operation.name} (${operation.kind === 'api' ? 'API' : 'command'})`)]);
    expect(await options.allTextContents()).toEqual(expect.arrayContaining(['generateKeyPairSync (API)', 'keygen (command)']));
    // The library's failed ml-kem-768 request (KS_UNSUPPORTED_ALGORITHM) is an outcome: the API's entry filters the
    // page, which lists no group for it (test/dashboard/dashboard-server-pages.test.ts shows the entry finding a failure's group).
    await page.getByTestId('filter-operation').selectOption('generateKeyPairSync');
    await expect.poll(() => page.url(), { timeout: 10_000 }).toContain('operation=generateKeyPairSync');
    await expect.poll(() => page.getByTestId('panel-groups').textContent(), { timeout: 10_000 }).toContain('No data in this range.');
    expect(await page.getByTestId('error-group').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});

describe.skipIf(!browser.available && !browser.required)(`dashboard pages over no data (${browser.reason})`, () => {
  let launched: LaunchedBrowser;
  let dashboard: RunningDashboard;

  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/build-dashboard-ui.mjs'], { cwd: repoRoot, stdio: 'ignore' });
    const paths = tempAnalyticsPaths('keyscope-dashboard-empty-');
    dashboard = await startDashboard({ port: 0, paths, storePath: join(paths.home, 'no-runs.duckdb'), rulesFile: null });
    launched = await launchChromium();
  });

  afterAll(async () => {
    await launched?.close();
    await dashboard?.close();
  });

  it('loads every page with no error, every panel saying why it is empty', async () => {
    const page = await launched.context.newPage();
    const errors = watchErrors(page);
    await page.goto(dashboard.url, { waitUntil: 'load' });
    const seen = await visitEveryPage(page, dashboard.origin, 'range=24h');
    expect(errors).toEqual([]);
    for (const [name, panels] of Object.entries(seen)) {
      for (const [id, state] of Object.entries(panels)) expect(`${name}/${id}: ${state}`).toMatch(/: (data|empty: .+)$/);
    }
    expect(seen['performance']).toMatchObject({
      latency: 'empty: No data in this range.',
      success: 'empty: No data in this range.',
      'bench-history': 'empty: No benchmark runs stored in this range (keyscope bench stores one).',
      comparison: 'empty: Fewer than two benchmark runs: nothing to compare.',
    });
  });
});
