/**
 * The report of a run the size of the biggest real default run (178 cases of 29 algorithms,
 * test/support/default-size-runs.ts), compared with its baseline, in headless Chromium at 1280 px wide: the
 * verdict comes first (gate result and counts), the environment after the cases, the comparison and the case
 * list each folded to one line per algorithm that names every case that changed, and the page under 5,000 px
 * tall before anything is unfolded (a default run's report was 62,000 px with every case laid out, 20,400 px
 * with one line per case). An algorithm unfolds on a click; a case opened draws its charts.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { compareRuns } from '../../src/compare/compare-runs.js';
import { referenceOf } from '../../src/compare/resolve-runs.js';
import type * as Algorithms from '../../src/core/algorithms.js';
import { listedAlgorithmIds } from '../../src/core/algorithms.js';
import type { RunComparison } from '../../src/compare/types.js';
import { generateReport, writeReportFile } from '../../src/report/generate-report.js';
import { browserAvailability, launchChromium, type LaunchedBrowser } from '../support/browser.js';
import { defaultSizedRuns } from '../support/default-size-runs.js';

// Plan the default suite as on an OpenSSL with every listed algorithm (Node 24's), on any runtime: only the
// suite's case list reads this, no key is generated.
vi.mock('../../src/core/algorithms.js', async (importOriginal) => {
  const actual = await importOriginal<typeof Algorithms>();
  return { ...actual, listAlgorithms: () => actual.listAlgorithms().map(({ id, family, securityBits, usages }) => ({ id, family, securityBits, usages, supported: true })) };
});

const browser = browserAvailability();
const artifacts = resolve(import.meta.dirname, '..', '..', 'test-artifacts');

interface Box {
  top: number;
}

type Counts = RunComparison['counts'];

/** Every group's toggle in the comparison table, clicked once: unfolds them all, or folds them all back. */
async function toggleEveryGroup(page: Page): Promise<void> {
  await page.locator('table.comparison .group-toggle').evaluateAll((toggles) => toggles.forEach((toggle) => (toggle as unknown as { click(): void }).click()));
}

describe.skipIf(!browser.available && !browser.required)(`the report of a default-sized run (${browser.reason})`, () => {
  let launched: LaunchedBrowser;
  let page: Page;
  const pageErrors: string[] = [];
  let caseCount = 0;
  let algorithms: string[] = [];
  let counts: Counts;

  beforeAll(async () => {
    const [baseline, candidate] = await defaultSizedRuns();
    caseCount = candidate.cases.length;
    algorithms = [...new Set(candidate.cases.map((c) => c.key.algorithm))];
    const comparison = compareRuns({ run: baseline, reference: referenceOf({ run: baseline, source: 'store' }) }, { run: candidate, reference: referenceOf({ run: candidate, source: 'store' }) });
    counts = comparison.counts;
    const { html } = generateReport({ runs: [baseline, candidate], comparison, history: [baseline, candidate], generatedAt: '2026-12-06T21:00:00.000Z' });
    mkdirSync(artifacts, { recursive: true });
    const path = await writeReportFile(join(artifacts, 'report-default-size.html'), html);
    launched = await launchChromium();
    page = await launched.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    await page.waitForSelector('footer');
  }, 60_000);

  afterAll(async () => {
    await launched?.close();
  });

  it('is the size of a default run of every listed algorithm, whichever OpenSSL this runtime links', () => {
    expect(algorithms).toEqual([...listedAlgorithmIds]);
    // 6 implementations an algorithm, and throughput over 1..N threads for two of them.
    expect(caseCount).toBeGreaterThanOrEqual(listedAlgorithmIds.length * 6 + 2 * 2);
  });

  it('is under 5,000 px tall at 1280 px wide before anything is unfolded', async () => {
    const height = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollHeight: number } } }).document.documentElement.scrollHeight);
    console.log(`report of ${caseCount} cases: ${height} px tall at 1280 px`);
    expect(height).toBeLessThan(5_000);
    expect(pageErrors).toEqual([]);
    await page.screenshot({ path: join(artifacts, 'report-default-size.png'), fullPage: true });
  });

  it('puts the verdict first: the gate result and the counts, before the cases and the environment', async () => {
    const top = (id: string) =>
      page.evaluate((which) => (globalThis as unknown as { document: { getElementById(id: string): { getBoundingClientRect(): Box } | null } }).document.getElementById(which)?.getBoundingClientRect().top ?? Number.NaN, id);
    const verdict = await top('verdict');
    expect(await page.locator('#verdict').innerText()).toMatch(/regressed[\s\S]*improved[\s\S]*unchanged[\s\S]*inconclusive/);
    expect(await page.locator('#verdict .gate').innerText()).toMatch(/^Gate (failed|passed)/);
    expect(verdict).toBeLessThan(await top('comparison'));
    expect(await top('comparison')).toBeLessThan(await top('cases'));
    expect(await top('cases')).toBeLessThan(await top('environment'));
  });

  it('folds the comparison to one line per algorithm, regressions first, naming every case that changed', async () => {
    expect(await page.locator('table.comparison tr.case-row:visible').count()).toBe(0);
    const lines = page.locator('table.comparison tr.group-head:visible');
    expect(await lines.count()).toBe(algorithms.length);
    // Nothing that gates is folded away: every regressed and improved case is named, with its change.
    const named = (verdict: string) => page.locator(`table.comparison tr.group-head a.change-${verdict}`).count();
    expect(counts.regressed).toBeGreaterThan(0);
    expect(await named('regressed')).toBe(counts.regressed);
    expect(await named('improved')).toBe(counts.improved);
    expect(await page.locator('table.comparison a.change-regressed').first().innerText()).toMatch(/^regressed .+ \+\d+(\.\d)?%$/);
    // The lines with a regression come before all others.
    const regressedLines = await lines.evaluateAll((rows) => rows.map((row) => (row as unknown as { querySelector(s: string): unknown }).querySelector('a.change-regressed') !== null));
    expect(regressedLines.indexOf(false)).toBe(regressedLines.filter(Boolean).length);
    // The groups' counts add up to the verdict's.
    const tallies = await page.locator('table.comparison tr.group-head .group-counts').allInnerTexts();
    const sum = (verdict: string) => tallies.reduce((total, text) => total + Number(new RegExp(`(\\d+) ${verdict}`).exec(text)?.[1] ?? 0), 0);
    for (const verdict of ['regressed', 'improved', 'unchanged', 'inconclusive', 'unmatched'] as const) expect(sum(verdict)).toBe(counts[verdict]);
  });

  it('prints an interval it cannot bound in words, never as [-100%, ?]', async () => {
    await toggleEveryGroup(page);
    expect(await page.locator('table.comparison tr.case-row:visible').count()).toBe(caseCount);
    const table = await page.locator('table.comparison').innerText();
    expect(table).toMatch(/too few samples: \d+ more needed/);
    expect(table).not.toMatch(/-100(\.0)?%|\?/);
    const rows = await page.locator('table.comparison tbody tr .case-name').allTextContents();
    expect(new Set(rows).size).toBe(rows.length);
    await toggleEveryGroup(page);
    expect(await page.locator('table.comparison tr.case-row:visible').count()).toBe(0);
  });

  it('folds every case in folded groups; a change named in a group opens its case, which draws its charts', async () => {
    expect(await page.locator('details.case-group:not([open])').count()).toBe(algorithms.length);
    expect(await page.locator('section.case details.case-detail:not([open])').count()).toBe(caseCount);
    const change = page.locator('#cases summary a.change-regressed').first();
    const name = (await change.locator('.change-name').innerText()).trim();
    await change.click();
    const opened = page.locator('section.case:has(> details.case-detail[open])');
    expect(await opened.count()).toBe(1);
    expect(await opened.isVisible()).toBe(true);
    expect(await opened.locator('summary.case-head').innerText()).toContain(name.split(' ').at(-1)!);
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('.uplot canvas').length > 0);
    expect(await opened.locator('.uplot canvas').count()).toBeGreaterThanOrEqual(2);
    expect(pageErrors).toEqual([]);
  });
});
