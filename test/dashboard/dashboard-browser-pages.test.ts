/**
 * The dashboard app in headless Chromium against a real server on fixture data: every page loads without
 * console or page errors, the charts draw, a filter changes the numbers (and back undoes it), panels can be
 * hidden and moved, hostile strings from the data render as text, an error group is resolved from the page,
 * the exported HTML renders its snapshot offline, and a request without the token gets 401.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AnalyticsEvent } from '../../src/analytics/events/types.js';
import type { AnalyticsPaths } from '../../src/analytics/events/paths.js';
import type { AlertsData, UsageData } from '../../src/dashboard/http/api-types.js';
import { type RunningDashboard, startDashboard } from '../../src/dashboard/index.js';
import { openStore } from '../../src/store/open-store.js';
import { recordAt, repoRoot, sampleEvents, tempAnalyticsPaths } from '../support/analytics-fixtures.js';
import { browserAvailability, launchChromium, type LaunchedBrowser } from '../support/browser.js';
import { makeRun } from '../support/store-fixtures.js';

const browser = browserAvailability();
const hostile = '<img src=x onerror="window.__pwned=1">';
const hostileFingerprint = 'aaaaaaaaaaaaaaaa';
const usagePanels = ['algorithms', 'features', 'sessions', 'flows'];

/** The little of the DOM the page functions use (the tests compile without the DOM library). */
interface PageGlobals {
  __pwned?: unknown;
  document: { querySelectorAll(selector: string): ArrayLike<unknown> };
}

interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

/** Pixels with any ink on each canvas matching `selector`. */
function inkOf(page: Page, selector: string): Promise<number[]> {
  return page.$$eval(selector, (canvases) =>
    (canvases as unknown as CanvasLike[]).map((canvas) => {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let drawn = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) drawn++;
      return drawn;
    }),
  );
}

const minuteMs = 60_000;

/**
 * Ten keys in the last ten hours (6 ed25519, 4 rsa-2048) with their timings, two sessions' commands, and two
 * error groups, one of them with a message that is markup.
 */
async function seed(paths: AnalyticsPaths, now: number): Promise<void> {
  const events: { event: AnalyticsEvent; time: number }[] = [];
  const algorithms = ['ed25519', 'ed25519', 'rsa-2048', 'ed25519', 'rsa-2048', 'ed25519', 'ed25519', 'rsa-2048', 'ed25519', 'rsa-2048'];
  algorithms.forEach((algorithm, i) => {
    const time = now - (10 - i) * 55 * minuteMs;
    events.push({ event: { type: 'api.call', scope: 'usage', api: 'generateKeyPairSync', algorithm, outcome: 'ok' }, time });
    events.push({
      event: {
        type: 'keygen.timing',
        scope: 'performance',
        api: 'generateKeyPairSync',
        algorithm,
        implementation: 'keyscope',
        outcome: 'ok',
        durationNs: algorithm === 'rsa-2048' ? 40_000_000 + i * 1_000_000 : 30_000 + i * 1_000,
        cycles: null,
      },
      time: time + 1,
    });
  });
  events.push({ event: { ...sampleEvents.command, options: ['--format'] }, time: now - 30 * minuteMs });
  events.push({ event: { ...sampleEvents.command, command: 'bench', options: [] }, time: now - 29 * minuteMs });
  events.push({
    event: { ...sampleEvents.error, algorithm: 'rsa-2048', code: 'KS_OPENSSL', errorType: 'OpenSSLError', message: hostile, fingerprint: hostileFingerprint, openssl: [], stack: [...sampleEvents.error.stack] },
    time: now - 20 * minuteMs,
  });
  events.push({ event: { ...sampleEvents.error, algorithm: 'ed25519', openssl: [], stack: [...sampleEvents.error.stack] }, time: now - 15 * minuteMs });
  // A built-in security rule fires on weak parameters: an alert for the Overview's panel.
  events.push({ event: { ...sampleEvents.weakParameters }, time: now - 10 * minuteMs });
  await recordAt(paths, events);
}

describe.skipIf(!browser.available && !browser.required)(`dashboard pages in a browser (${browser.reason})`, () => {
  let launched: LaunchedBrowser;
  let page: Page;
  let dashboard: RunningDashboard;
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const failedRequests: string[] = [];

  const open = async (hash: string) => {
    await page.goto(`${dashboard.origin}/${hash}`, { waitUntil: 'load' });
  };
  const text = (testid: string) => page.getByTestId(testid).first().textContent();

  beforeAll(async () => {
    // The bundle under test is the one in this tree, not whatever an earlier build left in dist/.
    execFileSync(process.execPath, ['scripts/build-dashboard-ui.mjs'], { cwd: repoRoot, stdio: 'ignore' });
    const paths = tempAnalyticsPaths('keyscope-dashboard-pages-');
    const now = Date.now();
    await seed(paths, now);
    // Two stored bench runs in the range: a history and a comparison for the Performance page.
    const storePath = join(paths.home, 'runs.duckdb');
    const store = await openStore(storePath);
    await store.saveRun(makeRun({ seed: 1, samples: 200, startedAt: new Date(now - 3 * 60 * minuteMs).toISOString() }));
    await store.saveRun(makeRun({ seed: 2, samples: 200, label: 'candidate', startedAt: new Date(now - 60 * minuteMs).toISOString() }));
    await store.close();
    dashboard = await startDashboard({ port: 0, paths, storePath, rulesFile: null });
    launched = await launchChromium();
    page = await launched.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) failedRequests.push(`${response.status()} ${response.url()}`);
    });
    // The printed URL: the token is swapped for a cookie and dropped from the address.
    await page.goto(dashboard.url, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await launched?.close();
    await dashboard?.close();
  });

  it('opens on the overview with the seeded numbers and a canonical URL without the token', async () => {
    expect(page.url()).not.toContain('token=');
    await expect.poll(() => text('kpi-keys-value'), { timeout: 10_000 }).toBe('10');
    expect(new URL(page.url()).hash).toBe('#/overview?range=24h');
    await expect.poll(() => page.getByTestId('live-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('live');
  });

  it('shows the firing alerts with their evidence on the overview', async () => {
    await open('#/overview?range=24h');
    const alert = page.getByTestId('alert').first();
    await alert.waitFor({ timeout: 10_000 });
    const evidence = await alert.getByTestId('alert-evidence').textContent();
    for (const label of ['Metric', 'Value', 'Baseline', 'Window', 'Since', 'Rule']) expect(evidence).toContain(label);
    expect(await alert.textContent()).toContain('rsa-1024');
    expect(await page.getByTestId('kpi-alerts-value').textContent()).not.toBe('0');
  });

  it('loads every page with no console or page errors and no failed request', async () => {
    for (const name of ['performance', 'errors', 'usage', 'system', 'overview']) {
      await page.getByTestId(`nav-${name}`).click();
      await page.getByTestId(`page-${name}`).waitFor({ timeout: 10_000 });
      await expect.poll(() => page.getByTestId('loading').count(), { timeout: 10_000 }).toBe(0);
      expect(await page.getByTestId('failure').count()).toBe(0);
      expect(new URL(page.url()).hash).toMatch(new RegExp(`^#/${name}\\?range=24h`));
    }
    expect(failedRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('draws the charts: the canvases have ink', async () => {
    await open('#/overview?range=24h');
    await page.locator('[data-testid=chart-keys] canvas').waitFor({ timeout: 10_000 });
    await expect.poll(async () => (await inkOf(page, '[data-testid=chart-keys] canvas'))[0], { timeout: 10_000 }).toBeGreaterThan(200);
    await open('#/performance?range=24h');
    await expect.poll(() => page.locator('[data-testid=chart-latency] canvas').count(), { timeout: 10_000 }).toBe(2);
    const ink = await inkOf(page, '[data-testid=chart-latency] canvas');
    expect(ink.every((pixels) => pixels > 200)).toBe(true);
    // The bench history (two runs, one point each per case) and the newest run compared with the older one.
    await expect.poll(async () => (await inkOf(page, '[data-testid=chart-bench] canvas'))[0], { timeout: 10_000 }).toBeGreaterThan(50);
    expect(await page.locator('[data-testid=bench-runs] tbody tr').count()).toBe(2);
    expect(await page.locator('[data-testid=comparison-table] tbody tr').count()).toBeGreaterThan(0);
    // The two seeded algorithms, each with its own chart.
    expect(await page.getByTestId('latency-chart').allTextContents()).toEqual([expect.stringContaining('ed25519'), expect.stringContaining('rsa-2048')]);
  });

  it('a filter changes the numbers, and back undoes it', async () => {
    await open('#/overview?range=24h');
    await expect.poll(() => text('kpi-keys-value'), { timeout: 10_000 }).toBe('10');
    await expect.poll(() => page.locator('[data-testid=filter-algorithm] option').allTextContents(), { timeout: 10_000 }).toEqual(['All', 'ed25519', 'rsa-1024', 'rsa-2048']);
    await page.getByTestId('filter-algorithm').selectOption('rsa-2048');
    await expect.poll(() => text('kpi-keys-value'), { timeout: 10_000 }).toBe('4');
    expect(new URL(page.url()).hash).toBe('#/overview?range=24h&algorithm=rsa-2048');
    expect(await page.locator('[data-testid=top-algorithms] tbody tr').allTextContents()).toEqual([expect.stringContaining('rsa-2048')]);
    await page.goBack();
    await expect.poll(() => text('kpi-keys-value'), { timeout: 10_000 }).toBe('10');
    await page.goForward();
    await expect.poll(() => text('kpi-keys-value'), { timeout: 10_000 }).toBe('4');
    // A range without the seeded keys: the numbers go to zero and the charts say so instead of drawing nothing.
    await page.getByTestId('range').selectOption('15m');
    await expect.poll(() => text('kpi-keys-value'), { timeout: 10_000 }).toBe('0');
    expect(await page.locator('[data-testid=panel-keys] [data-testid=empty]').textContent()).toBe('No data in this range.');
  });

  it('hides panels and moves them, and the URL keeps the choice', async () => {
    await open('#/overview?range=24h');
    await page.getByTestId('panel-kpis').waitFor({ timeout: 10_000 });
    await page.locator('[data-testid=panels-menu] summary').click();
    await page.getByTestId('panel-toggle-keys').uncheck();
    await expect.poll(() => page.getByTestId('panel-keys').count()).toBe(0);
    await page.getByTestId('panel-up-algorithms').click();
    const expected = ['kpis', 'algorithms', 'errors', 'alerts', 'recommendations'];
    await expect.poll(() => page.locator('.panels > section').evaluateAll((sections) => sections.map((s) => (s as unknown as { dataset: { testid: string } }).dataset.testid))).toEqual(expected.map((id) => `panel-${id}`));
    expect(new URLSearchParams(new URL(page.url()).hash.split('?')[1]).get('panels')).toBe(expected.join(','));
    // The URL alone brings the same arrangement back.
    await page.reload({ waitUntil: 'load' });
    await expect.poll(() => page.locator('.panels > section').count(), { timeout: 10_000 }).toBe(5);
    expect(await page.getByTestId('panel-keys').count()).toBe(0);
  });

  it('renders hostile strings from the data as text and resolves an error group', async () => {
    await open('#/errors?range=24h');
    const row = page.locator(`[data-testid=error-group][data-fingerprint=${hostileFingerprint}]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.getByTestId('error-group-message').textContent()).toBe(hostile);
    expect(await page.locator('[data-testid=error-groups] img').count()).toBe(0);
    await row.click();
    const detail = page.getByTestId('error-detail');
    await expect.poll(() => detail.getByTestId('error-detail-message').textContent(), { timeout: 10_000 }).toBe(hostile);
    expect(await detail.getByTestId('error-status').textContent()).toBe('open');
    await detail.getByTestId('error-resolve').click();
    await expect.poll(() => detail.getByTestId('error-status').textContent(), { timeout: 10_000 }).toBe('resolved');
    await expect.poll(() => row.getByTestId('error-status').textContent(), { timeout: 10_000 }).toBe('resolved');
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned)).toBeUndefined();
  });

  it('exports the view as an HTML file that renders its snapshot offline', async () => {
    // The view as the toolbar's button names it, with a panel order of its own.
    const response = await page.request.get(`${dashboard.origin}/export.html?page=errors&range=24h&panels=groups,over-time`);
    expect(response.status()).toBe(200);
    const file = join(mkdtempSync(join(tmpdir(), 'keyscope-export-')), 'dashboard.html');
    writeFileSync(file, await response.body());
    const exported = await launched.context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    exported.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    exported.on('pageerror', (error) => errors.push(error.message));
    exported.on('request', (request) => requests.push(request.url()));
    try {
      await exported.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      await exported.getByTestId('page-errors').waitFor({ timeout: 10_000 });
      expect(await exported.getByTestId('app').getAttribute('data-mode')).toBe('snapshot');
      const row = exported.locator(`[data-testid=error-group][data-fingerprint=${hostileFingerprint}]`);
      await row.waitFor({ timeout: 10_000 });
      expect(await row.getByTestId('error-group-message').textContent()).toBe(hostile);
      expect(await exported.locator('.panels > section').count()).toBe(2);
      expect(await exported.locator('.panels > section').first().getAttribute('data-testid')).toBe('panel-groups');
      await exported.locator('[data-testid=chart-errors-over-time] canvas').waitFor({ timeout: 10_000 });
      await expect.poll(async () => (await inkOf(exported, '[data-testid=chart-errors-over-time] canvas'))[0], { timeout: 10_000 }).toBeGreaterThan(100);
      // Read-only: no saving, no export, no live stream; the file fetches nothing.
      expect(await exported.getByTestId('views-menu').count()).toBe(0);
      expect(await exported.getByTestId('export-html').count()).toBe(0);
      expect(await exported.getByTestId('live-status').count()).toBe(0);
      expect(requests).toEqual([pathToFileURL(file).href]);
      expect(await exported.evaluate(() => (globalThis as unknown as PageGlobals).__pwned)).toBeUndefined();
      expect(errors).toEqual([]);
    } finally {
      await exported.close();
    }
  });

  it('links the CSV export of the current view', async () => {
    await open('#/overview?range=7d&algorithm=ed25519');
    const href = await page.getByTestId('export-csv').getAttribute('href');
    expect(href).toBe('/api/export.csv?page=overview&range=7d&algorithm=ed25519');
    const csv = await page.request.get(`${dashboard.origin}${href}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    expect(await page.getByTestId('export-html').getAttribute('href')).toBe('/export.html?page=overview&range=7d&algorithm=ed25519');
  });

  it('says on each panel which set filters its numbers ignore, live and in a snapshot', async () => {
    const usageQuery = 'range=24h&implementation=keyscope';
    // What the server says each Usage panel honours: the notes must agree with it.
    const usage = (await (await page.request.get(`${dashboard.origin}/api/usage?${usageQuery}`)).json()) as UsageData;
    const expected = usagePanels.filter((id) => !(usage.appliedFilters[id] ?? []).includes('implementation'));
    // No Usage panel can honour it: api.calls, sessions, features and command flows carry no implementation.
    expect(expected).toEqual(usagePanels);
    const noted = (target: Page) =>
      target.locator('.panels > section').evaluateAll((sections) =>
        (sections as unknown as { dataset: { testid: string }; querySelector(s: string): { textContent: string } | null }[])
          .filter((section) => section.querySelector('[data-testid=panel-filter-note]'))
          .map((section) => `${section.dataset.testid.replace(/^panel-/, '')}: ${section.querySelector('[data-testid=panel-filter-note]')!.textContent}`),
      );

    await open('#/usage?range=24h');
    await expect.poll(() => page.locator('[data-testid=filter-implementation] option').allTextContents(), { timeout: 10_000 }).toEqual(['All', 'keyscope']);
    await expect.poll(() => page.getByTestId('loading').count(), { timeout: 10_000 }).toBe(0);
    // No filter set: nothing to say.
    expect(await page.getByTestId('panel-filter-note').count()).toBe(0);
    await page.getByTestId('filter-implementation').selectOption('keyscope');
    expect(new URL(page.url()).hash).toBe(`#/usage?${usageQuery}`);
    await expect.poll(() => noted(page), { timeout: 10_000 }).toEqual(expected.map((id) => `${id}: not filtered by: implementation`));
    // A filter a panel honours is not named on it: the algorithm share is narrowed by algorithm, the rest are not.
    await page.getByTestId('filter-algorithm').selectOption('ed25519');
    await expect.poll(() => noted(page), { timeout: 10_000 }).toEqual([
      'algorithms: not filtered by: implementation',
      'features: not filtered by: algorithm, implementation',
      'sessions: not filtered by: algorithm, implementation',
      'flows: not filtered by: algorithm, implementation',
    ]);

    // The exported snapshot carries the same lists and says the same.
    const response = await page.request.get(`${dashboard.origin}/export.html?page=usage&${usageQuery}`);
    expect(response.status()).toBe(200);
    const file = join(mkdtempSync(join(tmpdir(), 'keyscope-export-')), 'usage.html');
    writeFileSync(file, await response.body());
    const exported = await launched.context.newPage();
    try {
      await exported.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      await exported.getByTestId('page-usage').waitFor({ timeout: 10_000 });
      await expect.poll(() => noted(exported), { timeout: 10_000 }).toEqual(expected.map((id) => `${id}: not filtered by: implementation`));
    } finally {
      await exported.close();
    }
  });

  it('refetches at most once per key while a request is in flight, then once more for the changes it missed', async () => {
    // A page of its own whose live stream and overview answers the test controls.
    const mocked = await launched.context.newPage();
    const overviewRequests: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let seen!: () => void;
    const firstSeen = new Promise<void>((resolve) => (seen = resolve));
    try {
      await mocked.route(
        (url) => url.pathname === '/api/overview',
        async (route) => {
          overviewRequests.push(route.request().url());
          if (overviewRequests.length === 1) {
            seen();
            await released;
          }
          await route.continue();
        },
      );
      // Three changes in a row, sent while the first overview request is still held; then the stream ends
      // and would reconnect only after ten minutes.
      await mocked.route(
        (url) => url.pathname === '/api/live',
        async (route) => {
          await firstSeen;
          const change = `event: change\ndata: ${JSON.stringify({ ingested: 1, newestEvent: null, kinds: ['events'] })}\n\n`;
          await route.fulfill({ status: 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store' }, body: `retry: 600000\n\n${change.repeat(3)}` });
        },
      );
      await mocked.goto(`${dashboard.origin}/#/overview?range=24h`, { waitUntil: 'load' });
      await expect.poll(() => mocked.getByTestId('last-update').textContent(), { timeout: 10_000 }).toMatch(/^updated /);
      // Let the app react to the changes (render, effects); no request may start while the first one runs.
      await mocked.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)));
      expect(overviewRequests).toHaveLength(1);
      release();
      // The held answer lands, and exactly one refetch follows for the three changes it missed.
      await expect.poll(() => overviewRequests.length, { timeout: 10_000 }).toBe(2);
      await expect.poll(() => mocked.getByTestId('kpi-keys-value').textContent(), { timeout: 10_000 }).toBe('10');
      await expect.poll(() => mocked.getByTestId('loading').count(), { timeout: 10_000 }).toBe(0);
      await mocked.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)));
      expect(overviewRequests).toHaveLength(2);
      expect(new Set(overviewRequests).size).toBe(1);
    } finally {
      release();
      await mocked.close();
    }
  });

  it('says when alerts were not evaluated yet, or why the evaluation failed, as text', async () => {
    const mocked = await launched.context.newPage();
    let answer: AlertsData = { evaluatedAt: null, error: null, alerts: [], rulesFile: null };
    try {
      await mocked.route(
        (url) => url.pathname === '/api/alerts',
        (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(answer) }),
      );
      const alertsPanel = mocked.getByTestId('panel-alerts');
      await mocked.goto(`${dashboard.origin}/#/overview?range=24h&panels=alerts`, { waitUntil: 'load' });
      await expect.poll(() => alertsPanel.getByTestId('empty').textContent(), { timeout: 10_000 }).toBe('Alerts not evaluated yet.');

      answer = { evaluatedAt: null, error: { code: 'KS_ALERT_RULES_INVALID', message: hostile }, alerts: [], rulesFile: null };
      await mocked.reload({ waitUntil: 'load' });
      await expect.poll(() => alertsPanel.getByTestId('alerts-error').textContent(), { timeout: 10_000 }).toContain(hostile);
      expect(await alertsPanel.getByTestId('alerts-error').textContent()).toContain('KS_ALERT_RULES_INVALID');
      expect(await alertsPanel.getByTestId('empty').count()).toBe(0);
      expect(await alertsPanel.locator('img').count()).toBe(0);
      expect(await mocked.evaluate(() => (globalThis as unknown as PageGlobals).__pwned)).toBeUndefined();

      // After a success the panel says that nothing fires, and when.
      answer = { evaluatedAt: new Date().toISOString(), error: null, alerts: [], rulesFile: null };
      await mocked.reload({ waitUntil: 'load' });
      await expect.poll(() => alertsPanel.getByTestId('empty').textContent(), { timeout: 10_000 }).toMatch(/^No alert is firing \(evaluated /);
    } finally {
      await mocked.close();
    }
  });

  it('keeps the typed name and shows the error when saving a view fails', async () => {
    const mocked = await launched.context.newPage();
    let failSaves = true;
    try {
      await mocked.route(
        (url) => url.pathname.startsWith('/api/views/'),
        (route) =>
          failSaves && route.request().method() === 'PUT'
            ? route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'KS_DASHBOARD_INTERNAL', message: 'could not write the views file: disk full' } }) })
            : route.continue(),
      );
      await mocked.goto(`${dashboard.origin}/#/usage?range=24h`, { waitUntil: 'load' });
      await mocked.locator('[data-testid=views-menu] summary').click();
      const menu = mocked.getByTestId('views-menu');
      await menu.getByTestId('view-name').fill('usage today');
      await menu.getByTestId('view-save').click();
      await expect.poll(() => menu.getByTestId('failure').textContent(), { timeout: 10_000 }).toContain('disk full');
      expect(await menu.getByTestId('view-name').inputValue()).toBe('usage today');
      // The same name, saved again once the server can: it is kept, and the form is cleared.
      failSaves = false;
      await menu.getByTestId('view-save').click();
      await expect.poll(() => menu.getByTestId('saved-view').getAttribute('data-name'), { timeout: 10_000 }).toBe('usage today');
      expect(await menu.getByTestId('view-name').inputValue()).toBe('');
      expect(await menu.getByTestId('failure').count()).toBe(0);
      await menu.getByTestId('view-delete').click();
      await expect.poll(() => menu.getByTestId('saved-view').count(), { timeout: 10_000 }).toBe(0);
    } finally {
      await mocked.close();
    }
  });

  it('answers 401 to a browser without the token', async () => {
    await launched.context.clearCookies();
    const response = await page.goto(`${dashboard.origin}/`, { waitUntil: 'load' });
    expect(response?.status()).toBe(401);
    expect(await page.request.get(`${dashboard.origin}/api/overview`).then((r) => r.status())).toBe(401);
    const wrong = await page.goto(`${dashboard.origin}/?token=not-the-token`, { waitUntil: 'load' });
    expect(wrong?.status()).toBe(401);
    // The data never reached the page.
    expect(await page.locator('body').textContent()).not.toContain('ed25519');
  });
});
