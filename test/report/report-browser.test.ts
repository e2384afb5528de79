/**
 * The report in a real browser: headless Chromium opens the file from disk and must draw every chart, fetch
 * nothing, run no script from the data, and answer to the filter, hover, legend and its folded groups.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generateReport, writeReportFile } from '../../src/report/generate-report.js';
import { browserAvailability, launchChromium, type LaunchedBrowser } from '../support/browser.js';
import { handComparison, HOSTILE_CASE, makeHistory, makeReportRun } from '../support/report-fixtures.js';

const browser = browserAvailability();
const artifacts = resolve(import.meta.dirname, '..', '..', 'test-artifacts');

/** The little of the DOM the page functions use (this project compiles without the DOM library). */
interface PageGlobals {
  document: { querySelectorAll(selector: string): { length: number } };
  requestAnimationFrame(callback: () => void): number;
  __pwned?: unknown;
}

interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

/** Resolves after the page has painted a frame. */
function nextFrame(page: Page): Promise<unknown> {
  return page.evaluate(() => new Promise((done) => (globalThis as unknown as PageGlobals).requestAnimationFrame(() => done(null))));
}

/** Pixels of a canvas that are not background, and those close to a series colour. */
interface CanvasInk {
  width: number;
  height: number;
  drawn: number;
  blue: number;
  red: number;
}

function inkOf(page: Page, selector: string): Promise<CanvasInk[]> {
  return page.$$eval(selector, (canvases) =>
    (canvases as unknown as CanvasLike[]).map((canvas) => {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let drawn = 0;
      let blue = 0;
      let red = 0;
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
        if (a === 0) continue;
        drawn++;
        // The first two run colours of the report's palette: #2563eb and #dc2626.
        if (a > 200 && r < 90 && g < 140 && b > 200) blue++;
        if (a > 200 && r > 180 && g < 90 && b < 90) red++;
      }
      return { width: canvas.width, height: canvas.height, drawn, blue, red };
    }),
  );
}

/** What the comparison table shows: its groups' lines and the case rows visible under them. */
async function foldState(page: Page): Promise<{ groups: string[]; rows: number }> {
  return {
    groups: await page.locator('table.comparison tr.group-head:visible .group-toggle').allTextContents(),
    rows: await page.locator('table.comparison tr.case-row:visible').count(),
  };
}

describe.skipIf(!browser.available && !browser.required)(`report in a browser (${browser.reason})`, () => {
  let comparisonFolded: { groups: string[]; rows: number };
  let launched: LaunchedBrowser;
  let page: Page;
  let reportUrl: string;
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const baseline = makeReportRun({ id: '11111111-1111-4111-8111-111111111111', label: 'baseline', startedAt: '2025-03-20T10:00:00.000Z', seed: 1 });
    const measured = makeReportRun({ id: '22222222-2222-4222-8222-222222222222', label: 'candidate', startedAt: '2025-03-21T10:00:00.000Z', seed: 2, slowdown: 1.08 });
    const candidate = { ...measured, environment: { ...measured.environment, node: 'v20.20.2', kernel: '6.1.0-31-amd64' } };
    const comparison = handComparison(baseline, candidate);
    // One inconclusive case, to show how many samples would resolve it.
    const ec = comparison.cases.find((c) => c.key.case === 'ec-p256');
    if (ec?.state !== 'compared') throw new Error('fixture: ec-p256 should be compared');
    ec.verdict = 'inconclusive';
    ec.time = { ...ec.time, verdict: 'inconclusive', samplesToResolve: 48_000 };
    const { html } = generateReport({
      runs: [baseline, candidate],
      comparison,
      history: [...makeHistory(10), baseline, candidate],
      generatedAt: '2025-03-21T12:00:00.000Z',
    });
    mkdirSync(artifacts, { recursive: true });
    const path = await writeReportFile(join(artifacts, 'report.html'), html);
    reportUrl = pathToFileURL(path).href;

    launched = await launchChromium();
    launched.context.on('request', (request) => requests.push(request.url()));
    page = await launched.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(reportUrl, { waitUntil: 'load' });
    // The comparison's groups start folded: unfolding one is tested below, before anything else unfolds them.
    comparisonFolded = await foldState(page);
    // Cases open folded, in folded groups of their algorithm; each draws its charts the first time it is opened.
    await page.$$eval('details.case-group, details.case-detail', (all) => all.forEach((details) => ((details as unknown as { open: boolean }).open = true)));
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelectorAll('.uplot canvas').length > 0);
    // uPlot commits its first draw in a microtask: one frame later every chart is painted.
    await nextFrame(page);
  });

  afterAll(async () => {
    await launched?.close();
  });

  it('loads without console or page errors', () => {
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('makes no network request: the only request is the file itself', () => {
    expect(requests).toEqual([reportUrl]);
  });

  it('draws every chart: each canvas has a size and ink, percentile charts in both run colours', async () => {
    const caseCount = await page.locator('section.case').count();
    expect(caseCount).toBe(8);
    const ink = await inkOf(page, '.uplot canvas');
    // Six completed cases with percentile, histogram and history charts; RSA has a per-candidate history too.
    expect(ink.length).toBe(6 * 3 + 1);
    for (const canvas of ink) {
      expect(canvas.width).toBeGreaterThan(100);
      expect(canvas.height).toBeGreaterThan(100);
      expect(canvas.drawn).toBeGreaterThan(500);
    }
    const percentile = await inkOf(page, 'figure.chart:first-of-type .uplot canvas');
    expect(percentile).toHaveLength(6);
    for (const canvas of percentile) {
      expect(canvas.blue).toBeGreaterThan(50);
      expect(canvas.red).toBeGreaterThan(50);
    }
  });

  it('shows the hostile case name as text and runs none of it', async () => {
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    const heading = page.locator('section.case h3', { hasText: HOSTILE_CASE });
    expect(await heading.count()).toBe(1);
    expect(await heading.textContent()).toContain(HOSTILE_CASE);
    const errored = page.locator('ul.problems li.errored').first();
    expect(await errored.textContent()).toContain('<b>not bold</b>');
    expect(await page.locator('ul.problems b').count()).toBe(0);
  });

  it('folds the comparison to one line per algorithm, the regressed one first, and unfolds one on a click', async () => {
    // The candidate's ed25519, rsa-2048 and x25519 are 8% slower; ml-kem-768 errored in both runs (unmatched);
    // ec-p256 is inconclusive and x448 skipped in both (by design, so not named). Each kind keeps case order.
    expect(comparisonFolded).toEqual({ groups: ['ed25519', 'rsa-2048', 'x25519', 'ml-kem-768', 'ec-p256', 'x448'], rows: 0 });
    const group = (algorithm: string) => page.locator('table.comparison tbody.group', { has: page.locator('.group-toggle', { hasText: algorithm }) });
    const changes = (algorithm: string) => group(algorithm).locator('tr.group-head a.change').allTextContents();
    expect(await changes('x25519')).toEqual([expect.stringMatching(/^regressed 1 thread keyscope-native \+\d/), expect.stringMatching(/^regressed 2 threads keyscope-native \+\d/)]);
    expect(await changes('ml-kem-768')).toEqual(['unmatched keyscope']);
    expect(await group('ml-kem-768').locator('a.change').getAttribute('title')).toBe('baseline: errored; candidate: errored');
    expect(await changes('x448')).toEqual([]);
    expect(await group('x448').locator('.group-counts').textContent()).toBe('1 unmatched');
    const rsa = group('rsa-2048');
    expect(await changes('rsa-2048')).toEqual([expect.stringMatching(/^regressed keyscope-native \+\d+(\.\d)?%$/)]);
    expect(await rsa.locator('tr.group-head .group-counts').textContent()).toBe('1 regressed');
    const toggle = rsa.locator('.group-toggle');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await rsa.locator('tr.case-row:visible .case-name').allTextContents()).toEqual(['keygen/rsa-2048 keyscope-native rsa-2048']);
    await toggle.click();
    expect(await foldState(page)).toEqual(comparisonFolded);
  });

  it('shows the comparison: coloured verdicts, unmatched reasons, samples to resolve, environment differences', async () => {
    const rows = page.locator('table.comparison tbody tr.case-row');
    expect(await rows.count()).toBe(8);
    const regressed = page.locator('table.comparison .verdict-regressed').first();
    expect(await regressed.evaluate((node) => (globalThis as unknown as { getComputedStyle(n: unknown): { backgroundColor: string } }).getComputedStyle(node).backgroundColor)).toBe('rgb(185, 28, 28)');
    const ec = rows.filter({ hasText: 'ec-p256' });
    expect(await ec.locator('.verdict').textContent()).toBe('inconclusive');
    expect(await ec.textContent()).toContain('~48,000 samples a side would resolve it');
    const rsa = rows.filter({ hasText: 'rsa-2048' });
    expect(await rsa.textContent()).toContain('on time per prime candidate');
    expect(await rows.filter({ hasText: 'ml-kem-768' }).textContent()).toContain('unmatched baseline: errored; candidate: errored');
    const significant = page.locator('table.environment-differences tr.significant');
    expect(await significant.allTextContents()).toEqual(['nodev20.19.0v20.20.2timings not comparable']);
    expect(await page.locator('table.environment tr.differs th').allTextContents()).toEqual(['kernel', 'node']);
  });

  it('shows values on hover', async () => {
    const figure = page.locator('section.case').first().locator('figure.chart').first();
    const over = figure.locator('.u-over');
    await over.scrollIntoViewIfNeeded();
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    const values = await figure.locator('.u-legend .u-series .u-value').allTextContents();
    expect(values[0]).toMatch(/^p\d/);
    expect(values[1]).toMatch(/\d+(\.\d+)? µs$/);
    const history = page.locator('section.case').first().locator('figure.chart').nth(2);
    const historyBox = (await history.locator('.u-over').boundingBox())!;
    await page.mouse.move(historyBox.x + historyBox.width * 0.05, historyBox.y + historyBox.height * 0.5);
    expect(await history.locator('.hover-info').textContent()).toMatch(/^#1 · 2025-03-01 02:00:00 UTC · nightly · 00a1b2c3d4 \(main\)/);
  });

  it('hides a series when its legend entry is clicked, and shows it again', async () => {
    await page.mouse.move(0, 0);
    const figure = page.locator('section.case').first().locator('figure.chart').first();
    const entry = figure.locator('.u-legend tr.u-series').nth(1);
    const selector = 'section.case:first-of-type figure.chart:first-of-type .uplot canvas';
    const before = (await inkOf(page, selector))[0]!;
    expect(before.blue).toBeGreaterThan(50);
    await entry.locator('th').click();
    await nextFrame(page);
    expect(await entry.getAttribute('class')).toContain('u-off');
    const hidden = (await inkOf(page, selector))[0]!;
    expect(hidden.blue).toBeLessThan(before.blue / 10);
    expect(hidden.red).toBeGreaterThan(50);
    await entry.locator('th').click();
    await nextFrame(page);
    expect(await entry.getAttribute('class')).not.toContain('u-off');
    expect((await inkOf(page, selector))[0]!.blue).toBeGreaterThan(50);
  });

  it('filters cases by suite, case, implementation or algorithm', async () => {
    const filter = page.locator('#case-filter');
    const visibleCases = () => page.locator('section.case:visible h3').allTextContents();
    const visibleRows = () => page.locator('table.comparison tbody tr.case-row:visible').count();
    const visibleGroups = () => page.locator('details.case-group:visible > summary .group-name').allTextContents();
    await filter.fill('rsa');
    // A match unfolds its groups, in the table and the case list, and hides the groups without one.
    expect(await visibleCases()).toEqual(['keygen / rsa-2048']);
    expect(await visibleRows()).toBe(1);
    expect((await foldState(page)).groups).toEqual(['rsa-2048']);
    expect(await visibleGroups()).toEqual(['rsa-2048']);
    expect(await page.locator('.filter-count').textContent()).toBe('1 of 8 cases');
    await filter.fill('throughput native');
    expect(await visibleCases()).toEqual(['throughput / x25519', 'throughput / x25519']);
    await filter.fill('node:crypto');
    expect(await visibleCases()).toEqual(['keygen / ec-p256']);
    await filter.fill('onerror');
    expect((await visibleCases())[0]).toContain(HOSTILE_CASE);
    await filter.fill('no such case');
    expect(await visibleCases()).toEqual([]);
    expect(await page.locator('ul.problems li:visible').count()).toBe(0);
    await filter.fill('');
    // Cleared, every group folds back as it was: the case list's all open here, the table's folded.
    expect(await visibleCases()).toHaveLength(8);
    expect(await visibleGroups()).toHaveLength(6);
    expect(await foldState(page)).toEqual(comparisonFolded);
  });

  it('a changed case named in its group\'s line links to its row, and a row to its case, unfolding what holds them', async () => {
    const chip = page.locator('table.comparison tr.group-head a.change', { hasText: 'regressed keyscope-native' });
    await chip.click();
    const row = page.locator('table.comparison tr.case-row', { hasText: 'rsa-2048' });
    expect(await row.isVisible()).toBe(true);
    expect(await row.getAttribute('class')).toContain('revealed');
    await page.$$eval('details.case-group', (all) => all.forEach((details) => ((details as unknown as { open: boolean }).open = false)));
    await row.locator('a.case-link').click();
    const section = page.locator('section.case', { has: page.locator('h3', { hasText: 'keygen / rsa-2048' }) });
    expect(await section.isVisible()).toBe(true);
    expect(await section.locator('details.case-detail').getAttribute('open')).not.toBeNull();
    expect(await page.evaluate(() => (globalThis as unknown as { location: { hash: string } }).location.hash)).toBe(`#${await section.getAttribute('id')}`);
    await page.$$eval('details.case-group', (all) => all.forEach((details) => ((details as unknown as { open: boolean }).open = true)));
  });

  it('saves a full-page screenshot', async () => {
    await page.screenshot({ path: join(artifacts, 'report.png'), fullPage: true });
    expect(requests).toEqual([reportUrl]);
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
